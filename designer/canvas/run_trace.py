"""What a run did in one workflow, as the canvas overlay shows it (plain data, no Qt).

A trace is fed the engine's activity events of every instance of its workflow (a sub-workflow called
twice adds up); it stays after the run until the next run or a clear. A connection is "taken" when its
source emitted its outcome: the engine follows every connection of an emitted outcome.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class RunStatus(StrEnum):
    """Where an activity stands in the last run; the value names its ring colour (:mod:`run_colors`)."""

    EXECUTING = "executing"
    DONE = "done"
    FAULTED = "faulted"
    STOPPED = "stopped"
    EXPECTED = "expected"
    """A recorded test's comparison: on the path the test expects, not on the one its replay took."""
    ACTUAL = "actual"
    """A recorded test's comparison: on the path the replay took, not on the one the test expects."""


@dataclass
class ActivityTrace:
    """What the last run did at one activity: its status, how often it ran, and why it faulted."""

    status: RunStatus
    visits: int = 0
    error: str | None = None


_WHERE_PREFIX = re.compile(r'^workflow "[^"]*", activity "[^"]*"(, )?(: )?')


def short_fault(message: str) -> str:
    """A fault message without the 'workflow "W", activity "A"' prefix the card already says."""
    return _WHERE_PREFIX.sub("", message, count=1).strip() or message


@dataclass
class RunTrace:
    """What a run did in one workflow, fed by engine events and read by the overlay (see the module)."""

    activities: dict[str, ActivityTrace] = field(default_factory=dict)
    taken: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(source activity id, lower-cased outcome) → how many times the outcome was emitted."""
    paused_at: str | None = None
    taken_kind: dict[tuple[str, str], str] = field(default_factory=dict)
    """The colour key of a taken connection other than "taken" (a comparison: "expected", "actual")."""
    dirty: set[str] = field(default_factory=set)
    """Activities changed since the overlay last drew them (so a batch redraws only those)."""

    def executing(self, activity_id: str) -> None:
        trace = self.activities.get(activity_id)
        if trace is None:
            trace = self.activities[activity_id] = ActivityTrace(RunStatus.EXECUTING)
        trace.status = RunStatus.EXECUTING
        trace.visits += 1
        trace.error = None
        self.dirty.add(activity_id)

    def executed(self, activity_id: str, outcomes: Iterable[str]) -> None:
        trace = self.activities.get(activity_id)
        if trace is None:
            trace = self.activities[activity_id] = ActivityTrace(RunStatus.DONE, visits=1)
        trace.status = RunStatus.DONE
        for outcome in outcomes:
            self.taken[(activity_id, outcome.lower())] += 1
        self.dirty.add(activity_id)

    def faulted(self, activity_id: str, message: str) -> None:
        trace = self.activities.get(activity_id)
        if trace is None:
            trace = self.activities[activity_id] = ActivityTrace(RunStatus.FAULTED, visits=1)
        trace.status = RunStatus.FAULTED
        trace.error = short_fault(message)
        self.dirty.add(activity_id)

    def pause(self, activity_id: str | None) -> None:
        if self.paused_at is not None:
            self.dirty.add(self.paused_at)
        self.paused_at = activity_id
        if activity_id is not None:
            self.dirty.add(activity_id)

    def end(self) -> None:
        """The run is over: what was still executing was stopped."""
        self.pause(None)
        for activity_id, trace in self.activities.items():
            if trace.status is RunStatus.EXECUTING:
                trace.status = RunStatus.STOPPED
                self.dirty.add(activity_id)

    def take_dirty(self) -> set[str]:
        dirty, self.dirty = self.dirty, set()
        return dirty


def comparison_trace(
    expected: Iterable[tuple[str, tuple[str, ...], bool]], actual: Iterable[tuple[str, tuple[str, ...], bool]]
) -> RunTrace:
    """Two paths of one workflow on one trace: (activity id, outcomes, faulted) per executed step. What
    both took is drawn as a run is (done, faulted); what only the expected path took in the "expected"
    colour, and what only the actual one took in the "actual" colour."""
    trace = RunTrace()
    expected_steps, actual_steps = list(expected), list(actual)
    actual_ids = {activity_id for activity_id, _, _ in actual_steps}
    expected_ids = {activity_id for activity_id, _, _ in expected_steps}
    expected_taken = {(a, o.lower()) for a, outcomes, _ in expected_steps for o in outcomes}
    actual_taken = {(a, o.lower()) for a, outcomes, _ in actual_steps for o in outcomes}
    for activity_id, outcomes, faulted in actual_steps:
        trace.executing(activity_id)
        if faulted:
            trace.faulted(activity_id, "faulted in the replay")
        else:
            trace.executed(activity_id, outcomes)
            if activity_id not in expected_ids:
                trace.activities[activity_id].status = RunStatus.ACTUAL
    for activity_id, outcomes, _ in expected_steps:
        if activity_id not in actual_ids:
            trace.activities.setdefault(activity_id, ActivityTrace(RunStatus.EXPECTED, visits=0))
            trace.dirty.add(activity_id)
        for outcome in outcomes:
            trace.taken.setdefault((activity_id, outcome.lower()), 1)
    for key in expected_taken - actual_taken:
        trace.taken_kind[key] = "expected"
    for key in actual_taken - expected_taken:
        trace.taken_kind[key] = "actual"
    return trace
