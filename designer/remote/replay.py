"""A server instance shown as a local run is: its execution log replayed into a :class:`RunTrace` (the
canvas overlay: executed path, visit counts, the faulted card) and into journal rows."""

from __future__ import annotations

from typing import Any

from designer.canvas.run_trace import RunTrace
from designer.panels.journal import JournalRow
from runtime.engine import NO_OUTPUT, JournalRecord
from runtime.model import WorkflowDefinition
from runtime.remote.models import WorkflowInstance
from runtime.remote.replay import ReplayedStep

ENDED = frozenset({"Finished", "Faulted", "Cancelled"})
"""Statuses after which an activity still "executing" was stopped (a Suspended run waits there)."""


def instance_trace(steps: list[ReplayedStep], instance: WorkflowInstance) -> RunTrace:
    """The overlay's trace of a server instance, as the engine's events would have built it."""
    trace = RunTrace()
    for step in steps:
        trace.executing(step.activity_id)
        if step.error is not None:
            trace.faulted(step.activity_id, step.error)
        elif step.finished_at is not None:
            trace.executed(step.activity_id, step.outcomes)
    for fault in instance.all_faults():
        activity_id = fault.faulted_activity_id
        if activity_id and (
            activity_id not in trace.activities or trace.activities[activity_id].error is None
        ):
            trace.faulted(activity_id, fault.text)
    if instance.workflow_status in ENDED:
        trace.end()
    trace.take_dirty()
    return trace


def journal_rows(
    steps: list[ReplayedStep], instance: WorkflowInstance, workflow: WorkflowDefinition
) -> list[JournalRow]:
    """One journal row per replayed activity run; inputs and output from the instance's activity data
    (what the server persisted of them: the last run of each activity)."""
    rows: list[JournalRow] = []
    name = workflow.name or workflow.label
    for step in steps:
        activity = workflow.activity(step.activity_id)
        state: dict[str, Any] = dict(instance.activity_data.get(step.activity_id) or {})
        output = state.pop("Output", NO_OUTPUT)
        record = JournalRecord(
            activity_id=step.activity_id,
            activity_type=step.activity_type,
            activity_label=activity.label if activity is not None else step.activity_type,
            started_at=step.started_at,
            duration_ms=step.duration_ms,
            inputs=state,
            outcomes=step.outcomes,
            output=output,
            error=step.error,
            data={**step.data, **({"suspended": True} if step.suspended else {})},
        )
        rows.append(JournalRow(record, name, workflow.definition_id, instance.id))
    return rows
