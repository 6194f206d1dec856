"""The designer's main window: workflows in tabs around the canvas, palette, inspector and problems.

Questions to the user (errors, "save changes?", file choices) go through :class:`Dialogs`, so tests and
automation answer them without modal dialogs. Object names are stable for automation: the current
canvas is ``canvas``; docks ``palette``, ``inspector``, ``historyPanel``, ``problemsPanel``,
``correlationLog``, ``journalPanel``, ``variablesPanel``; actions ``actionNew``, ``actionOpen``,
``actionSave``, ``actionUndo``, ``actionRedo``, ``actionRun``, ``actionDebug``, ``actionStep``,
``actionContinue``, ``actionStop``, ``actionToggleBreakpoint``... The bottom dock area takes more panels as
tabs (``add_bottom_panel``).

Runs: :attr:`MainWindow.run_events` (the engine-to-Qt bridge), :attr:`MainWindow.run_session` (the engine
thread and its control) and :attr:`MainWindow.run_controller` (commands, panels, overlay).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QRect, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QShowEvent,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QToolBar,
    QUndoView,
    QWidget,
)

from designer.document import Document
from designer.editor_tab import EditorTab
from designer.integration import install_serve_and_store
from designer.panels.inspector import Inspector
from designer.panels.palette import PalettePanel
from designer.panels.problems import ProblemsPanel
from designer.run.bridge import EventBridge
from designer.run.controller import RunController
from designer.run.dialogs import PinAnswer, PinRequest, ask_pin_output, ask_run_input
from designer.run.session import RunSession, SessionState
from designer.start_page import StartPage
from designer.theme import Theme, system_theme, theme_named, window_palette
from runtime.errors import FlowdeskError
from runtime.store.store import default_store_path

APP_NAME = "Flowdesk"
MAX_RECENT = 10
WORKFLOW_FILTER = "Workflows (*.json);;All files (*)"
STORE_FILTER = "Object stores (*.sqlite3 *.sqlite *.db);;All files (*)"
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
THEME_CHOICES = ("system", "light", "dark")


def hide_stray_tab_bars(window: QMainWindow) -> int:
    """Hide dock tab bars that no dock group uses; returns how many were hidden.

    Qt 6.11 leaves a duplicate tab bar visible when a second group of tabbed docks is created (here:
    the log and journal tabbed with Problems while Inspector and History are tabbed already). A used
    bar touches the dock currently shown in its group; the stray copy touches none.
    """
    docks = [d for d in window.findChildren(QDockWidget) if d.isVisible() and not d.isFloating()]
    hidden = 0
    for bar in window.findChildren(QTabBar):
        if bar.parentWidget() is not window or not bar.isVisible():
            continue
        titles = {bar.tabText(index) for index in range(bar.count())}
        near = bar.geometry().adjusted(-4, -4, 4, 4)
        if not any(d.windowTitle() in titles and near.intersects(QRect(d.geometry())) for d in docks):
            bar.hide()
            hidden += 1
    return hidden


def looks_like_workflow(path: Path) -> bool:
    """A JSON object with an ``activities`` list (the samples folder also holds a store seed)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and isinstance(document.get("activities"), list | dict)


class SaveChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


@dataclass
class Dialogs:
    """How the window asks things. The defaults are Qt dialogs; tests pass plain functions."""

    report_error: Callable[[str, str], None]
    ask_save: Callable[[str], SaveChoice]
    open_paths: Callable[[str], list[str]]
    save_path: Callable[[str, str], str | None]
    run_input: Callable[[str, str], str | None] | None = None
    """(title, pre-filled JSON text) -> the accepted text, or None when cancelled."""
    pin_output: Callable[[PinRequest], PinAnswer | None] | None = None
    """(activity, output and outcomes to start from) -> the output and outcomes to pin, or None."""
    choose_store: Callable[[str], str | None] | None = None
    """(current store file) -> the object store file to use, or None."""
    save_file: Callable[[str, str, str], str | None] | None = None
    """(caption, suggested name, file filter) -> where to write, or None."""


def qt_dialogs(parent: QWidget) -> Dialogs:
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

    def choose_store(current: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            parent,
            "Object store file",
            current,
            STORE_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
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
        choose_store=choose_store,
        save_file=save_file,
    )


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: QSettings | None = None,
        dialogs: Dialogs | None = None,
        theme_choice: str | None = None,
        store_path: str | Path | None = None,
    ) -> None:
        """``store_path``: the object store runs use in this window (default: the one chosen last, else
        the user's store)."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.setAccessibleName(APP_NAME)
        self.settings = settings if settings is not None else QSettings()
        self.dialogs = dialogs if dialogs is not None else qt_dialogs(self)
        self._complete_dialogs()
        self._store_path = Path(store_path).resolve() if store_path else None
        chosen = theme_choice or str(self.settings.value("theme", "system"))
        self.theme_choice = chosen if chosen in THEME_CHOICES else "system"
        self.theme = self._resolve_theme()
        self.undo_group = QUndoGroup(self)
        self.actions_by_name: dict[str, QAction] = {}
        self.run_events = EventBridge(self)
        """The engine-to-Qt bridge. ``window.run_events.observer`` is an engine observer: add it to any
        WorkflowRunner (e.g. the one a served endpoint runs on) and its instances appear in the
        correlation log and on the canvas overlay as they run."""
        self.run_session = RunSession(self.run_events, self)
        self._build_central()
        self._build_docks()
        self.run_controller = RunController(self, self.run_events, self.run_session)
        self._build_run_docks()
        self._build_actions()
        self._build_menus_and_toolbar()
        self._build_status_bar()
        self.apply_theme(self.theme_choice)
        self.resize(1400, 900)
        self._restore_layout()
        self._refresh_start_page()
        self._current_changed()
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._system_scheme_changed)
        install_serve_and_store(self)

    # --- building ----------------------------------------------------------------------------------

    def _build_central(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("documentTabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(lambda index: self.close_tab(index))
        self.tabs.currentChanged.connect(lambda _: self._current_changed())
        self.start_page = StartPage(self)
        self.start_page.newRequested.connect(self.new_document)
        self.start_page.openDialogRequested.connect(self.open_dialog)
        self.start_page.openRequested.connect(lambda path: self.open_files([path]))
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.start_page)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setAccessibleName(title)
        if not widget.accessibleName():
            widget.setAccessibleName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.palette = PalettePanel(self.theme)
        self.palette.activityRequested.connect(self._add_from_palette)
        self.palette_dock = self._dock(
            "palette", "Activities", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.inspector = Inspector(self.theme)
        self.inspector_dock = self._dock(
            "inspector", "Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.inspector_dock.setMinimumWidth(340)
        self.history = QUndoView(self.undo_group)
        self.history.setObjectName("historyView")
        self.history.setEmptyLabel("Opened")
        self.history_dock = self._dock(
            "historyPanel", "History", self.history, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.tabifyDockWidget(self.inspector_dock, self.history_dock)
        self.inspector_dock.raise_()
        self.problems = ProblemsPanel(self.theme)
        self.problems.activitySelected.connect(self.reveal_activity)
        self.problems.summaryChanged.connect(self._problems_summary)
        self.problems_dock = self._dock(
            "problemsPanel", "Problems", self.problems, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.bottom_docks: list[QDockWidget] = [self.problems_dock]

    def _build_run_docks(self) -> None:
        controller = self.run_controller
        self.log_dock = self.add_bottom_panel("correlationLog", "Log", controller.log_panel)
        self.journal_dock = self.add_bottom_panel("journalPanel", "Journal", controller.journal_panel)
        self.variables_dock = self.add_bottom_panel("variablesPanel", "Variables", controller.variables_panel)
        self.log_dock.raise_()

    def add_bottom_panel(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        """Add a panel as another tab of the bottom area (log, journal, variables...)."""
        dock = self._dock(name, title, widget, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.bottom_docks[-1], dock)
        self.bottom_docks.append(dock)
        return dock

    def _action(
        self,
        name: str,
        text: str,
        slot: Callable[[], object] | None = None,
        shortcut: QKeySequence.StandardKey | str | Iterable | None = None,
        tip: str = "",
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            if isinstance(shortcut, QKeySequence.StandardKey):
                action.setShortcuts(shortcut)
            elif isinstance(shortcut, str):
                action.setShortcut(QKeySequence(shortcut))
            else:
                action.setShortcuts([QKeySequence(s) for s in shortcut])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        if slot is not None:
            if checkable:
                action.toggled.connect(slot)
            else:
                action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        a = self._action
        a("actionNew", "&New", self.new_document, key.New, "Create a new workflow")
        a("actionOpen", "&Open…", self.open_dialog, key.Open, "Open workflow files")
        a(
            "actionImport",
            "&Import…",
            self.import_dialog,
            "Ctrl+I",
            "Import a workflow exported from Elsa / WoW",
        )
        a("actionSave", "&Save", self.save, key.Save, "Save the workflow")
        a("actionSaveAs", "Save &As…", self.save_as, key.SaveAs, "Save the workflow under a new name")
        a("actionExport", "&Export…", self.export, "Ctrl+E", "Write a copy of the workflow as Elsa 2 JSON")
        a("actionCloseTab", "&Close", lambda: self.close_tab(self.tabs.currentIndex()), key.Close)
        a("actionQuit", "&Quit", self.close, key.Quit)
        undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setObjectName("actionUndo")
        undo.setShortcuts(key.Undo)
        redo = self.undo_group.createRedoAction(self, "&Redo")
        redo.setObjectName("actionRedo")
        redo.setShortcuts(key.Redo)
        for action in (undo, redo):
            self.addAction(action)
            self.actions_by_name[action.objectName()] = action
        a("actionCut", "Cu&t", self.cut, key.Cut)
        a("actionCopy", "&Copy", self.copy, key.Copy)
        a("actionPaste", "&Paste", self.paste, key.Paste)
        a("actionDuplicate", "D&uplicate", self.duplicate, "Ctrl+D")
        a(
            "actionDelete",
            "&Delete",
            self.delete,
            [QKeySequence(QKeySequence.StandardKey.Delete), "Backspace"],
        )
        a("actionSelectAll", "Select &All", self.select_all, key.SelectAll)
        a("actionQuickAdd", "&Add Activity…", self.quick_add, None, "Search and add an activity (Tab)")
        a("actionZoomIn", "Zoom &In", lambda: self._view_call("zoom_in"), key.ZoomIn)
        a("actionZoomOut", "Zoom &Out", lambda: self._view_call("zoom_out"), key.ZoomOut)
        a("actionZoomReset", "&Actual Size", lambda: self._view_call("reset_zoom"), "Ctrl+0")
        a("actionZoomFit", "Zoom to &Fit", lambda: self._view_call("fit_all"), "Ctrl+1")
        a("actionZoomSelection", "Zoom to &Selection", lambda: self._view_call("fit_selection"), "Ctrl+2")
        snap = a("actionSnapToGrid", "Snap to &Grid", self.set_snap_to_grid, None, checkable=True)
        snap.setChecked(self.settings.value("snapToGrid", True, type=bool))
        minimap = a("actionMinimap", "&Minimap", self.set_minimap_visible, "Ctrl+M", checkable=True)
        minimap.setChecked(self.settings.value("minimap", True, type=bool))
        a(
            "actionAutoLayout",
            "Auto-&Layout",
            self.auto_layout,
            "Ctrl+Shift+L",
            "Lay the workflow out left to right",
        )
        self.theme_group = QActionGroup(self)
        for choice in THEME_CHOICES:
            action = a(f"actionTheme{choice.title()}", choice.title(), None, None, checkable=True)
            action.setChecked(choice == self.theme_choice)
            action.triggered.connect(lambda _=False, c=choice: self.apply_theme(c))
            self.theme_group.addAction(action)
        self._build_run_actions()

    def _build_run_actions(self) -> None:
        run = self.run_controller
        a = self._action
        a("actionRun", "&Run", run.run, "F5", "Run the workflow (continue when paused)")
        a("actionDebug", "&Debug", run.debug, ["F6", "Ctrl+F5"], "Run the workflow, stopping at breakpoints")
        a("actionStep", "&Step", run.step, "F10", "Run one activity, then pause")
        a("actionContinue", "&Continue", run.resume, "F8", "Go on until the next breakpoint")
        a("actionStop", "S&top", run.stop, "Shift+F5", "Stop the run")
        a(
            "actionToggleBreakpoint",
            "Toggle &Breakpoint",
            run.toggle_breakpoint,
            "F9",
            "Debug runs pause before the selected activity",
        )
        a(
            "actionPinOutput",
            "&Pin Output…",
            run.pin_output,
            None,
            "Runs skip the activity and use this output",
        )
        a("actionUnpinOutput", "&Unpin Output", run.unpin_output, None, "Runs execute the activity again")
        a("actionClearRun", "C&lear Run Results", self.clear_run_results, None, "Remove the run's marks")
        a("actionChooseStore", "Object &Store…", self.choose_store, None, "Choose the object store runs use")

    def _build_menus_and_toolbar(self) -> None:
        act = self.actions_by_name
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for name in ("actionNew", "actionOpen"):
            file_menu.addAction(act[name])
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(act["actionImport"])
        file_menu.addSeparator()
        for name in ("actionSave", "actionSaveAs", "actionExport"):
            file_menu.addAction(act[name])
        file_menu.addSeparator()
        file_menu.addAction(act["actionCloseTab"])
        file_menu.addAction(act["actionQuit"])
        edit_menu = bar.addMenu("&Edit")
        for name in (
            "actionUndo",
            "actionRedo",
            None,
            "actionCut",
            "actionCopy",
            "actionPaste",
            "actionDuplicate",
            "actionDelete",
            None,
            "actionSelectAll",
            "actionQuickAdd",
        ):
            edit_menu.addSeparator() if name is None else edit_menu.addAction(act[name])
        view_menu = bar.addMenu("&View")
        for name in (
            "actionZoomIn",
            "actionZoomOut",
            "actionZoomReset",
            "actionZoomFit",
            "actionZoomSelection",
            None,
            "actionSnapToGrid",
            "actionMinimap",
        ):
            view_menu.addSeparator() if name is None else view_menu.addAction(act[name])
        theme_menu = view_menu.addMenu("&Theme")
        for action in self.theme_group.actions():
            theme_menu.addAction(action)
        panels_menu = view_menu.addMenu("&Panels")
        for dock in (
            self.palette_dock,
            self.inspector_dock,
            self.history_dock,
            self.problems_dock,
            self.log_dock,
            self.journal_dock,
            self.variables_dock,
        ):
            panels_menu.addAction(dock.toggleViewAction())
        self.panels_menu = panels_menu
        run_menu = bar.addMenu("&Run")
        run_menu.setObjectName("runMenu")
        for name in (
            "actionRun",
            "actionDebug",
            "actionStep",
            "actionContinue",
            "actionStop",
            None,
            "actionToggleBreakpoint",
            "actionPinOutput",
            "actionUnpinOutput",
            None,
            "actionClearRun",
            "actionChooseStore",
        ):
            run_menu.addSeparator() if name is None else run_menu.addAction(act[name])
        self.run_menu = run_menu
        arrange_menu = bar.addMenu("&Arrange")
        arrange_menu.addAction(act["actionAutoLayout"])
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        for name in (
            "actionNew",
            "actionOpen",
            "actionSave",
            None,
            "actionUndo",
            "actionRedo",
            None,
            "actionZoomFit",
            "actionAutoLayout",
            None,
            "actionRun",
            "actionDebug",
            "actionStep",
            "actionContinue",
            "actionStop",
        ):
            toolbar.addSeparator() if name is None else toolbar.addAction(act[name])
        for action in toolbar.actions():
            button = toolbar.widgetForAction(action)
            if button is not None and action.text():
                button.setAccessibleName(action.text().replace("&", ""))
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _build_status_bar(self) -> None:
        self.zoom_label = QLabel("")
        self.problem_label = QLabel("")
        self.run_label = QLabel("")
        self.run_label.setObjectName("runStatus")
        self.run_label.setAccessibleName("Run status")
        self.statusBar().addPermanentWidget(self.run_label)
        self.statusBar().addPermanentWidget(self.problem_label)
        self.statusBar().addPermanentWidget(self.zoom_label)

    # --- tabs -------------------------------------------------------------------------------------

    def current_tab(self) -> EditorTab | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, EditorTab) else None

    def editor_tabs(self) -> list[EditorTab]:
        return [
            self.tabs.widget(i)
            for i in range(self.tabs.count())
            if isinstance(self.tabs.widget(i), EditorTab)
        ]

    def current_view(self):
        tab = self.current_tab()
        return tab.view if tab is not None else None

    def add_document(self, document: Document) -> EditorTab:
        tab = EditorTab(document, self.theme)
        tab.view.minimap.setVisible(self.actions_by_name["actionMinimap"].isChecked())
        tab.scene.snap_to_grid = self.actions_by_name["actionSnapToGrid"].isChecked()
        tab.scene.selectionChanged.connect(self._scene_selection_changed)
        tab.scene.activityActivated.connect(self._activity_activated)
        tab.view.zoomChanged.connect(self._show_zoom)
        tab.problemsChanged.connect(self._tab_problems_changed)
        document.modifiedChanged.connect(self._document_changed)
        document.pathChanged.connect(self._document_changed)
        self.undo_group.addStack(document.undo_stack)
        index = self.tabs.addTab(tab, document.title)
        self.tabs.setTabToolTip(index, str(document.path) if document.path else document.title)
        self.tabs.setCurrentIndex(index)
        self.stack.setCurrentWidget(self.tabs)
        tab.view.fit_when_shown()
        self.run_controller.tab_added(tab)
        return tab

    def close_tab(self, index: int) -> bool:
        """Close a tab, asking to save unsaved changes; False when the user cancels."""
        widget = self.tabs.widget(index)
        if not isinstance(widget, EditorTab):
            return True
        if not self._settle_unsaved(widget):
            return False
        self.undo_group.removeStack(widget.document.undo_stack)
        self.run_controller.tab_closing(widget)
        widget.dispose()
        self.tabs.removeTab(index)
        widget.deleteLater()
        if self.tabs.count() == 0:
            self._refresh_start_page()
            self.stack.setCurrentWidget(self.start_page)
        return True

    def _settle_unsaved(self, tab: EditorTab) -> bool:
        if not tab.document.is_modified:
            return True
        self.tabs.setCurrentWidget(tab)
        choice = self.dialogs.ask_save(tab.document.title)
        if choice is SaveChoice.CANCEL:
            return False
        if choice is SaveChoice.SAVE:
            return self.save_tab(tab)
        return True

    def _current_changed(self) -> None:
        tab = self.current_tab()
        for other in self.editor_tabs():
            other.view.setObjectName("canvas" if other is tab else "canvasInactive")
        if tab is None:
            self.undo_group.setActiveStack(None)
            self.inspector.set_document(None, None)
            self.problems.set_problems([], None)
            self.setWindowTitle(APP_NAME)
            self.setWindowModified(False)
            self.zoom_label.setText("")
        else:
            self.undo_group.setActiveStack(tab.document.undo_stack)
            self.inspector.set_document(tab.document.workflow, tab.document.undo_stack)
            self._selection_changed(tab)
            self.problems.set_problems(tab.problems, tab.document.workflow)
            self._update_titles(tab)
            self._show_zoom(tab.view.zoom)
        self._update_enabled()

    def _update_titles(self, tab: EditorTab) -> None:
        index = self.tabs.indexOf(tab)
        if index >= 0:
            mark = " •" if tab.document.is_modified else ""
            self.tabs.setTabText(index, f"{tab.document.title}{mark}")
            self.tabs.setTabToolTip(
                index, str(tab.document.path) if tab.document.path else tab.document.title
            )
        if tab is self.current_tab():
            self.setWindowTitle(f"{tab.document.title}[*] — {APP_NAME}")
            self.setWindowModified(tab.document.is_modified)

    def _update_enabled(self) -> None:
        has_tab = self.current_tab() is not None
        for name in (
            "actionSave",
            "actionSaveAs",
            "actionExport",
            "actionCloseTab",
            "actionCut",
            "actionCopy",
            "actionPaste",
            "actionDuplicate",
            "actionDelete",
            "actionSelectAll",
            "actionQuickAdd",
            "actionZoomIn",
            "actionZoomOut",
            "actionZoomReset",
            "actionZoomFit",
            "actionZoomSelection",
            "actionAutoLayout",
            "actionToggleBreakpoint",
            "actionPinOutput",
            "actionUnpinOutput",
        ):
            self.actions_by_name[name].setEnabled(has_tab)
        self.update_run_actions()

    # --- runs ---------------------------------------------------------------------------------------

    def update_run_actions(self) -> None:
        """Enable the run commands that make sense now (idle, running or paused)."""
        state = self.run_session.state
        has_tab = self.current_tab() is not None
        idle = state is SessionState.IDLE
        paused = state is SessionState.PAUSED
        enabled = {
            "actionRun": (has_tab and idle) or paused,
            "actionDebug": has_tab and idle,
            "actionStep": (has_tab and idle) or paused,
            "actionContinue": paused,
            "actionStop": not idle,
        }
        for name, on in enabled.items():
            self.actions_by_name[name].setEnabled(on)

    def show_run_status(self, text: str) -> None:
        self.run_label.setText(text)
        self.statusBar().showMessage(text, 6000)

    def clear_run_results(self) -> None:
        self.run_controller.clear_results()
        self.run_label.setText("")

    @property
    def store_path(self) -> Path:
        """The object store file runs (and the store browser) use: given to the window, else chosen
        with Run ▸ Object Store…, else the user's store."""
        if self._store_path is not None:
            return self._store_path
        chosen = self.settings.value("storePath")
        return Path(str(chosen)) if chosen else default_store_path()

    def set_store_path(self, path: str | Path, remember: bool = True) -> None:
        self._store_path = Path(path).resolve()
        if remember:
            self.settings.setValue("storePath", str(self._store_path))
        self.statusBar().showMessage(f"Object store: {self._store_path}", 5000)

    def choose_store(self) -> None:
        path = self.dialogs.choose_store(str(self.store_path))
        if path:
            self.set_store_path(path)

    def _complete_dialogs(self) -> None:
        """Questions a caller's Dialogs leaves out are asked with the Qt dialogs."""
        defaults = qt_dialogs(self)
        for field in fields(Dialogs):
            if getattr(self.dialogs, field.name) is None:
                setattr(self.dialogs, field.name, getattr(defaults, field.name))

    # --- reactions ----------------------------------------------------------------------------------

    def _tab_of(self, sender: object) -> EditorTab | None:
        """The tab whose scene, document or self sent a signal."""
        return next(
            (t for t in self.editor_tabs() if sender is t or sender is t.scene or sender is t.document), None
        )

    def _scene_selection_changed(self) -> None:
        tab = self._tab_of(self.sender())
        if tab is not None:
            self._selection_changed(tab)

    def _tab_problems_changed(self) -> None:
        tab = self._tab_of(self.sender())
        if tab is not None:
            self._problems_changed(tab)

    def _document_changed(self) -> None:
        tab = self._tab_of(self.sender())
        if tab is not None:
            self._update_titles(tab)

    def _selection_changed(self, tab: EditorTab) -> None:
        if tab is not self.current_tab():
            return
        ids = tab.scene.selected_activity_ids()
        self.inspector.show_activity(ids[0] if len(ids) == 1 else None)

    def _activity_activated(self, activity_id: str) -> None:
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        self.inspector.show_activity(activity_id)
        self.inspector.focus_first_field()

    def reveal_activity(self, activity_id: str) -> None:
        """Select an activity and bring it into view (Problems panel double-click)."""
        tab = self.current_tab()
        if tab is None or activity_id not in tab.scene.cards:
            return
        tab.scene.select_activities({activity_id})
        tab.view.center_on_activity(activity_id)

    def _problems_changed(self, tab: EditorTab) -> None:
        if tab is self.current_tab():
            self.problems.set_problems(tab.problems, tab.document.workflow)

    def _problems_summary(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problems_dock.setWindowTitle(f"Problems — {text}" if text != "No problems" else "Problems")

    def _show_zoom(self, zoom: float) -> None:
        self.zoom_label.setText(f"{round(zoom * 100)}%")

    def _add_from_palette(self, type_name: str) -> None:
        tab = self.current_tab()
        if tab is None:
            tab = self.new_document()
        center = tab.view.mapToScene(tab.view.viewport().rect().center())
        tab.scene.add_activity(type_name, center)

    # --- files --------------------------------------------------------------------------------------

    def new_document(self) -> EditorTab:
        return self.add_document(Document.new())

    def open_dialog(self) -> None:
        self.open_files(self.dialogs.open_paths("Open workflows"))

    def import_dialog(self) -> None:
        for path in self.dialogs.open_paths("Import workflow"):
            document = self._read(path)
            if document is not None:
                document.path = None
                self.add_document(document)

    def open_files(self, paths: Iterable[str | Path]) -> list[EditorTab]:
        """Open each file in a tab (or switch to it when already open); a bad file is reported, not fatal."""
        opened = []
        for raw in paths:
            path = Path(raw).resolve()
            existing = next((t for t in self.editor_tabs() if t.document.path == path), None)
            if existing is not None:
                self.tabs.setCurrentWidget(existing)
                opened.append(existing)
                continue
            document = self._read(path)
            if document is None:
                continue
            opened.append(self.add_document(document))
            self._remember_recent(path)
        return opened

    def _read(self, path: str | Path) -> Document | None:
        try:
            return Document.open(path)
        except FlowdeskError as error:
            self.dialogs.report_error("Cannot open workflow", str(error))
        except OSError as error:
            self.dialogs.report_error("Cannot open workflow", f"{path}: {error.strerror or error}")
        return None

    def save(self) -> bool:
        tab = self.current_tab()
        return self.save_tab(tab) if tab is not None else False

    def save_tab(self, tab: EditorTab) -> bool:
        if tab.document.path is None:
            return self._save_tab_as(tab)
        return self._write(tab, None)

    def save_as(self) -> bool:
        tab = self.current_tab()
        return self._save_tab_as(tab) if tab is not None else False

    def _save_tab_as(self, tab: EditorTab) -> bool:
        suggested = str(tab.document.path or Path.cwd() / f"{tab.document.workflow.name or 'workflow'}.json")
        path = self.dialogs.save_path("Save workflow as", suggested)
        if not path:
            return False
        if self._write(tab, Path(path)):
            self._remember_recent(Path(path).resolve())
            return True
        return False

    def _write(self, tab: EditorTab, path: Path | None) -> bool:
        try:
            tab.document.save(path)
        except FlowdeskError as error:
            self.dialogs.report_error("Cannot save workflow", str(error))
            return False
        self.statusBar().showMessage(f"Saved {tab.document.path}", 4000)
        self._update_titles(tab)
        return True

    def export(self) -> bool:
        tab = self.current_tab()
        if tab is None:
            return False
        path = self.dialogs.save_path("Export workflow", f"{tab.document.workflow.name or 'workflow'}.json")
        if not path:
            return False
        try:
            tab.document.export_to(path)
        except FlowdeskError as error:
            self.dialogs.report_error("Cannot export workflow", str(error))
            return False
        self.statusBar().showMessage(f"Exported {path}", 4000)
        return True

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember_recent(self, path: Path) -> None:
        recent = [str(path), *[p for p in self.recent_files() if p != str(path)]][:MAX_RECENT]
        self.settings.setValue("recentFiles", recent)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_files([p]))
        if not recent:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    def _refresh_start_page(self) -> None:
        self.start_page.set_recent([p for p in self.recent_files() if Path(p).is_file()])
        samples = sorted(SAMPLES_DIR.glob("*.json")) if SAMPLES_DIR.is_dir() else []
        self.start_page.set_samples([path for path in samples if looks_like_workflow(path)])

    # --- edit ---------------------------------------------------------------------------------------

    def _scene(self):
        tab = self.current_tab()
        return tab.scene if tab is not None else None

    def cut(self) -> None:
        scene = self._scene()
        if scene is not None and (mime := scene.copy_selection()) is not None:
            QGuiApplication.clipboard().setMimeData(mime)
            scene.delete_selection(text="Cut")

    def copy(self) -> None:
        scene = self._scene()
        if scene is not None and (mime := scene.copy_selection()) is not None:
            QGuiApplication.clipboard().setMimeData(mime)

    def paste(self) -> None:
        tab = self.current_tab()
        if tab is None:
            return
        view = tab.view
        cursor = view.viewport().mapFromGlobal(view.cursor().pos())
        anchor = view.mapToScene(cursor) if view.viewport().rect().contains(cursor) else None
        tab.scene.paste(QGuiApplication.clipboard().mimeData(), anchor)

    def duplicate(self) -> None:
        scene = self._scene()
        if scene is not None:
            scene.duplicate_selection()

    def delete(self) -> None:
        scene = self._scene()
        if scene is not None:
            scene.delete_selection()

    def select_all(self) -> None:
        scene = self._scene()
        if scene is not None:
            scene.select_all()

    def quick_add(self) -> None:
        tab = self.current_tab()
        if tab is not None:
            center = tab.view.mapToScene(tab.view.viewport().rect().center())
            tab.view.show_quick_add(center, None)

    def auto_layout(self) -> None:
        tab = self.current_tab()
        if tab is not None and tab.scene.auto_layout():
            tab.view.fit_all()

    def _view_call(self, method: str) -> None:
        view = self.current_view()
        if view is not None:
            getattr(view, method)()

    def set_snap_to_grid(self, on: bool) -> None:
        self.settings.setValue("snapToGrid", on)
        for tab in self.editor_tabs():
            tab.scene.snap_to_grid = on

    def set_minimap_visible(self, on: bool) -> None:
        self.settings.setValue("minimap", on)
        for tab in self.editor_tabs():
            tab.view.minimap.setVisible(on)

    # --- theme and layout ------------------------------------------------------------------------------

    def _resolve_theme(self) -> Theme:
        return system_theme() if self.theme_choice == "system" else theme_named(self.theme_choice)

    def apply_theme(self, choice: str) -> None:
        self.theme_choice = choice if choice in THEME_CHOICES else "system"
        self.settings.setValue("theme", self.theme_choice)
        self.theme = self._resolve_theme()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(
                window_palette(self.theme) if self.theme.is_dark else app.style().standardPalette()
            )
        for tab in self.editor_tabs():
            tab.set_theme(self.theme)
        self.palette.set_theme(self.theme)
        self.inspector.set_theme(self.theme)
        self.problems.set_theme(self.theme)
        self.run_controller.set_theme(self.theme)
        tab = self.current_tab()
        if tab is not None:
            self.problems.set_problems(tab.problems, tab.document.workflow)
        for action in self.theme_group.actions():
            action.setChecked(action.objectName() == f"actionTheme{self.theme_choice.title()}")

    def _system_scheme_changed(self) -> None:
        if self.theme_choice == "system":
            self.apply_theme("system")

    def _restore_layout(self) -> None:
        geometry = self.settings.value("geometry")
        state = self.settings.value("windowState")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        else:
            self.resizeDocks([self.problems_dock], [170], Qt.Orientation.Vertical)
            self.resizeDocks([self.palette_dock, self.inspector_dock], [230, 380], Qt.Orientation.Horizontal)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        QTimer.singleShot(0, self, lambda: hide_stray_tab_bars(self))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        for tab in self.editor_tabs():
            if not self._settle_unsaved(tab):
                event.ignore()
                return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        self.run_controller.shutdown()
        for tab in self.editor_tabs():
            tab.dispose()
        event.accept()
