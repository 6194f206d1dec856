"""The Runs panel: served requests as they happen, and the log of the selected one."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtGui import QAction, QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.serve.runs_model import COLUMNS, RunsModel, ServedRun
from designer.tables import read_only_rows

COLUMN_WIDTHS = {"Time": 96, "Method": 64, "Path": 190, "Status": 76, "Workflow": 170, "Duration": 84}
OFF_TEXT = "Serve is off — turn it on to host the open workflows' HTTP endpoints."


class RunsPanel(QWidget):
    """The Runs panel: where Serve listens, the runs table and the log of the selected run."""

    def __init__(self, model: RunsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsPanel")
        self.setAccessibleName("Served runs")
        self.model = model
        self.status_label = QLabel(OFF_TEXT, self)
        self.status_label.setObjectName("serveStatus")
        self.status_label.setAccessibleName("Serve status")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.send_button = QToolButton(self)
        self.send_button.setObjectName("sendRequestButton")
        self.send_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName("clearRunsButton")
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Forget the finished runs")
        self.clear_button.setAccessibleName("Clear runs")
        self.clear_button.clicked.connect(self.clear)
        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 2)
        top.addWidget(self.status_label, 1)
        top.addWidget(self.send_button)
        top.addWidget(self.clear_button)

        self.table = QTableView(self)
        self.table.setObjectName("runsTable")
        self.table.setAccessibleName("Runs")
        self.table.setModel(model)
        read_only_rows(self.table)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for name, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(COLUMNS.index(name), width)
        self.log_view = QPlainTextEdit(self)
        self.log_view.setObjectName("runLog")
        self.log_view.setAccessibleName("Log of the selected run")
        self.log_view.setReadOnly(True)
        self.log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.log_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log_view.setPlaceholderText("Select a run to see its log.")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.log_view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self._follow = True
        model.rowsAboutToBeInserted.connect(self._remember_follow)
        model.rowsInserted.connect(self._follow_new_rows)
        model.linesAdded.connect(self._lines_added)
        model.modelReset.connect(self._show_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

    def set_send_action(self, action: QAction) -> None:
        self.send_button.setDefaultAction(action)

    def set_serving(self, url: str | None, endpoints: list[str], skipped: list[str]) -> None:
        """Say where the host listens (or that it is off); the tooltip lists the routes and skipped files."""
        if url is None:
            self.status_label.setText(OFF_TEXT)
            self.status_label.setToolTip("")
            return
        count = len(endpoints)
        self.status_label.setText(f"Serving {count} endpoint{'s' * (count != 1)} on {url}")
        tip = (
            "\n".join(endpoints) + "\n\nEdits made while serving are served once Serve is turned off and on."
        )
        if skipped:
            tip += "\n\nNot served:\n" + "\n".join(skipped)
        self.status_label.setToolTip(tip)

    def clear(self) -> None:
        self.model.clear()

    def selected_run(self) -> ServedRun | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.runs[rows[0].row()] if rows else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _remember_follow(self, *_: object) -> None:
        bar = self.table.verticalScrollBar()
        self._follow = bar.value() >= bar.maximum()

    def _follow_new_rows(self, _parent: QModelIndex, _first: int, last: int) -> None:
        if self._follow:
            self.table.scrollTo(self.model.index(last, 0))

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        run = self.selected_run()
        self.log_view.setPlainText("\n".join(run.lines) if run is not None else "")

    def _lines_added(self, row: int, lines: list[str]) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() == row:
            for line in lines:
                self.log_view.appendPlainText(line)
