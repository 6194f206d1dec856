"""Batches: how the live log moves many small items off the hot path (the designer's bridges have their own,
GUI-side batcher: :mod:`designer.batching`).

The engine and the HTTP host produce an item per step or request; writing (or signalling) each one at once
costs a system call (or a cross-thread event) per line, which halved ``flowdesk serve``'s throughput.
A :class:`Batcher` keeps items in order and hands them over in batches: on the producing thread itself
once ``batch_size`` items are waiting (so a busy run never waits on another thread), and from a timer
thread ``interval`` seconds after the first item of a quiet spell (so a slow run still reads live).
:meth:`Batcher.flush` hands over everything at once (end of a run, shutdown); whatever is left is handed
over at interpreter exit, so Ctrl-C and SIGTERM lose nothing. :class:`LogSink` is the batcher of log
lines: an item is the line, or what makes it (called only when the batch is written): a callable, or a
tuple of a function and its arguments (cheaper to queue than a ``functools.partial``).
"""

from __future__ import annotations

import atexit
import threading
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, TextIO, TypeVar

T = TypeVar("T")

DEFAULT_INTERVAL = 0.02
"""Seconds the first item of a quiet spell waits for company: short enough to read as live."""
DEFAULT_BATCH_SIZE = 256
"""Items that make a batch worth handing over at once, on the producing thread."""


class Batcher(Generic[T]):
    """Items from any thread, delivered in order and in batches (``deliver`` is called under a lock).

    Putting takes no lock: items go on a ``deque`` (its append and popleft are atomic), and a hand-over takes
    the lock, counts what is waiting and pops that many, so batches leave in order and an item put during a
    hand-over waits for the next one, never lost.
    """

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
        self._items: deque[T] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        _open_batchers.add(self)

    def put(self, item: T) -> None:
        """Queue ``item``; a full batch is delivered now, on this thread."""
        items = self._items
        items.append(item)
        waiting = len(items)
        if waiting >= self._batch_size or self._closed:
            self.flush()
        elif waiting == 1:  # the first of a quiet spell: the timer delivers it if nothing follows
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
        count = len(items)
        if count:
            take = items.popleft
            self._deliver([take() for _ in range(count)])
            if items:  # put while this batch was taken, and may have seen others waiting: not left behind
                self._wake.set()

    def _run(self) -> None:
        wait, pause = self._wake.wait, threading.Event().wait
        while not self._closed:
            wait()
            if self._closed:
                return
            pause(self._interval)
            self._wake.clear()  # may swallow close()'s wake-up: the loop condition sees _closed
            self.flush()


Line = str | Callable[[], "str | None"] | tuple[Any, ...]
"""A log line without its newline, or what makes it when written (None: no line): a callable, or a tuple
``(function, *arguments)``."""


class LogSink:
    """Log lines to a stream, in order, one ``write`` and one ``flush`` per batch."""

    def __init__(
        self, stream: TextIO, interval: float = DEFAULT_INTERVAL, batch_size: int = DEFAULT_BATCH_SIZE
    ) -> None:
        self.stream = stream
        self._batcher: Batcher[Line] = Batcher(self._write, interval, batch_size, name="flowdesk-log")
        self.write: Callable[[Line], None] = self._batcher.put
        """Queue a line, or what makes it (see :data:`Line`): the batcher's own ``put``, one call a line."""

    def flush(self) -> None:
        self._batcher.flush()

    def close(self) -> None:
        self._batcher.close()

    def _write(self, batch: list[Line]) -> None:
        parts: list[str] = []
        for item in batch:
            if isinstance(item, str):
                parts.append(item)
                continue
            try:
                if isinstance(item, tuple):
                    text = item[0](item[1]) if len(item) == 2 else item[0](*item[1:])
                else:
                    text = item()
            except Exception as error:  # one line that cannot be made must not cost the others
                text = f"(log line failed: {type(error).__name__}: {error})"
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


_open_batchers: weakref.WeakSet[Batcher[Any]] = weakref.WeakSet()


@atexit.register
def _flush_at_exit() -> None:
    """Nothing queued is lost when the interpreter ends normally (also after Ctrl-C or SIGTERM)."""
    for batcher in list(_open_batchers):
        batcher.close()
