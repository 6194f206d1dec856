"""One line per engine event, as ``flowdesk run`` and ``flowdesk serve`` stream them to stderr."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from runtime.engine.events import EngineEvent, EventKind
from runtime.logsink import LogSink
from runtime.masking import SecretMasker

_KIND_TAG = {
    EventKind.CORRELATED: "CORRELATE",
    EventKind.ACTIVITY_EXECUTED: "ACTIVITY",
    EventKind.ACTIVITY_FAULTED: "FAULT",
    EventKind.INSTANCE_STARTED: "START",
    EventKind.INSTANCE_FINISHED: "FINISH",
    EventKind.INSTANCE_FAULTED: "FAULTED",
    EventKind.INSTANCE_CANCELLED: "STOPPED",
    EventKind.INSTANCE_PAUSED: "PAUSED",
    EventKind.VARIABLE_CHANGED: "VARIABLE",
    EventKind.LOG: "LOG",
}


_MASKED_KINDS = frozenset(
    {EventKind.CORRELATED, EventKind.LOG, EventKind.ACTIVITY_FAULTED, EventKind.INSTANCE_FAULTED}
)
"""The kinds whose message may quote workflow data (the others are the engine's own words)."""


def format_event(event: EngineEvent, verbose: bool = False, masker: SecretMasker | None = None) -> str | None:
    """The log line of ``event``, or None for events only shown with ``verbose``; secrets masked (a value by
    its name or its record, a known secret wherever it is quoted: :class:`runtime.masking.SecretMasker`)."""
    kind = event.kind
    if kind is _EXECUTED:
        return step_line(event)
    if kind not in _KIND_TAG or (kind is EventKind.VARIABLE_CHANGED and not verbose):
        return None
    is_http = kind is EventKind.LOG and event.data.get("kind") == "http"
    head = _HEADS.get((event.level, kind, is_http)) or _head(event.level, kind, is_http)
    activity = event.activity_label
    where = f"{event.workflow_name} / {activity}" if activity else event.workflow_name
    message = event.message
    if kind is EventKind.VARIABLE_CHANGED:
        name = str(event.data.get("name"))
        shown = (masker or _MASKER).value(event.data.get("value"), name)
        message = f"{name} = {_short(shown)}"
    elif kind in _MASKED_KINDS:
        message = (masker or _MASKER).text(message)
    return f"{_stamp(event.timestamp)}{head}{event.instance_id[:8]}] {where}: {message}"


_MASKER = SecretMasker()
"""For lines made without a log's own masker (it still knows what the runtime read as secret)."""

_HEADS: dict[tuple[str, EventKind, bool], str] = {}
"""The padded level and tag of a line, made once per (level, kind, is HTTP)."""
_EXECUTED = EventKind.ACTIVITY_EXECUTED
_VARIABLE_CHANGED = EventKind.VARIABLE_CHANGED
"""Kinds read once: ``EventKind.X`` goes through the enum metaclass's ``__getattr__`` hook."""
_EXECUTED_HEADS: dict[str, str] = {}
"""The heads of step lines, by level."""


def step_line(event: EngineEvent) -> str:
    """The line of an executed step (:func:`format_event` of one), made the shortest way: a line per step.
    What follows the time stamp is the same for every step of an activity with the same outcomes in one
    instance, so it is made once and remembered."""
    seconds = event.timestamp
    whole = int(seconds)
    cached, text = _second
    if whole != cached:
        text = _second_text(whole)
    key = (event.instance_id, event.activity_label, event.message, event.level)
    rest = _STEP_RESTS.get(key)
    if rest is None:
        head = _EXECUTED_HEADS.get(event.level) or _head(event.level, _EXECUTED, False)
        where = f"{event.workflow_name} / {event.activity_label}"
        rest = f"{head}{event.instance_id[:8]}] {where}: {event.message}"
        if len(_STEP_RESTS) >= 4096:
            _STEP_RESTS.clear()
        _STEP_RESTS[key] = rest
    return f"{text}{_MILLISECONDS[int((seconds - whole) * 1000)]}{rest}"


_STEP_RESTS: dict[tuple[str, str | None, str, str], str] = {}
"""What follows the time stamp in a step's line, by (instance id, activity, message, level)."""


def _head(level: str, kind: EventKind, is_http: bool) -> str:
    tag = "HTTP" if is_http else _KIND_TAG[kind]
    head = _HEADS[(level, kind, is_http)] = f" {level.upper():<7} {tag:<9} ["
    if kind is _EXECUTED:
        _EXECUTED_HEADS[level] = head
    return head


LOGGED_KINDS: frozenset[EventKind] = frozenset(_KIND_TAG) - {EventKind.VARIABLE_CHANGED}
"""The kinds a log line is written for (variable changes too with ``verbose``)."""


class StreamLog:
    """An observer that queues each event's line on a :class:`LogSink`; lines are made on its writer
    thread, so a step costs an append. ``kinds`` tells the engine which events to build at all."""

    def __init__(self, sink: LogSink | TextIO | None = None, verbose: bool = False) -> None:
        self.sink = sink if isinstance(sink, LogSink) else LogSink(sink or sys.stderr)
        self.verbose = verbose
        self.masker = SecretMasker()
        """Remembers the secrets this log has masked, to mask them wherever they are quoted later."""
        self.kinds = LOGGED_KINDS | {EventKind.VARIABLE_CHANGED} if verbose else LOGGED_KINDS
        self._write = self.sink.write

    def __call__(self, event: EngineEvent) -> None:
        kind = event.kind
        if kind is _EXECUTED:  # a line per step: its own formatter, which takes the event alone
            self._write((step_line, event))
        elif kind not in self.kinds:
            return
        elif kind is _VARIABLE_CHANGED:
            self._write(format_event(event, True, self.masker) or "")  # now: the value may change later
        else:
            self._write((format_event, event, self.verbose, self.masker))

    def flush(self) -> None:
        self.sink.flush()

    def close(self) -> None:
        self.sink.close()


def request_line(
    method: str, path: str, status: int, milliseconds: float, instance_id: str | None, at: float
) -> str:
    """The host's line for one answered request (``at``: when, as ``time.time()`` seconds)."""
    started = f"[{instance_id[:8]}] " if instance_id else ""
    return f"{_stamp(at)} INFO    REQUEST   {started}{method} {path} → {status} ({milliseconds:.1f} ms)"


_second: tuple[int, str] = (-1, "")
"""The last second stamped and its text, replaced as one tuple (lines are stamped on several threads)."""


_MILLISECONDS = tuple(f".{n:03d}Z" for n in range(1000))


def _stamp(seconds: float) -> str:
    """``2026-12-01T15:47:05.417Z`` for a ``time.time()`` value; the text up to the second is reused."""
    whole = int(seconds)
    cached, text = _second
    if whole != cached:
        text = _second_text(whole)
    return text + _MILLISECONDS[int((seconds - whole) * 1000)]


def _second_text(whole: int) -> str:
    """The stamp's text up to the second, remembered for the lines of the same second."""
    global _second
    text = datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    _second = (whole, text)
    return text


def _short(value: Any, limit: int = 120) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    except RecursionError:
        text = "… (nested too deeply to show)"
    return text if len(text) <= limit else text[: limit - 1] + "…"
