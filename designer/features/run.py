"""Run and debug the workflow in front: the Run menu and toolbar, the log, journal and variables panels,
the canvas overlays and the run status in the status bar.

The engine runs off the GUI thread (:class:`~designer.run.session.RunSession`); its events reach the panels
through :class:`~designer.run.bridge.EventBridge`. :meth:`RunFeature.observe` is the typed hook through which
instances started elsewhere (Serve's host, any outside runner) show in the same panels; a runner that also
tells :meth:`RunFeature.follow` of its instances gets them journalled there too.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from designer.actions import Shortcut, make_action
from designer.editor_tab import EditorTab
from designer.run.bridge import EventBridge
from designer.run.controller import RunController
from designer.run.session import RunSession, SessionState
from designer.shell import Feature, MenuName, Shell
from designer.theme import Theme
from runtime.engine import WorkflowInstance
from runtime.engine.events import EngineEvent
from runtime.model import WorkflowDefinition

STATUS_MESSAGE_MS = 6000
STATUS_MAX_WIDTH = 460
"""The run status label's widest (a longer fault is elided there and whole in its tooltip)."""
RUN_ACTIONS = ("actionRun", "actionDebug", "actionStep", "actionContinue", "actionStop")
"""The actions that start and steer a run (Run menu and toolbar); enabled by the session's state."""
TAB_ACTIONS = ("actionToggleBreakpoint", "actionPinOutput", "actionUnpinOutput")
RUN_FROM_HERE = "actionRunFromHere"
"""Run actions about the selection of the tab in front: enabled while a tab is open."""


class RunFeature(Feature):
    """Runs and debug sessions of the open workflows, and the panels that follow them."""

    shell: Shell
    events: EventBridge
    """The engine-to-Qt bridge of the designer's runs."""
    session: RunSession
    """The engine thread of the run under way and its control (stop, step, breakpoints)."""
    controller: RunController
    """The run commands, the panels and the canvas overlays."""
    status_label: QLabel
    """The run status, permanently in the status bar (object name ``runStatus``)."""

    def __init__(self) -> None:
        self._tab_open = False
        self.serve_on: Callable[[], bool] | None = None
        """Turns Serve on (set by the window, which owns Serve): the button of a run's "connection
        refused" notice."""
        self.serve_port: Callable[[], int | None] | None = None
        """The port Serve listens on, likewise set by the window."""

    def install(self, shell: Shell) -> None:
        self.shell = shell
        parent = shell.window()
        self.events = EventBridge(parent)
        self.session = RunSession(self.events, parent)
        controller = self.controller = RunController(shell, self.events, self.session)
        controller.runStatus.connect(self.show_status)
        controller.hints.turn_serve_on = lambda: self.serve_on() if self.serve_on is not None else False
        controller.hints.serve_port = lambda: self.serve_port() if self.serve_port is not None else None
        self.session.stateChanged.connect(lambda _state: self.update_actions())
        shell.add_bottom_panel("correlationLog", "Log", controller.log_panel, front=True)
        shell.add_bottom_panel("journalPanel", "Journal", controller.journal_panel)
        shell.add_bottom_panel("variablesPanel", "Variables", controller.variables_panel)
        specs: list[tuple[str, str, Callable[[], object], Shortcut, str]] = [
            ("actionRun", "&Run", controller.run, "F5", "Run the workflow (continue when paused)"),
            (
                "actionDebug",
                "&Debug",
                controller.debug,
                ["F6", "Ctrl+F5"],
                "Run the workflow, stopping at breakpoints",
            ),
            ("actionStep", "&Step", controller.step, "F10", "Run one activity, then pause"),
            ("actionContinue", "&Continue", controller.resume, "F8", "Go on until the next breakpoint"),
            ("actionStop", "S&top", controller.stop, "Shift+F5", "Stop the run"),
            (
                RUN_FROM_HERE,
                "Run from &Here",
                controller.run_from_here,
                "Ctrl+F10",
                "Run the workflow starting at the selected activity (nothing is pinned before it)",
            ),
            (
                "actionToggleBreakpoint",
                "Toggle &Breakpoint",
                controller.toggle_breakpoint,
                "F9",
                "Debug runs pause before the selected activity",
            ),
            (
                "actionPinOutput",
                "&Pin Output…",
                controller.pin_output,
                None,
                "Runs skip the activity and use this output",
            ),
            (
                "actionUnpinOutput",
                "&Unpin Output",
                controller.unpin_output,
                None,
                "Runs execute the activity again",
            ),
            ("actionClearRun", "C&lear Run Results", self.clear_results, None, "Remove the run's marks"),
            (
                "actionChooseStore",
                "Object &Store…",
                self.choose_store,
                None,
                "Choose the object store runs use",
            ),
        ]
        self.actions = {
            name: make_action(parent, name, text, slot, shortcut, tip)
            for name, text, slot, shortcut, tip in specs
        }
        """The run actions by object name (the shell also lists them in ``actions_by_name``)."""
        menu = [*RUN_ACTIONS, RUN_FROM_HERE, None, *TAB_ACTIONS, None, "actionClearRun", "actionChooseStore"]
        shell.add_actions(MenuName.RUN, [self.actions[name] if name else None for name in menu])
        shell.add_toolbar_actions([None, *(self.actions[name] for name in RUN_ACTIONS)])
        self.status_label = QLabel("")
        self.status_label.setObjectName("runStatus")
        self.status_label.setAccessibleName("Run status")
        self.status_label.setMaximumWidth(STATUS_MAX_WIDTH)
        self.status_text = ""
        """The whole run status (the label may show it elided)."""
        shell.add_status_widget(self.status_label)

    # --- the hook Serve uses ------------------------------------------------------------------------------

    def observe(self, event: EngineEvent) -> None:
        """An engine observer (any thread): instances of any runner it observes show in the log, the
        journal, the variables panel and on the canvas, as the designer's own runs do."""
        self.events.observe(event)

    def follow(self, instance: WorkflowInstance, workflow: WorkflowDefinition) -> None:
        """An instance another runner is about to run (any thread): its events then carry the journal
        records and variables the journal and variables panels show (an
        :class:`~designer.run.bridge.InstanceFollower`)."""
        self.events.follow(instance, workflow)

    def unfollow(self, instance: WorkflowInstance) -> None:
        """That instance has ended (any thread)."""
        self.events.unfollow(instance)

    # --- commands ----------------------------------------------------------------------------------------

    def update_actions(self) -> None:
        """Enable the run commands that make sense now (no tab, idle, running or paused)."""
        state = self.session.state
        has_tab = self._tab_open
        idle = state is SessionState.IDLE
        paused = state is SessionState.PAUSED
        enabled = {
            "actionRun": (has_tab and idle) or paused,
            "actionDebug": has_tab and idle,
            "actionStep": (has_tab and idle) or paused,
            "actionContinue": paused,
            "actionStop": not idle,
            RUN_FROM_HERE: has_tab and idle,
            **dict.fromkeys(TAB_ACTIONS, has_tab),
        }
        for name, on in enabled.items():
            self.actions[name].setEnabled(on)

    def show_status(self, text: str) -> None:
        """Say how the run goes, once: in the status bar's run label (elided to fit, whole in its tooltip;
        a passing message as well would show a long fault twice, one over the other)."""
        self.status_text = text
        metrics = self.status_label.fontMetrics()
        self.status_label.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, STATUS_MAX_WIDTH - 8))
        self.status_label.setToolTip(text)

    def clear_results(self) -> None:
        """Forget the last run's marks, journal and variables (the log keeps its history)."""
        self.controller.clear_results()
        self.show_status("")

    def choose_store(self) -> None:
        """Ask which object store file runs use."""
        path = self.shell.dialogs.choose_store(str(self.shell.store_path))
        if path:
            self.shell.set_store_path(path)

    # --- window hooks ------------------------------------------------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        self.controller.set_theme(theme)

    def tab_added(self, tab: EditorTab) -> None:
        self.controller.tab_added(tab)

    def tab_closing(self, tab: EditorTab) -> None:
        self.controller.tab_closing(tab)

    def current_tab_changed(self, tab: EditorTab | None) -> None:
        self._tab_open = tab is not None
        self.update_actions()
        self.controller.current_tab_changed(tab)

    def shutdown(self) -> None:
        self.controller.shutdown()
