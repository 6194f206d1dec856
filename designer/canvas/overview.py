"""Far-zoom drawing: every card as a block and every wire as a line, in one paint call.

Zoomed far out, thousands of cards and wires would each cost a paint call per frame. The scene then
switches its cards and wires to "no contents" (they still take part in hit-testing and selection) and
this single item draws them all with a few batched calls, grouped by colour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

if TYPE_CHECKING:
    from designer.canvas.scene import WorkflowScene

BADGE = 40.0


class Overview(QGraphicsItem):
    """Draws every card and wire of a far-zoomed scene in a few batched calls (see the module)."""

    def __init__(self, scene: WorkflowScene) -> None:
        super().__init__()
        self.workflow_scene = scene
        self.setZValue(0.5)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setVisible(False)
        self._bounds = QRectF()
        self._dirty = True
        self._blocks: list[tuple[QColor, list[QRectF]]] = []
        self._selected: list[QRectF] = []
        self._badges: list[tuple[QColor, list[QRectF]]] = []
        self._lines: list[QLineF] = []
        self._selected_lines: list[QLineF] = []

    def invalidate(self) -> None:
        """Something moved, appeared or changed colour: rebuild the batches before the next paint."""
        if not self.isVisible():
            self._dirty = True
            return
        self._dirty = True
        bounds = self.workflow_scene.sceneRect()
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = QRectF(bounds)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt API)
        return self._bounds

    def _rebuild(self) -> None:
        scene = self.workflow_scene
        theme = scene.theme
        blocks: dict[str, tuple[QColor, list[QRectF]]] = {}
        badges: dict[str, tuple[QColor, list[QRectF]]] = {}
        self._selected = []
        for card in scene.cards.values():
            rect = card.card_rect()
            color = QColor(theme.category_color(card.content.category))
            color.setAlpha(140)
            blocks.setdefault(color.name(QColor.NameFormat.HexArgb), (color, []))[1].append(rect)
            if card.isSelected():
                self._selected.append(rect)
            if card.problem is not None:
                badge = theme.color("error" if card.problem.severity == "error" else "warning")
                corner = QRectF(rect.right() - BADGE, rect.top(), BADGE, BADGE)
                badges.setdefault(badge.name(), (badge, []))[1].append(corner)
        self._lines = []
        self._selected_lines = []
        for wire in scene.wires.values():
            start, end = wire.end_points()
            (self._selected_lines if wire.isSelected() else self._lines).append(QLineF(start, end))
        self._blocks = list(blocks.values())
        self._badges = list(badges.values())
        self._dirty = False

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self._dirty:
            self._rebuild()
        theme = self.workflow_scene.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(theme.color("wire"), 0))
        painter.drawLines(self._lines)
        painter.setPen(Qt.PenStyle.NoPen)
        for color, rects in self._blocks:
            painter.setBrush(color)
            painter.drawRects(rects)
        for color, rects in self._badges:
            painter.setBrush(color)
            painter.drawRects(rects)
        selection = QPen(theme.color("selection"), 0)
        if self._selected_lines:
            painter.setPen(selection)
            painter.drawLines(self._selected_lines)
        if self._selected:
            selection.setWidthF(6.0)
            selection.setCosmetic(False)
            painter.setPen(selection)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRects(self._selected)
