"""The correlation log's entries and their table model.

Entries are built once from engine events (display texts included, secrets masked), so the model's
``data()`` only picks a prepared string. New entries are queued and inserted in one ``beginInsertRows``
per timer tick, and filtering (text, kinds, instance) is a list comprehension over prepared lower-case
texts, so the log stays quick at hundreds of thousands of entries.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor

from designer.panels.table_model import ColumnTableModel
from designer.run.bridge import RunEvent
from runtime.engine import EngineEvent, EventKind
from runtime.files import write_text_atomically
from runtime.masking import SecretMasker

FLUSH_MS = 40
MAX_ENTRIES = 500_000
"""Beyond this the oldest tenth is dropped (a long serve session must not grow without end)."""
MESSAGE_LIMIT = 2_000


class LogKind(StrEnum):
    """What a log entry is about; the Kinds filter and the Kind column use it."""

    CORRELATE = "correlate"
    ACTIVITY = "activity"
    HTTP = "http"
    ERROR = "error"
    INSTANCE = "instance"
    VARIABLE = "variable"
    LOG = "log"


KIND_LABELS: dict[str, str] = {
    LogKind.CORRELATE: "Correlate",
    LogKind.ACTIVITY: "Activity",
    LogKind.HTTP: "HTTP",
    LogKind.ERROR: "Error",
    LogKind.INSTANCE: "Instance",
    LogKind.VARIABLE: "Variable",
    LogKind.LOG: "Log",
}
COLUMNS = ("Time", "Kind", "Workflow", "Instance", "Activity", "Message")
TIME, KIND, WORKFLOW, INSTANCE, ACTIVITY, MESSAGE = range(len(COLUMNS))
ENTRY_ROLE = Qt.ItemDataRole.UserRole


def short_json(value: Any, limit: int = MESSAGE_LIMIT) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class LogEntry(NamedTuple):
    """One log line, prepared for display. Only strings, None and a datetime: the garbage collector
    stops tracking such tuples, so hundreds of thousands of entries do not lengthen its pauses."""

    time: datetime
    kind: str
    """A :class:`LogKind` value."""
    level: str
    workflow: str
    instance_id: str
    activity_id: str | None
    activity: str
    message: str
    masked: str
    definition_id: str | None
    search: str
    """Lower-case text the filter looks in (with secrets masked)."""

    @property
    def time_text(self) -> str:
        """Local time to the millisecond (worked out for shown rows only)."""
        local = self.time.astimezone()
        return f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}.{local.microsecond // 1000:03d}"

    @property
    def has_secret(self) -> bool:
        return self.masked != self.message

    def text(self, revealed: bool) -> str:
        return self.message if revealed else self.masked

    def as_json(self, revealed: bool) -> dict[str, Any]:
        return {
            "time": self.time.isoformat(),
            "kind": self.kind,
            "level": self.level,
            "workflow": self.workflow,
            "instance": self.instance_id,
            "activityId": self.activity_id,
            "activity": self.activity,
            "message": self.text(revealed),
        }


def _kind_of(event: EngineEvent) -> LogKind | None:
    kind = event.kind
    if kind is EventKind.ACTIVITY_EXECUTING:
        return None
    if event.level == "error":
        return LogKind.ERROR
    if kind is EventKind.CORRELATED:
        return LogKind.CORRELATE
    if kind is EventKind.ACTIVITY_EXECUTED:
        return LogKind.ACTIVITY
    if kind is EventKind.VARIABLE_CHANGED:
        return LogKind.VARIABLE
    if kind is EventKind.LOG:
        return LogKind.HTTP if event.data.get("kind") == "http" else LogKind.LOG
    return LogKind.INSTANCE


def _messages(event: EngineEvent, masker: SecretMasker) -> tuple[str, str]:
    """(message, message with secrets masked)."""
    kind = event.kind
    data = event.data
    if kind is EventKind.VARIABLE_CHANGED:
        name = str(data.get("name"))
        value = data.get("value")
        return f"{name} = {short_json(value)}", f"{name} = {short_json(masker.value(value, name))}"
    if kind is EventKind.INSTANCE_STARTED and data.get("input") is not None:
        value = data["input"]
        return (
            f"{event.message} with input {short_json(value)}",
            f"{event.message} with input {short_json(masker.value(value))}",
        )
    if kind is EventKind.INSTANCE_FINISHED:
        outcomes = data.get("outcomes") or []
        suffix = f" ({', '.join(outcomes)})" if outcomes else ""
        output = data.get("output")
        if output is None:
            return f"finished{suffix}", f"finished{suffix}"
        return (
            f"finished{suffix} → {short_json(output)}",
            f"finished{suffix} → {short_json(masker.value(output))}",
        )
    message = event.message if len(event.message) <= MESSAGE_LIMIT else event.message[:MESSAGE_LIMIT] + "…"
    return message, masker.text(message)


def entry_from_event(
    event: EngineEvent, definition_id: str | None = None, masker: SecretMasker | None = None
) -> LogEntry | None:
    """The log entry of an engine event (None for events the log does not show)."""
    kind = _kind_of(event)
    if kind is None:
        return None
    message, masked = _messages(event, masker or SecretMasker())
    if masked == message:
        masked = message
    activity = event.activity_label or ""
    return LogEntry(
        time=event.time,
        kind=str(kind.value),
        level=event.level,
        workflow=event.workflow_name,
        instance_id=event.instance_id,
        activity_id=event.activity_id,
        activity=activity,
        message=message,
        masked=masked,
        definition_id=definition_id,
        search=f"{event.workflow_name}\t{event.instance_id}\t{activity}\t{masked}".lower(),
    )


class LogModel(ColumnTableModel):
    """All entries, and the rows shown (the entries passing the filter)."""

    columns = COLUMNS

    instancesChanged = Signal()
    """A new instance appeared (the instance filter offers it)."""

    def __init__(
        self, parent: QObject | None = None, flush_ms: int = FLUSH_MS, masker: SecretMasker | None = None
    ) -> None:
        super().__init__(parent)
        self.masker = masker or SecretMasker()
        self.entries: list[LogEntry] = []
        self._rows: list[LogEntry] = []
        self._pending: list[LogEntry] = []
        self.revealed = False
        self.filter_text = ""
        self.kinds: set[LogKind] = set(LogKind)
        self.instance_filter: str | None = None
        self.instances: dict[str, str] = {}
        """Instance id → workflow name, in order of appearance."""
        self.error_color = QColor("#d93b3b")
        self.warning_color = QColor("#d9911a")
        self.muted_color = QColor("#5d6675")
        self.kind_colors: dict[str, QColor] = {}
        """Colours of the Kind column (correlation entries stand out)."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(flush_ms)
        self._timer.timeout.connect(self.flush)

    # --- adding --------------------------------------------------------------------------------------

    def add_events(self, items: Iterable[RunEvent | EngineEvent]) -> None:
        entries = []
        for item in items:
            if isinstance(item, RunEvent):
                entry = entry_from_event(item.event, item.definition_id, self.masker)
            else:
                entry = entry_from_event(item, None, self.masker)
            if entry is not None:
                entries.append(entry)
        self.add_entries(entries)

    def add_entries(self, entries: Sequence[LogEntry]) -> None:
        """Queue entries; they are inserted together on the next timer tick."""
        if not entries:
            return
        self._pending.extend(entries)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Insert the queued entries now (one ``beginInsertRows`` for all of them)."""
        self._timer.stop()
        pending, self._pending = self._pending, []
        if not pending:
            return
        new_instance = False
        for entry in pending:
            if entry.instance_id not in self.instances:
                self.instances[entry.instance_id] = entry.workflow
                new_instance = True
        self.entries.extend(pending)
        if len(self.entries) > MAX_ENTRIES:
            self.beginResetModel()
            del self.entries[: len(self.entries) - MAX_ENTRIES + MAX_ENTRIES // 10]
            self._rows = [e for e in self.entries if self._accepts(e)]
            self.endResetModel()
        else:
            shown = [e for e in pending if self._accepts(e)]
            if shown:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(shown) - 1)
                self._rows.extend(shown)
                self.endInsertRows()
        if new_instance:
            self.instancesChanged.emit()

    def clear(self) -> None:
        self._timer.stop()
        self.beginResetModel()
        self.entries = []
        self._rows = []
        self._pending = []
        self.instances = {}
        self.endResetModel()
        self.instancesChanged.emit()

    # --- filtering and secrets -------------------------------------------------------------------------

    def set_filter(
        self,
        text: str | None = None,
        kinds: Iterable[LogKind] | None = None,
        instance: str | None | bool = False,
    ) -> None:
        """Change what is shown; ``instance`` None shows every instance (False leaves it unchanged)."""
        if text is not None:
            self.filter_text = text.strip().lower()
        if kinds is not None:
            self.kinds = set(kinds)
        if instance is not False:
            self.instance_filter = instance if isinstance(instance, str) and instance else None
        self.beginResetModel()
        self._rows = [e for e in self.entries if self._accepts(e)]
        self.endResetModel()

    def _accepts(self, entry: LogEntry) -> bool:
        if entry.kind not in self.kinds:
            return False
        if self.instance_filter is not None and entry.instance_id != self.instance_filter:
            return False
        if not self.filter_text:
            return True
        if self.filter_text in entry.search:
            return True
        return self.revealed and entry.has_secret and self.filter_text in entry.message.lower()

    def set_revealed(self, revealed: bool) -> None:
        """Show secrets in clear (an explicit action) or masked (the default)."""
        if revealed == self.revealed:
            return
        self.revealed = revealed
        if self._rows:
            self.dataChanged.emit(
                self.index(0, MESSAGE),
                self.index(len(self._rows) - 1, MESSAGE),
                [Qt.ItemDataRole.DisplayRole],
            )

    # --- reading -------------------------------------------------------------------------------------

    @property
    def shown(self) -> list[LogEntry]:
        return self._rows

    def entry(self, row: int) -> LogEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_count(self) -> int:
        return len(self._rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == MESSAGE:
                text = entry.text(self.revealed)
                return text if "\n" not in text else " ".join(text.split())
            return self._cell(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (MESSAGE, ACTIVITY, WORKFLOW, INSTANCE):
            return self._cell(entry, column) if column != MESSAGE else entry.text(self.revealed)
        if role == Qt.ItemDataRole.ForegroundRole:
            if entry.level == "error":
                return self.error_color
            if entry.level == "warning":
                return self.warning_color
            if column in (TIME, INSTANCE):
                return self.muted_color
            if column == KIND:
                return self.kind_colors.get(entry.kind)
            return None
        if role == ENTRY_ROLE:
            return entry
        return None

    @staticmethod
    def _cell(entry: LogEntry, column: int) -> str:
        if column == TIME:
            return entry.time_text
        if column == KIND:
            return KIND_LABELS[entry.kind]
        if column == WORKFLOW:
            return entry.workflow
        if column == INSTANCE:
            return entry.instance_id[:8]
        if column == ACTIVITY:
            return entry.activity
        return entry.masked

    # --- copy and export --------------------------------------------------------------------------------

    def lines(self, entries: Iterable[LogEntry]) -> str:
        """Entries as tab-separated lines (what Copy puts on the clipboard)."""
        return "\n".join(
            "\t".join(
                (
                    e.time.isoformat(),
                    KIND_LABELS[e.kind],
                    e.workflow,
                    e.instance_id,
                    e.activity,
                    e.text(self.revealed),
                )
            )
            for e in entries
        )

    def export(self, path: str | Path, entries: Iterable[LogEntry] | None = None) -> int:
        """Write entries (default: the shown ones) as CSV when ``path`` ends in .csv, else as JSON lines;
        atomically (a temporary file renamed over the target). Returns how many were written."""
        chosen = list(self._rows if entries is None else entries)
        target = Path(path)
        if target.suffix.lower() == ".csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(
                ["time", "kind", "level", "workflow", "instance", "activityId", "activity", "message"]
            )
            for e in chosen:
                writer.writerow(
                    [
                        e.time.isoformat(),
                        e.kind,
                        e.level,
                        e.workflow,
                        e.instance_id,
                        e.activity_id or "",
                        e.activity,
                        e.text(self.revealed),
                    ]
                )
            text = buffer.getvalue()
        else:
            text = "".join(json.dumps(e.as_json(self.revealed), ensure_ascii=False) + "\n" for e in chosen)
        write_text_atomically(target, text)
        return len(chosen)
