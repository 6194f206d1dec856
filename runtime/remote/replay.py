"""A server instance's execution log read back: the activities it ran (for the canvas overlay and the
journal) and the log lines ``flowdesk run`` would have printed for them.

Elsa writes ``Executing``/``Resuming`` before an activity runs, ``Executed``/``Resumed`` after it (``data``:
``{"Outcomes": [...], <journal entries>}``), ``Faulted`` with the exception, and ``Suspended`` on the
activity a run waits at. A faulting activity logs ``Executing``, ``Faulted``, then ``Executed`` with no
outcome: it stays faulted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from runtime.engine.events import EngineEvent, EventKind
from runtime.model import WorkflowDefinition
from runtime.remote.convert import parse_timestamp
from runtime.remote.models import ExecutionLogRecord, WorkflowInstance

BEFORE = frozenset({"Executing", "Resuming"})
AFTER = frozenset({"Executed", "Resumed"})
HIDDEN_DATA = frozenset({"Outcomes", "Exception"})


@dataclass
class ReplayedStep:
    """One run of one activity, from its ``Executing`` record to its ``Executed`` one."""

    activity_id: str
    activity_type: str
    started_at: datetime
    finished_at: datetime | None = None
    outcomes: tuple[str, ...] = ()
    error: str | None = None
    suspended: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    """The activity's own journal entries (``Text`` for WriteLine...), PascalCase as Elsa writes them."""

    @property
    def open(self) -> bool:
        """Started and not over: running, or waiting (suspended) at this activity."""
        return self.finished_at is None and self.error is None

    @property
    def duration_ms(self) -> float:
        end = self.finished_at or self.started_at
        return max(0.0, (end - self.started_at).total_seconds() * 1000)


def _when(record: ExecutionLogRecord) -> datetime:
    return parse_timestamp(record.timestamp) or datetime.fromtimestamp(0, UTC)


def replay_steps(records: Iterable[ExecutionLogRecord]) -> list[ReplayedStep]:
    """The activity runs of a log, in the order they started."""
    steps: list[ReplayedStep] = []
    open_steps: dict[str, ReplayedStep] = {}
    for record in records:
        name = record.event_name
        activity_id = record.activity_id
        if not activity_id:
            continue
        step = open_steps.get(activity_id)
        if name in BEFORE:
            if name == "Resuming" and step is not None:
                step.suspended = False
                continue
            step = ReplayedStep(activity_id, record.activity_type, _when(record))
            steps.append(step)
            open_steps[activity_id] = step
            continue
        if step is None:
            step = ReplayedStep(activity_id, record.activity_type, _when(record))
            steps.append(step)
            open_steps[activity_id] = step
        if name in AFTER:
            step.finished_at = _when(record)
            if record.outcomes or step.error is None:
                step.outcomes = tuple(record.outcomes)
            if isinstance(record.data, dict):
                step.data.update({k: v for k, v in record.data.items() if k not in HIDDEN_DATA})
            step.suspended = False
            open_steps.pop(activity_id, None)
        elif name == "Faulted":
            step.error = record.message or record.exception_message or "faulted"
            step.finished_at = step.finished_at or _when(record)
        elif name == "Suspended":
            step.suspended = True
    return steps


def activity_labels(workflow: WorkflowDefinition | None) -> dict[str, str]:
    return {a.activity_id: a.label for a in workflow.activities} if workflow is not None else {}


def workflow_title(instance: WorkflowInstance | None, workflow: WorkflowDefinition | None) -> str:
    """How the log names the workflow: its name (as ``run`` does), else the instance's, else its id."""
    if workflow is not None and (workflow.name or workflow.display_name):
        return workflow.name or workflow.display_name or ""
    if instance is not None:
        return instance.name or instance.definition_id or instance.id
    return "workflow"


def log_events(
    records: list[ExecutionLogRecord],
    instance: WorkflowInstance | None = None,
    workflow: WorkflowDefinition | None = None,
) -> list[EngineEvent]:
    """The engine events ``flowdesk run`` would have emitted for this log (so the lines read the same)."""
    labels = activity_labels(workflow)
    title = workflow_title(instance, workflow)
    first = records[0].workflow_instance_id if records else ""
    instance_id = instance.id if instance is not None else first
    events: list[EngineEvent] = []
    created = parse_timestamp(instance.created_at) if instance is not None else None
    if created is not None:
        events.append(
            EngineEvent(
                EventKind.INSTANCE_STARTED, instance_id, title, message=f"started {title}", time=created
            )
        )
    faulted: set[str] = set()
    for record in records:
        label = labels.get(record.activity_id) or record.activity_type or record.activity_id
        when = _when(record)
        name = record.event_name
        activity_id = record.activity_id or None
        if name in BEFORE:
            faulted.discard(record.activity_id)
        if name in AFTER:
            outcomes = record.outcomes
            if not outcomes and record.activity_id in faulted:
                continue  # Elsa closes a faulted activity with an empty Executed: the fault said it all
            extra = (
                {k: v for k, v in record.data.items() if k not in HIDDEN_DATA}
                if isinstance(record.data, dict)
                else {}
            )
            message = f"→ {', '.join(outcomes) or '(no outcome)'}"
            if name == "Resumed":
                message += " (resumed)"
            if extra:
                message += f"  {_compact(extra)}"
            events.append(
                EngineEvent(
                    EventKind.ACTIVITY_EXECUTED,
                    instance_id,
                    title,
                    activity_id,
                    label,
                    message,
                    {"outcomes": outcomes},
                    time=when,
                )
            )
        elif name == "Faulted":
            faulted.add(record.activity_id)
            message = record.message or record.exception_message or "faulted"
            events.append(
                EngineEvent(
                    EventKind.ACTIVITY_FAULTED,
                    instance_id,
                    title,
                    activity_id,
                    label,
                    message,
                    time=when,
                    level="error",
                )
            )
        elif name == "Suspended":
            events.append(
                EngineEvent(
                    EventKind.INSTANCE_PAUSED,
                    instance_id,
                    title,
                    activity_id,
                    label,
                    "suspended (waiting here)",
                    time=when,
                )
            )
        elif name not in BEFORE:
            events.append(
                EngineEvent(
                    EventKind.LOG,
                    instance_id,
                    title,
                    activity_id,
                    label,
                    f"{name}: {record.message or ''}".rstrip(": "),
                    time=when,
                )
            )
    if instance is not None:
        events.extend(_end_events(instance, instance_id, title))
    return events


def _end_events(instance: WorkflowInstance, instance_id: str, title: str) -> list[EngineEvent]:
    status = instance.workflow_status
    if status == "Finished":
        when = parse_timestamp(instance.finished_at or instance.last_executed_at)
        return [EngineEvent(EventKind.INSTANCE_FINISHED, instance_id, title, message="finished", time=when)]
    if status == "Faulted":
        when = parse_timestamp(instance.faulted_at or instance.last_executed_at)
        faults = instance.all_faults()
        message = faults[0].text if faults else "faulted"
        return [
            EngineEvent(
                EventKind.INSTANCE_FAULTED, instance_id, title, message=message, time=when, level="error"
            )
        ]
    if status == "Cancelled":
        when = parse_timestamp(instance.cancelled_at or instance.last_executed_at)
        return [EngineEvent(EventKind.INSTANCE_CANCELLED, instance_id, title, message="cancelled", time=when)]
    return []


def log_lines(
    records: list[ExecutionLogRecord],
    instance: WorkflowInstance | None = None,
    workflow: WorkflowDefinition | None = None,
) -> list[str]:
    """The execution log as ``flowdesk run`` lines (``2024-05-01T10:00:00.123Z INFO    ACTIVITY  [e1d2…]
    Hello / Write Line: → Done``), secrets masked as ``run`` masks them."""
    from runtime.logfmt import format_event

    lines: list[str] = []
    for event in log_events(records, instance, workflow):
        line = format_event(event)
        if line is not None:
            lines.append(line)
    return lines


def _compact(value: Any, limit: int = 160) -> str:
    from runtime.masking import SecretMasker

    try:
        text = json.dumps(SecretMasker().value(value), ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
