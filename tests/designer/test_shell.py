"""The window as the shell of its features: each installed once, the layout restored once after all of
them, Serve's instances reaching the run panels through the run feature's hook, shutdown on close only;
and the features plugging into any :class:`~designer.shell.Shell`, not only the window."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel, QToolButton, QWidget

from designer.dialogs import Dialogs, SaveChoice
from designer.document import Document
from designer.editor_tab import EditorTab
from designer.features.canvas_menus import CanvasMenusFeature
from designer.features.history import HistoryFeature
from designer.features.remote import RemoteFeature
from designer.features.run import RunFeature
from designer.features.serve import ServeFeature
from designer.features.store import StoreFeature
from designer.features.subworkflow import SubworkflowFeature
from designer.main_window import MainWindow
from designer.shell import Feature, MenuName, Shell
from designer.theme import LIGHT, Theme
from runtime.engine.events import EngineEvent
from tests.designer.builders import chain
from tests.designer.features.conftest import endpoint_workflow, free_port, port_is_free, save

FEATURES = (
    RunFeature,
    ServeFeature,
    StoreFeature,
    RemoteFeature,
    SubworkflowFeature,
    HistoryFeature,
    CanvasMenusFeature,
)


def quiet_dialogs(errors: list[tuple[str, str]] | None = None, store: str | None = None) -> Dialogs:
    """Answers that never open a modal dialog: errors are recorded, every file question is declined
    (except the store question, answered with ``store``)."""
    return Dialogs(
        report_error=lambda title, message: (errors if errors is not None else []).append((title, message)),
        ask_save=lambda title: SaveChoice.DISCARD,
        open_paths=lambda caption: [],
        save_path=lambda caption, suggested: None,
        run_input=lambda title, text: None,
        pin_output=lambda request: None,
        choose_store=lambda current: store,
        save_file=lambda caption, suggested, file_filter: None,
    )


def make_window(qtbot, settings: QSettings, tmp_path: Path) -> MainWindow:
    window = MainWindow(
        settings=settings,
        dialogs=quiet_dialogs(),
        theme_choice="light",
        store_path=tmp_path / "store.sqlite3",
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("serve/port", free_port())
    return settings


@pytest.fixture
def calls(monkeypatch) -> Counter[str]:
    """How often each feature's install and shutdown, and the window's restoreState, were called."""
    counted: Counter[str] = Counter()

    def counting(owner: type, name: str) -> None:
        original = getattr(owner, name)

        def wrapper(self, *args, **kwargs):
            counted[f"{owner.__name__}.{name}"] += 1
            return original(self, *args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    for feature in FEATURES:
        counting(feature, "install")
        counting(feature, "shutdown")
    counting(MainWindow, "restoreState")
    return counted


def test_each_feature_is_installed_once_and_the_layout_restored_once(qtbot, tmp_path, settings, calls):
    first = make_window(qtbot, settings, tmp_path)
    assert [type(feature) for feature in first.features] == list(FEATURES)
    assert all(calls[f"{feature.__name__}.install"] == 1 for feature in FEATURES)
    assert calls["MainWindow.restoreState"] == 0, "nothing saved yet"
    assert first.findChild(QDockWidget, "correlationLog").isVisible(), "the run log is the front bottom tab"
    first.findChild(QDockWidget, "runsList").hide()
    first.findChild(QDockWidget, "storeBrowser").hide()
    first.close()
    assert isinstance(settings.value("windowState"), QByteArray)

    second = make_window(qtbot, settings, tmp_path)
    assert calls["MainWindow.restoreState"] == 1, "one restoreState, once every feature's panels are in"
    assert not second.findChild(QDockWidget, "runsList").isVisible()
    assert not second.findChild(QDockWidget, "storeBrowser").isVisible()
    assert second.findChild(QDockWidget, "correlationLog").isVisible()
    assert all(calls[f"{feature.__name__}.install"] == 2 for feature in FEATURES)
    second.close()


def test_features_shut_down_once_when_the_window_closes_not_when_it_hides(qtbot, tmp_path, settings, calls):
    window = make_window(qtbot, settings, tmp_path)
    window.open_files([save(endpoint_workflow("Hello", "/hello", "hi"), tmp_path / "hello.json")])
    window.actions_by_name["actionServe"].setChecked(True)
    controller = window.serve.controller
    assert controller.is_serving
    window.hide()
    assert controller.is_serving, "hiding the window is not closing it"
    assert not any(calls[f"{feature.__name__}.shutdown"] for feature in FEATURES)
    window.show()
    port = controller.port
    window.close()
    assert all(calls[f"{feature.__name__}.shutdown"] == 1 for feature in FEATURES)
    assert not controller.is_serving and port_is_free(port)
    window.shutdown_features()
    assert all(calls[f"{feature.__name__}.shutdown"] == 1 for feature in FEATURES), "once only"


def test_served_instances_reach_the_run_panels_through_the_run_features_hook(qtbot, tmp_path, settings):
    window = make_window(qtbot, settings, tmp_path)
    assert window.serve.run_observer == window.run.observe
    assert list(window.serve.controller.extra_observers()) == [window.run.observe]
    window.open_files([save(endpoint_workflow("Hello", "/hello", "hi"), tmp_path / "hello.json")])
    window.actions_by_name["actionServe"].setChecked(True)
    assert httpx.get(f"{window.serve.controller.url}/hello").status_code == 200
    log = window.run.controller.log_panel.model

    def logged() -> bool:
        log.flush()
        return any(entry.workflow == "Hello" for entry in log.entries)

    qtbot.waitUntil(logged, timeout=5000)
    window.close()


class RecordingShell:
    """A shell without a main window: it records what features add (the protocol is all they need)."""

    def __init__(self, tmp_path: Path) -> None:
        self.settings = QSettings(str(tmp_path / "shell.ini"), QSettings.Format.IniFormat)
        self.errors: list[tuple[str, str]] = []
        self.dialogs = quiet_dialogs(self.errors, store=str(tmp_path / "chosen.sqlite3"))
        self.theme: Theme = LIGHT
        self.tmp_path = tmp_path
        self.store_path = tmp_path / "store.sqlite3"
        self.top = QWidget()
        self.tabs: list[EditorTab] = []
        self.shown: EditorTab | None = None
        self.panels: dict[str, QWidget] = {}
        self.menus: dict[MenuName, list[str]] = {}
        self.toolbar: list[str] = []
        self.status: list[QWidget] = []
        self.messages: list[str] = []
        self.actions: dict[str, QAction] = {}

    def set_store_path(self, path: str | Path, remember: bool = True) -> None:
        self.store_path = Path(path)

    def window(self) -> QWidget:
        return self.top

    def editor_tabs(self) -> list[EditorTab]:
        return list(self.tabs)

    def current_tab(self) -> EditorTab | None:
        return self.shown

    def show_tab(self, tab: EditorTab) -> None:
        self.shown = tab

    def open_files(self, paths: Iterable[str | Path]) -> list[EditorTab]:
        return []

    def add_bottom_panel(self, name: str, title: str, widget: QWidget, front: bool = False) -> QDockWidget:
        self.panels[name] = widget
        dock = QDockWidget(title, self.top)
        dock.setObjectName(name)
        dock.setWidget(widget)
        return dock

    def add_actions(self, menu: MenuName, actions: Sequence[QAction | None]) -> None:
        self.menus.setdefault(menu, []).extend(a.objectName() if a else "---" for a in actions)
        self.actions.update((a.objectName(), a) for a in actions if a is not None)

    def action(self, name: str) -> QAction:
        return self.actions[name]

    def add_toolbar_actions(self, actions: Sequence[QAction | None]) -> list[QWidget]:
        buttons: list[QWidget] = []
        for action in actions:
            self.toolbar.append(action.objectName() if action else "---")
            if action is not None:
                button = QToolButton(self.top)
                button.setDefaultAction(action)
                buttons.append(button)
        return buttons

    def add_status_widget(self, widget: QWidget) -> None:
        self.status.append(widget)

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        self.messages.append(text)


@pytest.fixture
def shell(qtbot, tmp_path: Path) -> Iterator[RecordingShell]:
    recording = RecordingShell(tmp_path)
    qtbot.addWidget(recording.top)
    yield recording


def test_the_features_need_only_the_shell_protocol(qtbot, shell: RecordingShell) -> None:
    typed: Shell = shell
    seen: list[EngineEvent] = []
    run, serve, store = RunFeature(), ServeFeature(run_observer=seen.append), StoreFeature()
    subworkflows, menus = SubworkflowFeature(), CanvasMenusFeature()
    features: list[Feature] = [run, serve, store, subworkflows, menus]
    for feature in features:
        feature.install(typed)
    assert list(shell.panels) == [
        "correlationLog",
        "journalPanel",
        "variablesPanel",
        "runsList",
        "storeBrowser",
    ]
    assert shell.menus[MenuName.RUN][:5] == [
        "actionRun",
        "actionDebug",
        "actionStep",
        "actionContinue",
        "actionStop",
    ]
    assert shell.menus[MenuName.RUN][-3:] == ["actionServe", "actionSendRequest", "actionServePort"]
    assert shell.toolbar[-3:] == ["---", "actionServe", "actionSendRequest"]
    assert [w.objectName() for w in shell.status] == ["runStatus"] and isinstance(shell.status[0], QLabel)
    assert shell.menus[MenuName.VIEW] == ["---", "actionOpenSubworkflow"]
    assert shell.action("actionRunFromHere") is run.actions["actionRunFromHere"]
    assert list(serve.controller.extra_observers()) == [seen.append]

    tab = EditorTab(Document(chain(2)), LIGHT)
    qtbot.addWidget(tab)
    shell.tabs.append(tab)
    shell.shown = tab
    for feature in features:
        feature.tab_added(tab)
        feature.current_tab_changed(tab)
        feature.set_theme(LIGHT)
    assert run.controller.overlay_of(tab) is not None
    assert menus.menu_kind(tab, tab.scene.cards["a0"].card_rect().center()) == "cardMenu"
    assert subworkflows.open_selected() is None and "Run Workflow" in shell.messages[-1]
    assert run.actions["actionRun"].isEnabled() and run.actions["actionToggleBreakpoint"].isEnabled()
    run.choose_store()
    assert shell.store_path == shell.tmp_path / "chosen.sqlite3"
    tab.scene.select_activities({"a0"})
    assert run.controller.toggle_breakpoint(), "breakpoints belong to the tab's document"
    assert tab.document.breakpoints == {"a0"} and tab.document.undo_stack.count() == 0
    for feature in features:
        feature.tab_closing(tab)
        feature.current_tab_changed(None)
    assert run.controller.overlay_of(tab) is None
    assert not run.actions["actionRun"].isEnabled()
    for feature in features:
        feature.shutdown()
    assert shell.errors == []
    tab.dispose()
