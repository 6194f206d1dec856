"""An activity card: category colour and icon, display name, type, a one-line summary and its ports.

Cards paint into a device-coordinate cache and switch to simpler drawings when zoomed out, so a large
workflow pans and zooms smoothly. Text is elided once when the content changes, not on every paint.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHoverEvent, QStyleOptionGraphicsItem, QWidget

from designer.canvas.port import (
    CARD_WIDTH,
    INFO_HEIGHT,
    LABEL_MARGIN,
    PORT_RADIUS,
    ROW_HEIGHT,
    OutputPort,
    card_height,
    has_rows,
    hits_input,
    input_port_center,
    output_ports,
)
from designer.icons import paint_icon
from designer.theme import Theme

if TYPE_CHECKING:
    from designer.canvas.wire import Wire

CORNER_RADIUS = 6.0
ICON_SIZE = 20.0
TEXT_LEFT = 38.0
BADGE_RADIUS = 7.5
DETAILED_LOD = 0.55
"""Below this zoom (scene-to-device scale) a card drops its small text."""
SIMPLE_LOD = 0.18
"""Below this a card is a coloured block."""


@dataclass(frozen=True)
class CardContent:
    """What a card shows, derived from the activity and the catalog (see :mod:`designer.canvas.card_info`)."""

    title: str
    type_label: str
    summary: str
    category: str
    icon: str
    outcomes: tuple[str, ...]
    icon_text: str = "?"
    """Letters drawn instead of an icon the designer has no drawing for."""
    known: bool = True
    description: str = ""


@dataclass(frozen=True)
class CardProblem:
    """The worst validation problem of an activity, shown as a badge with the messages as tooltip."""

    severity: str
    message: str


class CardFonts:
    """The fonts every card shares (pixel sizes, so layout is the same on every screen and in renders)."""

    _instance: CardFonts | None = None

    def __init__(self) -> None:
        self.title = QFont()
        self.title.setPixelSize(12)
        self.title.setBold(True)
        self.small = QFont()
        self.small.setPixelSize(10)
        self.mono = QFont("DejaVu Sans Mono")
        self.mono.setStyleHint(QFont.StyleHint.Monospace)
        self.mono.setPixelSize(10)
        self.icon = QFont()
        self.icon.setPixelSize(11)
        self.icon.setBold(True)
        self.big_title = QFont()
        self.big_title.setPixelSize(22)
        self.big_title.setBold(True)
        self.title_metrics = QFontMetricsF(self.title)
        self.small_metrics = QFontMetricsF(self.small)
        self.mono_metrics = QFontMetricsF(self.mono)
        self.big_metrics = QFontMetricsF(self.big_title)

    @classmethod
    def get(cls) -> CardFonts:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance


@cache
def card_outline(height: float) -> tuple[QPainterPath, QPainterPath]:
    """The rounded outline of a card of ``height`` and its category stripe (shared by equal cards)."""
    rect = QRectF(0, 0, CARD_WIDTH, height)
    outline = QPainterPath()
    outline.addRoundedRect(rect, CORNER_RADIUS, CORNER_RADIUS)
    stripe = QPainterPath()
    stripe.addRect(QRectF(0, 0, 4, height))
    return outline, outline.intersected(stripe)


def two_lines(text: str, metrics: QFontMetricsF, first_width: float, second_width: float) -> tuple[str, str]:
    """Word-wrap ``text`` onto at most two lines, eliding the second; ("whole text", "") when it fits."""
    if metrics.horizontalAdvance(text) <= first_width:
        return text, ""
    words = text.split()
    first = ""
    for index, word in enumerate(words):
        candidate = f"{first} {word}".strip()
        if metrics.horizontalAdvance(candidate) > first_width:
            if not first:
                break
            rest = " ".join(words[index:])
            return first, metrics.elidedText(rest, Qt.TextElideMode.ElideRight, second_width)
        first = candidate
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, first_width), ""


class ActivityCard(QGraphicsItem):
    """The view of one activity. It never edits the model; the scene and interactions do."""

    def __init__(self, activity_id: str, content: CardContent, theme: Theme) -> None:
        super().__init__()
        self.activity_id = activity_id
        self.theme = theme
        self.outgoing: list[Wire] = []
        self.incoming: list[Wire] = []
        self.problem: CardProblem | None = None
        self.hovered_port: str | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(1.0)
        self.content = content
        self._apply_content(content)

    # --- content -----------------------------------------------------------------------------------

    def set_content(self, content: CardContent) -> bool:
        """Show new content; returns True when the ports changed (wires must re-anchor)."""
        if content == self.content:
            return False
        ports_changed = content.outcomes != self.content.outcomes
        if ports_changed:
            self.prepareGeometryChange()
        self.content = content
        self._apply_content(content)
        self.update()
        return ports_changed

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.update()

    def set_problem(self, problem: CardProblem | None) -> None:
        if problem == self.problem:
            return
        self.problem = problem
        self._texts_ready = False
        self.update()

    def _apply_content(self, content: CardContent) -> None:
        self.height = card_height(content.outcomes)
        self.ports: list[OutputPort] = output_ports(content.outcomes)
        self._rect = QRectF(0, 0, CARD_WIDTH, self.height)
        self._bounds = self._rect.adjusted(-PORT_RADIUS - 2, -2, PORT_RADIUS + 2, 2)
        self._outline, self._stripe = card_outline(self.height)
        self._texts_ready = False

    def _ensure_texts(self) -> None:
        """Elide the texts on the first detailed paint (cards never seen up close never pay for it)."""
        if self._texts_ready:
            return
        self._texts_ready = True
        fonts = CardFonts.get()
        title_room = CARD_WIDTH - TEXT_LEFT - (2 * BADGE_RADIUS + 10 if self.problem else 8)
        self._title, self._title_more = two_lines(
            self.content.title, fonts.title_metrics, title_room, CARD_WIDTH - TEXT_LEFT - 8
        )
        type_room = CARD_WIDTH - TEXT_LEFT - 8
        self._type = fonts.small_metrics.elidedText(
            self.content.type_label, Qt.TextElideMode.ElideRight, type_room
        )
        summary = " ".join(self.content.summary.split())
        self._summary = fonts.mono_metrics.elidedText(summary, Qt.TextElideMode.ElideRight, CARD_WIDTH - 22)
        label_room = CARD_WIDTH - 2 * LABEL_MARGIN
        self._labels = [
            fonts.small_metrics.elidedText(port.outcome, Qt.TextElideMode.ElideMiddle, label_room)
            for port in self.ports
        ]
        self._big_title = two_lines(self.content.title, fonts.big_metrics, CARD_WIDTH - 16, CARD_WIDTH - 16)

    def tooltip_text(self) -> str:
        """Title, type, description and problems (built when the tooltip is asked for)."""
        lines = [
            f"{self.content.title} ({self.content.type_label})"
            if self.content.type_label
            else self.content.title
        ]
        if self.content.description:
            lines.append(self.content.description)
        if not self.content.known:
            lines.append("Activity type not in the catalog: shown as found in the file.")
        if self.problem is not None:
            lines.append(self.problem.message)
        return "\n".join(lines)

    # --- geometry ----------------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt API)
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._bounds)
        return path

    def card_rect(self) -> QRectF:
        """The card body in scene coordinates (without the port nubs)."""
        return self._rect.translated(self.pos())

    def output_port(self, outcome: str) -> OutputPort | None:
        wanted = outcome.lower()
        return next((port for port in self.ports if port.outcome.lower() == wanted), None)

    def output_anchor(self, outcome: str) -> QPointF:
        """Scene position where a wire of ``outcome`` leaves this card."""
        port = self.output_port(outcome)
        local = port.center if port is not None else QPointF(CARD_WIDTH, INFO_HEIGHT / 2)
        return self.pos() + local

    def input_anchor(self) -> QPointF:
        return self.pos() + input_port_center()

    def port_at(self, scene_pos: QPointF) -> str | None:
        """The outcome whose port is under ``scene_pos`` (None when it is not over an output port)."""
        local = scene_pos - self.pos()
        return next((port.outcome for port in self.ports if port.hit(local)), None)

    def is_over_input(self, scene_pos: QPointF) -> bool:
        return hits_input(scene_pos - self.pos())

    def attached_wires(self) -> list[Wire]:
        return [*self.outgoing, *self.incoming]

    def update_wires(self) -> None:
        for wire in self.outgoing:
            wire.update_path()
        for wire in self.incoming:
            wire.update_path()

    def move_to(self, position: QPointF) -> None:
        if position != self.pos():
            self.setPos(position)
            self.update_wires()

    # --- hover (port highlight) -------------------------------------------------------------------

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 (Qt API)
        port = self.port_at(event.scenePos())
        if port != self.hovered_port:
            self.hovered_port = port
            self.setCursor(Qt.CursorShape.CrossCursor if port else Qt.CursorShape.ArrowCursor)
            self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 (Qt API)
        if self.hovered_port is not None:
            self.hovered_port = None
            self.unsetCursor()
            self.update()

    # --- painting ----------------------------------------------------------------------------------

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        theme = self.theme
        accent = theme.category_color(self.content.category)
        selected = self.isSelected()
        if lod < SIMPLE_LOD:
            self._paint_block(painter, accent, selected)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        border = QPen(
            theme.color("selection") if selected else theme.color("card_border"), 2.0 if selected else 1.0
        )
        if not self.content.known:
            border.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(border)
        painter.setBrush(theme.color("card"))
        painter.drawPath(self._outline)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawPath(self._stripe)
        self._ensure_texts()
        if lod < DETAILED_LOD:
            self._paint_big_title(painter)
        else:
            self._paint_icon(painter, accent)
            self._paint_text(painter)
        self._paint_ports(painter, lod >= DETAILED_LOD)
        if self.problem is not None:
            self._paint_badge(painter)

    def _paint_block(self, painter: QPainter, accent: QColor, selected: bool) -> None:
        fill = QColor(accent)
        fill.setAlpha(140 if not selected else 230)
        painter.setPen(QPen(self.theme.color("selection"), 6.0) if selected else Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRect(self._rect)
        if self.problem is not None:
            painter.setBrush(self.theme.color("error" if self.problem.severity == "error" else "warning"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRect(QRectF(CARD_WIDTH - 40, 0, 40, 40))

    def _paint_icon(self, painter: QPainter, accent: QColor) -> None:
        fonts = CardFonts.get()
        box = QRectF(11, 7, ICON_SIZE, ICON_SIZE)
        painter.setBrush(accent)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(box, 5, 5)
        paint_icon(painter, box, self.content.icon, self.content.icon_text, QColor("#ffffff"), fonts.icon)

    def _paint_text(self, painter: QPainter) -> None:
        fonts = CardFonts.get()
        painter.setPen(self.theme.color("text"))
        painter.setFont(fonts.title)
        painter.drawText(
            QRectF(TEXT_LEFT, 4, CARD_WIDTH - TEXT_LEFT, 16), Qt.AlignmentFlag.AlignVCenter, self._title
        )
        if self._title_more:
            painter.drawText(
                QRectF(TEXT_LEFT, 18, CARD_WIDTH - TEXT_LEFT, 15),
                Qt.AlignmentFlag.AlignVCenter,
                self._title_more,
            )
            painter.setPen(self.theme.color("muted_text"))
        else:
            painter.setPen(self.theme.color("muted_text"))
            painter.setFont(fonts.small)
            painter.drawText(
                QRectF(TEXT_LEFT, 19, CARD_WIDTH - TEXT_LEFT, 12), Qt.AlignmentFlag.AlignVCenter, self._type
            )
        if self._summary:
            painter.setFont(fonts.mono)
            painter.drawText(
                QRectF(11, 33, CARD_WIDTH - 20, 13), Qt.AlignmentFlag.AlignVCenter, self._summary
            )

    def _paint_big_title(self, painter: QPainter) -> None:
        fonts = CardFonts.get()
        painter.setPen(self.theme.color("text"))
        painter.setFont(fonts.big_title)
        first, second = self._big_title
        top = 2.0 if second else (INFO_HEIGHT - 24) / 2
        for index, line in enumerate((first, second)):
            room = QRectF(10, top + index * 23, CARD_WIDTH - 16, 23)
            painter.drawText(room, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)

    def _paint_ports(self, painter: QPainter, with_labels: bool) -> None:
        theme = self.theme
        connected = {wire.outcome.lower() for wire in self.outgoing}
        if has_rows(self.content.outcomes):
            painter.setPen(QPen(theme.color("card_border"), 1.0))
            painter.drawLine(QPointF(8, INFO_HEIGHT), QPointF(CARD_WIDTH - 8, INFO_HEIGHT))
            if with_labels:
                painter.setFont(CardFonts.get().small)
                painter.setPen(theme.color("text"))
                for port, label in zip(self.ports, self._labels, strict=True):
                    row = QRectF(
                        LABEL_MARGIN,
                        port.center.y() - ROW_HEIGHT / 2,
                        CARD_WIDTH - 2 * LABEL_MARGIN,
                        ROW_HEIGHT,
                    )
                    painter.drawText(row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        filled = theme.color("wire")
        hover = theme.color("selection")
        empty = theme.color("port")
        painter.setPen(QPen(theme.color("port_border"), 1.4))
        painter.setBrush(filled if self.incoming else empty)
        painter.drawEllipse(input_port_center(), PORT_RADIUS, PORT_RADIUS)
        for port in self.ports:
            if port.outcome == self.hovered_port:
                painter.setBrush(hover)
            else:
                painter.setBrush(filled if port.outcome.lower() in connected else empty)
            painter.drawEllipse(port.center, PORT_RADIUS, PORT_RADIUS)

    def _paint_badge(self, painter: QPainter) -> None:
        assert self.problem is not None
        color = self.theme.color("error" if self.problem.severity == "error" else "warning")
        center = QPointF(CARD_WIDTH - BADGE_RADIUS - 5, BADGE_RADIUS + 5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(color))
        painter.drawEllipse(center, BADGE_RADIUS, BADGE_RADIUS)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(CardFonts.get().icon)
        painter.drawText(
            QRectF(center.x() - BADGE_RADIUS, center.y() - BADGE_RADIUS, 2 * BADGE_RADIUS, 2 * BADGE_RADIUS),
            Qt.AlignmentFlag.AlignCenter,
            "!",
        )
