"""The journal panel: a row per executed activity (every instance of the run, sub-workflows included).

Selecting a row selects its card (opening its workflow if needed) and shows the record in full below:
evaluated inputs (secret properties are masked by the engine), output, outcomes, error and the
activity's own notes. "Pin output" pins the selected activity's recorded output and outcomes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.panels.log_model import short_json
from designer.panels.table_model import ColumnTableModel
from designer.tables import read_only_rows
from designer.theme import Theme
from runtime.engine import NO_OUTPUT, JournalRecord
from runtime.masking import SecretMasker

COLUMNS = ("Time", "Workflow", "Activity", "Duration", "Outcomes", "Inputs", "Output", "Error")
TIME, WORKFLOW, ACTIVITY, DURATION, OUTCOMES, INPUTS, OUTPUT, ERROR = range(len(COLUMNS))
CELL_LIMIT = 300
MAX_ROWS = 20_000
"""The newest rows kept (a long loop must not keep every record alive; the engine keeps 10,000)."""


@dataclass(frozen=True, slots=True)
class JournalRow:
    """A journal record with where it happened."""

    record: JournalRecord
    workflow: str
    definition_id: str | None
    instance_id: str

    @property
    def has_output(self) -> bool:
        return self.record.output is not NO_OUTPUT


def json_text(value: Any, indent: int | None = None) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, indent=indent, default=str)
    except (TypeError, ValueError):
        return repr(value)


class JournalModel(ColumnTableModel):
    """The journal's rows: one per executed activity of the designer's runs, secrets masked until revealed."""

    columns = COLUMNS

    def __init__(self, parent: QObject | None = None, masker: SecretMasker | None = None) -> None:
        super().__init__(parent)
        self.masker = masker or SecretMasker()
        self.rows: list[JournalRow] = []
        self.revealed = False
        self.error_color = QColor("#d93b3b")

    def add_rows(self, rows: list[JournalRow]) -> None:
        if not rows:
            return
        excess = len(self.rows) + len(rows) - MAX_ROWS
        if excess > 0:
            dropped = min(excess + MAX_ROWS // 10, len(self.rows))
            self.beginRemoveRows(QModelIndex(), 0, dropped - 1)
            del self.rows[:dropped]
            self.endRemoveRows()
            rows = rows[-MAX_ROWS:]
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.rows = []
        self.endResetModel()

    def set_revealed(self, revealed: bool) -> None:
        self.revealed = revealed
        if self.rows:
            self.dataChanged.emit(self.index(0, INPUTS), self.index(len(self.rows) - 1, OUTPUT))

    def shown_value(self, value: Any) -> Any:
        return value if self.revealed else self.masker.value(value)

    def row_count(self) -> int:
        return len(self.rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        record = row.record
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and record.error:
            return self.error_color
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == TIME:
            local = record.started_at.astimezone()
            return local.strftime("%H:%M:%S.") + f"{local.microsecond // 1000:03d}"
        if column == WORKFLOW:
            return row.workflow
        if column == ACTIVITY:
            return record.activity_label + (" (pinned)" if record.data.get("pinned") else "")
        if column == DURATION:
            return f"{record.duration_ms:.1f} ms"
        if column == OUTCOMES:
            return ", ".join(record.outcomes)
        if column == INPUTS:
            return short_json(self.shown_value(record.inputs), CELL_LIMIT) if record.inputs else ""
        if column == OUTPUT:
            return short_json(self.shown_value(record.output), CELL_LIMIT) if row.has_output else ""
        return record.error or ""


class JournalPanel(QWidget):
    """``activityRequested(workflow, definition id or "", activity id)``; ``pinRequested(row)``."""

    activityRequested = Signal(str, str, str)
    pinRequested = Signal(object)

    def __init__(
        self, theme: Theme, parent: QWidget | None = None, masker: SecretMasker | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("journalPanelWidget")
        self.setAccessibleName("Journal")
        self.model = JournalModel(self, masker)
        self.table = QTableView(self)
        self.table.setObjectName("journalTable")
        self.table.setAccessibleName("Executed activities")
        self.table.setModel(self.model)
        read_only_rows(self.table)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in ((TIME, 96), (WORKFLOW, 150), (ACTIVITY, 200), (DURATION, 76), (OUTCOMES, 110)):
            self.table.setColumnWidth(column, width)
        self.table.setColumnWidth(INPUTS, 220)
        self.table.setColumnWidth(OUTPUT, 220)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("journalDetails")
        self.details.setAccessibleName("Journal record details")
        self.details.setReadOnly(True)
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.details.setFont(mono)
        self.pin_button = QToolButton(self)
        self.pin_button.setObjectName("journalPin")
        self.pin_button.setText("Pin output")
        self.pin_button.setAccessibleName("Pin this activity's output")
        self.pin_button.setToolTip("Runs skip this activity and use this output and these outcomes")
        self.pin_button.setEnabled(False)
        self.pin_button.clicked.connect(self._pin_clicked)
        self.reveal_button = QToolButton(self)
        self.reveal_button.setObjectName("journalRevealSecrets")
        self.reveal_button.setText("Reveal secrets")
        self.reveal_button.setAccessibleName("Reveal secrets")
        self.reveal_button.setCheckable(True)
        self.reveal_button.toggled.connect(self._reveal)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.pin_button)
        bar.addWidget(self.reveal_button)
        bar.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(splitter)
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self.model.error_color = theme.color("error")

    def add_rows(self, rows: list[JournalRow]) -> None:
        self.model.add_rows(rows)

    def clear(self) -> None:
        self.model.clear()
        self.details.clear()
        self.pin_button.setEnabled(False)

    def current_row(self) -> JournalRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.rows[current.row()] if current.isValid() else None
        self.pin_button.setEnabled(row is not None and row.has_output)
        self._show_details(row)
        if row is not None:
            self.activityRequested.emit(row.workflow, row.definition_id or "", row.record.activity_id)

    def _show_details(self, row: JournalRow | None) -> None:
        if row is None:
            self.details.clear()
            return
        record = row.record
        shown = self.model.shown_value
        parts = [
            f"{record.activity_label}  ({record.activity_type})",
            f"workflow {row.workflow} · instance {row.instance_id}",
            f"started {record.started_at.astimezone().isoformat(timespec='milliseconds')}"
            f" · {record.duration_ms:.1f} ms",
            f"outcomes: {', '.join(record.outcomes) or '(none)'}",
        ]
        if record.error:
            parts.append(f"error: {record.error}")
        parts.append("inputs:\n" + json_text(shown(record.inputs), 2))
        if row.has_output:
            parts.append("output:\n" + json_text(shown(record.output), 2))
        if record.data:
            parts.append("notes:\n" + json_text(shown(record.data), 2))
        self.details.setPlainText("\n".join(parts))

    def _reveal(self, on: bool) -> None:
        self.model.set_revealed(on)
        self._show_details(self.current_row())

    def _pin_clicked(self) -> None:
        row = self.current_row()
        if row is not None and row.has_output:
            self.pinRequested.emit(row)
