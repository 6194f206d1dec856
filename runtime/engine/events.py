"""Engine events. The engine emits them to observers it knows nothing about (CLI printer, Qt bridge, host).

An observer is any callable taking one :class:`EngineEvent`. Observers are called synchronously on the
engine's thread, so they must be quick (queue the event, don't block).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    INSTANCE_STARTED = "instance_started"
    INSTANCE_FINISHED = "instance_finished"
    INSTANCE_FAULTED = "instance_faulted"
    INSTANCE_CANCELLED = "instance_cancelled"
    INSTANCE_PAUSED = "instance_paused"
    INSTANCE_RESUMED = "instance_resumed"
    ACTIVITY_EXECUTING = "activity_executing"
    ACTIVITY_EXECUTED = "activity_executed"
    ACTIVITY_FAULTED = "activity_faulted"
    CORRELATED = "correlated"
    VARIABLE_CHANGED = "variable_changed"
    LOG = "log"


@dataclass(frozen=True, slots=True)
class EngineEvent:
    """One thing that happened in one workflow instance."""

    kind: EventKind
    instance_id: str
    workflow_name: str
    activity_id: str | None = None
    activity_label: str | None = None
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    level: str = "info"
    parent_instance_id: str | None = None


Observer = Callable[[EngineEvent], None]
