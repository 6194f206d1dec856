"""The canvas view: zoom (Ctrl+wheel, keys, around the cursor), pan (wheel, middle-drag, Space-drag),
fit, a grid, palette drops, quick-add, context menus and the minimap overlay.

The view navigates and draws; what a drop or a quick-add choice adds is the editor's business, so the
view only says what was asked for (:attr:`CanvasView.paletteDropped`, :attr:`CanvasView.quickAddChosen`,
:attr:`CanvasView.contextMenuRequested`). While a note's text is being edited, keys are the text's.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from designer.canvas.layout import GRID
from designer.canvas.minimap import Minimap
from designer.canvas.quick_add import LinkRequest, QuickAddPopup, SpliceRequest
from designer.canvas.scene import WorkflowScene

PALETTE_MIME = "application/x-flowdesk-activity-type"
"""Drag payload of a palette entry: the activity type name as UTF-8."""
MIN_ZOOM = 0.05
MAX_ZOOM = 4.0
ZOOM_STEP = 1.2
FIT_MARGIN = 40.0
MIN_GRID_PIXELS = 10.0
READABLE_ZOOM = 0.75
"""The least zoom a workflow opens at: card titles read (Zoom to Fit may go further out)."""
OVERVIEW_ZOOM = 0.3
OVERVIEW_MIN_CARDS = 150
"""Far out, a large workflow is drawn by the batched overview; a small one keeps its readable cards."""


class CanvasView(QGraphicsView):
    """Shows a :class:`WorkflowScene`; owns only navigation, never the model."""

    zoomChanged = Signal(float)
    paletteDropped = Signal(str, QPointF)
    """A palette entry was dropped: (activity type, scene position)."""
    quickAddChosen = Signal(str, QPointF, object)
    """A type was chosen in quick-add: (activity type, scene position, the LinkRequest, SpliceRequest or
    None)."""
    contextMenuRequested = Signal(QPointF, QPoint)
    """A context menu was asked for (right-click, Menu key): (scene position, global screen position)."""

    def __init__(self, scene: WorkflowScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setObjectName("canvas")
        self.workflow_scene = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self._pan_from: QPoint | None = None
        self._space_held = False
        self._pending_quick_add: tuple[QPointF, LinkRequest | SpliceRequest | None] | None = None
        self._open_when_shown = False
        self.quick_add = QuickAddPopup(scene.theme, self)
        self.quick_add.chosen.connect(self._quick_add_chosen)
        self.minimap = Minimap(self)
        self._rect_timer = QTimer(self)
        self._rect_timer.setSingleShot(True)
        self._rect_timer.setInterval(60)
        self._rect_timer.timeout.connect(self.refresh_scene_rect)
        scene.changed.connect(self._schedule_scene_rect)
        scene.selectionChanged.connect(self.minimap.place)
        self.refresh_scene_rect()

    # --- zoom ----------------------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, level: float, anchor: QPoint | None = None) -> None:
        """Zoom to ``level`` keeping the scene point under ``anchor`` (viewport pixels) where it is."""
        level = max(MIN_ZOOM, min(MAX_ZOOM, level))
        if abs(level - self.zoom) < 1e-9:
            return
        anchor = anchor if anchor is not None else self.viewport().rect().center()
        fixed = self.mapToScene(anchor)
        factor = level / self.zoom
        self.scale(factor, factor)
        self.workflow_scene.set_overview(
            level < OVERVIEW_ZOOM and len(self.workflow_scene.cards) > OVERVIEW_MIN_CARDS
        )
        self.refresh_scene_rect()
        moved = self.mapFromScene(fixed) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + moved.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + moved.y())
        self.zoomChanged.emit(self.zoom)
        self.minimap.place()
        self.minimap.update()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP, self._cursor_anchor())

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / ZOOM_STEP, self._cursor_anchor())

    def reset_zoom(self) -> None:
        self.set_zoom(1.0, self._cursor_anchor())

    def fit_rect(self, rect: QRectF, max_zoom: float = 1.0) -> None:
        if rect.isEmpty():
            return
        rect = rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        viewport = self.viewport().rect()
        level = min(viewport.width() / rect.width(), viewport.height() / rect.height(), max_zoom)
        self.set_zoom(level)
        self.refresh_scene_rect()
        self.centerOn(rect.center())
        self.minimap.update()

    def fit_all(self) -> None:
        self.fit_rect(self.workflow_scene.drawing_rect())

    def open_when_shown(self) -> None:
        """Show the drawing readably (:meth:`show_readable`) once the view has its real size (a new tab is
        laid out after it is added)."""
        if self.isVisible() and self.viewport().width() > 100:
            self.show_readable()
        else:
            self._open_when_shown = True

    def show_readable(self) -> None:
        """How a workflow opens: all of it when it fits at :data:`READABLE_ZOOM` or closer, else at that zoom
        from its start activities (the first start with the triggers beside it), so titles read at once.
        Nothing is moved: the positions stay as the file has them."""
        scene = self.workflow_scene
        drawing = scene.cards_rect()
        if drawing.isEmpty():
            return
        viewport = self.viewport().rect()
        padded = drawing.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        if min(viewport.width() / padded.width(), viewport.height() / padded.height()) >= READABLE_ZOOM:
            self.fit_all()
            return
        self.set_zoom(READABLE_ZOOM)
        self.refresh_scene_rect()
        width, height = viewport.width() / READABLE_ZOOM, viewport.height() / READABLE_ZOOM
        starts = scene.cards_rect(scene.start_cards())
        if starts.width() + 2 * FIT_MARGIN > width or starts.height() + 2 * FIT_MARGIN > height:
            starts = scene.cards_rect(scene.start_cards()[:1])
        left = starts.left() - FIT_MARGIN
        column = [
            card
            for card in scene.cards.values()
            if card.sceneBoundingRect().right() > left and card.sceneBoundingRect().left() < left + width
        ]
        shown = scene.cards_rect(column).united(starts)
        top = (shown if shown.height() + 2 * FIT_MARGIN <= height else starts).center().y() - height / 2
        top = max(min(top, starts.top() - FIT_MARGIN), starts.bottom() + FIT_MARGIN - height)
        self.centerOn(QPointF(left + width / 2, top + height / 2))
        self.minimap.place()
        self.minimap.update()

    def fit_selection(self) -> None:
        cards = self.workflow_scene.selected_cards()
        self.fit_rect(self.workflow_scene.cards_rect(cards) if cards else self.workflow_scene.cards_rect())

    def center_on_activity(self, activity_id: str) -> None:
        card = self.workflow_scene.cards.get(activity_id)
        if card is not None:
            self.centerOn(card.sceneBoundingRect().center())

    def _cursor_anchor(self) -> QPoint:
        position = self.viewport().mapFromGlobal(self.cursor().pos())
        return position if self.viewport().rect().contains(position) else self.viewport().rect().center()

    # --- scene rect (room to pan past the drawing by a screenful) ----------------------------------------

    def _schedule_scene_rect(self) -> None:
        if not self._rect_timer.isActive():
            self._rect_timer.start()

    def refresh_scene_rect(self) -> None:
        drawing = self.workflow_scene.sceneRect()
        if drawing.isEmpty():
            drawing = QRectF(0, 0, 1, 1)
        margin_x = self.viewport().width() / max(self.zoom, MIN_ZOOM)
        margin_y = self.viewport().height() / max(self.zoom, MIN_ZOOM)
        wanted = drawing.adjusted(-margin_x, -margin_y, margin_x, margin_y)
        current = self.sceneRect()
        if not current.contains(wanted) or current.width() > 4 * wanted.width() + 1:
            self.setSceneRect(current.united(wanted) if current.contains(drawing) else wanted)
        self.minimap.invalidate()

    # --- panning --------------------------------------------------------------------------------------

    def pan_by(self, dx: float, dy: float) -> None:
        self.horizontalScrollBar().setValue(round(self.horizontalScrollBar().value() + dx))
        self.verticalScrollBar().setValue(round(self.verticalScrollBar().value() + dy))
        self.minimap.update()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt API)
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self.set_zoom(self.zoom * (ZOOM_STEP**steps), event.position().toPoint())
            event.accept()
            return
        delta = event.pixelDelta() if not event.pixelDelta().isNull() else event.angleDelta() / 2
        dx, dy = -delta.x(), -delta.y()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and not dx:
            dx, dy = dy, 0
        self.pan_by(dx, dy)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and self._space_held
        ):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self._pan_from is not None:
            position = event.position().toPoint()
            delta = position - self._pan_from
            self._pan_from = position
            self.pan_by(-delta.x(), -delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self._pan_from is not None and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._pan_from = None
            self.viewport().setCursor(
                Qt.CursorShape.OpenHandCursor if self._space_held else Qt.CursorShape.ArrowCursor
            )
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # --- keys -------------------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Tab
            and self.workflow_scene.editing_note is None
        ):
            self.show_quick_add(self.mapToScene(self._cursor_anchor()), None)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = event.key()
        if key == Qt.Key.Key_Space and not event.isAutoRepeat() and self.workflow_scene.editing_note is None:
            self._space_held = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        self._space_held = False
        super().focusOutEvent(event)

    # --- context menus ----------------------------------------------------------------------------------

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt API)
        """Say where a menu was asked for (the window builds it); a note being edited offers its text's."""
        if self.workflow_scene.editing_note is not None:
            super().contextMenuEvent(event)
            return
        by_mouse = event.reason() == QContextMenuEvent.Reason.Mouse
        local = event.pos() if by_mouse else self._cursor_anchor()
        self.contextMenuRequested.emit(self.mapToScene(local), self.viewport().mapToGlobal(local))
        event.accept()

    # --- quick-add --------------------------------------------------------------------------------------

    def show_quick_add(self, scene_position: QPointF, link: LinkRequest | SpliceRequest | None) -> None:
        self._pending_quick_add = (scene_position, link)
        global_position = self.viewport().mapToGlobal(self.mapFromScene(scene_position))
        self.quick_add.open_at(global_position)

    def _quick_add_chosen(self, type_name: str) -> None:
        if self._pending_quick_add is None:
            return
        position, link = self._pending_quick_add
        self._pending_quick_add = None
        self.quickAddChosen.emit(type_name, position, link)
        self.setFocus()

    # --- palette drops ----------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasFormat(PALETTE_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasFormat(PALETTE_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        if not event.mimeData().hasFormat(PALETTE_MIME):
            super().dropEvent(event)
            return
        type_name = bytes(event.mimeData().data(PALETTE_MIME).data()).decode("utf-8")
        position = self.mapToScene(event.position().toPoint())
        self.paletteDropped.emit(type_name, position)
        event.acceptProposedAction()
        self.setFocus()

    # --- painting ----------------------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, exposed: QRectF | QRect) -> None:  # noqa: N802 (Qt API)
        rect = QRectF(exposed)
        theme = self.workflow_scene.theme
        painter.fillRect(rect, theme.color("canvas"))
        spacing = GRID * 5 if self.zoom * GRID < MIN_GRID_PIXELS else GRID
        if self.zoom * spacing < MIN_GRID_PIXELS:
            return
        left = int(rect.left() // spacing) * spacing
        top = int(rect.top() // spacing) * spacing
        pen = QPen(theme.color("grid"), 0)
        painter.setPen(pen)
        lines = []
        x = left
        while x < rect.right():
            lines.append(QPointF(x, rect.top()))
            lines.append(QPointF(x, rect.bottom()))
            x += spacing
        y = top
        while y < rect.bottom():
            lines.append(QPointF(rect.left(), y))
            lines.append(QPointF(rect.right(), y))
            y += spacing
        painter.drawLines(lines)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.refresh_scene_rect()
        self.minimap.place()
        if self._open_when_shown and self.isVisible() and self.viewport().width() > 100:
            self._open_when_shown = False
            self.show_readable()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 (Qt API)
        super().scrollContentsBy(dx, dy)
        self.minimap.place()
        self.minimap.update()
