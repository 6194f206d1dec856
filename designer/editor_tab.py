"""One open workflow in the window: its document, scene and view, and its validation (debounced)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from designer.canvas.scene import WorkflowScene
from designer.canvas.view import CanvasView
from designer.document import Document
from designer.theme import Theme
from runtime.model import ModelEvent
from runtime.validation import Problem, validate

VALIDATION_DELAY_MS = 300
"""Edits in a burst (typing, dragging) are validated once, shortly after they stop."""
VALIDATE_AT_ONCE_UP_TO = 500
"""Larger workflows are first validated just after they are shown, so opening paints sooner."""


class EditorTab(QWidget):
    problemsChanged = Signal()

    def __init__(self, document: Document, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        document.setParent(self)
        self.scene = WorkflowScene(document, theme, self)
        self.view = CanvasView(self.scene, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
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

    def _model_changed(self, event: ModelEvent) -> None:
        if event.kind != "activity_moved":
            self._timer.start()

    def validate(self) -> None:
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
