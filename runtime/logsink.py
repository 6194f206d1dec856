"""Batches: what the live log and the designer's bridges use to move many small items off the hot path.

The engine and the HTTP host produce an item per step or request; writing (or signalling) each one at once
costs a system call (or a cross-thread event) per line, which halved ``flowdesk serve``'s throughput.
A :class:`Batcher` queues items in order and hands them over in batches from its own thread, a few
milliseconds after the first one arrived; :meth:`Batcher.flush` hands over everything at once (at the end
of a run, on shutdown, at exit). :class:`LogSink` is the batcher of log lines: items are formatted on the
writer thread (lazily: a callable returning the line, or None to skip it) and written with one ``write``
and one ``flush`` per batch.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, TextIO, TypeVar

T = TypeVar("T")

DEFAULT_INTERVAL = 0.004
"""Seconds a batch collects after its first item: short enough to read as live."""


class Batcher(Generic[T]):
    """Queues items from any thread and delivers them in order, in batches, from one writer thread."""

    def __init__(
        self,
        deliver: Callable[[list[T]], None],
        interval: float = DEFAULT_INTERVAL,
        name: str = "flowdesk-batcher",
    ) -> None:
        self._deliver = deliver
        self._interval = interval
        self._queue: deque[T] = deque()
        self._armed = False
        self._wake = threading.Event()
        self._delivering = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        _open_batchers.add(self)

    def put(self, item: T) -> None:
        """Queue ``item`` (cheap: an append, and a wake-up only when the queue was idle)."""
        self._queue.append(item)
        if self._closed:
            self.flush()
        elif not self._armed:
            self._armed = True
            self._wake.set()

    def flush(self) -> None:
        """Deliver everything queued so far, now, on the calling thread (order kept)."""
        with self._delivering:
            self._drain()

    def close(self) -> None:
        """Deliver what is left and stop the writer thread; later items are delivered at once."""
        if self._closed:
            return
        self._closed = True
        self._wake.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self.flush()
        _open_batchers.discard(self)

    def _run(self) -> None:
        wait, sleep = self._wake.wait, threading.Event().wait
        while not self._closed:
            wait()
            self._wake.clear()
            self._armed = False
            if self._closed:
                break
            sleep(self._interval)
            with self._delivering:
                self._drain()

    def _drain(self) -> None:
        queue = self._queue
        if not queue:
            return
        batch = [queue.popleft() for _ in range(len(queue))]
        self._deliver(batch)


Line = str | Callable[[], "str | None"]
"""A log line, or a callable that makes it on the writer thread (None: nothing to write)."""


class LogSink:
    """Log lines to a stream, in order, written in batches (one write and one flush per batch)."""

    def __init__(self, stream: TextIO, interval: float = DEFAULT_INTERVAL) -> None:
        self.stream = stream
        self._batcher: Batcher[Line] = Batcher(self._write, interval, name="flowdesk-log")

    def write(self, line: Line) -> None:
        """Queue a line (without its newline), or a callable that makes it."""
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
            pass  # the stream is gone (closed pipe): the run itself must not fail for its log


def _made(make: Callable[[], str | None]) -> str | None:
    try:
        return make()
    except Exception as error:  # a line that cannot be made must not stop the others
        return f"(log line failed: {type(error).__name__}: {error})"


_open_batchers: weakref.WeakSet[Batcher[Any]] = weakref.WeakSet()


@atexit.register
def _flush_at_exit() -> None:
    """Nothing queued is lost when the process ends normally (including after Ctrl-C or SIGTERM)."""
    for batcher in list(_open_batchers):
        batcher.close()
