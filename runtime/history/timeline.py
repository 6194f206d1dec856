"""A run as a timeline: one bar per activity execution on a time axis, sub-workflows nested under the
activity that ran them, HTTP calls and waits marked. Plain data: the designer draws it (on screen, PNG, SVG).

Read from the run's events alone, so it works for every run the history keeps (a served run has no
journal): an activity's execution ends at its ``executed`` (or ``faulted``) event and began when the
previous one of its instance ended (or when the instance started); the engine runs an instance's
activities one after another, so nothing else happens in between but the engine's own bookkeeping. A
debugger pause before an activity (``paused`` to ``resumed``) and an HTTP call (its log line says how long
it took) are waits inside the bar. Rows: one per activity of a workflow, in the order they first ran; the
rows of a sub-workflow follow the row of the RunWorkflow that ran it, one level deeper (every run of that
sub-workflow from that activity shares them, so a loop stays one set of rows).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from runtime.engine.events import EngineEvent, EventKind

SUB_WORKFLOW_WAIT = 0.001
"""Seconds from a RunWorkflow's start to its sub-workflow's start past which the gap is shown as a wait
(a singleton sub-workflow waits there for the instance that holds its lock)."""


@dataclass
class HttpCall:
    """An outgoing HTTP request made by the activity of a bar (times in seconds from the run's start)."""

    start: float
    end: float
    method: str
    url: str
    status: int | None


@dataclass
class Wait:
    """Time inside a bar when the activity waited: for an HTTP response (``HTTP``), at a breakpoint
    (``paused``), or for its sub-workflow to start (``sub-workflow start``: a singleton's lock)."""

    start: float
    end: float
    why: str


@dataclass
class Bar:
    """One execution of one activity."""

    row: int
    instance_id: str
    activity_id: str
    label: str
    start: float
    end: float
    outcomes: tuple[str, ...] = ()
    error: str | None = None
    http: list[HttpCall] = field(default_factory=list)
    waits: list[Wait] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass
class Row:
    """An activity of a workflow; ``depth`` 0 is the run's own workflow, 1 a sub-workflow of it..."""

    workflow: str
    activity_id: str
    label: str
    depth: int
    bars: list[int] = field(default_factory=list)
    """Indexes into :attr:`Timeline.bars`."""


@dataclass
class Timeline:
    """The bars of a run, their rows, and the run's span (``started``: seconds since the epoch)."""

    title: str
    status: str
    started: float
    duration: float
    rows: list[Row]
    bars: list[Bar]

    @property
    def http_calls(self) -> list[HttpCall]:
        return [call for bar in self.bars for call in bar.http]


@dataclass
class _Open:
    """What is known of an instance's next bar before its ``executed`` event."""

    since: float
    http: list[HttpCall] = field(default_factory=list)
    waits: list[Wait] = field(default_factory=list)
    paused_at: float | None = None
    paused_id: str | None = None
    paused_label: str | None = None


def build_timeline(events: Sequence[EngineEvent], title: str = "", status: str = "") -> Timeline:
    """The timeline of a run from its events (the root's and its sub-workflows', in the order they came)."""
    if not events:
        return Timeline(title, status, 0.0, 0.0, [], [])
    origin = events[0].timestamp
    started_at: dict[str, float] = {}
    parents: dict[str, str | None] = {}
    workflows: dict[str, str] = {}
    open_bars: dict[str, _Open] = {}
    raw: list[tuple[str, str, str, float, float, tuple[str, ...], str | None, _Open]] = []
    end = 0.0
    for event in events:
        when = event.timestamp - origin
        end = max(end, when)
        instance = event.instance_id
        kind = event.kind
        if kind is EventKind.INSTANCE_STARTED:
            started_at[instance] = when
            parents[instance] = event.parent_instance_id
            workflows[instance] = event.workflow_name
            open_bars[instance] = _Open(when)
            continue
        state = open_bars.get(instance)
        if state is None:
            state = open_bars[instance] = _Open(when)
            started_at.setdefault(instance, when)
            parents.setdefault(instance, event.parent_instance_id)
            workflows.setdefault(instance, event.workflow_name)
        if kind is EventKind.ACTIVITY_EXECUTED or kind is EventKind.ACTIVITY_FAULTED:
            outcomes = tuple(event.data.get("outcomes") or ()) if kind is EventKind.ACTIVITY_EXECUTED else ()
            error = event.message if kind is EventKind.ACTIVITY_FAULTED else None
            raw.append(
                (
                    instance,
                    event.activity_id or "",
                    event.activity_label or event.activity_id or "",
                    state.since,
                    when,
                    outcomes,
                    error,
                    state,
                )
            )
            open_bars[instance] = _Open(when)
        elif kind is EventKind.INSTANCE_PAUSED:
            state.paused_at = when
            state.paused_id = event.activity_id
            state.paused_label = event.activity_label
        elif kind is EventKind.INSTANCE_RESUMED and state.paused_at is not None:
            state.waits.append(Wait(state.paused_at, when, "paused"))
            state.paused_at = None
        elif kind is EventKind.LOG and event.data.get("kind") == "http":
            took = event.data.get("ms")
            began = when - float(took) / 1000.0 if isinstance(took, int | float) else when
            began = max(began, state.since)
            answered = event.data.get("status")
            call = HttpCall(
                began,
                when,
                str(event.data.get("method") or ""),
                str(event.data.get("url") or ""),
                answered if isinstance(answered, int) else None,
            )
            state.http.append(call)
            if when > began:
                state.waits.append(Wait(began, when, "HTTP"))
        elif kind is EventKind.INSTANCE_CANCELLED and state.paused_at is not None:
            state.waits.append(Wait(state.paused_at, when, "paused"))
            raw.append(
                (
                    instance,
                    state.paused_id or "",
                    state.paused_label or "",
                    state.since,
                    when,
                    (),
                    "stopped",
                    state,
                )
            )
    return _lay_out(raw, parents, workflows, started_at, title, status, origin, end)


def _lay_out(
    raw: Iterable[tuple[str, str, str, float, float, tuple[str, ...], str | None, _Open]],
    parents: dict[str, str | None],
    workflows: dict[str, str],
    started_at: dict[str, float],
    title: str,
    status: str,
    origin: float,
    end: float,
) -> Timeline:
    items = list(raw)
    by_instance: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        by_instance.setdefault(item[0], []).append(index)
    row_of_bar: dict[int, tuple[object, ...]] = {}
    depth_of: dict[str, int] = {}
    anchor_of: dict[str, tuple[object, ...] | None] = {}
    child_start: dict[int, float] = {}
    """Bar index -> when the first sub-workflow it ran started (the time before is a wait)."""

    def anchor(instance: str) -> tuple[object, ...] | None:
        """The row key of the parent's bar that ran this instance (None for the run's own instance)."""
        if instance in anchor_of:
            return anchor_of[instance]
        anchor_of[instance] = None
        depth_of[instance] = 0
        parent = parents.get(instance)
        if parent is None or parent not in workflows:
            return None
        first = by_instance.get(instance)
        began = started_at.get(instance, items[first[0]][3] if first else 0.0)
        for index in by_instance.get(parent, ()):
            _, activity_id, _, start, stop, *_ = items[index]
            if start <= began <= stop:
                child_start[index] = min(child_start.get(index, began), began)
                key = (anchor(parent), workflows[parent], activity_id)
                anchor_of[instance] = key
                depth_of[instance] = depth_of.get(parent, 0) + 1
                return key
        anchor_of[instance] = anchor(parent)
        depth_of[instance] = depth_of.get(parent, 0) + 1
        return anchor_of[instance]

    rows: dict[tuple[object, ...], Row] = {}
    children: dict[tuple[object, ...] | None, list[tuple[object, ...]]] = {}
    for index, (instance, activity_id, label, *_rest) in enumerate(items):
        parent_key = anchor(instance)
        key = (parent_key, workflows.get(instance, ""), activity_id)
        row_of_bar[index] = key
        if key not in rows:
            rows[key] = Row(workflows.get(instance, ""), activity_id, label, depth_of.get(instance, 0))
            children.setdefault(parent_key, []).append(key)
    ordered: list[tuple[object, ...]] = []

    def visit(parent_key: tuple[object, ...] | None) -> None:
        for key in children.get(parent_key, []):
            ordered.append(key)
            visit(key)

    visit(None)
    number = {key: position for position, key in enumerate(ordered)}
    bars: list[Bar] = []
    for index, (instance, activity_id, label, start, stop, outcomes, error, state) in enumerate(items):
        row = number[row_of_bar[index]]
        waits = state.waits
        began = child_start.get(index)
        if began is not None and began - start > SUB_WORKFLOW_WAIT:
            waits = [Wait(start, began, "sub-workflow start"), *waits]
        bar = Bar(row, instance, activity_id, label, start, stop, outcomes, error, state.http, waits)
        rows[ordered[row]].bars.append(len(bars))
        bars.append(bar)
    return Timeline(title, status, origin, end, [rows[key] for key in ordered], bars)


__all__ = ["Bar", "HttpCall", "Row", "Timeline", "Wait", "build_timeline"]
