"""The state of one running workflow: variables, outputs, scopes, the work stack and the journal."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from runtime.activities.registry import NO_OUTPUT


class InstanceStatus(StrEnum):
    IDLE = "Idle"
    RUNNING = "Running"
    FINISHED = "Finished"
    FAULTED = "Faulted"
    CANCELLED = "Cancelled"


@dataclass(slots=True)
class JournalRecord:
    """One executed activity, as the journal panel and ``--journal`` show it."""

    activity_id: str
    activity_type: str
    activity_label: str
    started_at: datetime
    duration_ms: float = 0.0
    inputs: dict[str, Any] = field(default_factory=dict)
    outcomes: tuple[str, ...] = ()
    output: Any = NO_OUTPUT
    error: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Fault:
    """Why an instance faulted: the activity, the property (when an expression failed) and the cause."""

    message: str
    activity_id: str | None = None
    activity_label: str | None = None
    property_name: str | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(slots=True)
class HttpResponseRecord:
    """What WriteHttpResponse wrote (the host sends it; a direct run keeps it for inspection)."""

    status_code: int
    content: Any = None
    content_type: str | None = None
    charset: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(eq=False)
class WorkflowInstance:
    workflow_name: str
    definition_id: str | None
    input: Any = None
    id: str = field(default_factory=lambda: os.urandom(16).hex())
    """128 random bits as 32 hex digits (the shape of a GUID without dashes, as Elsa's ids)."""
    correlation_id: str | None = None
    status: InstanceStatus = InstanceStatus.IDLE
    variables: dict[str, Any] = field(default_factory=dict)
    outputs_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs_by_name: dict[str, dict[str, Any]] = field(default_factory=dict)
    activity_state: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_output: Any = None
    scopes: list[str] = field(default_factory=list)
    """Activity ids of the open scopes (If, Switch, ForEach, While); the innermost is last."""
    output: Any = None
    finish_outcomes: tuple[str, ...] = ()
    fault: Fault | None = None
    journal: list[JournalRecord] = field(default_factory=list)
    visits: dict[str, int] = field(default_factory=dict)
    steps: int = 0
    http_response: HttpResponseRecord | None = None
    on_http_response: Callable[[HttpResponseRecord], Awaitable[None]] | None = None
    """Set by the HTTP host: sends the response as soon as WriteHttpResponse runs (the workflow may go on)."""
    parent_id: str | None = None
    depth: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None

    def state_of(self, activity_id: str) -> dict[str, Any]:
        """The private, persistent state of an activity in this instance (e.g. a ForEach's index)."""
        state = self.activity_state.get(activity_id)
        if state is None:
            state = self.activity_state[activity_id] = {}
        return state
