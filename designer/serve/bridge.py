"""From the host's thread to the GUI thread: engine events and answered requests, in order, in batches.

The host calls :meth:`HostEventBridge.observe` and :meth:`HostEventBridge.request_completed` on its own
thread; they only append to a queue and, when the queue was empty, post one queued signal. The GUI thread
drains the whole queue at once, so a burst of events costs one wake-up instead of one per event.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Qt, Signal

from runtime.engine.events import EngineEvent


@dataclass(frozen=True)
class CompletedRequest:
    """A request the host answered (``WorkflowHost.on_request``), whether or not it started an instance."""

    method: str
    path: str
    status: int
    milliseconds: float
    instance_id: str | None = None
    """The instance the request started (None for 404, 405, 401...)."""
    time: datetime = field(default_factory=lambda: datetime.now(UTC))


HostItem = EngineEvent | CompletedRequest


class HostEventBridge(QObject):
    delivered = Signal(list)
    """A batch of :data:`HostItem` in the order the host produced them (GUI thread)."""

    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: deque[HostItem] = deque()
        self._lock = threading.Lock()
        self._wake_posted = False
        self._wake.connect(self.flush, Qt.ConnectionType.QueuedConnection)

    def observe(self, event: EngineEvent) -> None:
        """A runner observer (any thread)."""
        self._put(event)

    def request_completed(
        self, method: str, path: str, status: int, milliseconds: float, instance_id: str | None = None
    ) -> None:
        """The host's ``on_request`` callback (any thread)."""
        self._put(CompletedRequest(method, path, status, milliseconds, instance_id))

    def _put(self, item: HostItem) -> None:
        with self._lock:
            self._queue.append(item)
            if self._wake_posted:
                return
            self._wake_posted = True
        self._wake.emit()

    def flush(self) -> None:
        """Deliver what is queued now (GUI thread)."""
        with self._lock:
            items = list(self._queue)
            self._queue.clear()
            self._wake_posted = False
        if items:
            self.delivered.emit(items)
