"""The designer's main window: the shell around workflows in tabs, with palette, inspector and problems.

The window owns the document tabs, the menus, the toolbar, the docks and the status bar; its features
(:mod:`designer.features`: Run and debug, Serve, the object store browser) plug in through the
:class:`~designer.shell.Shell` protocol it implements, each installed once, after which the saved layout is
restored once. Questions to the user (errors, "save changes?", file choices) go through
:class:`~designer.dialogs.Dialogs`, so tests and automation answer them without modal dialogs.

Object names are stable for automation: the current canvas is ``canvas``; docks ``palette``,
``inspector``, ``historyPanel``, ``problemsPanel``, ``correlationLog``, ``journalPanel``,
``variablesPanel``, ``runsList``, ``storeBrowser``; actions ``actionNew``, ``actionOpen``, ``actionSave``,
``actionUndo``, ``actionRedo``, ``actionRun``, ``actionDebug``, ``actionStep``, ``actionContinue``,
``actionStop``, ``actionToggleBreakpoint``, ``actionServe``, ``actionShortcuts`` (F1), ``actionAbout``,
``actionTokenStory``, ``actionRename`` (F2), ``actionRevealInProblems``, ``actionAddNote``... (all in
:attr:`MainWindow.actions_by_name`); the start page's ``startTokenStory``; a tab's notice ``noticeBar``; the
canvas's quick-add popup ``quickAdd``; its context menus ``canvasMenu``, ``cardMenu``, ``wireMenu`` and
``noteMenu`` (:mod:`designer.features.canvas_menus`).

Runs: :attr:`MainWindow.run` (the run feature: its ``session``, ``controller`` and the engine observer
:meth:`~designer.features.run.RunFeature.observe`), :attr:`MainWindow.serve` and :attr:`MainWindow.store`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QToolBar,
    QUndoView,
    QWidget,
)

from designer.actions import Shortcut, make_action, make_toggle
from designer.canvas.view import CanvasView
from designer.dialogs import Dialogs, SaveChoice, qt_dialogs
from designer.document import Document
from designer.editor_tab import EditAction, EditorTab
from designer.features.canvas_menus import CanvasMenusFeature
from designer.features.history import HistoryFeature
from designer.features.remote import RemoteFeature
from designer.features.run import RunFeature
from designer.features.serve import ServeFeature
from designer.features.store import StoreFeature
from designer.features.subworkflow import SubworkflowFeature
from designer.help import AboutDialog, ShortcutRow, ShortcutsDialog, action_rows, canvas_rows
from designer.panels.inspector import Inspector
from designer.panels.palette import PalettePanel
from designer.panels.problems import ProblemsPanel
from designer.shell import Feature, MenuName
from designer.start_page import StartPage
from designer.story import run_token_story
from designer.theme import Theme, system_theme, theme_named, window_palette
from runtime.errors import FlowdeskError
from runtime.jsonlimits import loads_bounded
from runtime.resources import samples_folder
from runtime.store.store import default_store_path

APP_NAME = "Flowdesk"
MAX_RECENT = 10
SAMPLES_DIR = samples_folder()
THEME_CHOICES = ("system", "light", "dark")
TAB_ACTIONS = (
    "actionSave",
    "actionSaveAs",
    "actionExport",
    "actionCloseTab",
    *(name.value for name in EditAction),
    "actionZoomIn",
    "actionZoomOut",
    "actionZoomReset",
    "actionZoomFit",
    "actionZoomSelection",
)
"""The window's actions that need a tab: enabled while one is open."""


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


def with_keys(standard: QKeySequence.StandardKey, *more: str) -> list[QKeySequence]:
    """The platform's keys for ``standard`` and ``more`` (each once): Ctrl+Y redoes and Ctrl+= zooms in
    everywhere, not only where the platform says so."""
    keys = list(QKeySequence.keyBindings(standard))
    for text in more:
        sequence = QKeySequence(text)
        if sequence not in keys:
            keys.append(sequence)
    return keys


def looks_like_workflow(path: Path) -> bool:
    """A JSON object with an ``activities`` list (the samples folder also holds a store seed)."""
    try:
        document = loads_bounded(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):  # JsonLimitError too: nested deeper than a workflow is
        return False
    return isinstance(document, dict) and isinstance(document.get("activities"), list | dict)


class MainWindow(QMainWindow):
    """The designer's window: tabs of workflows, the shell its features plug into (see the module)."""

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
        self._store_path = Path(store_path).resolve() if store_path else None
        chosen = theme_choice or str(self.settings.value("theme", "system"))
        self.theme_choice = chosen if chosen in THEME_CHOICES else "system"
        self.theme = self._resolve_theme()
        self.undo_group = QUndoGroup(self)
        self.actions_by_name: dict[str, QAction] = {}
        self.menus: dict[MenuName, QMenu] = {}
        self.bottom_docks: list[QDockWidget] = []
        self._front_bottom_dock: QDockWidget | None = None
        self._status_widgets = 0
        self._shut_down = False
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.about_dialog: AboutDialog | None = None
        self.run = RunFeature()
        """Run and debug: ``run.session``, ``run.controller`` and the engine observer ``run.observe``."""
        self.serve = ServeFeature(run_observer=self.run.observe, run_follower=self.run)
        """Serve: ``serve.controller`` and the Runs panel ``serve.runs_panel``."""
        self.run.serve_on = self.serve.turn_on
        self.run.serve_port = lambda: self.serve.controller.port
        self.store = StoreFeature()
        """The object store browser: ``store.browser``."""
        self.remote = RemoteFeature(
            run=self.run, add_document=self.add_document, catalog_changed=self.refresh_catalog
        )
        """Elsa servers: open from, push and publish to, and replay instances of (``remote.links``)."""
        self.subworkflows = SubworkflowFeature()
        """Open Sub-workflow: a RunWorkflow's child in a tab, found through the workflow library."""
        self.run_history = HistoryFeature(self.run)
        """Run history, timelines and recorded tests: ``run_history.panel``, ``run_history.tests_panel``."""
        self.canvas_menus = CanvasMenusFeature()
        """The canvas's context menus (installed last: its entries are the other features' actions)."""
        self.features: tuple[Feature, ...] = (
            self.run,
            self.serve,
            self.store,
            self.remote,
            self.subworkflows,
            self.run_history,
            self.canvas_menus,
        )
        self._build_central()
        self._build_docks()
        self._build_actions()
        self._build_menus_and_toolbar()
        self._build_status_bar()
        for feature in self.features:
            feature.install(self)
        self.apply_theme(self.theme_choice)
        self.resize(1400, 900)
        self._restore_layout()
        self._refresh_start_page()
        self._current_changed()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown_features)

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
        self.start_page.storyRequested.connect(self.try_token_story)
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
        self.palette_panel = PalettePanel(self.theme)
        self.palette_panel.activityRequested.connect(self._add_from_palette)
        self.palette_dock = self._dock(
            "palette", "Activities", self.palette_panel, Qt.DockWidgetArea.LeftDockWidgetArea
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
        self.bottom_docks.append(self.problems_dock)

    def _register(self, action: QAction) -> QAction:
        """Make an action's shortcuts work anywhere in the window and findable by object name."""
        self.addAction(action)
        self.actions_by_name[action.objectName()] = action
        return action

    def _action(
        self,
        name: str,
        text: str,
        slot: Callable[[], object] | None,
        shortcut: Shortcut = None,
        tip: str = "",
    ) -> QAction:
        return self._register(make_action(self, name, text, slot, shortcut, tip))

    def _edit_action(self, name: EditAction, text: str, shortcut: Shortcut, tip: str = "") -> QAction:
        """A menu entry that triggers the current tab's edit action of the same name."""
        return self._action(name.value, text, lambda: self.trigger_edit(name), shortcut, tip)

    def _view_action(
        self, name: str, text: str, call: Callable[[CanvasView], object], shortcut: Shortcut
    ) -> QAction:
        """A menu entry that calls ``call`` with the current tab's view."""
        return self._action(name, text, lambda: self._with_view(call), shortcut)

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
        redo.setShortcuts(with_keys(key.Redo, "Ctrl+Y", "Ctrl+Shift+Z"))
        self._register(undo)
        self._register(redo)
        edit = self._edit_action
        edit(EditAction.CUT, "Cu&t", key.Cut)
        edit(EditAction.COPY, "&Copy", key.Copy)
        edit(EditAction.PASTE, "&Paste", key.Paste)
        edit(EditAction.DUPLICATE, "D&uplicate", "Ctrl+D")
        edit(EditAction.DELETE, "&Delete", [QKeySequence(key.Delete), "Backspace"])
        edit(EditAction.SELECT_ALL, "Select &All", key.SelectAll)
        edit(EditAction.QUICK_ADD, "&Add Activity…", None, "Search and add an activity (Tab)")
        edit(
            EditAction.INSERT_ACTIVITY,
            "&Insert Activity…",
            None,
            "Search for an activity and insert it into the selected connection",
        )
        edit(EditAction.ADD_NOTE, "Add &Note", "Ctrl+Shift+N", "Add a sticky note (Markdown) to the canvas")
        edit(EditAction.EDIT_NOTE, "&Edit Note", None, "Write the selected note (or double-click it)")
        a(
            "actionRename",
            "Re&name…",
            self.rename_selection,
            "F2",
            "Rename the selected activity (its display name), or write the selected note",
        )
        a(
            "actionRevealInProblems",
            "Reveal in &Problems",
            self.reveal_in_problems,
            "Ctrl+Shift+M",
            "Show the selected activity's problems in the Problems panel",
        )
        view = self._view_action
        view("actionZoomIn", "Zoom &In", CanvasView.zoom_in, with_keys(key.ZoomIn, "Ctrl+="))
        view("actionZoomOut", "Zoom &Out", CanvasView.zoom_out, key.ZoomOut)
        view("actionZoomReset", "&Actual Size", CanvasView.reset_zoom, "Ctrl+0")
        view("actionZoomFit", "Zoom to &Fit", CanvasView.fit_all, "Ctrl+1")
        view("actionZoomSelection", "Zoom to &Selection", CanvasView.fit_selection, "Ctrl+2")
        snap = self.settings.value("snapToGrid", True, type=bool)
        self._register(
            make_toggle(self, "actionSnapToGrid", "Snap to &Grid", self.set_snap_to_grid, checked=bool(snap))
        )
        minimap = self.settings.value("minimap", True, type=bool)
        self._register(
            make_toggle(
                self, "actionMinimap", "&Minimap", self.set_minimap_visible, "Ctrl+M", checked=bool(minimap)
            )
        )
        edit(EditAction.AUTO_LAYOUT, "Auto-&Layout", "Ctrl+Shift+L", "Lay the workflow out left to right")
        a(
            "actionShortcuts",
            "&Keyboard Shortcuts",
            self.show_shortcuts,
            with_keys(key.HelpContents, "F1"),
            "Every command and its keys, searchable",
        )
        a("actionAbout", "&About Flowdesk", self.show_about, None, "Flowdesk, Qt and Python versions")
        a(
            "actionTokenStory",
            "Try the &Token Story…",
            self.try_token_story,
            None,
            "Import the samples' store, open the story's workflows and serve them",
        )
        self.theme_group = QActionGroup(self)
        for choice in THEME_CHOICES:
            action = self._register(
                make_toggle(
                    self, f"actionTheme{choice.title()}", choice.title(), checked=choice == self.theme_choice
                )
            )
            action.triggered.connect(lambda _=False, c=choice: self.apply_theme(c))
            self.theme_group.addAction(action)

    def _build_menus_and_toolbar(self) -> None:
        bar = self.menuBar()
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        menus = self.menus
        menus[MenuName.FILE] = bar.addMenu("&File")
        self.add_actions(MenuName.FILE, ["actionNew", "actionOpen"])
        menus[MenuName.FILE].addMenu(self.recent_menu)
        self.add_actions(
            MenuName.FILE,
            [
                "actionImport",
                None,
                "actionSave",
                "actionSaveAs",
                "actionExport",
                None,
                "actionCloseTab",
                "actionQuit",
            ],
        )
        menus[MenuName.EDIT] = bar.addMenu("&Edit")
        self.add_actions(
            MenuName.EDIT,
            [
                "actionUndo",
                "actionRedo",
                None,
                EditAction.CUT,
                EditAction.COPY,
                EditAction.PASTE,
                EditAction.DUPLICATE,
                EditAction.DELETE,
                None,
                EditAction.SELECT_ALL,
                EditAction.QUICK_ADD,
                EditAction.INSERT_ACTIVITY,
                "actionRename",
                None,
                EditAction.ADD_NOTE,
                EditAction.EDIT_NOTE,
            ],
        )
        menus[MenuName.VIEW] = view_menu = bar.addMenu("&View")
        self.add_actions(
            MenuName.VIEW,
            [
                "actionZoomIn",
                "actionZoomOut",
                "actionZoomReset",
                "actionZoomFit",
                "actionZoomSelection",
                None,
                "actionRevealInProblems",
                None,
                "actionSnapToGrid",
                "actionMinimap",
            ],
        )
        theme_menu = view_menu.addMenu("&Theme")
        for action in self.theme_group.actions():
            theme_menu.addAction(action)
        menus[MenuName.PANELS] = view_menu.addMenu("&Panels")
        for dock in (self.palette_dock, self.inspector_dock, self.history_dock, self.problems_dock):
            menus[MenuName.PANELS].addAction(dock.toggleViewAction())
        menus[MenuName.RUN] = bar.addMenu("&Run")
        menus[MenuName.RUN].setObjectName("runMenu")
        menus[MenuName.ARRANGE] = bar.addMenu("&Arrange")
        self.add_actions(MenuName.ARRANGE, [EditAction.AUTO_LAYOUT])
        menus[MenuName.HELP] = bar.addMenu("&Help")
        menus[MenuName.HELP].setObjectName("helpMenu")
        self.add_actions(MenuName.HELP, ["actionShortcuts", "actionTokenStory", None, "actionAbout"])
        self.toolbar = QToolBar("Main", self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.add_toolbar_actions(
            [
                self.actions_by_name[name] if name is not None else None
                for name in (
                    "actionNew",
                    "actionOpen",
                    "actionSave",
                    None,
                    "actionUndo",
                    "actionRedo",
                    None,
                    "actionZoomFit",
                    EditAction.AUTO_LAYOUT,
                )
            ]
        )
        self.addToolBar(self.toolbar)

    def _build_status_bar(self) -> None:
        self.zoom_label = QLabel("")
        self.problem_label = QLabel("")
        self.statusBar().addPermanentWidget(self.problem_label)
        self.statusBar().addPermanentWidget(self.zoom_label)

    # --- the shell its features plug into (designer.shell.Shell) --------------------------------------

    def add_bottom_panel(self, name: str, title: str, widget: QWidget, front: bool = False) -> QDockWidget:
        """Add a panel as another tab of the bottom area (log, journal, variables...), listed in View ▸
        Panels; ``front``: the tab shown first when no layout was saved."""
        dock = self._dock(name, title, widget, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.bottom_docks[-1], dock)
        self.bottom_docks.append(dock)
        self.menus[MenuName.PANELS].addAction(dock.toggleViewAction())
        if front:
            self._front_bottom_dock = dock
        return dock

    def add_actions(self, menu: MenuName, actions: Sequence[QAction | str | None]) -> None:
        """Append actions (or the names of the window's own; None: a separator) to a menu. A feature's
        actions get window-wide shortcuts and a place in :attr:`actions_by_name`."""
        target = self.menus[menu]
        for action in actions:
            if action is None:
                if not target.isEmpty():
                    target.addSeparator()
                continue
            if isinstance(action, str):
                action = self.actions_by_name[action]
            elif action.objectName() not in self.actions_by_name:
                self._register(action)
            target.addAction(action)

    def add_toolbar_actions(self, actions: Sequence[QAction | None]) -> list[QWidget]:
        """Append actions (None: a separator) to the main toolbar; returns their buttons (named after the
        action's text for screen readers)."""
        buttons: list[QWidget] = []
        for action in actions:
            if action is None:
                self.toolbar.addSeparator()
                continue
            self.toolbar.addAction(action)
            button = self.toolbar.widgetForAction(action)
            if button is not None:
                if action.text():
                    button.setAccessibleName(action.text().replace("&", ""))
                buttons.append(button)
        return buttons

    def add_status_widget(self, widget: QWidget) -> None:
        """Show a feature's permanent widget in the status bar, before the window's own ones."""
        self.statusBar().insertPermanentWidget(self._status_widgets, widget)
        self._status_widgets += 1

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        """Say something in the status bar for a while."""
        self.statusBar().showMessage(text, timeout_ms)

    def show_tab(self, tab: EditorTab) -> None:
        """Bring an open workflow to the front."""
        self.tabs.setCurrentWidget(tab)

    def action(self, name: str) -> QAction:
        """The window's (or a feature's) action of that object name; KeyError when there is none."""
        return self.actions_by_name[name]

    @property
    def store_path(self) -> Path:
        """The object store file runs (and the store browser) use: given to the window, else chosen
        with Run ▸ Object Store…, else the user's store."""
        if self._store_path is not None:
            return self._store_path
        chosen = self.settings.value("storePath")
        return Path(str(chosen)) if chosen else default_store_path()

    def set_store_path(self, path: str | Path, remember: bool = True) -> None:
        """Use another object store file (remembered for the next start unless ``remember`` is False)."""
        self._store_path = Path(path).resolve()
        if remember:
            self.settings.setValue("storePath", str(self._store_path))
        self.show_message(f"Object store: {self._store_path}", 5000)

    def shutdown_features(self) -> None:
        """Stop every feature's threads and files (once; the window is closing or the application quits)."""
        if self._shut_down:
            return
        self._shut_down = True
        for feature in self.features:
            feature.shutdown()

    # --- tabs -------------------------------------------------------------------------------------

    def current_tab(self) -> EditorTab | None:
        """The workflow in front, if any."""
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, EditorTab) else None

    def editor_tabs(self) -> list[EditorTab]:
        """Every open workflow, in tab order."""
        widgets = (self.tabs.widget(i) for i in range(self.tabs.count()))
        return [widget for widget in widgets if isinstance(widget, EditorTab)]

    def current_view(self) -> CanvasView | None:
        """The canvas in front, if any."""
        tab = self.current_tab()
        return tab.view if tab is not None else None

    def add_document(self, document: Document) -> EditorTab:
        """Show a document in a new tab, in front."""
        tab = EditorTab(document, self.theme)
        tab.view.minimap.set_enabled(self.actions_by_name["actionMinimap"].isChecked())
        tab.editor.snap_to_grid = self.actions_by_name["actionSnapToGrid"].isChecked()
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
        tab.view.open_when_shown()
        for feature in self.features:
            feature.tab_added(tab)
        return tab

    def close_tab(self, index: int) -> bool:
        """Close a tab, asking to save unsaved changes; False when the user cancels."""
        widget = self.tabs.widget(index)
        if not isinstance(widget, EditorTab):
            return True
        if not self._settle_unsaved(widget):
            return False
        self.undo_group.removeStack(widget.document.undo_stack)
        for feature in self.features:
            feature.tab_closing(widget)
        widget.dispose()
        self.tabs.removeTab(index)
        widget.deleteLater()
        if self.tabs.count() == 0:
            self._refresh_start_page()
            self.stack.setCurrentWidget(self.start_page)
        return True

    def trigger_edit(self, name: EditAction) -> None:
        """Run an edit action of the tab in front (nothing without a tab)."""
        tab = self.current_tab()
        if tab is not None:
            tab.trigger(name)

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
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]  # None deactivates (Qt docs); the stub omits it
            self.inspector.set_editor(None)
            self.problems.set_problems([], None)
            self.setWindowTitle(APP_NAME)
            self.setWindowModified(False)
            self.zoom_label.setText("")
        else:
            self.undo_group.setActiveStack(tab.document.undo_stack)
            self.inspector.set_editor(tab.editor)
            self._selection_changed(tab)
            self.problems.set_problems(tab.problems, tab.document.workflow)
            self._update_titles(tab)
            self._show_zoom(tab.view.zoom)
        for name in TAB_ACTIONS:
            self.actions_by_name[name].setEnabled(tab is not None)
        for feature in self.features:
            feature.current_tab_changed(tab)

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

    def rename_selection(self) -> bool:
        """F2: rename the selected activity in the inspector (its display name, selected to type over), or
        write the selected note."""
        tab = self.current_tab()
        if tab is None:
            return False
        ids = tab.scene.selected_activity_ids()
        notes = tab.scene.selected_note_ids()
        if len(ids) == 1:
            self.inspector_dock.show()
            self.inspector_dock.raise_()
            self.inspector.show_activity(ids[0])
            self.inspector.focus_display_name()
            return True
        if not ids and len(notes) == 1:
            return tab.editor.edit_note(notes[0])
        self.show_message("Select one activity to rename it", 4000)
        return False

    def reveal_in_problems(self) -> bool:
        """Show the Problems panel with the selected activity's problems selected; False when it has
        none (the status bar says so)."""
        tab = self.current_tab()
        ids = tab.scene.selected_activity_ids() if tab is not None else []
        if tab is None or not ids:
            self.show_message("Select an activity to see its problems", 4000)
            return False
        tab.validate()
        self.problems_dock.show()
        self.problems_dock.raise_()
        if self.problems.select_activity(ids[0]):
            return True
        activity = tab.document.workflow.activity(ids[0])
        self.show_message(f"{activity.label if activity else ids[0]} has no problems", 4000)
        return False

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
        tab.add_activity(type_name)

    # --- files --------------------------------------------------------------------------------------

    def new_document(self) -> EditorTab:
        """A new, empty workflow in a tab of its own."""
        return self.add_document(Document.new())

    def open_dialog(self) -> None:
        """Ask for workflow files and open them."""
        self.open_files(self.dialogs.open_paths("Open workflows"))

    def import_dialog(self) -> None:
        """Open exported workflows as new, untitled documents (saving asks where)."""
        for path in self.dialogs.open_paths("Import workflow"):
            document = self._read(path)
            if document is not None:
                document.path = None
                self.add_document(document)

    def open_files(self, paths: Iterable[str | Path]) -> list[EditorTab]:
        """Open each file in a tab (or switch to it when already open); a bad file is reported, not fatal."""
        opened: list[EditorTab] = []
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
        """Save the workflow in front (asking where when it has no file yet)."""
        tab = self.current_tab()
        return self.save_tab(tab) if tab is not None else False

    def save_tab(self, tab: EditorTab) -> bool:
        """Save one tab's workflow; False when it was not saved."""
        if tab.document.path is None:
            return self._save_tab_as(tab)
        return self._write(tab, None)

    def save_as(self) -> bool:
        """Save the workflow in front under a new name."""
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
        tab.editor.finish_note_edit()
        try:
            tab.document.save(path)
        except FlowdeskError as error:
            self.dialogs.report_error("Cannot save workflow", str(error))
            return False
        self.show_message(f"Saved {tab.document.path}", 4000)
        self._update_titles(tab)
        return True

    def export(self) -> bool:
        """Write a copy of the workflow in front elsewhere (the document keeps its file)."""
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
        self.show_message(f"Exported {path}", 4000)
        return True

    def recent_files(self) -> list[str]:
        """The files opened last, newest first."""
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

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
            placeholder = self.recent_menu.addAction("No recent files")
            placeholder.setEnabled(False)

    def _refresh_start_page(self) -> None:
        self.start_page.set_recent([p for p in self.recent_files() if Path(p).is_file()])
        samples = sorted(SAMPLES_DIR.glob("*.json")) if SAMPLES_DIR.is_dir() else []
        self.start_page.set_samples([path for path in samples if looks_like_workflow(path)])

    # --- view ---------------------------------------------------------------------------------------

    def _with_view(self, call: Callable[[CanvasView], object]) -> None:
        view = self.current_view()
        if view is not None:
            call(view)

    def set_snap_to_grid(self, on: bool) -> None:
        """New and moved cards land on the grid (every tab; remembered)."""
        self.settings.setValue("snapToGrid", on)
        for tab in self.editor_tabs():
            tab.editor.snap_to_grid = on

    def set_minimap_visible(self, on: bool) -> None:
        """Show or hide the minimap of every canvas (remembered)."""
        self.settings.setValue("minimap", on)
        for tab in self.editor_tabs():
            tab.view.minimap.set_enabled(on)

    def refresh_catalog(self) -> None:
        """The catalog learned activity types (an Elsa server's): the palette, the cards, the problems and
        the inspector show them as known."""
        self.palette_panel.set_theme(self.theme)
        for tab in self.editor_tabs():
            for activity_id in list(tab.scene.cards):
                tab.scene.refresh_card(activity_id)
            tab.validate()
        current = self.current_tab()
        if current is not None:
            self.inspector.set_editor(current.editor)
            self._selection_changed(current)

    # --- help ---------------------------------------------------------------------------------------

    def shortcut_rows(self) -> list[ShortcutRow]:
        """Every action with its keys and menu (features' included), then the canvas gestures."""
        section_of: dict[str, str] = {}
        for menu_name, menu in self.menus.items():
            for action in menu.actions():
                section_of.setdefault(action.objectName(), menu.title().replace("&", "") or menu_name.value)
        listed = [action for name, action in self.actions_by_name.items() if name in section_of]
        rest = [action for name, action in self.actions_by_name.items() if name not in section_of]
        return [*action_rows([*listed, *rest], section_of), *canvas_rows()]

    def show_shortcuts(self) -> ShortcutsDialog:
        """Help ▸ Keyboard Shortcuts (F1): the searchable list, generated now from the actions."""
        if self.shortcuts_dialog is None:
            self.shortcuts_dialog = ShortcutsDialog(self.shortcut_rows(), self)
        else:
            self.shortcuts_dialog.set_rows(self.shortcut_rows())
        self.shortcuts_dialog.open_searching()
        return self.shortcuts_dialog

    def try_token_story(self) -> list[EditorTab]:
        """The guided seed story: the samples' store, the four workflows, Serve on (:mod:`designer.story`)."""
        return run_token_story(self)

    def show_about(self) -> AboutDialog:
        """Help ▸ About Flowdesk (versions of Flowdesk, Qt and Python)."""
        if self.about_dialog is None:
            self.about_dialog = AboutDialog(self)
        self.about_dialog.open()
        return self.about_dialog

    # --- theme and layout ------------------------------------------------------------------------------

    def _resolve_theme(self) -> Theme:
        return system_theme() if self.theme_choice == "system" else theme_named(self.theme_choice)

    def apply_theme(self, choice: str) -> None:
        """Use the theme ``choice`` ("system", "light" or "dark") everywhere, and remember it."""
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
        self.palette_panel.set_theme(self.theme)
        self.inspector.set_theme(self.theme)
        self.problems.set_theme(self.theme)
        for feature in self.features:
            feature.set_theme(self.theme)
        current = self.current_tab()
        if current is not None:
            self.problems.set_problems(current.problems, current.document.workflow)
        for action in self.theme_group.actions():
            action.setChecked(action.objectName() == f"actionTheme{self.theme_choice.title()}")

    def _system_scheme_changed(self) -> None:
        if self.theme_choice == "system":
            self.apply_theme("system")

    def _restore_layout(self) -> None:
        """Restore the saved geometry and docks, once every feature's panels are in; without a saved
        layout, size the docks and show the front bottom panel."""
        geometry = self.settings.value("geometry")
        state = self.settings.value("windowState")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
            return
        self.resizeDocks([self.problems_dock], [170], Qt.Orientation.Vertical)
        self.resizeDocks([self.palette_dock, self.inspector_dock], [230, 380], Qt.Orientation.Horizontal)
        if self._front_bottom_dock is not None:
            self._front_bottom_dock.raise_()

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
        self.shutdown_features()
        for tab in self.editor_tabs():
            tab.dispose()
        event.accept()
