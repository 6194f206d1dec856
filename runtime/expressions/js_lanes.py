"""Scripts off the event loop: evaluation lanes, and how the engine runs a step again after one.

A script evaluated for a running instance (``ScriptScope.defer_slow_scripts``, set by the engine) first
runs where it is asked for, on the event loop, under a short CPU budget
(``JavaScriptSettings.inline_time_limit``): nearly every script ends well within it, and costs no thread
hop. One that does not is stopped (nothing it did is kept: its context is dropped) and the evaluation
raises :class:`ScriptDeferred` instead of returning. The engine then awaits :meth:`ScriptDeferred.finish`,
which runs the script again from the start in a lane (a worker thread; QuickJS releases the GIL while it
runs) with the full CPU limit, and waits at most ``wall_time_limit`` seconds for it (waiting for a free
lane included), and then runs the activity's step again. A script text that needed a lane once goes
straight to one afterwards, until a lane run ends quickly again.

Running the step again must not run again what the first attempt already did: every evaluation of a step
is recorded (:class:`StepLog`, kept on the scope for the step of ``ScriptScope.journal``, a dict of its
own per activity execution), and while the step runs again each evaluation of the same text is answered,
in order, from the record: the same value or error, with its variables already set. The deferred one
gets the lane's reply, applied then, once. So a Switch whose second case needed a lane does not run its
first case twice. Evaluating a script is otherwise free of side effects outside the scope, which is what
makes running it again from the start safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from runtime.expressions.errors import ExpressionError

_RESULT, _ERROR, _PENDING = 0, 1, 2
MAX_DEFERRALS = 1000
"""Scripts one step may send to a lane; past it, they run where they are asked for."""


class LaneJob:
    """One script run in a lane: ``run`` returns what the evaluation applies later on the caller's thread
    (``apply``), or raises ExpressionError."""

    __slots__ = ("_run", "_apply", "outcome", "error", "_abandoned")

    def __init__(self, run: Callable[[], Any], apply: Callable[[Any], Any]) -> None:
        self._run = run
        self._apply = apply
        self.outcome: Any = None
        self.error: ExpressionError | None = None
        self._abandoned = False

    def run_in_lane(self) -> None:
        global _busy
        outcome, error = None, None
        with _lanes_lock:
            _busy += 1
        try:
            outcome = self._run()
        except ExpressionError as failure:
            error = failure
        except Exception as failure:  # never lost in the executor: the evaluation reports it
            error = ExpressionError("JavaScript", f"the script could not run: {failure}")
        finally:
            with _lanes_lock:
                _busy -= 1
        if not self._abandoned:  # past the wall-clock limit, the caller has its answer already
            self.outcome, self.error = outcome, error

    async def wait(self, wall_time_limit: float, message: str, lane_count: int = 2) -> None:
        """Run the job in a lane and wait for it, at most ``wall_time_limit`` seconds."""
        future = asyncio.get_running_loop().run_in_executor(lanes(lane_count), self.run_in_lane)
        try:
            await asyncio.wait_for(future, wall_time_limit)
        except TimeoutError:
            # A queued job is cancelled; a running one ends at its CPU limit, and its reply is dropped.
            self._abandoned = True
            self.outcome = None
            self.error = ExpressionError("JavaScript", message)

    def result(self) -> Any:
        """The evaluation's value, what the script did written into the scope now (or its error)."""
        if self.error is not None:
            raise self.error
        return self._apply(self.outcome)


class ScriptDeferred(BaseException):  # noqa: N818 - a signal to the engine, like CancelledError
    """Raised by an evaluation for a running instance whose script needs more time than the event loop
    may give. The engine awaits :meth:`finish` and then runs the step again (see the module's notes).

    A BaseException, so that no ``except Exception`` on the way mistakes it for a failure."""

    def __init__(
        self, job: LaneJob, log: StepLog, wall_time_limit: float, message: str, lane_count: int = 2
    ) -> None:
        super().__init__("a script needs a lane")
        self.job = job
        self.log = log
        self._wall_time_limit = wall_time_limit
        self._message = message
        self._lane_count = lane_count

    async def finish(self) -> None:
        """Run the script in a lane (off the event loop); the step's evaluations then replay their record."""
        await self.job.wait(self._wall_time_limit, self._message, self._lane_count)
        self.log.rewind()


class StepLog:
    """What the evaluations of one step (one activity execution) gave, in order, so that running the step
    again answers them from here (see the module's notes)."""

    __slots__ = ("key", "entries", "_replay", "_next", "deferrals")

    def __init__(self, key: object) -> None:
        self.key = key
        self.entries: list[tuple[str, int, Any]] = []
        """(script text, kind, what it gave): a value and the outcomes it chose, an error, or a lane job."""
        self._replay: dict[str, list[int]] | None = None
        self._next: dict[str, int] = {}
        self.deferrals = 0
        """Scripts of this step sent to a lane (bounded: a step whose texts kept changing would never end)."""

    def restart(self, key: object) -> None:
        """A new step: forget the last one's record."""
        self.key = key
        if self.entries:
            self.entries.clear()
        self._replay = None
        self.deferrals = 0

    def rewind(self) -> None:
        """The step runs again: answer its evaluations from the record, each text's in order."""
        index: dict[str, list[int]] = {}
        for position, (source, _kind, _value) in enumerate(self.entries):
            index.setdefault(source, []).append(position)
        self._replay = index
        self._next = {}

    def replay(self, source: str, outcomes: list[str] | None) -> tuple[bool, Any]:
        """``(True, value)`` when the record answers this evaluation (or raises its error); else not. The
        outcomes it chose go into ``outcomes`` again (a handler running again makes a new list)."""
        positions = self._replay.get(source) if self._replay is not None else None
        if positions is None:
            return False, None
        count = self._next.get(source, 0)
        if count >= len(positions):
            return False, None
        self._next[source] = count + 1
        position = positions[count]
        _source, kind, value = self.entries[position]
        if kind == _RESULT:
            result, chosen = value
            if chosen and outcomes is not None:
                outcomes.extend(chosen)
            return True, result
        if kind == _ERROR:
            raise value
        job: LaneJob = value  # the deferred evaluation: its lane reply is applied now, once
        already = len(outcomes) if outcomes is not None else 0
        try:
            result = job.result()
        except ExpressionError as error:
            self.entries[position] = (source, _ERROR, error)
            raise
        chosen = outcomes[already:] if outcomes is not None else []
        self.entries[position] = (source, _RESULT, (result, chosen))
        return True, result

    def record_value(self, source: str, value: Any, chosen: list[str]) -> None:
        """A value the evaluation gave, with the outcomes it chose."""
        self._note(source, _RESULT, (value, chosen))

    def record_error(self, source: str, error: ExpressionError) -> None:
        self._note(source, _ERROR, error)

    def record_job(self, source: str, job: LaneJob) -> None:
        self.deferrals += 1
        self._note(source, _PENDING, job)

    def _note(self, source: str, kind: int, value: Any) -> None:
        self.entries.append((source, kind, value))
        replay = self._replay
        if replay is not None:  # past the record while running again: a later retry replays this too
            positions = replay.setdefault(source, [])
            positions.append(len(self.entries) - 1)
            self._next[source] = len(positions)


_lanes: ThreadPoolExecutor | None = None
_spares: ThreadPoolExecutor | None = None
_lanes_lock = threading.Lock()
_busy = 0


def busy_lanes() -> int:
    """How many lanes are running a script now (one past its wall-clock limit included): diagnostics."""
    return _busy


def lanes(count: int = 2) -> ThreadPoolExecutor:
    """The lanes' executor, of ``count`` threads (started on first use; they end with the process)."""
    global _lanes
    if _lanes is None:
        with _lanes_lock:
            if _lanes is None:
                _lanes = ThreadPoolExecutor(
                    max(1, count), thread_name_prefix="flowdesk-js", initializer=_lower_priority
                )
    return _lanes


def _lower_priority() -> None:
    """Lanes run long scripts: the scheduler prefers the event loop's thread (Linux: a thread's own nice
    value), so requests that need no lane stay quick while every lane is busy."""
    with contextlib.suppress(AttributeError, OSError):
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + 10))


def in_background(task: Callable[[], None]) -> None:
    """Run ``task`` on a thread of its own, never behind the lanes' scripts (preparing a spare context,
    so that the event loop does not have to when a context was dropped)."""
    global _spares
    if _spares is None:
        with _lanes_lock:
            if _spares is None:
                _spares = ThreadPoolExecutor(max_workers=1, thread_name_prefix="flowdesk-js-spare")
    _spares.submit(task)
