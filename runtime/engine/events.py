"""Engine events. The engine emits them to observers it knows nothing about (CLI printer, Qt bridge, host).

An observer is any callable taking one :class:`EngineEvent`. Observers are called synchronously on the
engine's thread, so they must be quick (queue the event, don't block).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from time import time as _now
from typing import Any


class EventKind(StrEnum):
    """What happened in an instance; an observer filters on it (``WorkflowRunner.wanted``), so events nobody
    wants are never built. A ``StrEnum`` so its values print and serialise as they are.
    """

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


class EngineEvent:
    """One thing that happened in one workflow instance.

    A plain slotted class, not a dataclass: the engine builds one per observed step, and a frozen
    dataclass's ``__init__`` costs several times more. Treat it as immutable, its ``data`` too: the steps that
    took the same outcomes share one.
    """

    __slots__ = (
        "kind",
        "instance_id",
        "workflow_name",
        "activity_id",
        "activity_label",
        "message",
        "data",
        "timestamp",
        "level",
        "parent_instance_id",
    )

    def __init__(
        self,
        kind: EventKind,
        instance_id: str,
        workflow_name: str,
        activity_id: str | None = None,
        activity_label: str | None = None,
        message: str = "",
        data: dict[str, Any] | None = None,
        time: datetime | None = None,
        level: str = "info",
        parent_instance_id: str | None = None,
    ) -> None:
        self.kind = kind
        self.instance_id = instance_id
        self.workflow_name = workflow_name
        self.activity_id = activity_id
        self.activity_label = activity_label
        self.message = message
        self.data: dict[str, Any] = {} if data is None else data
        self.timestamp: float = _now() if time is None else time.timestamp()
        """Seconds since the epoch (``time.time()``): cheap to take; :attr:`time` makes the datetime."""
        self.level = level
        self.parent_instance_id = parent_instance_id

    @property
    def time(self) -> datetime:
        """When it happened, in UTC."""
        return datetime.fromtimestamp(self.timestamp, UTC)

    def __repr__(self) -> str:
        where = f" {self.activity_label!r}" if self.activity_label else ""
        return f"EngineEvent({self.kind.value}, {self.workflow_name!r}{where}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EngineEvent):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]


Observer = Callable[[EngineEvent], None]
