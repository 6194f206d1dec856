"""Activity icons drawn as vector paths (crisp at any zoom, no icon font needed on any platform).

A descriptor names its icon (``http-endpoint``, ``if``, ``table-list``...); each name maps to a few
strokes in a 16 x 16 box. Unknown names fall back to the activity's initials.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

Drawer = Callable[[QPainterPath], None]
ICON_INSET = 0.2
"""Vector icons keep this share of their box free on each side."""


def _arrow(
    path: QPainterPath, start: tuple[float, float], end: tuple[float, float], head: float = 3.5
) -> None:
    sx, sy = start
    ex, ey = end
    path.moveTo(sx, sy)
    path.lineTo(ex, ey)
    if ex != sx:
        direction = 1 if ex > sx else -1
        path.moveTo(ex - direction * head, ey - head)
        path.lineTo(ex, ey)
        path.lineTo(ex - direction * head, ey + head)
    else:
        direction = 1 if ey > sy else -1
        path.moveTo(ex - head, ey - direction * head)
        path.lineTo(ex, ey)
        path.lineTo(ex + head, ey - direction * head)


def _http_endpoint(p: QPainterPath) -> None:
    _arrow(p, (1, 8), (10, 8))
    p.moveTo(13, 2)
    p.lineTo(13, 14)


def _http_request(p: QPainterPath) -> None:
    p.moveTo(3, 2)
    p.lineTo(3, 14)
    _arrow(p, (6, 5.5), (15, 5.5), 3)
    _arrow(p, (15, 10.5), (6, 10.5), 3)


def _http_response(p: QPainterPath) -> None:
    p.moveTo(3, 2)
    p.lineTo(3, 14)
    _arrow(p, (6, 8), (15, 8))


def _if(p: QPainterPath) -> None:
    p.moveTo(8, 1.5)
    p.lineTo(14.5, 8)
    p.lineTo(8, 14.5)
    p.lineTo(1.5, 8)
    p.closeSubpath()


def _switch(p: QPainterPath) -> None:
    p.moveTo(1, 8)
    p.lineTo(6, 8)
    for y in (3, 8, 13):
        p.moveTo(6, 8)
        p.lineTo(14, y)


def _fork(p: QPainterPath) -> None:
    p.moveTo(1, 8)
    p.lineTo(7, 8)
    p.lineTo(14, 3)
    p.moveTo(7, 8)
    p.lineTo(14, 13)


def _join(p: QPainterPath) -> None:
    p.moveTo(2, 3)
    p.lineTo(9, 8)
    p.lineTo(2, 13)
    p.moveTo(9, 8)
    p.lineTo(15, 8)


def _loop(p: QPainterPath) -> None:
    p.arcMoveTo(QRectF(2, 2, 12, 12), 90)
    p.arcTo(QRectF(2, 2, 12, 12), 90, 270)
    _arrow(p, (5, 2.2), (8.5, 2.2), 2.8)


def _while(p: QPainterPath) -> None:
    _loop(p)
    p.addEllipse(QPointF(8, 8), 1.2, 1.2)


def _variable(p: QPainterPath) -> None:
    p.moveTo(2, 4)
    p.lineTo(8, 12)
    p.moveTo(8, 4)
    p.lineTo(2, 12)
    p.moveTo(10, 6.5)
    p.lineTo(15, 6.5)
    p.moveTo(10, 9.5)
    p.lineTo(15, 9.5)


def _fault(p: QPainterPath) -> None:
    p.moveTo(8, 1.5)
    p.lineTo(15, 14)
    p.lineTo(1, 14)
    p.closeSubpath()
    p.moveTo(8, 6)
    p.lineTo(8, 10)
    p.moveTo(8, 11.8)
    p.lineTo(8, 12.2)


def _script(p: QPainterPath) -> None:
    p.moveTo(5, 3)
    p.lineTo(1.5, 8)
    p.lineTo(5, 13)
    p.moveTo(11, 3)
    p.lineTo(14.5, 8)
    p.lineTo(11, 13)
    p.moveTo(9.5, 2.5)
    p.lineTo(6.5, 13.5)


def _correlate(p: QPainterPath) -> None:
    p.moveTo(6, 2)
    p.lineTo(4.5, 14)
    p.moveTo(11.5, 2)
    p.lineTo(10, 14)
    p.moveTo(2, 5.5)
    p.lineTo(14.5, 5.5)
    p.moveTo(1.5, 10.5)
    p.lineTo(14, 10.5)


def _run_workflow(p: QPainterPath) -> None:
    p.addRoundedRect(QRectF(1.5, 3, 13, 10), 2, 2)
    p.moveTo(6.5, 5.5)
    p.lineTo(11, 8)
    p.lineTo(6.5, 10.5)
    p.closeSubpath()


def _finish(p: QPainterPath) -> None:
    p.moveTo(3, 15)
    p.lineTo(3, 1.5)
    p.lineTo(13.5, 4.5)
    p.lineTo(3, 8.5)


def _timer(p: QPainterPath) -> None:
    p.addEllipse(QPointF(8, 8.5), 6, 6)
    p.moveTo(8, 8.5)
    p.lineTo(8, 5)
    p.moveTo(8, 8.5)
    p.lineTo(10.5, 10)
    p.moveTo(6, 1)
    p.lineTo(10, 1)


def _write_line(p: QPainterPath) -> None:
    p.moveTo(2, 4)
    p.lineTo(5.5, 7.5)
    p.lineTo(2, 11)
    p.moveTo(7.5, 12)
    p.lineTo(14, 12)


def _table(p: QPainterPath) -> None:
    p.addRoundedRect(QRectF(1.5, 2.5, 13, 11), 1.5, 1.5)
    p.moveTo(1.5, 6)
    p.lineTo(14.5, 6)
    p.moveTo(6, 6)
    p.lineTo(6, 13.5)


def _table_list(p: QPainterPath) -> None:
    _table(p)
    p.moveTo(1.5, 9.7)
    p.lineTo(14.5, 9.7)


def _table_get(p: QPainterPath) -> None:
    _table(p)
    p.addEllipse(QPointF(10.3, 9.7), 1.8, 1.8)


def _table_update(p: QPainterPath) -> None:
    _table(p)
    p.moveTo(8.5, 12)
    p.lineTo(12.5, 8)


def _table_create(p: QPainterPath) -> None:
    _table(p)
    p.moveTo(10.3, 7.7)
    p.lineTo(10.3, 11.7)
    p.moveTo(8.3, 9.7)
    p.lineTo(12.3, 9.7)


def _table_delete(p: QPainterPath) -> None:
    _table(p)
    p.moveTo(8.5, 8)
    p.lineTo(12, 11.5)
    p.moveTo(12, 8)
    p.lineTo(8.5, 11.5)


ICON_DRAWERS: dict[str, Drawer] = {
    "http-endpoint": _http_endpoint,
    "http-request": _http_request,
    "http-response": _http_response,
    "if": _if,
    "switch": _switch,
    "fork": _fork,
    "join": _join,
    "for-each": _loop,
    "while": _while,
    "variable": _variable,
    "fault": _fault,
    "javascript": _script,
    "correlate": _correlate,
    "run-workflow": _run_workflow,
    "finish": _finish,
    "timer": _timer,
    "write-line": _write_line,
    "table-list": _table_list,
    "table-get": _table_get,
    "table-update": _table_update,
    "table-create": _table_create,
    "table-delete": _table_delete,
}


@cache
def icon_path(name: str) -> QPainterPath | None:
    """The strokes of a named icon in a 16 x 16 box, or None for a name without a drawing."""
    drawer = ICON_DRAWERS.get(name)
    if drawer is None:
        return None
    path = QPainterPath()
    drawer(path)
    return path


def initials(title: str) -> str:
    """One or two letters for an activity without an icon drawing ("SignalReceived" -> "SR")."""
    capitals = [c for c in title if c.isupper()]
    if len(capitals) >= 2:
        return "".join(capitals[:2])
    letters = [c for c in title if c.isalnum()]
    return letters[0].upper() if letters else "?"


def paint_icon(
    painter: QPainter, box: QRectF, name: str, fallback_text: str, color: QColor, font: QFont
) -> None:
    """Draw the named icon (inset a fifth of ``box``) or the fallback letters (using all of it)."""
    path = icon_path(name)
    if path is None:
        painter.setPen(color)
        painter.setFont(font)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, fallback_text)
        return
    inset = min(box.width(), box.height()) * ICON_INSET
    box = box.adjusted(inset, inset, -inset, -inset)
    painter.save()
    scale = min(box.width(), box.height()) / 16.0
    painter.translate(box.center() - QPointF(8 * scale, 8 * scale))
    painter.scale(scale, scale)
    pen = QPen(color, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    pen.setCosmetic(False)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.restore()


def activity_icon(
    name: str, fallback_text: str, background: QColor, size: int = 20, ratio: float = 2.0
) -> QIcon:
    """A QIcon (palette, quick-add) with the icon on a rounded square of the category colour."""
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(background)
    painter.drawRoundedRect(QRectF(0, 0, size, size), 4, 4)
    font = QFont()
    font.setPixelSize(int(size * 0.5))
    font.setBold(True)
    paint_icon(
        painter,
        QRectF(0, 0, size, size),
        name,
        fallback_text,
        QColor("#ffffff"),
        font,
    )
    painter.end()
    return QIcon(pixmap)
