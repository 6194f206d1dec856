"""Batches: how the live log moves many small items off the hot path (the designer's bridges have their own,
GUI-side batcher: :mod:`designer.batching`).

The engine and the HTTP host produce an item per step or request; writing (or signalling) each one at once
costs a system call (or a cross-thread event) per line, which halved ``flowdesk serve``'s throughput.
A :class:`Batcher` keeps items in order and hands them over in batches: on the producing thread itself
once ``batch_size`` items are waiting (so a busy run never waits on another thread), and from a timer
thread ``interval`` seconds after the first item of a quiet spell (so a slow run still reads live).
:meth:`Batcher.flush` hands over everything at once (end of a run, shutdown); whatever is left is handed
over at interpreter exit, so Ctrl-C and SIGTERM lose nothing. :class:`LogSink` is the batcher of log
lines: an item is the line or a callable that makes it, called only when the batch is written.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from collections.abc import Callable
from typing import Any, Generic, TextIO, TypeVar

T = TypeVar("T")

DEFAULT_INTERVAL = 0.02
"""Seconds the first item of a quiet spell waits for company: short enough to read as live."""
DEFAULT_BATCH_SIZE = 256
"""Items that make a batch worth handing over at once, on the producing thread."""


class Batcher(Generic[T]):
    """Items from any thread, delivered in order and in batches (``deliver`` is called under a lock)."""

    def __init__(
        self,
        deliver: Callable[[list[T]], None],
        interval: float = DEFAULT_INTERVAL,
        batch_size: int = DEFAULT_BATCH_SIZE,
        name: str = "flowdesk-batcher",
    ) -> None:
        self._deliver = deliver
        self._interval = interval
        self._batch_size = batch_size
        self._items: list[T] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        _open_batchers.add(self)

    def put(self, item: T) -> None:
        """Queue ``item``; a full batch is delivered now, on this thread."""
        with self._lock:
            items = self._items
            items.append(item)
            if len(items) >= self._batch_size or self._closed:
                self._hand_over()
            elif len(items) == 1:
                self._wake.set()

    def flush(self) -> None:
        """Deliver everything queued so far, now, on the calling thread."""
        with self._lock:
            self._hand_over()

    def close(self) -> None:
        """Deliver what is left and stop the timer thread; later items are delivered as they come."""
        self._closed = True
        self._wake.set()
        if self._thread is not threading.current_thread() and self._thread.is_alive():
            self._thread.join(timeout=5)
        self.flush()
        _open_batchers.discard(self)

    def _hand_over(self) -> None:
        items = self._items
        if items:
            self._items = []
            self._deliver(items)

    def _run(self) -> None:
        wait, pause = self._wake.wait, threading.Event().wait
        while not self._closed:
            wait()
            if self._closed:
                return
            pause(self._interval)
            self._wake.clear()  # may swallow close()'s wake-up: the loop condition sees _closed
            self.flush()


Line = str | Callable[[], "str | None"]
"""A log line without its newline, or a callable that makes it when written (None: no line)."""


class LogSink:
    """Log lines to a stream, in order, one ``write`` and one ``flush`` per batch."""

    def __init__(
        self, stream: TextIO, interval: float = DEFAULT_INTERVAL, batch_size: int = DEFAULT_BATCH_SIZE
    ) -> None:
        self.stream = stream
        self._batcher: Batcher[Line] = Batcher(self._write, interval, batch_size, name="flowdesk-log")

    def write(self, line: Line) -> None:
        """Queue a line, or a callable that makes it."""
        self._batcher.put(line)

    def flush(self) -> None:
        self._batcher.flush()

    def close(self) -> None:
        self._batcher.close()

    def _write(self, batch: list[Line]) -> None:
        parts: list[str] = []
        for item in batch:
            text = item if isinstance(item, str) else _made(item)
            if text is not None:
                parts.append(text)
        if not parts:
            return
        parts.append("")
        try:
            self.stream.write("\n".join(parts))
            self.stream.flush()
        except (OSError, ValueError):
            pass  # the stream is gone (a closed pipe): a run must not fail for its log


def _made(make: Callable[[], str | None]) -> str | None:
    try:
        return make()
    except Exception as error:  # one line that cannot be made must not cost the others
        return f"(log line failed: {type(error).__name__}: {error})"


_open_batchers: weakref.WeakSet[Batcher[Any]] = weakref.WeakSet()


@atexit.register
def _flush_at_exit() -> None:
    """Nothing queued is lost when the interpreter ends normally (also after Ctrl-C or SIGTERM)."""
    for batcher in list(_open_batchers):
        batcher.close()
