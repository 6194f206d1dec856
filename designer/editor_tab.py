"""One open workflow in the window: its document, the scene that draws it, the view, the editor that edits
it, the tab's edit actions, and its validation (debounced).

The window's Edit and Arrange menus hold one entry per :class:`EditAction`; each triggers the current
tab's action of that name, so the window never needs to know how an edit is made. While a context menu is
open, :attr:`EditorTab.context_position` is where it was asked for: what the menu adds (an activity, a
note, the clipboard) goes there.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QPointF, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QVBoxLayout, QWidget

from designer.canvas.quick_add import LinkRequest, SpliceRequest
from designer.canvas.scene import WorkflowScene
from designer.canvas.view import CanvasView
from designer.document import Document
from designer.editing.editor import WorkflowEditor
from designer.notice import NoticeBar
from designer.theme import Theme
from runtime.model import ModelEvent, ModelEventKind
from runtime.validation import Problem, validate

VALIDATION_DELAY_MS = 300
"""Edits in a burst (typing, dragging) are validated once, shortly after they stop."""
VALIDATE_AT_ONCE_UP_TO = 500
"""Larger workflows are first validated just after they are shown, so opening paints sooner."""


class EditAction(StrEnum):
    """The edit commands every tab offers (the value is the window action's object name)."""

    CUT = "actionCut"
    COPY = "actionCopy"
    PASTE = "actionPaste"
    DUPLICATE = "actionDuplicate"
    DELETE = "actionDelete"
    SELECT_ALL = "actionSelectAll"
    QUICK_ADD = "actionQuickAdd"
    AUTO_LAYOUT = "actionAutoLayout"
    ADD_NOTE = "actionAddNote"
    EDIT_NOTE = "actionEditNote"
    INSERT_ACTIVITY = "actionInsertActivity"


class EditorTab(QWidget):
    """A workflow being edited: the tab owns the document and everything that shows and edits it."""

    problemsChanged = Signal()

    def __init__(self, document: Document, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        document.setParent(self)
        self.scene = WorkflowScene(document, theme, self)
        self.view = CanvasView(self.scene, self)
        self.editor = WorkflowEditor(document, self.scene, self)
        self.editor.attach_view(self.view)
        self.editor.quickAddRequested.connect(self.view.show_quick_add)
        self.view.quickAddChosen.connect(self._quick_add_chosen)
        self.view.paletteDropped.connect(self.editor.drop_activity)
        self.context_position: QPointF | None = None
        """Where the open context menu was asked for (scene position), else None."""
        self.edit_actions = self._build_edit_actions()
        self.notice = NoticeBar(self)
        """What to do next, above the canvas (a run that needs the store or Serve, the guided story)."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice)
        layout.addWidget(self.view)
        self.problems: list[Problem] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATION_DELAY_MS)
        self._timer.timeout.connect(self.validate)
        self._unsubscribe = document.workflow.subscribe(self._model_changed)
        if len(document.workflow.activities) <= VALIDATE_AT_ONCE_UP_TO:
            self.validate()
        else:
            self._timer.start()

    # --- edit actions --------------------------------------------------------------------------------

    def _build_edit_actions(self) -> dict[EditAction, QAction]:
        slots = {
            EditAction.CUT: self.editor.cut,
            EditAction.COPY: self.editor.copy,
            EditAction.PASTE: self.paste,
            EditAction.DUPLICATE: self.editor.duplicate_selection,
            EditAction.DELETE: self.editor.delete_selection,
            EditAction.SELECT_ALL: self.scene.select_all,
            EditAction.QUICK_ADD: self.quick_add,
            EditAction.AUTO_LAYOUT: self.auto_layout,
            EditAction.ADD_NOTE: self.add_note,
            EditAction.EDIT_NOTE: self.edit_note,
            EditAction.INSERT_ACTIVITY: self.insert_activity,
        }
        actions: dict[EditAction, QAction] = {}
        for name, slot in slots.items():
            action = QAction(self)
            action.setObjectName(f"tab{name.value.removeprefix('action')}")
            action.triggered.connect(lambda _=False, call=slot: call())
            actions[name] = action
        return actions

    def trigger(self, name: EditAction) -> None:
        """Run one of the tab's edit actions (what the window's Edit menu entry of that name does)."""
        self.edit_actions[name].trigger()

    def view_center(self) -> QPointF:
        """The scene point in the middle of what the view shows."""
        return self.view.mapToScene(self.view.viewport().rect().center())

    def mouse_position(self) -> QPointF | None:
        """The scene point under the mouse when it is over the canvas."""
        viewport = self.view.viewport()
        cursor = viewport.mapFromGlobal(self.view.cursor().pos())
        return self.view.mapToScene(cursor) if viewport.rect().contains(cursor) else None

    def paste(self) -> list[str]:
        """Paste the clipboard where the context menu was asked for, else under the mouse when it is over
        the canvas, else beside the copied cards."""
        anchor = self.context_position or self.mouse_position()
        return self.editor.paste_clipboard(anchor)

    def quick_add(self) -> None:
        """Offer the quick-add list where the context menu was asked for, else in the middle of the view."""
        self.view.show_quick_add(self.context_position or self.view_center(), None)

    def add_note(self) -> str:
        """Add a sticky note where the context menu was asked for (else in the middle of the view) and start
        writing it."""
        position = self.context_position or self.view_center()
        note_id = self.editor.add_note(position)
        self.editor.edit_note(note_id)
        return note_id

    def edit_note(self) -> bool:
        """Write the selected note (the one note selected); False when no single note is selected."""
        notes = self.scene.selected_note_ids()
        return len(notes) == 1 and self.editor.edit_note(notes[0])

    def insert_activity(self) -> bool:
        """Offer quick-add to insert an activity into the selected wire (where the context menu was asked
        for, else at the wire's middle); False unless exactly one wire is selected."""
        connections = self.scene.selected_connections()
        if len(connections) != 1:
            return False
        wire = self.scene.wires.get(id(connections[0]))
        if wire is None:
            return False
        position = self.context_position or wire.path().pointAtPercent(0.5)
        self.view.show_quick_add(position, SpliceRequest(connections[0]))
        return True

    def auto_layout(self) -> bool:
        """Lay the workflow out and show all of it; False when nothing moved."""
        if not self.editor.auto_layout():
            return False
        self.view.fit_all()
        return True

    def add_activity(self, type_name: str) -> str:
        """Add an activity in the middle of the view (the palette's double-click)."""
        return self.editor.add_activity(type_name, self.view_center())

    def _quick_add_chosen(self, type_name: str, position: QPointF, link: object) -> None:
        if isinstance(link, SpliceRequest):
            if any(existing is link.connection for existing in self.document.workflow.connections):
                self.editor.add_activity(type_name, position, splice=link.connection)
            return
        self.editor.add_activity(type_name, position, link=link if isinstance(link, LinkRequest) else None)

    # --- validation and look -------------------------------------------------------------------------

    def _model_changed(self, event: ModelEvent) -> None:
        if event.kind is not ModelEventKind.ACTIVITY_MOVED:
            self._timer.start()

    def validate(self) -> None:
        """Validate now (the runtime's rules) and show the problems on the cards."""
        self.problems = validate(self.document.workflow)
        self.scene.set_problems(self.problems)
        self.problemsChanged.emit()

    def set_theme(self, theme: Theme) -> None:
        self.scene.set_theme(theme)
        self.view.viewport().update()
        self.view.minimap.invalidate()

    def dispose(self) -> None:
        """Stop following the model before the tab goes away."""
        self._timer.stop()
        self._unsubscribe()
        self.scene.detach()
