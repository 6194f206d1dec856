"""Control of a running instance from outside: stop, pause before an activity, step, resume, breakpoints.

The designer's debugger calls these from the GUI thread while the engine runs on its own event loop;
every method is thread-safe and wakes the engine through ``loop.call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from typing import Any


class ExecutionControl:
    """One per run (shared by the instance and its blocking sub-workflows)."""

    def __init__(self, breakpoints: Iterable[str] = (), pause_at_start: bool = False) -> None:
        self._lock = threading.Lock()
        self.breakpoints: set[str] = set(breakpoints)
        self._pause_requested = pause_at_start
        self._steps_allowed = 0
        self._stopped = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._tasks: set[asyncio.Task[object]] = set()
        self.paused_at: str | None = None
        self._variable_edits: list[tuple[str, Any]] = []

    # --- called from any thread --------------------------------------------------------------------

    def pause(self) -> None:
        """Pause before the next activity."""
        with self._lock:
            self._pause_requested = True

    def resume(self) -> None:
        """Run on until the next breakpoint."""
        with self._lock:
            self._pause_requested = False
            self._steps_allowed = 0
        self._wake()

    def step(self) -> None:
        """Run exactly one activity, then pause again."""
        with self._lock:
            self._pause_requested = True
            self._steps_allowed += 1
        self._wake()

    def stop(self) -> None:
        """Cancel the run: the activity in progress is cancelled and nothing else runs."""
        with self._lock:
            self._stopped = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._cancel_tasks)
        self._wake()

    def edit_variable(self, name: str, value: Any) -> None:
        """Change a variable of the paused instance; applied on the engine's thread before it goes on."""
        with self._lock:
            self._variable_edits.append((name, value))

    def take_variable_edits(self) -> list[tuple[str, Any]]:
        with self._lock:
            edits, self._variable_edits = self._variable_edits, []
        return edits

    def set_breakpoint(self, activity_id: str, enabled: bool = True) -> None:
        with self._lock:
            if enabled:
                self.breakpoints.add(activity_id)
            else:
                self.breakpoints.discard(activity_id)

    @property
    def stopped(self) -> bool:
        return self._stopped

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    # --- called by the engine ----------------------------------------------------------------------

    def attach(self, task: asyncio.Task[object]) -> None:
        """Bind to the engine's loop; ``task`` is cancelled by :meth:`stop`."""
        self._loop = asyncio.get_running_loop()
        if self._wakeup is None:
            self._wakeup = asyncio.Event()
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def must_pause_before(self, activity_id: str) -> bool:
        """Whether the engine must wait before running ``activity_id`` (consumes one step)."""
        with self._lock:
            if not self._pause_requested and activity_id not in self.breakpoints:
                return False
            if self._steps_allowed > 0:
                self._steps_allowed -= 1
                return False
            self._pause_requested = True
            return True

    async def wait_until_released(self, activity_id: str) -> None:
        """Block the instance (not the loop) until resume, step or stop."""
        assert self._wakeup is not None
        self.paused_at = activity_id
        try:
            while not self._stopped:
                with self._lock:
                    if not self._pause_requested or self._steps_allowed > 0:
                        if self._steps_allowed > 0:
                            self._steps_allowed -= 1
                        return
                    self._wakeup.clear()
                await self._wakeup.wait()
        finally:
            self.paused_at = None

    def _wake(self) -> None:
        loop, event = self._loop, self._wakeup
        if loop is not None and event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(event.set)

    def _cancel_tasks(self) -> None:
        for task in list(self._tasks):
            task.cancel()
