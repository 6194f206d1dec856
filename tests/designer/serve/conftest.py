"""A real main window with Serve, real workflows saved to tmp_path, real loopback ports."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from designer.main_window import Dialogs, MainWindow, SaveChoice
from designer.serve.controller import ServeController
from runtime.builder import WorkflowBuilder
from runtime.elsa_json import save_workflow
from runtime.model import WorkflowDefinition


class Answers:
    """Scripted answers to the window's questions, and a record of the errors it reported."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def dialogs(self) -> Dialogs:
        return Dialogs(
            report_error=lambda title, message: self.errors.append((title, message)),
            ask_save=lambda title: SaveChoice.DISCARD,
            open_paths=lambda caption: [],
            save_path=lambda caption, suggested: None,
        )


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


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def window(qtbot, tmp_path: Path, answers: Answers) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("serve/port", free_port())
    main = MainWindow(
        settings=settings,
        dialogs=answers.dialogs(),
        theme_choice="light",
        store_path=tmp_path / "store.sqlite3",
    )
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    for tab in main.editor_tabs():
        tab.document.undo_stack.setClean()
    main.close()
    controller: ServeController = main.serve_controller
    assert not controller.is_serving


@pytest.fixture
def controller(window: MainWindow) -> ServeController:
    return window.serve_controller
