"""Server calls off the GUI thread: each coroutine runs on a worker thread's own event loop, and its result
(or its :class:`~runtime.errors.FlowdeskError`) comes back to the GUI thread through a queued signal."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from runtime.errors import FlowdeskError

Done = Callable[[Any], None]
Failed = Callable[[str], None]


class RemoteCalls(QObject):
    """Runs ``async`` work on two worker threads; ``on_done``/``on_error`` run on the GUI thread."""

    delivered = Signal(int, object, object)
    """(call number, result, error message or None): emitted on a worker thread, received queued."""
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="flowdesk-remote")
        self._numbers = itertools.count(1)
        self._waiting: dict[int, tuple[Done, Failed]] = {}
        self._closed = False
        self.delivered.connect(self._deliver)

    @property
    def busy(self) -> bool:
        return bool(self._waiting)

    def call(self, work: Callable[[], Awaitable[Any]], on_done: Done, on_error: Failed) -> int:
        """Run ``work()`` (a coroutine function) in the background."""
        if self._closed:
            return 0
        number = next(self._numbers)
        self._waiting[number] = (on_done, on_error)
        if len(self._waiting) == 1:
            self.busyChanged.emit(True)
        self._pool.submit(self._run, number, work)
        return number

    def _run(self, number: int, work: Callable[[], Awaitable[Any]]) -> None:
        async def main() -> Any:
            return await work()

        try:
            result = asyncio.run(main())
        except FlowdeskError as error:
            self.delivered.emit(number, None, str(error))
            return
        except Exception as error:  # a bug: still answer, so the window never waits forever
            self.delivered.emit(number, None, f"internal error: {type(error).__name__}: {error}")
            return
        self.delivered.emit(number, result, None)

    def _deliver(self, number: int, result: object, error: object) -> None:
        callbacks = self._waiting.pop(number, None)
        if not self._waiting:
            self.busyChanged.emit(False)
        if callbacks is None or self._closed:
            return
        on_done, on_error = callbacks
        if error is not None:
            on_error(str(error))
        else:
            on_done(result)

    def shutdown(self) -> None:
        """Forget pending answers and let the workers finish (they time out on their own)."""
        self._closed = True
        self._waiting.clear()
        self._pool.shutdown(wait=False, cancel_futures=True)
