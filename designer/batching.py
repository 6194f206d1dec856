"""From any thread to the GUI thread, in batches: the one helper both engine bridges (Run, Serve) build on.

Vocabulary, the same everywhere: a worker thread **posts** an item (:meth:`GuiBatcher.post`); the GUI thread
receives what was posted, in order, as one list per :attr:`GuiBatcher.delivered` signal; :meth:`flush`
delivers everything posted so far at once (shutdown, tests).

Posting only appends to a queue under a lock and, when no wake-up is pending, posts one queued signal, so
a burst of thousands of items costs the GUI a few slot calls and the worker never waits for the window.
With ``max_batch`` the GUI takes at most that many per slot call and queues the rest behind the events
(paints, clicks) that arrived meanwhile, so a flood is shown in slices and the window stays responsive.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque

from PySide6.QtCore import QObject, Qt, Signal


class GuiBatcher(QObject):
    """A thread-safe queue whose items reach the GUI thread as batches (see the module docstring)."""

    delivered = Signal(list)
    """A list of posted items, in the order they were posted (GUI thread)."""

    _wake = Signal()

    def __init__(self, parent: QObject | None = None, *, max_batch: int | None = None) -> None:
        super().__init__(parent)
        self.max_batch = max_batch
        """At most this many items per :attr:`delivered` batch (None: everything queued)."""
        self._queue: deque[object] = deque()
        self._lock = threading.Lock()
        self._wake_pending = False
        self._wake.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def post(self, item: object) -> None:
        """Queue ``item`` for the GUI thread (any thread; quick and non-blocking)."""
        with self._lock:
            self._queue.append(item)
            if self._wake_pending:
                return
            self._wake_pending = True
        # RuntimeError: the Qt side is gone (a worker outlived the window): nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self._wake.emit()

    def flush(self) -> None:
        """Deliver everything queued now, in batches of at most ``max_batch`` (GUI thread)."""
        while True:
            with self._lock:
                batch = self._take()
                if not batch:
                    self._wake_pending = False
                    return
            self.delivered.emit(batch)

    def _deliver(self) -> None:
        with self._lock:
            batch = self._take()
            more = self._wake_pending = bool(self._queue)
        if more:
            self._wake.emit()  # the rest after the events (paints, clicks) queued meanwhile
        if batch:
            self.delivered.emit(batch)

    def _take(self) -> list[object]:
        """The next batch (the caller holds the lock)."""
        limit = self.max_batch
        count = len(self._queue) if limit is None else min(limit, len(self._queue))
        return [self._queue.popleft() for _ in range(count)]
