"""The Run History panel: the runs kept in the store file's run history, filtered by workflow, status,
source and time, newest first. Opening one shows it as a live run is shown (canvas, journal, log) and its
timeline."""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.tables import read_only_rows
from designer.theme import Theme
from runtime.errors import FlowdeskError
from runtime.store.history import RunHistory, RunQuery, RunRow

COLUMNS = ("Started", "Workflow", "Status", "Duration", "Source", "Run", "Outcomes or fault")
TAIL = COLUMNS.index("Outcomes or fault")
"""The last column, stretched: outcomes and faults are the long texts."""
ID_ROLE = Qt.ItemDataRole.UserRole
LIMIT = 500
STATUSES = ("Finished", "Faulted", "Cancelled")
SOURCES = ("run", "serve", "designer", "demo")
PERIODS: tuple[tuple[str, float | None], ...] = (
    ("Any time", None),
    ("Last hour", 3600.0),
    ("Last 24 hours", 86400.0),
    ("Last 7 days", 7 * 86400.0),
)


def duration_text(milliseconds: float | None) -> str:
    if milliseconds is None:
        return ""
    return f"{milliseconds:.1f} ms" if milliseconds < 1000 else f"{milliseconds / 1000:.2f} s"


class HistoryPanel(QWidget):
    """``runRequested(id)`` on double-click or Open; ``timelineRequested(id)``; ``saveTestRequested(id)``."""

    runRequested = Signal(str)
    timelineRequested = Signal(str)
    saveTestRequested = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyWidget")
        self.setAccessibleName("Run history")
        self.history: RunHistory | None = None
        self.rows: list[RunRow] = []
        self.saveable: str | None = None
        """The run that can be saved as a test (the designer's last run, whose recording is kept)."""
        self.error_color = theme.color("error")
        self.workflow = QComboBox(self)
        self.workflow.setObjectName("historyWorkflow")
        self.workflow.setAccessibleName("Workflow")
        self.workflow.setMinimumWidth(170)
        self.workflow.addItem("All workflows", "")
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("historyStatus")
        self.status_filter.setAccessibleName("Status")
        self.status_filter.addItem("Any status", "")
        for status in STATUSES:
            self.status_filter.addItem(status, status)
        self.source_filter = QComboBox(self)
        self.source_filter.setObjectName("historySource")
        self.source_filter.setAccessibleName("Source")
        self.source_filter.addItem("Any source", "")
        for source in SOURCES:
            self.source_filter.addItem(source, source)
        self.period = QComboBox(self)
        self.period.setObjectName("historyPeriod")
        self.period.setAccessibleName("Started")
        for text, seconds in PERIODS:
            self.period.addItem(text, seconds)
        for combo in (self.workflow, self.status_filter, self.source_filter, self.period):
            combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName("historyRefresh")
        self.refresh_button.clicked.connect(lambda _=False: self.refresh(reload_names=True))
        self.open_button = QPushButton("Open on Canvas", self)
        self.open_button.setObjectName("historyOpen")
        self.open_button.setToolTip("Show the run on its workflow: path, visits, fault, journal and log")
        self.open_button.clicked.connect(lambda _=False: self._emit(self.runRequested))
        self.timeline_button = QPushButton("Timeline", self)
        self.timeline_button.setObjectName("historyTimeline")
        self.timeline_button.setToolTip("Show the run's timeline")
        self.timeline_button.clicked.connect(lambda _=False: self._emit(self.timelineRequested))
        self.save_test_button = QPushButton("Save as Test…", self)
        self.save_test_button.setObjectName("historySaveTest")
        self.save_test_button.clicked.connect(lambda _=False: self._emit(self.saveTestRequested))
        self.count_label = QLabel("", self)
        self.count_label.setObjectName("historyCount")
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName("Runs kept in the history")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        read_only_rows(self.table)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((140, 170, 80, 80, 70, 80)):
            self.table.setColumnWidth(column, width)
        self.table.itemDoubleClicked.connect(lambda _item: self._emit(self.runRequested))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        filters = QHBoxLayout()
        filters.setContentsMargins(6, 4, 6, 2)
        for widget in (
            self.workflow,
            self.status_filter,
            self.source_filter,
            self.period,
            self.refresh_button,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        filters.addWidget(self.open_button)
        filters.addWidget(self.timeline_button)
        filters.addWidget(self.save_test_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self._selection_changed()

    # --- data -------------------------------------------------------------------------------------------

    def set_history(self, history: RunHistory | None) -> None:
        """Use this history (None: none yet; :meth:`refresh` reads it). The panel owns it: the old one is
        closed here, the last at :meth:`shutdown`."""
        if self.history is not None and self.history is not history:
            self.history.close()
        self.history = history

    def query(self) -> RunQuery:
        seconds = self.period.currentData()
        return RunQuery(
            workflow=self.workflow.currentData() or None,
            status=self.status_filter.currentData() or None,
            source=self.source_filter.currentData() or None,
            since=time.time() - seconds if isinstance(seconds, int | float) else None,
            limit=LIMIT,
        )

    def refresh(self, reload_names: bool = False) -> None:
        """Read the runs again (and the workflow names of the filter)."""
        selected = self.current_run_id()
        rows: list[RunRow] = []
        message = ""
        if self.history is not None:
            try:
                if reload_names:
                    self._fill_workflows(self.history.workflows())
                rows = self.history.runs(self.query())
            except FlowdeskError as error:
                message = str(error)
        self.rows = rows
        self._fill(rows)
        more = f" (the newest {LIMIT})" if len(rows) >= LIMIT else ""
        self.count_label.setText(message or f"{len(rows)} run{'s' if len(rows) != 1 else ''}{more}")
        if selected is not None:
            self.select(selected)
        self._selection_changed()

    def _fill_workflows(self, names: list[str]) -> None:
        current = self.workflow.currentData()
        self.workflow.blockSignals(True)
        self.workflow.clear()
        self.workflow.addItem("All workflows", "")
        for name in names:
            self.workflow.addItem(name, name)
        index = self.workflow.findData(current)
        self.workflow.setCurrentIndex(max(index, 0))
        self.workflow.blockSignals(False)

    def _fill(self, rows: list[RunRow]) -> None:
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            tail = row.fault or ", ".join(row.outcomes)
            cells = (
                datetime.fromtimestamp(row.started).strftime("%Y-%m-%d %H:%M:%S"),
                row.workflow,
                row.status,
                duration_text(row.duration_ms),
                row.source,
                row.run_id[:8],
                " ".join(tail.split()),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, row.run_id)
                if column == TAIL and row.fault:
                    item.setToolTip(row.fault)
                if column in (2, TAIL) and row.status == "Faulted":
                    item.setForeground(QColor(self.error_color))
                self.table.setItem(number, column, item)

    # --- selection --------------------------------------------------------------------------------------

    def current_run_id(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 0) if self.table.currentRow() >= 0 else None
        value = item.data(ID_ROLE) if item is not None else None
        return value if isinstance(value, str) else None

    def select(self, run_id: str) -> bool:
        for number, row in enumerate(self.rows):
            if row.run_id == run_id:
                self.table.selectRow(number)
                return True
        return False

    def set_saveable(self, run_id: str | None) -> None:
        self.saveable = run_id
        self._selection_changed()

    def _selection_changed(self) -> None:
        current = self.current_run_id()
        self.open_button.setEnabled(current is not None)
        self.timeline_button.setEnabled(current is not None)
        self.save_test_button.setEnabled(current is not None and current == self.saveable)
        self.save_test_button.setToolTip(
            "Write a recorded test of this run (flowdesk test replays it offline)"
            if current is not None and current == self.saveable
            else "Only the designer's last run keeps what a test needs (its HTTP exchanges and store records)"
        )

    def _emit(self, signal: SignalInstance) -> None:
        run_id = self.current_run_id()
        if run_id is not None:
            signal.emit(run_id)

    def set_theme(self, theme: Theme) -> None:
        self.error_color = theme.color("error")
        self._fill(self.rows)

    def shutdown(self) -> None:
        if self.history is not None:
            self.history.close()
            self.history = None


__all__ = ["HistoryPanel"]
