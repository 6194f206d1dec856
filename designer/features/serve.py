"""Serve: host the open workflows' HTTP endpoints on loopback, list the requests and runs, send test requests.

The work is :class:`~designer.serve.controller.ServeController`'s (which takes small callables, not the
window); this module plugs it into the window: the Serve, Send Request and Serve Port actions (Run menu and
toolbar), the Runs panel, and, through the run feature's typed hooks (its observer and follower), the served
instances in the log, the journal, the variables panel and on the canvas, as a Run shows its own.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget

from designer.features.run import STATUS_MESSAGE_MS
from designer.run.bridge import InstanceFollower
from designer.serve.controller import ServeController, ServeDialogs, qt_ask_port
from designer.serve.runs_model import RunsModel
from designer.serve.runs_panel import RunsPanel
from designer.shell import Feature, MenuName, Shell
from designer.theme import Theme
from runtime.engine.events import Observer

TOOLBAR_NAMES = {"actionServe": "Serve", "actionSendRequest": "Send request"}
"""Accessible names of the toolbar buttons."""


class ServeFeature(Feature):
    """The Serve toggle and the Runs panel."""

    controller: ServeController
    runs_model: RunsModel
    runs_panel: RunsPanel
    runs_dock: QDockWidget

    def __init__(
        self, run_observer: Observer | None = None, run_follower: InstanceFollower | None = None
    ) -> None:
        self.run_observer = run_observer
        """Also observes the served instances (the run feature's
        :meth:`~designer.features.run.RunFeature.observe`), so they show in the log, the journal and on the
        canvas as they run."""
        self.run_follower = run_follower
        """Told of each served instance as it starts and ends (the run feature), so the observer's events
        carry journal records and variables as a Run's do."""

    def install(self, shell: Shell) -> None:
        parent = shell.window()
        self.runs_model = RunsModel(shell.theme, parent)
        self.runs_panel = RunsPanel(self.runs_model)
        observers = [self.run_observer] if self.run_observer is not None else []
        controller = self.controller = ServeController(
            documents=lambda: [tab.document for tab in shell.editor_tabs()],
            settings=shell.settings,
            dialogs=ServeDialogs(
                report_error=lambda title, message: shell.dialogs.report_error(title, message),
                ask_port=qt_ask_port(parent),
            ),
            store_path=lambda: shell.store_path,
            extra_observers=lambda: observers,
            show_message=lambda text: shell.show_message(text, STATUS_MESSAGE_MS),
            parent=parent,
            follower=self.run_follower,
        )
        controller.bridge.delivered.connect(self.runs_model.apply)
        controller.servingChanged.connect(self._serving_changed)
        self.runs_panel.set_send_action(controller.send_action)
        self.runs_dock = shell.add_bottom_panel("runsList", "Runs", self.runs_panel)
        shell.add_actions(
            MenuName.RUN, [None, controller.action, controller.send_action, controller.port_action]
        )
        actions = (controller.action, controller.send_action)
        for action, button in zip(actions, shell.add_toolbar_actions([None, *actions]), strict=True):
            button.setAccessibleName(TOOLBAR_NAMES[action.objectName()])
            button.setAccessibleDescription(action.toolTip())
            button.setObjectName(f"{action.objectName()}Button")

    def turn_on(self) -> bool:
        """Serve the open workflows (as the Serve toggle does); True when serving."""
        if not self.controller.is_serving:
            self.controller.action.setChecked(True)
        return self.controller.is_serving

    def restart(self) -> bool:
        """Serve the open workflows as they are now (stop first when serving); True when serving."""
        if self.controller.is_serving:
            self.controller.stop(wait=True)
        return self.turn_on()

    def _serving_changed(self, on: bool) -> None:
        controller = self.controller
        if on and controller.host is not None and controller.plan is not None:
            endpoints = [endpoint.describe() for endpoint in controller.host.app.endpoints]
            self.runs_panel.set_serving(controller.url, endpoints, controller.plan.skipped)
            self.runs_dock.show()
            self.runs_dock.raise_()
        else:
            self.runs_panel.set_serving(None, [], [])

    def set_theme(self, theme: Theme) -> None:
        self.runs_model.set_theme(theme)

    def shutdown(self) -> None:
        self.controller.shutdown()
