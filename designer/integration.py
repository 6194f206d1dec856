"""Serve toggle, Runs panel and object store browser, added to the main window at the end of its set-up.

Everything here goes through the window's public surface (``add_bottom_panel``, ``dialogs``, ``settings``,
``editor_tabs()``, ``toolbar``, ``panels_menu``, ``actions_by_name``, ``store_path``), so the window's own
module only calls :func:`install_serve_and_store`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QMenu, QTabBar

from designer.panels.store_browser import SEED_FILTER, StoreBrowser, StoreDialogs
from designer.serve.controller import ServeController, ServeDialogs, qt_ask_port
from designer.serve.runs_model import RunsModel
from designer.serve.runs_panel import RunsPanel
from runtime.engine.events import Observer
from runtime.store.store import default_store_path

if TYPE_CHECKING:
    from designer.main_window import MainWindow

RUN_PANEL_OBSERVER_PATHS: tuple[tuple[str, ...], ...] = (
    ("run_events", "observer"),
    ("run_bridge", "observer"),
    ("event_bridge", "observer"),
    ("run_session", "bridge", "observer"),
    ("run_controller", "bridge", "observer"),
    ("runs", "bridge", "observer"),
)
"""Where the window may keep the run/debug panels' engine observer (the correlation log and overlay)."""


def window_store_path(window: QObject) -> Path | None:
    """The object store the window runs with (None: the user's default store)."""
    value = getattr(window, "store_path", None)
    return Path(value) if value else None


def run_panel_observers(window: QObject) -> list[Observer]:
    """The run/debug panels' observer, when the window has one, so served instances show there too."""
    for path in RUN_PANEL_OBSERVER_PATHS:
        target: object = window
        for name in path:
            target = getattr(target, name, None)
            if target is None:
                break
        if callable(target):
            return [target]
    return []


class _WindowWatcher(QObject):
    """Stops the host and closes the store when the window closes; follows theme changes."""

    def __init__(
        self, window: MainWindow, on_close: Callable[[], None], on_theme: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self.on_close = on_close
        self.on_theme = on_theme
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QEvent.Type.Hide and isinstance(event, QHideEvent) and not event.spontaneous():
            self.on_close()
        elif kind in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.on_theme()
        return False


def install_serve_and_store(window: MainWindow) -> None:
    """Add ``actionServe`` (+ Send Request, Serve Port), the ``runsList`` and ``storeBrowser`` panels."""
    raised = _raised_bottom_dock(window)

    runs_model = RunsModel(window.theme, window)
    runs_panel = RunsPanel(runs_model)
    controller = ServeController(
        documents=lambda: [tab.document for tab in window.editor_tabs()],
        settings=window.settings,
        dialogs=ServeDialogs(
            report_error=lambda title, message: window.dialogs.report_error(title, message),
            ask_port=qt_ask_port(window),
        ),
        store_path=lambda: window_store_path(window),
        extra_observers=lambda: run_panel_observers(window),
        show_message=lambda text: window.statusBar().showMessage(text, 6000),
        parent=window,
    )
    controller.bridge.delivered.connect(runs_model.apply)
    runs_panel.set_send_action(controller.send_action)
    runs_dock = window.add_bottom_panel("runsList", "Runs", runs_panel)

    def serving_changed(on: bool) -> None:
        if on and controller.host is not None and controller.plan is not None:
            endpoints = [endpoint.describe() for endpoint in controller.host.app.endpoints]
            runs_panel.set_serving(controller.url, endpoints, controller.plan.skipped)
            runs_dock.show()
            runs_dock.raise_()
        else:
            runs_panel.set_serving(None, [], [])

    controller.servingChanged.connect(serving_changed)

    browser = StoreBrowser(lambda: window_store_path(window) or default_store_path(), theme=window.theme)
    browser.dialogs = store_dialogs(window, browser)
    store_dock = window.add_bottom_panel("storeBrowser", "Object Store", browser)

    def store_visibility(visible: bool) -> None:
        if visible:
            browser.activate()
        browser.set_watching(visible)

    store_dock.visibilityChanged.connect(store_visibility)

    _add_actions(window, controller)
    for dock in (runs_dock, store_dock):
        window.panels_menu.addAction(dock.toggleViewAction())
    window.serve_controller = controller
    window.runs_panel = runs_panel
    window.store_browser = browser

    def shut_down() -> None:
        controller.shutdown()
        browser.shutdown()

    def follow_theme() -> None:
        runs_model.set_theme(window.theme)
        browser.set_theme(window.theme)

    _WindowWatcher(window, shut_down, follow_theme)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(controller.shutdown)

    state = window.settings.value("windowState")
    if state is not None:
        window.restoreState(state)
    elif raised is not None:
        raised.raise_()


def store_dialogs(window: MainWindow, browser: StoreBrowser) -> StoreDialogs:
    """The browser's file questions, asked through the window's :class:`Dialogs` (scripted in tests)."""

    def open_seed(caption: str) -> str | None:
        paths = window.dialogs.open_paths(caption)
        return paths[0] if paths else None

    def save_seed(caption: str, suggested: str) -> str | None:
        save_file = getattr(window.dialogs, "save_file", None)
        if save_file is not None:
            return save_file(caption, suggested, SEED_FILTER)
        return window.dialogs.save_path(caption, suggested)

    def open_store(caption: str) -> str | None:
        choose_store = getattr(window.dialogs, "choose_store", None)
        if choose_store is not None:
            return choose_store(str(browser.store_path or ""))
        paths = window.dialogs.open_paths(caption)
        return paths[0] if paths else None

    return StoreDialogs(open_seed, save_seed, open_store)


def _add_actions(window: MainWindow, controller: ServeController) -> None:
    actions = (controller.action, controller.send_action, controller.port_action)
    for action in actions:
        window.addAction(action)
        window.actions_by_name[action.objectName()] = action
    menu = _run_menu(window)
    if menu is None:
        menu = window.menuBar().addMenu("&Serve")
        menu.setObjectName("serveMenu")
    elif not menu.isEmpty():
        menu.addSeparator()
    for action in actions:
        menu.addAction(action)
    window.toolbar.addSeparator()
    window.toolbar.addAction(controller.action)
    window.toolbar.addAction(controller.send_action)
    for action, name in ((controller.action, "Serve"), (controller.send_action, "Send request")):
        button = window.toolbar.widgetForAction(action)
        if button is not None:
            button.setAccessibleName(name)
            button.setAccessibleDescription(action.toolTip())
            button.setObjectName(f"{action.objectName()}Button")


def _run_menu(window: MainWindow) -> QMenu | None:
    """The window's Run menu, when the run/debug part made one."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "").strip().lower() == "run":
            return menu
    return None


def _raised_bottom_dock(window: MainWindow) -> QDockWidget | None:
    """The bottom panel whose tab is in front now (new panels come in front; the earlier one stays)."""
    docks: list[QDockWidget] = list(window.bottom_docks)
    if len(docks) == 1:
        return docks[0]
    titles = {dock.windowTitle(): dock for dock in docks}
    bars = [
        bar
        for bar in window.findChildren(QTabBar)
        if bar.parent() is window and bar.count() and bar.tabText(0) in titles
    ]
    if not bars:
        return None
    # Qt may keep an outdated tab bar from an earlier arrangement: the bottom area's is the fullest one.
    bar = max(bars, key=lambda candidate: candidate.count())
    return titles.get(bar.tabText(bar.currentIndex()))
