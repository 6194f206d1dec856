"""The state of one running workflow: variables, outputs, scopes, the work stack and the journal."""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from runtime.engine.handlers import NO_OUTPUT
from runtime.lazylist import MadeWhenRead


def new_guid() -> str:
    """A random (version 4) GUID as 32 hex digits, Elsa's ``Guid.NewGuid().ToString("N")``, without the cost
    of building a ``uuid.UUID``. The bytes come from the system's secure source, read 4 KiB at a time: a
    served request takes two ids, and a system call each let the log's and history's threads take the GIL."""
    raw = bytearray(_random_bytes(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    return raw.hex()


class _RandomPool:
    """``os.urandom`` bytes, read in blocks and handed out once each (a forked child starts a block of its
    own, so parent and child never share ids)."""

    BLOCK = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._block = b""
        self._offset = 0

    def take(self, count: int) -> bytes:
        with self._lock:
            offset = self._offset
            if offset + count > len(self._block):
                self._block, offset = os.urandom(max(self.BLOCK, count)), 0
            self._offset = offset + count
            return self._block[offset : offset + count]

    def forget(self) -> None:
        self._block, self._offset = b"", 0


_pool = _RandomPool()
_random_bytes = _pool.take
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_pool.forget)


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists, scalars), several times cheaper than ``copy.deepcopy``;
    anything else is copied with ``copy.deepcopy``."""
    kind = type(value)
    if kind is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if kind is list:
        return [copy_json(item) for item in value]
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value)


_IMMUTABLE = frozenset({str, int, float, bool, type(None)})


class InstanceStatus(StrEnum):
    """Where an instance is in its life; the values are Elsa 2's ``WorkflowStatus`` names."""

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


class Journal(MadeWhenRead[JournalRecord]):
    """An instance's journal, oldest first: the engine keeps a step's facts as it had them, and they become a
    :class:`JournalRecord` when first read.

    A record costs more to make than the rest of a step (its time as a ``datetime``, its inputs by property
    name, masked), and most are never read: a 25,000-step ``flowdesk run`` keeps 10,000 and the run history
    reads its last hundred. The engine appends ``(make, *facts)`` to :attr:`entries`, where ``make(*facts)``
    is the record; a record made is kept in place of its facts, so reading one twice gives the same record.
    Written by the engine's thread; read there, or once the run is over.
    """

    __slots__ = ("entries",)

    def __init__(self, records: Iterable[JournalRecord] = ()) -> None:
        self.entries: list[Any] = list(records)
        """The engine's side: records and steps' ``(make, *facts)`` as kept (appended and trimmed with the
        list's own methods, a step's cost); read through the journal."""

    def append(self, record: JournalRecord) -> None:
        self.entries.append(record)

    def clear(self) -> None:
        self.entries.clear()

    def __len__(self) -> int:
        return len(self.entries)

    def __delitem__(self, index: int | slice) -> None:
        del self.entries[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Journal | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Journal({list(self)!r})"

    def _made(self, index: int) -> JournalRecord:
        entry = self.entries[index]
        if type(entry) is tuple:
            entry = entry[0](*entry[1:])
            self.entries[index] = entry
        return entry


@dataclass(slots=True)
class Fault:
    """Why an instance faulted: the activity, the property (when an expression failed) and the cause."""

    message: str
    activity_id: str | None = None
    activity_label: str | None = None
    property_name: str | None = None
    where: str = ""
    """Where the fault was raised, for a message that does not say it itself (a Fault activity's Message,
    kept exactly as the author wrote it, as Elsa 2 stores it)."""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(slots=True)
class HttpResponseRecord:
    """What WriteHttpResponse wrote (the host sends it; a direct run keeps it for inspection)."""

    status_code: int
    content: Any = None
    content_type: str | None = None
    charset: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HttpConnection:
    """Where the request that started an instance came from; its path, query and route values are the
    instance's input (the HttpEndpoint output). Scripts read it (``getRemoteIPAddress``, ``absoluteUrl``)."""

    remote_address: str | None
    base_url: str | None
    """Scheme, host and port the host serves at, e.g. ``http://127.0.0.1:5080``."""


@dataclass(eq=False, slots=True)
class ActivityScope:
    """An open scope (If, Switch, ForEach, While): its owner runs again when the work inside runs out.

    ``variables`` are the scope's own (ForEach's ``CurrentIndex``/``CurrentValue``): expressions see them
    over the workflow's variables while the scope is open (``WorkflowExecutionContext.GetMergedVariables``).
    """

    activity_id: str
    variables: dict[str, Any] = field(default_factory=dict)


class MergedVariables(MutableMapping[str, Any]):
    """Workflow variables seen through scope variables (``layers``: oldest scope first, it wins)."""

    __slots__ = ("_workflow", "_layers")

    def __init__(self, workflow: dict[str, Any], layers: list[dict[str, Any]]) -> None:
        self._workflow = workflow
        self._layers = layers

    def __getitem__(self, name: str) -> Any:
        for layer in self._layers:
            if name in layer:
                return layer[name]
        return self._workflow[name]

    def __contains__(self, name: object) -> bool:
        return name in self._workflow or any(name in layer for layer in self._layers)

    def __setitem__(self, name: str, value: Any) -> None:
        self._workflow[name] = value

    def __delitem__(self, name: str) -> None:
        del self._workflow[name]

    def __iter__(self) -> Iterator[str]:
        seen = dict.fromkeys(self._workflow)
        for layer in reversed(self._layers):
            seen.update(dict.fromkeys(layer))
        return iter(seen)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(eq=False)
class WorkflowInstance:
    """One run of a workflow: its status, variables, outputs, journal, and the fault or output it ended with.

    The engine's only mutable state of a run, so a finished instance is the whole record of what happened (the
    CLI prints it, the designer's journal and variables panels show it, run history stores it).
    """

    workflow_name: str
    definition_id: str | None
    input: Any = None
    id: str = field(default_factory=new_guid)
    """128 random bits as 32 hex digits (the shape of a GUID without dashes, as Elsa's ids)."""
    correlation_id: str | None = None
    status: InstanceStatus = InstanceStatus.IDLE
    variables: dict[str, Any] = field(default_factory=dict)
    outputs_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs_by_name: dict[str, dict[str, Any]] = field(default_factory=dict)
    activity_state: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_output: Any = None
    scopes: list[ActivityScope] = field(default_factory=list)
    """The open scopes (If, Switch, ForEach, While); the newest is last."""
    finished_by: str | None = None
    """The Finish activity that ended the run (None: the run ran out of work)."""
    output: Any = None
    finish_outcomes: tuple[str, ...] = ()
    fault: Fault | None = None
    journal: Journal = field(default_factory=Journal)
    visits: dict[str, int] = field(default_factory=dict)
    steps: int = 0
    http_response: HttpResponseRecord | None = None
    on_http_response: Callable[[HttpResponseRecord], Awaitable[None]] | None = None
    """Set by the HTTP host: sends the response as soon as WriteHttpResponse runs (the workflow may go on)."""
    http_connection: HttpConnection | None = None
    """Set by the HTTP host for an instance a request started."""
    transient_variables: dict[str, Any] = field(default_factory=dict)
    """Elsa's transient state: lives as long as the run, never saved, seen by scripts over the variables."""
    parent_id: str | None = None
    depth: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None

    def visible_variables(self) -> MutableMapping[str, Any]:
        """The variables expressions read: the workflow's, under the open scopes' own (the oldest scope
        wins, as Elsa's ``GetMergedVariables`` folds them); writes go to the workflow's variables."""
        layers = [scope.variables for scope in self.scopes if scope.variables]
        if not layers:
            return self.variables
        return MergedVariables(self.variables, layers)

    def state_of(self, activity_id: str) -> dict[str, Any]:
        """The private, persistent state of an activity in this instance (e.g. a ForEach's index)."""
        state = self.activity_state.get(activity_id)
        if state is None:
            state = self.activity_state[activity_id] = {}
        return state
