"""How the window and its features ask the person things: errors, "save changes?", files, run input, pins.

Every question is a plain function in :class:`Dialogs`, so tests and automation answer them without a
modal dialog; :func:`qt_dialogs` gives the Qt dialogs. A caller may give only the first four questions:
the others then default to Qt dialogs over the active window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from designer.run.dialogs import PinAnswer, PinRequest, ask_pin_output, ask_run_input
from designer.story import ask_story_store

WORKFLOW_FILTER = "Workflows (*.json);;All files (*)"
STORE_FILTER = "Object stores (*.sqlite3 *.sqlite *.db);;All files (*)"


class SaveChoice(Enum):
    """The answers to "save the changes before closing?"."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def _ask_run_input(title: str, text: str) -> str | None:
    return ask_run_input(QApplication.activeWindow(), title, text)


def _ask_pin_output(request: PinRequest) -> PinAnswer | None:
    return ask_pin_output(QApplication.activeWindow(), request)


def _choose_store(current: str) -> str | None:
    return choose_store_file(QApplication.activeWindow(), current)


def _choose_story_store(demo: str, current: str) -> str | None:
    return ask_story_store(QApplication.activeWindow(), demo, current)


def _save_file(caption: str, suggested: str, file_filter: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(QApplication.activeWindow(), caption, suggested, file_filter)
    return path or None


def choose_store_file(parent: QWidget | None, current: str) -> str | None:
    """The object store file to use (an existing one, or where to create one), or None."""
    path, _ = QFileDialog.getSaveFileName(
        parent,
        "Object store file",
        current,
        STORE_FILTER,
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    return path or None


@dataclass
class Dialogs:
    """How the window asks things. The defaults are Qt dialogs; tests pass plain functions."""

    report_error: Callable[[str, str], None]
    """(title, one-line message)."""
    ask_save: Callable[[str], SaveChoice]
    """(document title) -> save, discard or cancel."""
    open_paths: Callable[[str], list[str]]
    """(caption) -> the workflow files chosen (none when cancelled)."""
    save_path: Callable[[str, str], str | None]
    """(caption, suggested path) -> where to save a workflow, or None."""
    run_input: Callable[[str, str], str | None] = _ask_run_input
    """(title, pre-filled JSON text) -> the accepted text, or None when cancelled."""
    pin_output: Callable[[PinRequest], PinAnswer | None] = _ask_pin_output
    """(activity, output and outcomes to start from) -> the output and outcomes to pin, or None."""
    choose_store: Callable[[str], str | None] = _choose_store
    """(current store file) -> the object store file to use, or None."""
    save_file: Callable[[str, str, str], str | None] = _save_file
    """(caption, suggested name, file filter) -> where to write, or None."""
    choose_story_store: Callable[[str, str], str | None] = _choose_story_store
    """(the demo store, the store runs use now) -> the store the token story imports its seed into."""


def qt_dialogs(parent: QWidget) -> Dialogs:
    """Every question as a Qt dialog over ``parent``."""

    def report_error(title: str, message: str) -> None:
        QMessageBox.critical(parent, title, message)

    def ask_save(document_title: str) -> SaveChoice:
        answer = QMessageBox.question(
            parent,
            "Unsaved changes",
            f"Save the changes to {document_title} before closing?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return SaveChoice.SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return SaveChoice.DISCARD
        return SaveChoice.CANCEL

    def open_paths(caption: str) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(parent, caption, "", WORKFLOW_FILTER)
        return paths

    def save_path(caption: str, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, WORKFLOW_FILTER)
        return path or None

    def save_file(caption: str, suggested: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, file_filter)
        return path or None

    return Dialogs(
        report_error,
        ask_save,
        open_paths,
        save_path,
        run_input=lambda title, text: ask_run_input(parent, title, text),
        pin_output=lambda request: ask_pin_output(parent, request),
        choose_store=lambda current: choose_store_file(parent, current),
        save_file=save_file,
        choose_story_store=lambda demo, current: ask_story_store(parent, demo, current),
    )
