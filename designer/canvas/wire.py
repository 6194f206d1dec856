"""Connections drawn as curves from an outcome port to an input port, labelled with their outcome.

The path is computed only when an end moves; the hit shape (a stroke around the curve) is computed
lazily, on the first hit test after a change.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from designer.canvas.card import DETAILED_LOD, SIMPLE_LOD, CardFonts
from designer.canvas.port import has_rows
from designer.canvas.run_colors import run_color
from designer.theme import Theme
from runtime.model import Connection

if TYPE_CHECKING:
    from designer.canvas.card import ActivityCard

ARROW_LENGTH = 9.0
ARROW_WIDTH = 4.5
HIT_WIDTH = 10.0
HIT_PIXELS = 8.0
"""A click this close to a wire (in screen pixels, at any zoom) selects it."""
POLYLINE_STEP = 4.0
"""Scene units between the points of the polyline a wire's distance is measured to."""
LABEL_PADDING = 4.0
LABEL_PLACES = (0.5, 0.4, 0.6, 0.3, 0.7)
"""Where along a wire its label may sit: the middle unless that is under one of its cards."""


@cache
def label_size(outcome: str) -> tuple[float, float]:
    metrics = CardFonts.get().small_metrics
    return metrics.horizontalAdvance(outcome) + 2 * LABEL_PADDING, metrics.height() + 2


def curve(start: QPointF, end: QPointF) -> QPainterPath:
    """A horizontal-tangent cubic from an output (going right) to an input (coming from the left)."""
    distance = end.x() - start.x()
    reach = max(40.0, abs(distance) * 0.5) if distance >= 0 else max(80.0, min(-distance * 0.5, 240.0))
    path = QPainterPath(start)
    path.cubicTo(
        start + QPointF(reach, 0), end - QPointF(reach + ARROW_LENGTH, 0), end - QPointF(ARROW_LENGTH, 0)
    )
    path.lineTo(end)
    return path


class Wire(QGraphicsItem):
    """The view of one connection between two cards."""

    def __init__(
        self, connection: Connection, source: ActivityCard, target: ActivityCard, theme: Theme
    ) -> None:
        super().__init__()
        self.connection = connection
        self.source = source
        self.target = target
        self.theme = theme
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setZValue(0.0)
        self._path = QPainterPath()
        self._shape: QPainterPath | None = None
        self._polyline: list[QPointF] | None = None
        self._bounds = QRectF()
        self._label_rect: QRectF | None = None
        self.highlighted = False
        self.run_taken = 0
        """How many times the last run emitted this wire's outcome (drawn in the run overlay's colour)."""
        self.run_kind = "taken"
        self.update_path()

    @property
    def outcome(self) -> str:
        return self.connection.effective_outcome

    @property
    def labelled(self) -> bool:
        """Wires from a card whose only outcome is ``Done`` need no label; every other wire has one."""
        return has_rows(self.source.content.outcomes)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.update()

    def set_highlighted(self, highlighted: bool) -> None:
        """Show the wire as the drop target of a splice."""
        if highlighted != self.highlighted:
            self.highlighted = highlighted
            self.update()

    def set_run_taken(self, count: int, kind: str = "taken") -> None:
        """``count`` runs of this outcome, drawn in the run colour ``kind`` (a comparison's "expected" or
        "actual" path)."""
        if count != self.run_taken or kind != self.run_kind:
            self.run_taken = count
            self.run_kind = kind
            self.update()

    def update_path(self) -> None:
        """Re-route after an end moved; the label's place is found lazily, on the next detailed paint."""
        self.prepareGeometryChange()
        self._start = self.source.output_anchor(self.outcome)
        self._end = self.target.input_anchor()
        self._path = curve(self._start, self._end)
        self._shape = None
        self._polyline = None
        self._label_rect = None
        bounds = self._path.controlPointRect().adjusted(
            -ARROW_WIDTH - 2, -ARROW_WIDTH - 2, 2, ARROW_WIDTH + 2
        )
        if self.labelled:
            width, height = label_size(self.outcome)
            bounds = bounds.adjusted(-width / 2, -height / 2, width / 2, height / 2)
        self._bounds = bounds

    def label_rect(self) -> QRectF:
        """Where the outcome label sits (an empty rect when the wire is too short or has no label)."""
        if self._label_rect is None:
            self._label_rect = QRectF()
            width, height = label_size(self.outcome)
            if self.labelled and QLineF(self._start, self._end).length() > width + 40:
                ends = (self.source.card_rect(), self.target.card_rect())
                for percent in LABEL_PLACES:
                    point = self._path.pointAtPercent(percent)
                    rect = QRectF(point.x() - width / 2, point.y() - height / 2, width, height)
                    if not any(rect.intersects(card) for card in ends):
                        self._label_rect = rect
                        break
        return self._label_rect

    def end_points(self) -> tuple[QPointF, QPointF]:
        return self._start, self._end

    def path(self) -> QPainterPath:
        return self._path

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt API)
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(HIT_WIDTH)
            self._shape = stroker.createStroke(self._path)
            label = self.label_rect()
            if not label.isEmpty():
                self._shape.addRect(label)
        return self._shape

    def distance_to(self, point: QPointF) -> float:
        """How far ``point`` is from the drawn curve (0 on its label), in scene units."""
        if self.label_rect().contains(point):
            return 0.0
        if self._polyline is None:
            steps = max(16, min(400, int(self._path.length() / POLYLINE_STEP)))
            self._polyline = [self._path.pointAtPercent(i / steps) for i in range(steps + 1)]
        best = float("inf")
        px, py = point.x(), point.y()
        points = self._polyline
        for a, b in zip(points, points[1:], strict=False):
            ax, ay, bx, by = a.x(), a.y(), b.x(), b.y()
            dx, dy = bx - ax, by - ay
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
            ex, ey = ax + t * dx - px, ay + t * dy - py
            best = min(best, ex * ex + ey * ey)
        return best**0.5

    def distance_hint(self, point: QPointF) -> float:
        """Squared distance from ``point`` to the curve's midpoint (to pick the nearest of several wires)."""
        delta = self._path.pointAtPercent(0.5) - point
        return delta.x() * delta.x() + delta.y() * delta.y()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        selected = self.isSelected() or self.highlighted
        if selected:
            color, width = self.theme.color("selection"), 2.6
        elif self.run_taken:
            color, width = run_color(self.theme, self.run_kind), 2.6
        else:
            color, width = self.theme.color("wire"), 1.6
        if lod < SIMPLE_LOD:
            pen = QPen(color, 0 if not selected else 2.0)
            painter.setPen(pen)
            painter.drawLine(QLineF(self._start, self._end))
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        end = self._path.currentPosition()
        arrow = QPolygonF(
            [end, end - QPointF(ARROW_LENGTH, ARROW_WIDTH), end - QPointF(ARROW_LENGTH, -ARROW_WIDTH)]
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPolygon(arrow)
        label = self.label_rect() if lod >= DETAILED_LOD else QRectF()
        if not label.isEmpty():
            painter.setPen(QPen(color, 1.0))
            painter.setBrush(self.theme.color("wire_label_background"))
            painter.drawRoundedRect(label, 4, 4)
            painter.setPen(self.theme.color("wire_label_text"))
            painter.setFont(CardFonts.get().small)
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, self.outcome)


class DraftWire(QGraphicsItem):
    """The dashed curve that follows the mouse while a new connection is dragged out of a port."""

    def __init__(self, start: QPointF, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.start = start
        self.end = start
        self.setZValue(10.0)
        self._path = curve(start, start)

    def set_end(self, end: QPointF) -> None:
        self.prepareGeometryChange()
        self.end = end
        self._path = curve(self.start, end)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt API)
        return self._path.controlPointRect().adjusted(-ARROW_WIDTH - 2, -ARROW_WIDTH - 2, 2, ARROW_WIDTH + 2)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(self.theme.color("selection"), 2.0, Qt.PenStyle.DashLine))
        painter.drawPath(self._path)
