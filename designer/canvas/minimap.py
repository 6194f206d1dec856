"""The minimap: the whole drawing in miniature over the canvas corner; click or drag to go there.

It draws card rectangles (no text) into a cached pixmap, rebuilt at most a few times per second after
the scene changes, and paints only the viewport frame on top when the view moves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from designer.canvas.view import CanvasView

MAX_WIDTH = 220
MIN_WIDTH = 110
SHARE_OF_VIEW = 0.2
ASPECT = 0.7
MARGIN = 12
PADDING = 6.0


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
        self.place()

    def place(self) -> None:
        """Size to a fifth of the view and sit in its bottom-right corner."""
        parent = self.view
        width = int(max(MIN_WIDTH, min(MAX_WIDTH, parent.width() * SHARE_OF_VIEW)))
        height = int(width * ASPECT)
        if (width, height) != (self.width(), self.height()):
            self.setFixedSize(width, height)
            self._pixmap = None
        self.move(parent.width() - width - MARGIN, parent.height() - height - MARGIN)
        self.raise_()

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
