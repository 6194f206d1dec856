"""The runs list: one row per request the served host answered, with the log of the instance it started.

A request-started instance is a root instance (no parent) whose input is the HttpEndpoint's request model.
Its row appears when it starts; the answered status arrives afterwards through ``on_request`` with the id
of the instance it started (a status without one goes to the earliest ended, unanswered run with the same
method and path). A request that started no instance (404, 405, 401) gets a row of its own.
Sub-workflow instances log into their root's run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from designer.panels.log_model import KIND_LABELS, entry_from_event
from designer.panels.table_model import ColumnTableModel
from designer.serve.bridge import CompletedRequest, HostItem
from designer.theme import Theme
from runtime.engine.events import EngineEvent, EventKind
from runtime.masking import SecretMasker

COLUMNS = ("Time", "Method", "Path", "Status", "Workflow", "Duration", "Instance")
STATUS_COLUMN = COLUMNS.index("Status")
MAX_RUNS = 5000
"""Older runs are dropped beyond this many (the list is a live view, not an archive)."""
MAX_LINES_PER_RUN = 5000
_ENDED = {
    EventKind.INSTANCE_FINISHED: "finished",
    EventKind.INSTANCE_FAULTED: "faulted",
    EventKind.INSTANCE_CANCELLED: "stopped",
}
ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass
class ServedRun:
    """One request the host answered: its row in the runs list and the log of the instance it started."""

    time: datetime
    method: str
    path: str
    workflow: str = ""
    instance_id: str | None = None
    status: int | None = None
    milliseconds: float | None = None
    state: str = "running"
    """running, finished, faulted, stopped, or answered (a request that started no instance)."""
    lines: list[str] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.state != "running"


def request_of(event: EngineEvent) -> tuple[str, str] | None:
    """(method, path) when ``event`` starts a request-started instance."""
    if event.kind is not EventKind.INSTANCE_STARTED or event.parent_instance_id is not None:
        return None
    request = event.data.get("input")
    if not isinstance(request, dict):
        return None
    method, path = request.get("Method"), request.get("Path")
    if isinstance(method, str) and isinstance(path, str):
        return method, path
    return None


def _time_text(moment: datetime) -> str:
    local = moment.astimezone()
    return local.strftime("%H:%M:%S.") + f"{local.microsecond // 1000:03d}"


class RunsModel(ColumnTableModel):
    """The runs list: served requests and the instances they started, fed by the host's batches."""

    columns = COLUMNS
    linesAdded = Signal(int, list)
    """(row, new log lines) of a run."""

    def __init__(self, theme: Theme, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.masker = SecretMasker()
        self.runs: list[ServedRun] = []
        self._run_of_instance: dict[str, ServedRun] = {}
        self._unanswered: list[ServedRun] = []

    # --- feeding --------------------------------------------------------------------------------------

    def apply(self, items: list[HostItem]) -> None:
        for item in items:
            if isinstance(item, CompletedRequest):
                self._request_completed(item)
            else:
                self._event(item)

    def _event(self, event: EngineEvent) -> None:
        run = self._run_of_instance.get(event.instance_id)
        if run is None:
            parent = self._run_of_instance.get(event.parent_instance_id or "")
            if parent is not None:
                run = self._run_of_instance[event.instance_id] = parent
            elif (request := request_of(event)) is not None:
                run = ServedRun(event.time, request[0], request[1], event.workflow_name, event.instance_id)
                self._append(run)
                self._run_of_instance[event.instance_id] = run
            else:
                return
        line = self._line(event, run)
        if line is not None and len(run.lines) < MAX_LINES_PER_RUN:
            run.lines.append(line)
            row = self._row(run)
            if row >= 0:
                self.linesAdded.emit(row, [line])
        if event.instance_id == run.instance_id and event.kind in _ENDED:
            run.state = _ENDED[event.kind]
            self._unanswered.append(run)
            self._changed(run)

    def _line(self, event: EngineEvent, run: ServedRun) -> str | None:
        """The log line of an event, secrets masked, as the correlation log words it."""
        entry = entry_from_event(event, masker=self.masker)
        if entry is None:
            return None
        where = entry.activity or entry.workflow
        if event.instance_id != run.instance_id:
            where = f"{entry.workflow} [{entry.instance_id[:8]}]" + (
                f" / {entry.activity}" if entry.activity else ""
            )
        return f"{entry.time_text}  {KIND_LABELS[entry.kind]:<9}  {where}: {entry.masked}"

    def _request_completed(self, request: CompletedRequest) -> None:
        run = self._run_of_instance.get(request.instance_id or "")
        if run is None or run not in self._unanswered:
            run = next(
                (r for r in self._unanswered if r.method == request.method and r.path == request.path), None
            )
        if run is None:
            run = ServedRun(request.time, request.method, request.path, state="answered")
            self._append(run)
        else:
            self._unanswered.remove(run)
        run.status = request.status
        run.milliseconds = request.milliseconds
        answer = f"{request.method} {request.path} → {request.status} ({request.milliseconds:.1f} ms)"
        run.lines.append(f"{_time_text(request.time)}  {'Response':<9}  {answer}")
        self.linesAdded.emit(self._row(run), run.lines[-1:])
        self._changed(run)

    def _append(self, run: ServedRun) -> None:
        if len(self.runs) >= MAX_RUNS:
            self._drop_oldest()
        row = len(self.runs)
        self.beginInsertRows(QModelIndex(), row, row)
        self.runs.append(run)
        self.endInsertRows()

    def _drop_oldest(self) -> None:
        self.beginRemoveRows(QModelIndex(), 0, 0)
        oldest = self.runs.pop(0)
        self.endRemoveRows()
        self._forget(oldest)

    def _forget(self, run: ServedRun) -> None:
        for instance_id in [key for key, value in self._run_of_instance.items() if value is run]:
            del self._run_of_instance[instance_id]
        if run in self._unanswered:
            self._unanswered.remove(run)

    def clear(self) -> None:
        """Forget the ended runs; runs still in flight stay so their status can still arrive."""
        keep = [run for run in self.runs if not run.ended or run in self._unanswered]
        self.beginResetModel()
        for run in self.runs:
            if run not in keep:
                self._forget(run)
        self.runs = keep
        self.endResetModel()

    def _row(self, run: ServedRun) -> int:
        # Runs being fed are nearly always the newest: look from the end.
        for row in range(len(self.runs) - 1, -1, -1):
            if self.runs[row] is run:
                return row
        return -1

    def _changed(self, run: ServedRun) -> None:
        row = self._row(run)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        if self.runs:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.runs) - 1, len(COLUMNS) - 1))

    # --- Qt model -------------------------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self.runs)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        run = self.runs[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(run, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COLUMNS.index("Instance") and run.instance_id:
                return run.instance_id
            if column == STATUS_COLUMN:
                return run.state
            return self._text(run, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS_COLUMN:
            return self._status_color(run)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (STATUS_COLUMN, COLUMNS.index("Duration")):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(run: ServedRun, column: int) -> str:
        name = COLUMNS[column]
        if name == "Time":
            return _time_text(run.time)
        if name == "Method":
            return run.method
        if name == "Path":
            return run.path
        if name == "Status":
            if run.status is not None:
                return str(run.status)
            return "running…" if not run.ended else run.state
        if name == "Workflow":
            return run.workflow or "—"
        if name == "Duration":
            return f"{run.milliseconds:.1f} ms" if run.milliseconds is not None else ""
        return (run.instance_id or "")[:8]

    def _status_color(self, run: ServedRun) -> QColor | None:
        if run.state == "faulted" or (run.status is not None and run.status >= 500):
            return QColor(self.theme.error)
        if run.status is not None and run.status >= 400:
            return QColor(self.theme.warning)
        if run.status is not None:
            return QColor("#2e9e5b" if not self.theme.is_dark else "#5fd08a")
        return QColor(self.theme.muted_text)
