"""Fixtures for running and debugging in the window: scripted dialogs, workflows on disk, the demo."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from designer.main_window import Dialogs, MainWindow, SaveChoice
from designer.run.dialogs import PinAnswer, PinRequest
from runtime.elsa_json import save_workflow
from runtime.model import WorkflowDefinition
from tests.samples.conftest import demo  # noqa: F401 (the demo services on loopback, used as a fixture)

RUN_TIMEOUT_MS = 20_000


@dataclass
class Script:
    """Scripted answers to the window's questions, and what it asked."""

    errors: list[tuple[str, str]] = field(default_factory=list)
    prefills: list[tuple[str, str]] = field(default_factory=list)
    input_answer: str | None = None
    """None: accept the pre-filled text as it is."""
    cancel_input: bool = False
    pin_requests: list[PinRequest] = field(default_factory=list)
    pin_answer: PinAnswer | None = None
    store_answer: str | None = None
    export_answer: str | None = None

    def run_input(self, title: str, text: str) -> str | None:
        self.prefills.append((title, text))
        if self.cancel_input:
            return None
        return text if self.input_answer is None else self.input_answer

    def pin_output(self, request: PinRequest) -> PinAnswer | None:
        self.pin_requests.append(request)
        return self.pin_answer

    def dialogs(self) -> Dialogs:
        return Dialogs(
            report_error=lambda title, message: self.errors.append((title, message)),
            ask_save=lambda title: SaveChoice.DISCARD,
            open_paths=lambda caption: [],
            save_path=lambda caption, suggested: None,
            run_input=self.run_input,
            pin_output=self.pin_output,
            choose_store=lambda current: self.store_answer,
            save_file=lambda caption, suggested, file_filter: self.export_answer,
        )


@pytest.fixture
def script() -> Script:
    return Script()


def close_window(window: MainWindow) -> None:
    """Stop any run, join the engine thread, drop unsaved changes and close."""
    window.run_session.shutdown()
    for tab in window.editor_tabs():
        tab.document.undo_stack.setClean()
    window.close()


@pytest.fixture
def window(qtbot, tmp_path: Path, script: Script) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(
        settings=settings,
        dialogs=script.dialogs(),
        theme_choice="light",
        store_path=tmp_path / "store.sqlite3",
    )
    main.resize(1400, 900)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    close_window(main)


def write(workflow: WorkflowDefinition, folder: Path, name: str | None = None) -> Path:
    path = folder / (name or f"{workflow.name}.json")
    save_workflow(workflow, path)
    return path


def wait_idle(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.run_session.is_active, timeout=RUN_TIMEOUT_MS)
    window.run_controller.log_panel.model.flush()


def wait_paused(qtbot, window: MainWindow, activity_id: str) -> None:
    def paused_there() -> bool:
        point = window.run_session.pause_point
        return point is not None and point.activity_id == activity_id

    qtbot.waitUntil(paused_there, timeout=RUN_TIMEOUT_MS)
