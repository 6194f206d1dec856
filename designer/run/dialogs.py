"""The questions a run asks: the input of a run, and an activity's pinned output and outcomes.

Each is a small Qt dialog behind a plain function of :class:`designer.dialogs.Dialogs`, so tests and
automation answer them without a modal dialog. The texts are validated here and again by the caller.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

NO_INPUT_HINT = "Empty means no input."


def parse_json_text(text: str, empty_is_none: bool = True) -> tuple[Any, str | None]:
    """(value, None), or (None, "line L, column C: what is wrong") for text that is not JSON."""
    if empty_is_none and not text.strip():
        return None, None
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        return None, f"line {error.lineno}, column {error.colno}: {error.msg}"


def json_for_editing(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _mono_editor(parent: QWidget, text: str, name: str, accessible: str) -> QPlainTextEdit:
    editor = QPlainTextEdit(parent)
    editor.setObjectName(name)
    editor.setAccessibleName(accessible)
    font = QFont("DejaVu Sans Mono")
    font.setStyleHint(QFont.StyleHint.Monospace)
    editor.setFont(font)
    editor.setPlainText(text)
    editor.setTabChangesFocus(True)
    return editor


def show_json_validity(text: str, error_label: QLabel, buttons: QDialogButtonBox) -> None:
    """Say what is wrong with the JSON typed so far, and allow OK only when it parses."""
    _, error = parse_json_text(text)
    error_label.setText(f"Not valid JSON: {error}" if error else "")
    buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(error is None)


class RunInputDialog(QDialog):
    """Edit the JSON input of a run; OK is enabled only while the text is valid JSON (or empty).

    Enter runs (as in any dialog); Shift+Enter starts a new line. The text given back is trimmed, so no
    stray line break ends up in the remembered input.
    """

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runInputDialog")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(520, 360)
        label = QLabel(f"Workflow input as JSON. {NO_INPUT_HINT} Enter runs; Shift+Enter: new line.", self)
        self.editor = _mono_editor(self, text, "runInputText", "Run input JSON")
        label.setBuddy(self.editor)
        self.error = QLabel("", self)
        self.error.setObjectName("runInputError")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Run")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.editor.textChanged.connect(self._validate)
        self.editor.installEventFilter(self)
        self._validate()

    def _validate(self) -> None:
        show_json_validity(self.editor.toPlainText(), self.error, self.buttons)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (
            watched is self.editor
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
                self.accept()
            return True
        return super().eventFilter(watched, event)

    def text(self) -> str:
        return self.editor.toPlainText().strip()


def ask_run_input(parent: QWidget | None, title: str, text: str) -> str | None:
    dialog = RunInputDialog(title, text, parent)
    return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


@dataclass
class PinRequest:
    """What the pin dialog starts from: the activity, an output as JSON text, its ports, the chosen ones."""

    activity_label: str
    output_text: str
    outcomes: Sequence[str]
    chosen: Sequence[str] = field(default_factory=lambda: ["Done"])


@dataclass
class PinAnswer:
    """What the pin dialog gives back: the output to use and the outcomes to emit."""

    output: Any
    outcomes: tuple[str, ...]


class PinOutputDialog(QDialog):
    """Edit an activity's pinned output (JSON) and the outcomes it emits; OK only while the JSON is valid."""

    def __init__(self, request: PinRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinOutputDialog")
        title = f"Pin the output of {request.activity_label}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(560, 440)
        intro = QLabel("Runs will skip this activity and continue with this output and these outcomes.", self)
        intro.setWordWrap(True)
        self.editor = _mono_editor(self, request.output_text, "pinOutputText", "Pinned output JSON")
        self.outcomes = QListWidget(self)
        self.outcomes.setObjectName("pinOutcomes")
        self.outcomes.setAccessibleName("Outcomes the pinned activity emits")
        chosen = {o.lower() for o in request.chosen}
        for outcome in request.outcomes:
            item = QListWidgetItem(outcome, self.outcomes)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if outcome.lower() in chosen else Qt.CheckState.Unchecked
            )
        self.outcomes.setMaximumHeight(120)
        self.error = QLabel("", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Pin")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Output (JSON):", self))
        layout.addWidget(self.editor, 1)
        layout.addWidget(QLabel("Outcomes:", self))
        layout.addWidget(self.outcomes)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.editor.textChanged.connect(self._validate)
        self._validate()

    def _validate(self) -> None:
        show_json_validity(self.editor.toPlainText(), self.error, self.buttons)

    def answer(self) -> PinAnswer:
        output, _ = parse_json_text(self.editor.toPlainText())
        chosen = tuple(
            self.outcomes.item(i).text()
            for i in range(self.outcomes.count())
            if self.outcomes.item(i).checkState() == Qt.CheckState.Checked
        )
        return PinAnswer(output, chosen)


def ask_pin_output(parent: QWidget | None, request: PinRequest) -> PinAnswer | None:
    dialog = PinOutputDialog(request, parent)
    return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
