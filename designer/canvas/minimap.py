"""The minimap: the whole drawing in miniature over a canvas corner; click or drag to go there.

It draws card rectangles (no text) into a cached pixmap, rebuilt at most a few times per second after
the scene changes, and paints only the viewport frame on top when the view moves.

It sits in the corner where it covers no selected card (bottom right first), preferring one that covers
fewer cards; when every corner would cover the selection it hides until the view or the selection moves.
View ▸ Minimap (Ctrl+M) turns it off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from designer.canvas.card import ActivityCard

if TYPE_CHECKING:
    from designer.canvas.view import CanvasView

MAX_WIDTH = 168
MIN_WIDTH = 96
SHARE_OF_VIEW = 0.15
ASPECT = 0.66
MARGIN = 10
PADDING = 5.0
CORNERS = ("bottom-right", "bottom-left", "top-right", "top-left")


class Minimap(QWidget):
    """A miniature of the whole drawing in the view's corner; click or drag it to move the view (large
    workflows are mostly off screen)."""

    def __init__(self, view: CanvasView) -> None:
        super().__init__(view)
        self.setObjectName("minimap")
        self.view = view
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Minimap: click or drag to move the view")
        self._pixmap: QPixmap | None = None
        self._world = QRectF()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._rebuild)
        self.enabled = True
        """Whether the person wants the minimap (View ▸ Minimap); it may still hide over a selection."""
        self.corner = CORNERS[0]
        self.place()

    def set_enabled(self, on: bool) -> None:
        """Show the minimap (where it covers no selected card) or keep it hidden."""
        self.enabled = on
        self.place()

    def place(self) -> None:
        """Size to a small share of the view and sit in the best corner (see the module)."""
        if not shiboken6.isValid(self.view.workflow_scene):
            return  # the scene is going (it still says its selection changed)
        parent = self.view
        width = int(max(MIN_WIDTH, min(MAX_WIDTH, parent.width() * SHARE_OF_VIEW)))
        height = int(width * ASPECT)
        if (width, height) != (self.width(), self.height()):
            self.setFixedSize(width, height)
            self._pixmap = None
        scores = {corner: self._score(self._geometry(corner, width, height)) for corner in CORNERS}
        best = min(CORNERS, key=lambda corner: scores[corner])
        if scores[self.corner] <= scores[best]:
            best = self.corner  # stay put unless another corner is better
        self.corner = best
        rect = self._geometry(best, width, height)
        self.move(rect.topLeft())
        visible = self.enabled and scores[best][0] == 0
        if visible != self.isVisible():
            self.setVisible(visible)
        if visible:
            self.raise_()

    def _geometry(self, corner: str, width: int, height: int) -> QRect:
        parent = self.view
        left = MARGIN if corner.endswith("left") else parent.width() - width - MARGIN
        top = MARGIN if corner.startswith("top") else parent.height() - height - MARGIN
        return QRect(left, top, width, height)

    def _score(self, rect: QRect) -> tuple[int, int]:
        """(selected cards it would cover, cards it would cover) at ``rect`` of the view."""
        view = self.view
        scene = view.workflow_scene
        area = view.mapToScene(rect.adjusted(-4, -4, 4, 4)).boundingRect()
        covered = [item for item in scene.items(area) if isinstance(item, ActivityCard)]
        return sum(1 for card in covered if card.isSelected()), len(covered)

    def invalidate(self) -> None:
        """The drawing changed: rebuild the miniature soon (changes in a burst rebuild it once)."""
        if not self._timer.isActive():
            self._timer.start()

    def _rebuild(self) -> QPixmap:
        scene = self.view.workflow_scene
        self._world = scene.cards_rect().adjusted(-40, -40, 40, 40)
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(int(self.width() * ratio), int(self.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        theme = scene.theme
        pixmap.fill(QColor(theme.minimap_background))
        if not self._world.isEmpty():
            painter = QPainter(pixmap)
            painter.setPen(Qt.PenStyle.NoPen)
            scale, offset = self._mapping()
            for card in scene.cards.values():
                rect = card.card_rect()
                painter.setBrush(theme.category_color(card.content.category))
                painter.drawRect(
                    QRectF(offset + rect.topLeft() * scale, rect.size() * scale).adjusted(0, 0, 0.6, 0.6)
                )
            painter.end()
        self._pixmap = pixmap
        self.update()
        return pixmap

    def _mapping(self) -> tuple[float, QPointF]:
        room = QRectF(PADDING, PADDING, self.width() - 2 * PADDING, self.height() - 2 * PADDING)
        scale = min(room.width() / self._world.width(), room.height() / self._world.height())
        used = self._world.size() * scale
        offset = QPointF(
            room.left() + (room.width() - used.width()) / 2 - self._world.left() * scale,
            room.top() + (room.height() - used.height()) / 2 - self._world.top() * scale,
        )
        return scale, offset

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        pixmap = self._pixmap if self._pixmap is not None else self._rebuild()
        painter = QPainter(self)
        theme = self.view.workflow_scene.theme
        painter.drawPixmap(0, 0, pixmap)
        painter.setPen(QPen(QColor(theme.card_border), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(0.5, 0.5, self.width() - 1, self.height() - 1))
        if not self._world.isEmpty():
            scale, offset = self._mapping()
            visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
            frame = QRectF(offset + visible.topLeft() * scale, visible.size() * scale)
            painter.setPen(QPen(QColor(theme.selection), 1.5))
            painter.drawRect(frame.intersected(QRectF(1, 1, self.width() - 2, self.height() - 2)))
        painter.end()

    def _go(self, position: QPointF) -> None:
        if self._world.isEmpty():
            return
        scale, offset = self._mapping()
        self.view.centerOn((position - offset) / scale)
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self._go(event.position())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._go(event.position())
        event.accept()
