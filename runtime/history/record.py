"""A finished run as history keeps it: built from the instance and the events the log saw, masked as the log
masks, and read back as the same events (so ``history show`` prints the lines ``run`` printed).

What a record keeps (:func:`build_row`, on the history writer's thread, never the engine's):

* the summary: workflow (name, definition id, version, file path and content hash), source (run, serve,
  designer, demo), status, fault, start and end, correlation id, outcomes, steps, input, output, the HTTP
  response a served run wrote, the root instance's visit counts;
* the log: every event ``flowdesk run`` prints a line for (start, activities, correlations, HTTP calls,
  faults, finish) of the run and its sub-workflows, with its time: the path, the visit counts, the fault and
  the timeline are read from it;
* the journal (each activity's inputs, outcomes, output) of the instances whose journal was kept (``run`` and
  the designer keep one; ``serve`` does not, so a served run has the log and no journal), its last
  :attr:`HistoryLimits.journal_records` records.

Masking: one :class:`~runtime.masking.SecretMasker` per record, as the live log has one: values by their name
or record (input, output, journal) and texts (log messages, URLs, faults) with known secrets.
"""

from __future__ import annotations

import copy
import json
import threading
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from runtime.engine.events import EngineEvent, EventKind
from runtime.engine.handlers import NO_OUTPUT
from runtime.engine.instance import JournalRecord, WorkflowInstance
from runtime.jsonlimits import utf8
from runtime.lazylist import MadeWhenRead
from runtime.logfmt import LOGGED_KINDS, format_event
from runtime.masking import KNOWN_SECRETS, SecretMasker
from runtime.store.history import RunRow

DETAIL_VERSION = 1

KINDS: tuple[EventKind, ...] = (
    EventKind.INSTANCE_STARTED,
    EventKind.INSTANCE_FINISHED,
    EventKind.INSTANCE_FAULTED,
    EventKind.INSTANCE_CANCELLED,
    EventKind.INSTANCE_PAUSED,
    EventKind.INSTANCE_RESUMED,
    EventKind.ACTIVITY_EXECUTING,
    EventKind.ACTIVITY_EXECUTED,
    EventKind.ACTIVITY_FAULTED,
    EventKind.CORRELATED,
    EventKind.VARIABLE_CHANGED,
    EventKind.LOG,
)
"""Event kinds by their code in a stored record (append only: codes are stored)."""
_CODE = {kind: code for code, kind in enumerate(KINDS)}
LEVELS = ("info", "warning", "error", "debug")
_LEVEL_CODE = {level: code for code, level in enumerate(LEVELS)}

HISTORY_KINDS: frozenset[EventKind] = (LOGGED_KINDS | {EventKind.INSTANCE_RESUMED}) - {
    EventKind.VARIABLE_CHANGED
}
"""What the history observer asks the engine for: the log's events, and the end of a debugger pause."""

_MASKED = frozenset(
    {EventKind.CORRELATED, EventKind.LOG, EventKind.ACTIVITY_FAULTED, EventKind.INSTANCE_FAULTED}
)
"""Kinds whose message may quote workflow data (as :mod:`runtime.logfmt` masks them)."""


@dataclass(frozen=True)
class HistoryLimits:
    """What one record may hold at most (a long loop keeps its whole log, and its last journal records)."""

    journal_records: int = 100
    events: int = 200_000
    value_bytes: int = 256 * 1024
    """Input, output and response: larger JSON is kept as a truncated preview."""
    journal_bytes: int = 2 * 1024 * 1024
    """The journal's JSON: past this, fewer (later) records are kept."""


class KeptEvents(MadeWhenRead[EngineEvent]):
    """A run's events as the recorder keeps them until the run is over: a step's event as a number.

    A loop's steps are the same few events at other times. So a step (an executed activity) is kept as the
    index of the first step of its instance, activity and outcomes in :attr:`steps`; every other event is
    kept as it is; :attr:`times` holds each one's time. Numbers are not traversed by the garbage collector,
    where 25,000 kept events were traversed by every young collection until the run ended, and the
    record's columns (:func:`_event_columns`) are read off the numbers. Read as a sequence, it gives the
    events (a step's made anew at its own time).
    """

    __slots__ = ("items", "times", "steps", "step_of")

    def __init__(self, events: Iterable[EngineEvent] = ()) -> None:
        self.items: list[EngineEvent | int] = []
        """Each event, or for a step the index of its first occurrence in :attr:`steps`."""
        self.times: list[float] = []
        self.steps: list[EngineEvent] = []
        self.step_of: dict[tuple[str, str | None, str], int] = {}
        """(instance id, activity id, message) -> index in :attr:`steps`."""
        for event in events:
            self.add(event)

    def add(self, event: EngineEvent) -> None:
        """Keep ``event`` (the recorder's call for each event of the run)."""
        if event.kind is _STEP:
            key = (event.instance_id, event.activity_id, event.message)
            step = self.step_of.get(key)
            if step is None:
                step = self.step_of[key] = len(self.steps)
                self.steps.append(event)
            self.items.append(step)
        else:
            self.items.append(event)
        self.times.append(event.timestamp)

    def __len__(self) -> int:
        return len(self.items)

    def _made(self, index: int) -> EngineEvent:
        item = self.items[index]
        if not isinstance(item, int):
            return item
        first = self.steps[item]
        if first.timestamp == self.times[index]:
            return first
        event = copy.copy(first)
        event.timestamp = self.times[index]
        return event


_STEP = EventKind.ACTIVITY_EXECUTED


@dataclass
class PendingRun:
    """A finished run handed to the history writer: built into a row there, off the engine's thread."""

    instance: WorkflowInstance
    events: Sequence[EngineEvent]
    """The run's events: a :class:`KeptEvents` from the recorder, or a list."""
    source: str
    file_path: str | None = None
    file_hash: str | None = None
    version: int | None = None
    journals: list[tuple[str, Sequence[JournalRecord]]] = field(default_factory=list)
    """(instance id, its journal) of every instance whose journal the record keeps, the root's first."""
    limits: HistoryLimits = field(default_factory=HistoryLimits)
    children: list[tuple[str, str, str]] = field(default_factory=list)
    """(id, workflow, parent id) of each sub-workflow instance, in the order they started."""
    keep_values: bool = True
    """Keep the input, the output and the HTTP response written (masked); a served run does not unless
    asked: what its log keeps (the request's method and path, the answer's status) is kept all the same."""


@dataclass(frozen=True)
class InstanceInfo:
    """An instance of a run: the root (index 0) and its sub-workflows."""

    id: str
    workflow: str
    parent: int | None = None
    """Index of the parent instance in :attr:`RunRecord.instances`."""


@dataclass
class RunRecord:
    """A stored run read back: its row, its instances, its log events and its journal."""

    row: RunRow
    instances: list[InstanceInfo]
    events: list[EngineEvent]
    journal: list[tuple[str, JournalRecord]]
    """(instance id, record), in the order they ran per instance (the root's first)."""
    journal_total: int = 0
    """Records the run's journals had (more than :attr:`journal` holds when they were cut)."""
    events_total: int = 0
    visits: dict[str, int] = field(default_factory=dict)
    """The root instance's executions per activity (its visit counts)."""

    @property
    def id(self) -> str:
        return self.row.run_id

    def log_lines(self) -> list[str]:
        """The lines ``flowdesk run`` printed for this run (already masked)."""
        lines = []
        for event in self.events:
            line = format_event(event)
            if line is not None:
                lines.append(line)
        return lines

    def path(self) -> list[tuple[str, str, str, tuple[str, ...], str | None]]:
        """Executed activities in order: (workflow, activity id, label, outcomes, error)."""
        steps: list[tuple[str, str, str, tuple[str, ...], str | None]] = []
        for event in self.events:
            if event.kind is EventKind.ACTIVITY_EXECUTED:
                steps.append(
                    (
                        event.workflow_name,
                        event.activity_id or "",
                        event.activity_label or "",
                        tuple(event.data.get("outcomes") or ()),
                        None,
                    )
                )
            elif event.kind is EventKind.ACTIVITY_FAULTED:
                steps.append(
                    (
                        event.workflow_name,
                        event.activity_id or "",
                        event.activity_label or "",
                        (),
                        event.message,
                    )
                )
        return steps

    def journal_or_log(
        self, activity_types: Mapping[str, str] | None = None
    ) -> list[tuple[str, JournalRecord]]:
        """The run's journal as (instance id, record); a served run keeps none, so its records are made
        from its log (each execution's outcomes and times, no inputs or outputs). ``activity_types``: the
        root workflow's activity types by id, which the log does not say."""
        if self.journal:
            return list(self.journal)
        from runtime.history.timeline import build_timeline

        timeline = build_timeline(self.events)
        types = activity_types or {}
        records: list[tuple[str, JournalRecord]] = []
        for bar in sorted(timeline.bars, key=lambda b: b.start):
            workflow = timeline.rows[bar.row].workflow
            record = JournalRecord(
                activity_id=bar.activity_id,
                activity_type=types.get(bar.activity_id, "") if workflow == self.row.workflow else "",
                activity_label=bar.label,
                started_at=datetime.fromtimestamp(timeline.started + bar.start, UTC),
                duration_ms=bar.duration * 1000,
                outcomes=bar.outcomes,
                output=NO_OUTPUT,
                error=bar.error,
                data={"Note": "a served run keeps no journal: outcomes and times come from its log"},
            )
            records.append((bar.instance_id, record))
        return records


# --- building (the writer's thread) ------------------------------------------------------------------------


class _RecordMasker(SecretMasker):
    """The masker of one record: the log's masking, with each text masked once. A loop repeats the same few
    values thousands of times, and served runs the same headers and paths, so texts masked while neither
    this masker nor the process (:data:`~runtime.masking.KNOWN_SECRETS`) had learned a new secret are
    remembered for the records that follow too; a secret learned clears what was remembered."""

    _shared: dict[str, str] = {}
    _shared_for: object = None
    """The process's known-secrets pattern the shared texts were masked with."""
    _lock = threading.Lock()

    def __init__(self) -> None:
        super().__init__()
        self._masked: dict[str, str] = {}
        self._learned = 0

    def remember(self, secret: str) -> None:
        super().remember(secret)
        if len(self.known) != self._learned:
            self._learned = len(self.known)
            self._masked.clear()

    def text(self, text: str) -> str:
        masked = self._masked.get(text)
        if masked is not None:
            return masked
        shared = None
        if not self._learned:
            pattern = KNOWN_SECRETS.pattern()
            with _RecordMasker._lock:
                if _RecordMasker._shared_for is not pattern:
                    _RecordMasker._shared = {}
                    _RecordMasker._shared_for = pattern
                shared = _RecordMasker._shared
            masked = shared.get(text)
        if masked is None:
            masked = super().text(text)
            if shared is not None and len(shared) < 8192 and len(text) <= 1024:
                shared[text] = masked
        if len(self._masked) < 4096:
            self._masked[text] = masked
        return masked


def build_row(pending: PendingRun) -> RunRow:
    """The stored row of a finished run (masked; a short run of a known path shares its shape)."""
    instance = pending.instance
    limits = pending.limits
    masker = _RecordMasker()
    started = instance.started_at.timestamp() if instance.started_at is not None else _first_time(pending)
    finished = instance.finished_at.timestamp() if instance.finished_at is not None else None
    summary: dict[str, Any] = {}
    response = instance.http_response
    if pending.keep_values:  # first: the secrets masked in the input are masked wherever quoted later
        summary["input"] = _capped(masker.value(instance.input), limits.value_bytes)
        summary["output"] = _capped(masker.value(instance.output), limits.value_bytes)
        if response is not None:
            summary["response"] = {
                "status": response.status_code,
                "contentType": response.content_type,
                "content": _capped(masker.value(response.content), limits.value_bytes),
            }
    fault = instance.fault
    row = RunRow(
        run_id=instance.id,
        workflow=instance.workflow_name,
        definition_id=instance.definition_id,
        version=pending.version,
        file_path=pending.file_path,
        file_hash=pending.file_hash,
        source=pending.source,
        status=instance.status.value,
        started=started,
        finished=finished,
        correlation_id=instance.correlation_id,
        fault=masker.text(str(fault)) if fault is not None else None,
        outcomes=list(instance.finish_outcomes),
        steps=instance.steps,
        request=_request_line(instance),
        answer=response.status_code if response is not None else None,
        summary=summary,
    )
    events = pending.events
    journals = [item for item in pending.journals if item[1]]
    if not journals and len(events) <= SHAPED_EVENTS and not pending.children:
        row.shape, row.at, extra, _ = _shape(row.workflow, events, instance.id, started, masker)
        if extra:
            row.correlation_id = _correlation(row.correlation_id, extra, masker)
            row.detail = _own_detail(extra)
    else:
        _detailed(row, pending, events, started, masker)
    return row


def shaped_item(
    instance: WorkflowInstance,
    events: Sequence[EngineEvent],
    source: str,
    file: tuple[str | None, str | None],
    version: int | None,
) -> list[Any]:
    """A short run without journal, sub-workflow or kept values (a served request, mostly) as the item its
    page stores (:func:`runtime.store.history.row_item`): built where it finished, in a few microseconds,
    so that the writer's queue holds text and numbers rather than the instance and its events."""
    started_at = instance.started_at
    started = started_at.timestamp() if started_at is not None else (events[0].timestamp if events else 0.0)
    shape, at, extra, masker = _shape(instance.workflow_name, events, instance.id, started, None)
    fault = instance.fault
    correlation = instance.correlation_id
    own = None
    if extra:
        assert masker is not None
        correlation = _correlation(correlation, extra, masker)
        own = ("", _own_detail(extra))
    if fault is not None and masker is None:
        masker = _RecordMasker()
    response = instance.http_response
    finished_at = instance.finished_at
    return [
        instance.id,
        instance.workflow_name,
        instance.definition_id,
        version,
        file,
        source,
        instance.status.value,
        started,
        finished_at.timestamp() if finished_at is not None else None,
        correlation,
        masker.text(str(fault)) if fault is not None and masker is not None else None,
        list(instance.finish_outcomes),
        instance.steps,
        _request_line(instance),
        response.status_code if response is not None else None,
        shape,
        at,
        own,
    ]


SHAPED_EVENTS = 64
"""Runs of at most this many events (and no journal, no sub-workflow) share their path's shape."""
_SHAPES: dict[tuple[Any, ...], str] = {}
"""The shape text of each sequence of engine events met (their kinds, activities, words, outcomes)."""
_DATA_KINDS = frozenset(
    {EventKind.LOG, EventKind.CORRELATED, EventKind.ACTIVITY_FAULTED, EventKind.INSTANCE_FAULTED}
)
"""Events that carry workflow data: kept per run (masked), not in the shared shape."""


def _request_line(instance: WorkflowInstance) -> str | None:
    """A served run's request, as its log's line says it (``GET /hello``); None for any other run."""
    value = instance.input
    if instance.http_connection is not None and isinstance(value, dict):
        return f"{value.get('Method')} {value.get('Path')}"
    return None


def _shape(
    workflow: str,
    events: Sequence[EngineEvent],
    root: str,
    started: float,
    masker: _RecordMasker | None,
) -> tuple[str, str, list[list[Any]], _RecordMasker | None]:
    """A short run without sub-workflows as its shape (what the engine said: shared by every run of the
    same path, so built once and cached), the times of its events (µs from ``started``, comma-separated)
    and its own data events, masked by ``masker`` (made when first needed, and returned)."""
    keys: list[Any] = [workflow]
    at: list[str] = []
    extra: list[list[Any]] = []
    data_kinds = _DATA_KINDS
    executed, finished = EventKind.ACTIVITY_EXECUTED, EventKind.INSTANCE_FINISHED
    for event in events:
        kind = event.kind
        at.append(str(_stored_offset(event.timestamp, started)))
        if kind is executed:  # its message says its outcomes ("→ Done, 200")
            keys.append(event.activity_id)
            keys.append(event.message)
        elif kind in data_kinds:
            keys.append((kind, event.activity_id))
            if masker is None:
                masker = _RecordMasker()
            extra.append(_entry(event, 0, masker))
        elif kind is finished:
            keys.append((kind, tuple(event.data.get("outcomes") or ())))
        else:
            keys.append((kind, event.activity_id, event.message, event.level))
    key = tuple(keys)
    shape = _SHAPES.get(key)
    if shape is None:
        shape = _shape_text(events, root, masker or _RecordMasker())
        if len(_SHAPES) >= 2048:
            _SHAPES.clear()
        _SHAPES[key] = shape
    return shape, ",".join(at), extra, masker


def _own_detail(extra: list[list[Any]]) -> bytes:
    """The detail of a shaped run: its own data events (the rest is its shape)."""
    return _packed(_dumps({"v": DETAIL_VERSION, "extra": extra}))


def _shape_text(events: Sequence[EngineEvent], root: str, masker: SecretMasker) -> str:
    """``{"entries": [...], "event": [...]}``: the engine's entries, and per event the entry it is (the data
    events of a run are ``len(entries) + n``, its n-th entry of its own)."""
    entries: list[list[Any]] = []
    refs: list[int] = []
    seen: dict[tuple[Any, ...], int] = {}
    own = 0
    data_kinds = _DATA_KINDS
    placeholders: list[int] = []
    for event in events:
        if event.instance_id != root:
            continue
        if event.kind in data_kinds:
            placeholders.append(len(refs))
            refs.append(own)
            own += 1
            continue
        entry = _entry(event, 0, masker)
        key = tuple(json.dumps(item, ensure_ascii=False, default=_default) for item in entry)
        index = seen.get(key)
        if index is None:
            index = seen[key] = len(entries)
            entries.append(entry)
        refs.append(index)
    for position in placeholders:
        refs[position] += len(entries)
    return _dumps({"entries": entries, "event": refs})


def _entry(event: EngineEvent, instance: int, masker: SecretMasker) -> list[Any]:
    """``[instance, kind, level, activity id, label, message, data]``, masked as the log masks."""
    kind = event.kind
    if kind is EventKind.ACTIVITY_EXECUTED:
        return [
            instance,
            _CODE[kind],
            0,
            event.activity_id,
            event.activity_label,
            event.message,
            list(event.data.get("outcomes") or ()),
        ]
    message = masker.text(event.message) if kind in _MASKED else event.message
    data: Any = None
    if kind is EventKind.LOG:
        data = {
            key: masker.text(value) if isinstance(value, str) else value
            for key, value in event.data.items()
            if isinstance(value, str | int | float | bool) or value is None
        } or None
    elif kind is EventKind.INSTANCE_FINISHED:
        data = {"outcomes": list(event.data.get("outcomes") or ())}
    return [
        instance,
        _CODE[kind],
        _LEVEL_CODE.get(event.level, 0),
        event.activity_id,
        event.activity_label,
        message,
        data,
    ]


def _detailed(
    row: RunRow, pending: PendingRun, events: Sequence[EngineEvent], started: float, masker: SecretMasker
) -> None:
    """Any other run: its events, instances and journal in its own ``detail``."""
    instance = pending.instance
    limits = pending.limits
    instances, index = _instances(instance, pending.children)
    events_total = len(events)
    kept = events if isinstance(events, KeptEvents) else KeptEvents(events)
    at, refs, table = _event_columns(kept, index, started, masker, limits.events)
    journal, journal_total = _journal_rows(pending.journals, index, started, limits, masker)
    detail: dict[str, Any] = {
        "v": DETAIL_VERSION,
        "t0": started,
        "instances": instances,
        "at": at,
        "event": refs,
        "entries": table,
        "eventsTotal": events_total,
        "journalTotal": journal_total,
    }
    text = _dumps(detail)[:-1] + ',"journal":' + _journal_text(journal, limits.journal_bytes) + "}"
    row.correlation_id = _correlation(row.correlation_id, table, masker)
    row.detail = _packed(text)


COMPRESS_FROM = 4096
"""Bytes of detail from which it is stored compressed (zlib sets up ~256 KB of state per call: a served
run's few hundred bytes would cost more to compress than to store)."""


def _packed(text: str) -> bytes:
    """The detail as stored: its JSON as UTF-8, zlib-compressed when large (JSON starts with ``{``, a zlib
    stream never does)."""
    data = utf8(text)
    return zlib.compress(data, 1) if len(data) >= COMPRESS_FROM else data


def detail_text(data: bytes) -> str:
    """The JSON of a stored detail."""
    return (data if data[:1] == b"{" else zlib.decompress(data)).decode("utf-8")


_CORRELATED_CODE = _CODE[EventKind.CORRELATED]


def _correlation(value: str | None, entries: list[list[Any]], masker: SecretMasker) -> str | None:
    """The correlation id, masked as the log masks its CORRELATE line when a Correlate set it (else it is
    the engine's own GUID: nothing to mask)."""
    if value and any(entry[1] == _CORRELATED_CODE for entry in entries):
        return masker.text(value)
    return value


def _first_time(pending: PendingRun) -> float:
    return pending.events[0].timestamp if pending.events else datetime.now(UTC).timestamp()


def _instances(
    root: WorkflowInstance, children: list[tuple[str, str, str]]
) -> tuple[list[list[Any]], dict[str, int]]:
    """``[[id, workflow, parent index]]`` (the root first) and the index of each instance id."""
    instances: list[list[Any]] = [[root.id, root.workflow_name, None]]
    index = {root.id: 0}
    for instance_id, workflow, parent_id in children:
        if instance_id not in index:
            index[instance_id] = len(instances)
            instances.append([instance_id, workflow, index.get(parent_id, 0)])
    return instances, index


def _event_columns(
    events: KeptEvents, index: dict[str, int], started: float, masker: SecretMasker, limit: int
) -> tuple[list[int], list[int], list[list[Any]]]:
    """The events (at most ``limit``: the first ones and the last) as columns: µs since the start, and the
    index of each one's entry in a table of ``[instance, kind, level, activity id, label, message, data]``.
    A step's entry is made where it first ran, once per instance, activity and outcomes: a loop costs two
    numbers per step. Events of instances not in ``index`` are left out."""
    items, times = events.items, events.times
    if len(items) > limit:
        items = items[: limit - 1] + items[-1:]
        times = times[: limit - 1] + times[-1:]
    steps = events.steps
    table: list[list[Any]] = []
    entry_of_step: list[int | None] = [_UNSEEN] * len(steps)
    at: list[int] = []
    refs: list[int] = []
    add_time, add_ref = at.append, refs.append
    for item, time in zip(items, times, strict=True):
        if isinstance(item, int):  # a step
            entry = entry_of_step[item]
            if entry == _UNSEEN:
                step = steps[item]
                instance = index.get(step.instance_id)
                if instance is None:
                    entry = None
                else:
                    entry = len(table)
                    table.append(_entry(step, instance, masker))
                entry_of_step[item] = entry
            if entry is None:
                continue
        else:
            instance = index.get(item.instance_id)
            if instance is None:
                continue
            entry = len(table)
            table.append(_entry(item, instance, masker))
        offset = round((time - started) * 1_000_000)
        if abs(time * 1000.0 % 1.0 - 0.5) > _NEAR_A_MILLISECOND:
            offset = _stored_offset(time, started)
        add_time(offset)
        add_ref(entry)
    return at, refs, table


_UNSEEN = -1
"""A step whose entry is not made yet."""


def _stored_offset(at: float, started: float) -> int:
    """The µs from ``started`` stored for an event at ``at``: the nearest, or the next one over when the
    nearest would read back (``started + offset / 1e6``) in another millisecond than the live log printed
    for ``at``, so that ``history show`` prints the very line ``run`` printed."""
    offset = round((at - started) * 1_000_000)
    printed = _printed_millisecond(at)
    if _printed_millisecond(started + offset / 1_000_000) != printed:
        for other in (offset - 1, offset + 1):
            if _printed_millisecond(started + other / 1_000_000) == printed:
                return other
    return offset


def _printed_millisecond(seconds: float) -> tuple[int, int]:
    """The second and millisecond a log line's stamp shows for ``seconds`` (as :mod:`runtime.logfmt` makes
    it)."""
    whole = int(seconds)
    return whole, int((seconds - whole) * 1000)


_NEAR_A_MILLISECOND = 0.498
"""How far from the middle of its millisecond (in ms) an event's time must be for its stored offset to be
checked: within 2 µs of a millisecond's edge, where rounding to the µs may cross it (most are not)."""


def _journal_rows(
    journals: Iterable[tuple[str, Sequence[JournalRecord]]],
    index: dict[str, int],
    started: float,
    limits: HistoryLimits,
    masker: SecretMasker,
) -> tuple[list[list[Any]], int]:
    """The last :attr:`HistoryLimits.journal_records` journal records, masked; and how many there were."""
    listed = [(instance_id, journal) for instance_id, journal in journals if instance_id in index]
    total = sum(len(journal) for _, journal in listed)
    budget = limits.journal_records
    kept: list[tuple[str, Sequence[JournalRecord]]] = []
    for instance_id, journal in listed:
        share = journal[-budget:] if budget > 0 else []
        budget -= len(share)
        kept.append((instance_id, share))
    rows: list[list[Any]] = []
    for instance_id, records in kept:
        instance = index[instance_id]
        for record in records:
            output = record.output
            rows.append(
                [
                    instance,
                    record.activity_id,
                    record.activity_type,
                    record.activity_label,
                    round((record.started_at.timestamp() - started) * 1_000_000),
                    round(record.duration_ms, 3),
                    masker.value(record.inputs),
                    list(record.outcomes),
                    [] if output is NO_OUTPUT else [masker.value(output)],
                    masker.text(record.error) if record.error else None,
                    masker.value(record.data) if record.data else None,
                ]
            )
    return rows, total


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_default)


def _journal_text(rows: list[list[Any]], budget: int) -> str:
    """The journal's JSON within ``budget`` characters: the later records, as many as fit."""
    text = _dumps(rows)
    while len(text) > budget and rows:
        rows = rows[len(rows) // 2 + 1 :]
        text = _dumps(rows)
    return text


def _capped(value: Any, limit: int) -> Any:
    """``value``, or a preview of its JSON when that is longer than ``limit`` characters."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        if len(value) <= limit:
            return value
        return {"$truncated": len(value), "preview": value[: min(limit, 2000)]}
    try:
        text = json.dumps(value, ensure_ascii=False, default=_default)
    except (TypeError, ValueError, RecursionError):
        return {"$truncated": 0, "preview": repr(value)[:2000]}
    if len(text) <= limit:
        return value
    return {"$truncated": len(text), "preview": text[: min(limit, 2000)]}


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


# --- reading ------------------------------------------------------------------------------------------------


class HistoryFormatError(ValueError):
    """A stored record this version cannot read."""


def read_record(row: RunRow) -> RunRecord:
    """The record of a row read with its detail (and shape)."""
    detail: Any
    try:
        detail = json.loads(detail_text(row.detail)) if row.detail is not None else {"v": DETAIL_VERSION}
        shape = json.loads(row.shape) if isinstance(row.shape, str) else None
    except (zlib.error, UnicodeDecodeError, ValueError) as error:
        raise HistoryFormatError(f"run {row.run_id}: its detail cannot be read ({error})") from None
    if not isinstance(detail, dict) or detail.get("v") != DETAIL_VERSION:
        raise HistoryFormatError(f"run {row.run_id}: recorded by another Flowdesk version")
    started = float(detail.get("t0", row.started))
    if isinstance(shape, dict):
        detail = {
            **detail,
            "entries": list(shape.get("entries", [])) + list(detail.get("extra", [])),
            "event": shape.get("event", []),
            "at": [int(offset) for offset in (row.at or "").split(",") if offset],
        }
    instances = [
        InstanceInfo(str(item[0]), str(item[1]), item[2] if isinstance(item[2], int) else None)
        for item in detail.get("instances", [])
    ] or [InstanceInfo(row.run_id, row.workflow)]
    events = _events(detail, instances, started)
    journal = [_journal_record(item, instances, started) for item in detail.get("journal", [])]
    visits: dict[str, int] = {}
    root = instances[0].id
    for event in events:
        if event.instance_id == root and event.activity_id and event.kind in _STEP_KINDS:
            visits[event.activity_id] = visits.get(event.activity_id, 0) + 1
    return RunRecord(
        row,
        instances,
        events,
        [entry for entry in journal if entry is not None],
        int(detail.get("journalTotal", len(journal))),
        int(detail.get("eventsTotal", len(events))),
        visits,
    )


_STEP_KINDS = frozenset({EventKind.ACTIVITY_EXECUTED, EventKind.ACTIVITY_FAULTED})


def _events(detail: dict[str, Any], instances: list[InstanceInfo], started: float) -> list[EngineEvent]:
    at, refs, table = detail.get("at", []), detail.get("event", []), detail.get("entries", [])
    events: list[EngineEvent] = []
    for offset, ref in zip(at, refs, strict=False):
        try:
            instance_index, kind_code, level_code, activity_id, label, message, data = table[ref]
            info = instances[instance_index]
            kind = KINDS[kind_code]
        except (ValueError, IndexError, TypeError):
            continue
        parent = instances[info.parent].id if info.parent is not None else None
        if kind is EventKind.ACTIVITY_EXECUTED:
            data = {"outcomes": list(data or ())}
        event = EngineEvent(
            kind,
            info.id,
            info.workflow,
            activity_id,
            label,
            message or "",
            data if isinstance(data, dict) else {},
            level=LEVELS[level_code] if 0 <= level_code < len(LEVELS) else "info",
            parent_instance_id=parent,
        )
        event.timestamp = started + offset / 1_000_000
        events.append(event)
    return events


def _journal_record(
    item: list[Any], instances: list[InstanceInfo], started: float
) -> tuple[str, JournalRecord] | None:
    try:
        (
            instance_index,
            activity_id,
            activity_type,
            label,
            offset,
            duration,
            inputs,
            outcomes,
            output,
            error,
            data,
        ) = item
        info = instances[instance_index]
    except (ValueError, IndexError, TypeError):
        return None
    record = JournalRecord(
        activity_id=activity_id,
        activity_type=activity_type,
        activity_label=label,
        started_at=datetime.fromtimestamp(started + offset / 1_000_000, UTC),
        duration_ms=float(duration),
        inputs=inputs if isinstance(inputs, dict) else {},
        outcomes=tuple(outcomes or ()),
        output=output[0] if output else NO_OUTPUT,
        error=error,
        data=data if isinstance(data, dict) else {},
    )
    return info.id, record


__all__ = [
    "HISTORY_KINDS",
    "HistoryFormatError",
    "HistoryLimits",
    "InstanceInfo",
    "PendingRun",
    "RunRecord",
    "build_row",
    "detail_text",
    "read_record",
    "shaped_item",
]
