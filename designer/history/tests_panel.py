"""The Tests panel: the recorded tests (``*.flowtest.json``) of the workflow in front, run from the window.

The tests of a workflow are the test files under its folder whose ``workflow.file`` is that workflow's
file. Running them replays each offline on a worker thread (:func:`runtime.flowtest.runner.run_test`);
a failure shows its differences here and, on request, its two paths on the canvas (the expected path and the
replay's, in two colours). "Loosen…" adds a JSONPath to the test's ``ignore`` or ``anyValue`` list.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.canvas.run_colors import run_color
from designer.tables import read_only_rows
from designer.theme import Theme
from runtime.flowtest.runner import TestResult, run_test_file
from runtime.flowtest.testfile import SUFFIX, FlowTestError, tests_of

COLUMNS = ("Test", "Result", "Time", "First difference")
PATH_ROLE = Qt.ItemDataRole.UserRole
MAX_FOLDERS = 500
"""Folders searched for tests of the workflow in front (on every tab switch: kept small)."""


def _unreadable_row(file: Path, error: FlowTestError) -> TestRow:
    """A test file beside the workflow that cannot be read: listed with why, not hidden."""
    return TestRow(file, file.name.removesuffix(SUFFIX), TestResult(file, file.name, error=str(error)))


def _first_difference(result: TestResult) -> str:
    """The first difference in one line: a section's heading, and its first detail when it has some."""
    if result.error is not None or not result.failures:
        return result.summary()
    heading, _, detail = result.failures[0].partition("\n")
    return f"{heading} {detail.splitlines()[0].strip()}" if detail.strip() else heading


class _Worker(QObject):
    """Runs tests on a thread of its own; each result comes back to the GUI thread as a signal."""

    finished = Signal(object)
    """A :class:`TestResult`."""
    done = Signal()


@dataclass
class TestRow:
    file: Path
    name: str
    result: TestResult | None = None
    running: bool = False


class TestsPanel(QWidget):
    """The tests of one workflow; ``showRequested(TestResult)`` draws a result's paths on the canvas,
    ``loosenRequested(TestResult)`` asks which output path to loosen; ``changed`` says its rows, their
    running or the selection changed (the window's Run Recorded Tests follows :attr:`can_run_all`)."""

    showRequested = Signal(object)
    loosenRequested = Signal(object)
    changed = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("testsWidget")
        self.setAccessibleName("Recorded tests")
        self.theme = theme
        self.workflow_path: Path | None = None
        self.rows: list[TestRow] = []
        self._worker = _Worker(self)
        self._worker.finished.connect(self._finished)
        self._worker.done.connect(self._all_done)
        self._thread: threading.Thread | None = None
        self.title = QLabel("Open a saved workflow to see its recorded tests", self)
        self.title.setObjectName("testsTitle")
        self.run_all_button = QPushButton("Run All", self)
        self.run_all_button.setObjectName("testsRunAll")
        self.run_all_button.clicked.connect(lambda _=False: self.run_all())
        self.run_button = QPushButton("Run", self)
        self.run_button.setObjectName("testsRun")
        self.run_button.clicked.connect(lambda _=False: self.run_selected())
        self.show_button = QPushButton("Show on Canvas", self)
        self.show_button.setObjectName("testsShow")
        self.show_button.setToolTip(
            "Draw the expected path and the replay's path on the workflow, in two colours"
        )
        self.show_button.clicked.connect(lambda _=False: self._emit(self.showRequested))
        self.loosen_button = QPushButton("Loosen…", self)
        self.loosen_button.setObjectName("testsLoosen")
        self.loosen_button.setToolTip("Stop comparing an output field, or accept any value there")
        self.loosen_button.clicked.connect(lambda _=False: self._emit(self.loosenRequested))
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName("testsRefresh")
        self.refresh_button.clicked.connect(lambda _=False: self.refresh())
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("testsTable")
        self.table.setAccessibleName("Tests of the workflow")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        read_only_rows(self.table)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((220, 70, 70)):
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self._emit(self.showRequested))
        self.report = QPlainTextEdit(self)
        self.report.setObjectName("testsReport")
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report.setPlaceholderText("Select a test to see what its last run reported.")
        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 2)
        top.addWidget(self.title, 1)
        for button in (
            self.run_all_button,
            self.run_button,
            self.show_button,
            self.loosen_button,
            self.refresh_button,
        ):
            top.addWidget(button)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.report)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self._selection_changed()

    # --- which tests ------------------------------------------------------------------------------------

    def set_workflow(self, path: Path | None) -> None:
        """Show the tests of the workflow saved at ``path`` (None: no saved workflow in front)."""
        if path == self.workflow_path:
            return
        self.workflow_path = path
        self.refresh()

    def refresh(self) -> None:
        path = self.workflow_path
        if path is None:
            self.rows = []
            self.title.setText("Open a saved workflow to see its recorded tests")
        else:
            known = {row.file: row for row in self.rows}
            tests, unreadable = tests_of(path, max_folders=MAX_FOLDERS)
            self.rows = [known.get(test.file, TestRow(test.file, test.name)) for test in tests]
            self.rows += [_unreadable_row(file, error) for file, error in unreadable]
            count = len(tests)
            self.title.setText(
                f"{count} recorded test{'s' if count != 1 else ''} of {path.name}"
                if count
                else f"No recorded test of {path.name} yet: run it, then Run ▸ Save Run as Test"
            )
        self._fill()

    # --- running ----------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def run_all(self) -> None:
        self.run(list(self.rows))

    def run_selected(self) -> None:
        row = self.current_row()
        if row is not None:
            self.run([row])

    def run(self, rows: list[TestRow]) -> None:
        if self.running or not rows:
            return
        for row in rows:
            row.running = True
        self._fill()
        files = [row.file for row in rows]
        worker = self._worker

        def work() -> None:
            try:
                for file in files:
                    worker.finished.emit(run_test_file(file))
            finally:
                worker.done.emit()

        self._thread = threading.Thread(target=work, name="flowdesk-tests", daemon=True)
        self._thread.start()
        self._selection_changed()

    def wait(self, timeout: float = 60.0) -> bool:
        """Wait for the tests under way (tests and shutdown); True when none is running."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self.running

    def _finished(self, result: TestResult) -> None:
        for row in self.rows:
            if row.file == result.file:
                row.result = result
                row.running = False
        self._fill()
        self._show_report()

    def _all_done(self) -> None:
        self.wait(1.0)  # its thread ends right after saying so: joined, ``running`` is False now
        for row in self.rows:
            row.running = False
        self._fill()
        self._selection_changed()

    # --- showing ----------------------------------------------------------------------------------------

    def _fill(self) -> None:
        selected = self.current_row()
        self.table.setRowCount(len(self.rows))
        for number, row in enumerate(self.rows):
            result = row.result
            outcome = "running…" if row.running else (result.outcome if result is not None else "not run")
            first = "" if result is None or result.passed else _first_difference(result)
            cells = (row.name, outcome, f"{result.seconds:.2f} s" if result is not None else "", first)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(PATH_ROLE, str(row.file))
                if column == 0:
                    item.setToolTip(str(row.file))
                if column == 3 and first:
                    item.setToolTip(first)
                if column == 1 and result is not None and not row.running:
                    item.setForeground(run_color(self.theme, "done" if result.passed else "faulted"))
                self.table.setItem(number, column, item)
        if selected is not None and selected in self.rows:
            self.table.selectRow(self.rows.index(selected))
        self._selection_changed()

    def current_row(self) -> TestRow | None:
        number = self.table.currentRow()
        return self.rows[number] if 0 <= number < len(self.rows) else None

    def _selection_changed(self) -> None:
        row = self.current_row()
        result = row.result if row is not None else None
        self.run_all_button.setEnabled(self.can_run_all)
        self.run_button.setEnabled(row is not None and not self.running)
        self.show_button.setEnabled(result is not None and result.instance is not None)
        self.loosen_button.setEnabled(result is not None and result.test is not None and not result.passed)
        self._show_report()
        self.changed.emit()

    @property
    def can_run_all(self) -> bool:
        return bool(self.rows) and not self.running

    def _show_report(self) -> None:
        row = self.current_row()
        if row is None:
            self.report.setPlainText("")
        elif row.result is None:
            self.report.setPlainText(f"{row.name}: not run yet ({row.file})")
        else:
            self.report.setPlainText(row.result.report())

    def _emit(self, signal: SignalInstance) -> None:
        row = self.current_row()
        if row is not None and row.result is not None:
            signal.emit(row.result)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._fill()


__all__ = ["TestRow", "TestsPanel"]
