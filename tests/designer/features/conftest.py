"""A real main window with its features, for the feature tests: scripted dialogs, workflows on disk, free
loopback ports for Serve, the demo services."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from designer.dialogs import Dialogs, SaveChoice
from designer.main_window import MainWindow
from designer.run.dialogs import PinAnswer, PinRequest
from designer.serve.controller import ServeController
from runtime.builder import WorkflowBuilder
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
    story_store_answer: str | None = None
    """The store "Try the token story" uses (None: cancel)."""
    story_store_offers: list[tuple[str, str]] = field(default_factory=list)
    open_answer: list[str] = field(default_factory=list)

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
            open_paths=lambda caption: list(self.open_answer),
            save_path=lambda caption, suggested: None,
            run_input=self.run_input,
            pin_output=self.pin_output,
            choose_store=lambda current: self.store_answer,
            save_file=lambda caption, suggested, file_filter: self.export_answer,
            choose_story_store=self.choose_story_store,
        )

    def choose_story_store(self, demo_store: str, current: str) -> str | None:
        self.story_store_offers.append((demo_store, current))
        return self.story_store_answer


@pytest.fixture
def script() -> Script:
    return Script()


def close_window(window: MainWindow) -> None:
    """Stop any run, join the engine thread, drop unsaved changes and close."""
    window.run.session.shutdown()
    for tab in window.editor_tabs():
        tab.document.undo_stack.setClean()
    window.close()


@pytest.fixture
def window(qtbot, tmp_path: Path, script: Script) -> Iterator[MainWindow]:
    """The window on a settings file, store and Serve port of its own; closed (Serve stopped) afterwards."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("serve/port", free_port())
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
    assert not main.serve.controller.is_serving, "closing the window stops Serve"


@pytest.fixture
def controller(window: MainWindow) -> ServeController:
    """The Serve feature's controller."""
    return window.serve.controller


def write(workflow: WorkflowDefinition, folder: Path, name: str | None = None) -> Path:
    path = folder / (name or f"{workflow.name}.json")
    save_workflow(workflow, path)
    return path


def wait_idle(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.run.session.is_active, timeout=RUN_TIMEOUT_MS)
    window.run.controller.log_panel.model.flush()


def wait_paused(qtbot, window: MainWindow, activity_id: str) -> None:
    def paused_there() -> bool:
        point = window.run.session.pause_point
        return point is not None and point.activity_id == activity_id

    qtbot.waitUntil(paused_there, timeout=RUN_TIMEOUT_MS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Whether a new server could listen on ``port`` now (TIME_WAIT leftovers do not count)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
        return True


def endpoint_workflow(name: str, path: str, reply: str) -> WorkflowDefinition:
    """GET/POST ``path`` answers JSON ``{"reply": reply, "body": <request body>}``."""
    return (
        WorkflowBuilder(name)
        .add(
            "http",
            "HttpEndpoint",
            name="request",
            Path=path,
            Methods=("Json", '["GET","POST"]'),
            ReadContent="true",
        )
        .add(
            "respond",
            "WriteHttpResponse",
            StatusCode="OK",
            ContentType="application/json",
            Content=("JavaScript", f"return {{reply: '{reply}', body: activities.request.Output().Body}}"),
        )
        .chain("http", "respond")
        .build()
    )


def save(workflow: WorkflowDefinition, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workflow(workflow, path, indent=2)
    return path
