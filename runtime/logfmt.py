"""One line per engine event, as ``flowdesk run`` and ``flowdesk serve`` stream them to stderr."""

from __future__ import annotations

import json
import sys
import threading
from typing import Any, TextIO

from runtime.engine.events import EngineEvent, EventKind
from runtime.secrets import SECRET_KEY_PATTERN, mask_mapping, mask_secret

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


def format_event(event: EngineEvent, verbose: bool = False) -> str | None:
    """The log line of ``event``, or None for events only shown with ``verbose``."""
    if event.kind in (EventKind.ACTIVITY_EXECUTING, EventKind.INSTANCE_RESUMED):
        return None
    if event.kind is EventKind.VARIABLE_CHANGED and not verbose:
        return None
    tag = _KIND_TAG.get(event.kind, event.kind.value.upper())
    if event.kind is EventKind.LOG and event.data.get("kind") == "http":
        tag = "HTTP"
    timestamp = event.time.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    level = event.level.upper()
    where = event.workflow_name + (f" / {event.activity_label}" if event.activity_label else "")
    message = event.message
    if event.kind is EventKind.VARIABLE_CHANGED:
        name = str(event.data.get("name"))
        value = event.data.get("value")
        shown = mask_secret(value) if SECRET_KEY_PATTERN.search(name) else mask_mapping(value)
        message = f"{name} = {_short(shown)}"
    return f"{timestamp} {level:<7} {tag:<9} [{event.instance_id[:8]}] {where}: {message}"


class StreamLog:
    """An observer that writes each event's line to a stream at once (thread-safe)."""

    def __init__(self, stream: TextIO | None = None, verbose: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.verbose = verbose
        self._lock = threading.Lock()

    def __call__(self, event: EngineEvent) -> None:
        line = format_event(event, self.verbose)
        if line is None:
            return
        with self._lock:
            self.stream.write(line + "\n")
            self.stream.flush()


def _short(value: Any, limit: int = 120) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
