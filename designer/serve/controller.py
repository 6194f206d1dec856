"""The Serve toggle: host the open workflows on loopback with the runtime's HTTP host, and stop it cleanly.

Starting takes a snapshot of every open document (unsaved edits included) plus the workflow files of their
folders; edits made while serving are picked up by turning Serve off and on. The host runs on its own
thread; its engine events and answered requests reach the Runs panel through :class:`HostEventBridge`, and
the window's log and journal through the run feature's observer (with a ``follower``, journal records too).
Stopping lets the requests in flight finish (the host answers them) on a helper thread, so the window
never waits; closing the window stops the host before it goes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QWidget

from designer.document import Document
from designer.run.bridge import InstanceFollower
from designer.serve.bridge import HostEventBridge
from designer.serve.following import follow_instances
from designer.serve.hosting import HostingPlan, plan_hosting
from designer.serve.send_request import SendRequestDialog
from runtime.engine.events import Observer
from runtime.errors import FlowdeskError
from runtime.host.server import BackgroundHost, make_host

PORT_SETTING = "serve/port"
DEFAULT_PORT = 5080
LOOPBACK = "127.0.0.1"
ERROR_TITLE = "Cannot serve"


@dataclass
class ServeDialogs:
    """How Serve asks and tells things; tests replace these functions (no modal dialog ever blocks)."""

    report_error: Callable[[str, str], None]
    ask_port: Callable[[int], int | None]


def qt_ask_port(parent: QWidget) -> Callable[[int], int | None]:
    def ask(current: int) -> int | None:
        value, ok = QInputDialog.getInt(
            parent, "Serve port", "Port on 127.0.0.1 for Serve (0 picks a free one):", current, 0, 65535
        )
        return value if ok else None

    return ask


class ServeController(QObject):
    """Starts and stops the loopback host of the open workflows and owns the Serve actions.

    It takes what it needs as small callables (documents, store path, observers, messages), never the
    window, so it runs in tests without one."""

    servingChanged = Signal(bool)
    stopped = Signal()
    """The host has stopped and its port is free."""

    _host_stopped = Signal()

    def __init__(
        self,
        documents: Callable[[], Sequence[Document]],
        settings: QSettings,
        dialogs: ServeDialogs,
        store_path: Callable[[], Path | None] = lambda: None,
        extra_observers: Callable[[], Sequence[Observer]] = lambda: (),
        show_message: Callable[[str], None] = lambda _text: None,
        parent: QObject | None = None,
        follower: InstanceFollower | None = None,
    ) -> None:
        """``extra_observers`` also observe the served instances; ``follower`` is told of each one as it
        starts and ends, so those observers can describe its events fully (the run feature's journal)."""
        super().__init__(parent)
        self.documents = documents
        self.settings = settings
        self.dialogs = dialogs
        self.store_path = store_path
        self.extra_observers = extra_observers
        self.follower = follower
        self.show_message = show_message
        self.bridge = HostEventBridge(self)
        self.host: BackgroundHost | None = None
        self.plan: HostingPlan | None = None
        self.send_dialog: SendRequestDialog | None = None
        self._stopping: threading.Thread | None = None
        self._stopping_host: BackgroundHost | None = None
        self._host_stopped.connect(self._finish_stopping)
        self.action = QAction("&Serve", self)
        self.action.setObjectName("actionServe")
        self.action.setCheckable(True)
        self.action.setToolTip("Serve: host the HTTP endpoints of the open workflows on 127.0.0.1")
        self.action.setStatusTip(self.action.toolTip())
        self.action.toggled.connect(self._toggled)
        self.send_action = QAction("Send &Request…", self)
        self.send_action.setObjectName("actionSendRequest")
        self.send_action.setToolTip("Send an HTTP request to the served workflows")
        self.send_action.setStatusTip(self.send_action.toolTip())
        self.send_action.triggered.connect(lambda _=False: self.open_send_dialog())
        self.port_action = QAction("Serve &Port…", self)
        self.port_action.setObjectName("actionServePort")
        self.port_action.setStatusTip("Choose the port Serve listens on")
        self.port_action.triggered.connect(lambda _=False: self.choose_port())

    # --- settings -----------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        raw = self.settings.value(PORT_SETTING, DEFAULT_PORT)
        try:
            value = int(raw) if isinstance(raw, int | str) else DEFAULT_PORT
        except ValueError:
            return DEFAULT_PORT
        return value if 0 <= value <= 65535 else DEFAULT_PORT

    def set_port(self, port: int) -> None:
        self.settings.setValue(PORT_SETTING, int(port))

    def choose_port(self) -> None:
        chosen = self.dialogs.ask_port(self.port)
        if chosen is None or chosen == self.port:
            return
        self.set_port(chosen)
        when = "when Serve is turned on again" if self.is_serving else "when Serve is turned on"
        self.show_message(f"Serve will listen on port {chosen} {when}")

    # --- state --------------------------------------------------------------------------------------

    @property
    def is_serving(self) -> bool:
        return self.host is not None

    @property
    def url(self) -> str | None:
        return self.host.url if self.host is not None else None

    def _toggled(self, on: bool) -> None:
        if on and self.host is None:
            if not self.start():
                self._set_checked(False)
        elif not on and self.host is not None:
            self.stop()

    def _set_checked(self, on: bool) -> None:
        blocked = self.action.blockSignals(True)
        self.action.setChecked(on)
        self.action.blockSignals(blocked)

    # --- start and stop -------------------------------------------------------------------------------

    def start(self) -> bool:
        """Host the open workflows; a problem is reported in one line and nothing is left running."""
        if self.host is not None:
            return True
        if self._stopping is not None:
            return False
        try:
            plan = plan_hosting(self.documents())
            app = make_host(plan.hosted, plan.folders, self.store_path())
        except FlowdeskError as error:
            self.dialogs.report_error(ERROR_TITLE, str(error))
            return False
        if not app.endpoints:
            self.dialogs.report_error(
                ERROR_TITLE,
                "nothing to serve: no open workflow, nor any workflow in their folders, "
                "starts with an HTTP Endpoint",
            )
            return False
        app.on_request = self.bridge.request_completed
        if self.follower is not None:
            follow_instances(app, self.follower)
        app.runner.add_observer(self.bridge.observe)
        for observer in self.extra_observers():
            app.runner.add_observer(observer)
        try:
            host = BackgroundHost(app, LOOPBACK, self.port)
        except FlowdeskError as error:
            self.dialogs.report_error(ERROR_TITLE, str(error))
            return False
        try:
            host.start()
        except FlowdeskError as error:
            host.stop()
            self.dialogs.report_error(ERROR_TITLE, str(error))
            return False
        self.host, self.plan = host, plan
        self._set_checked(True)
        self._update_send_dialog()
        count = len(app.endpoints)
        self.show_message(f"Serving {count} endpoint{'s' * (count != 1)} on {host.url}")
        self.servingChanged.emit(True)
        return True

    def stop(self, wait: bool = False) -> None:
        """Stop the host: requests in flight are answered first. ``wait`` blocks until the port is free."""
        host = self.host
        if host is None:
            return
        self.host = None
        self._set_checked(False)
        self._update_send_dialog()
        self.servingChanged.emit(False)
        if wait:
            host.stop()
            self._stopped(host)
            return
        self.action.setEnabled(False)
        self.show_message("Stopping Serve (answering the requests in flight)…")
        self._stopping = threading.Thread(
            target=self._stop_in_background, args=(host,), name=f"flowdesk-stop-host-{host.port}"
        )
        self._stopping_host = host
        self._stopping.start()

    def _stop_in_background(self, host: BackgroundHost) -> None:
        host.stop()
        self._host_stopped.emit()

    def _finish_stopping(self) -> None:
        if self._stopping is None or self._stopping_host is None:
            return  # shutdown() already joined it
        self._stopping.join()
        host, self._stopping, self._stopping_host = self._stopping_host, None, None
        self._stopped(host)

    def _stopped(self, host: BackgroundHost) -> None:
        host.app.runner.remove_observer(self.bridge.observe)
        self.bridge.flush()
        self.action.setEnabled(True)
        self.show_message("Serve stopped")
        self.stopped.emit()

    def shutdown(self) -> None:
        """Stop everything before the window goes (joins the host and helper threads)."""
        self._finish_stopping()
        self.stop(wait=True)
        if self.send_dialog is not None:
            self.send_dialog.wait_idle()

    # --- send request ---------------------------------------------------------------------------------

    def open_send_dialog(self, parent: QWidget | None = None) -> SendRequestDialog:
        if self.send_dialog is None:
            owner = self.parent()
            self.send_dialog = SendRequestDialog(parent or (owner if isinstance(owner, QWidget) else None))
        self._update_send_dialog()
        self.send_dialog.show()
        self.send_dialog.raise_()
        return self.send_dialog

    def _update_send_dialog(self) -> None:
        if self.send_dialog is None:
            return
        self.send_dialog.set_base_url(self.url)
        if self.host is not None:
            self.send_dialog.set_endpoints(self.host.app.endpoints)
