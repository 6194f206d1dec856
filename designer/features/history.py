"""Run history, timelines and recorded tests in the window.

* The Run History panel lists the runs kept in the store file's history (every ``run``, ``serve``, demo and
  designer run), read again whenever it comes to show (runs of other processes appear). Opening one shows
  it as a live run is shown, from the record: the path, visit counts and fault on the canvas (the run
  overlay), the journal (a served run keeps none: its rows then carry each activity's outcomes and time
  only) and the log lines; and its timeline.
* The Timeline panel draws the run opened (or the designer's last run) as bars on a time axis
  (:mod:`designer.history.timeline_chart`); Export writes it as PNG or SVG. A long run's timeline takes
  seconds to build, so it is built only while the panel shows (or when it comes to show).
* Run ▸ Save Run as Test writes the designer's last run as a ``.flowtest.json`` file of the workflow file
  that ran (refused when that file is no longer what ran: a test replays the file), with the expectations
  of its offline replay (a designer run keeps the real clock, its replay a frozen one: when they differ, the
  test expects what the replay does, and says so). The Tests panel lists the tests of the workflow in front,
  runs them, shows a failure's expected and actual paths on the canvas in two colours, and loosens a check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from designer.actions import make_action
from designer.canvas.run_trace import RunTrace, comparison_trace
from designer.editor_tab import EditorTab
from designer.features.run import RunFeature
from designer.history.panel import HistoryPanel
from designer.history.tests_panel import TestsPanel
from designer.history.timeline_chart import TimelineScrollArea, TimelineView, render_timeline, summary_text
from designer.panels.journal import JournalRow
from designer.run.bridge import RunEnded, RunEvent
from designer.run.controller import workflow_key
from designer.run.session import RecordedRun
from designer.shell import Feature, MenuName, Shell
from designer.theme import Theme
from runtime.elsa_json import file_identity
from runtime.errors import FlowdeskError
from runtime.flowtest.runner import TestResult, expect_what_the_replay_does
from runtime.flowtest.testfile import SUFFIX, FlowTest, loosen_test, write_test
from runtime.history.record import RunRecord, read_record
from runtime.history.timeline import Timeline, build_timeline
from runtime.store.history import RunHistory

STATUS_MS = 6000
TEST_FILTER = "Flowdesk tests (*.flowtest.json);;All files (*)"
PICTURE_FILTER = "PNG picture (*.png);;SVG drawing (*.svg)"


@dataclass
class HistoryDialogs:
    """What the feature asks (tests replace these with plain functions)."""

    loosen: Callable[[str, str], tuple[str, str] | None]
    """(test name, suggested JSONPath) -> ("ignore" or "anyValue", JSONPath), or None."""
    inform: Callable[[str, str], None]
    """(title, message) shown to the person."""


def qt_history_dialogs(parent: QWidget) -> HistoryDialogs:
    def loosen(name: str, suggested: str) -> tuple[str, str] | None:
        kinds = ["Ignore this output field", "Accept any value here (it must be there)"]
        kind, accepted = QInputDialog.getItem(parent, f"Loosen {name}", "How:", kinds, 0, False)
        if not accepted:
            return None
        path, accepted = QInputDialog.getText(
            parent, f"Loosen {name}", "JSONPath into the output:", text=suggested
        )
        if not accepted or not path.strip():
            return None
        return ("ignore" if kind == kinds[0] else "anyValue", path.strip())

    def inform(title: str, message: str) -> None:
        QMessageBox.information(parent, title, message)

    return HistoryDialogs(loosen, inform)


class HistoryFeature(Feature):
    """The History, Timeline and Tests panels, and Save Run as Test (see the module)."""

    shell: Shell
    panel: HistoryPanel
    tests_panel: TestsPanel
    timeline_view: TimelineView

    def __init__(self, run: RunFeature, dialogs: HistoryDialogs | None = None) -> None:
        self.run = run
        self._dialogs = dialogs
        self.record: RunRecord | None = None
        """The run whose timeline is shown (opened from the Run History panel, or the designer's last run)."""
        self.timeline: Timeline | None = None
        self._pending: RunRecord | str | None = None
        """The run (or its id) whose timeline the Timeline panel builds when it shows next."""
        self._history_shown = False
        self._timeline_shown = False
        """Whether the panels show (a dock behind another's tab says so by its signal, not isVisible)."""

    @property
    def dialogs(self) -> HistoryDialogs:
        if self._dialogs is None:
            self._dialogs = qt_history_dialogs(self.shell.window())
        return self._dialogs

    @dialogs.setter
    def dialogs(self, dialogs: HistoryDialogs) -> None:
        self._dialogs = dialogs

    # --- installing ---------------------------------------------------------------------------------------

    def install(self, shell: Shell) -> None:
        self.shell = shell
        parent = shell.window()
        self.panel = HistoryPanel(shell.theme)
        self.panel.runRequested.connect(self.open_run)
        self.panel.timelineRequested.connect(self.show_timeline_of)
        self.panel.saveTestRequested.connect(lambda _run_id: self.save_run_as_test())
        self.dock = shell.add_bottom_panel("runHistory", "Run History", self.panel)
        self.dock.visibilityChanged.connect(self._history_visible)
        self.timeline_view = TimelineView(shell.theme)
        self.timeline_view.activityRequested.connect(self._reveal)
        self.timeline_widget = self._timeline_panel(self.timeline_view)
        self.timeline_dock = shell.add_bottom_panel("runTimeline", "Timeline", self.timeline_widget)
        self.timeline_dock.visibilityChanged.connect(self._timeline_visible)
        self.tests_panel = TestsPanel(shell.theme)
        self.tests_panel.showRequested.connect(self.show_comparison)
        self.tests_panel.loosenRequested.connect(self.loosen)
        self.tests_panel.changed.connect(self._update_actions)
        self.tests_dock = shell.add_bottom_panel("recordedTests", "Tests", self.tests_panel)
        self.actions: dict[str, QAction] = {
            "actionSaveRunAsTest": make_action(
                parent,
                "actionSaveRunAsTest",
                "Save Run as &Test…",
                self.save_run_as_test,
                None,
                "Write the last run as a recorded test that flowdesk test replays offline",
            ),
            "actionRunTests": make_action(
                parent,
                "actionRunTests",
                "Run Recorded T&ests",
                self.run_tests,
                None,
                "Replay the recorded tests of this workflow (Tests panel)",
            ),
            "actionShowHistory": make_action(
                parent,
                "actionShowHistory",
                "Run &History",
                self.show_history,
                None,
                "The runs kept in the store's run history",
            ),
        }
        shell.add_actions(
            MenuName.RUN, [None, self.actions["actionSaveRunAsTest"], self.actions["actionRunTests"]]
        )
        shell.add_actions(MenuName.VIEW, [self.actions["actionShowHistory"]])
        self.run.session.ended.connect(self._run_ended)
        self.run.session.stateChanged.connect(lambda _state: self._update_actions())
        self._update_actions()

    def _timeline_panel(self, view: TimelineView) -> QWidget:
        widget = QWidget()
        widget.setObjectName("timelineWidget")
        self.timeline_title = QLabel("No run shown", widget)
        self.timeline_title.setObjectName("timelineTitle")
        self.export_button = QPushButton("Export…", widget)
        self.export_button.setObjectName("timelineExport")
        self.export_button.setToolTip("Write the timeline as a PNG picture or an SVG drawing")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda _=False: self.export_timeline())
        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 2)
        top.addWidget(self.timeline_title, 1)
        top.addWidget(self.export_button)
        self.timeline_scroll = TimelineScrollArea(view, widget)
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.timeline_scroll, 1)
        return widget

    # --- the history --------------------------------------------------------------------------------------

    def _ensure_history(self) -> RunHistory | None:
        """The history of the store runs use now (the panel's, opened again when the store changes)."""
        path = Path(self.shell.store_path)
        history = self.panel.history
        if history is None or history.path != path:
            history = RunHistory(path) if path.exists() else None
            self.panel.set_history(history)
        return history

    def refresh_history(self) -> None:
        """List the runs as the store file has them now (other processes' runs too)."""
        self._ensure_history()
        self.panel.refresh(reload_names=True)

    def _history_visible(self, visible: bool) -> None:
        self._history_shown = visible
        if visible:
            self.refresh_history()

    def show_history(self) -> HistoryPanel:
        shown = self._history_shown
        self.dock.show()
        self.dock.raise_()
        if shown or not self._history_shown:  # else coming to show has just read the runs
            self.refresh_history()
        return self.panel

    def load(self, run_id: str) -> RunRecord | None:
        history = self._ensure_history()
        if history is None:
            return None
        try:
            row = history.get(run_id)
            return read_record(row) if row is not None else None
        except (FlowdeskError, ValueError) as error:
            self.shell.dialogs.report_error("Cannot open the run", str(error))
            return None

    def _run_ended(self, ended: RunEnded) -> None:
        """The designer's run is over: once written, list it and build its timeline (each if its panel
        shows, else when it comes to show)."""
        writer = self.run.session.history_writer
        if writer is not None:
            writer.flush(5.0)
        recorded = self.run.session.last_recorded
        self.panel.set_saveable(recorded.instance.id if recorded is not None else None)
        if self._history_shown:
            self.refresh_history()
        if ended.instance is not None:
            self._timeline_when_shown(ended.instance.id)
        self._update_actions()

    # --- opening a run ------------------------------------------------------------------------------------

    def open_run(self, run_id: str) -> bool:
        """Show a kept run as a live run is shown: overlay, journal, log, timeline."""
        record = self.load(run_id)
        if record is None:
            return False
        tab = self._tab_of(record)
        if tab is None:
            self.shell.show_message(
                f"The workflow {record.row.workflow} of run {record.id[:8]} is not open and its file "
                f"{record.row.file_path or '(unknown)'} was not found",
                STATUS_MS,
            )
        controller = self.run.controller
        controller.clear_results()
        for name in {info.workflow for info in record.instances}:
            target = tab if name == record.row.workflow else controller.tab_for(name)
            if target is None:
                continue
            trace = trace_of(record, name)
            controller.traces[target] = trace
            overlay = controller.overlay_of(target)
            if overlay is not None:
                overlay.show_trace(trace)
        controller.journal_panel.add_rows(journal_rows(record, tab))
        definition_id = record.row.definition_id
        root = record.instances[0].id
        controller.log_panel.model.add_events(
            RunEvent(event, definition_id if event.instance_id == root else None) for event in record.events
        )
        controller.log_panel.model.flush()
        self._timeline_when_shown(record)
        fault = f": {record.row.fault}" if record.row.fault else ""
        self.shell.show_message(
            f"Run {record.id[:8]} of {record.row.workflow} ({record.row.source}): {record.row.status}{fault}",
            STATUS_MS,
        )
        return True

    def _tab_of(self, record: RunRecord) -> EditorTab | None:
        row = record.row
        tab = self._open(Path(row.file_path)) if row.file_path else None
        if tab is None:
            tab = self.run.controller.tab_for(row.workflow, row.definition_id or "")
            if tab is not None:
                self.shell.show_tab(tab)
        return tab

    def _open(self, path: Path) -> EditorTab | None:
        """The tab of a workflow file, in front (opened unless it is open already); None when it is gone."""
        opened = self.shell.open_files([path]) if path.is_file() else []
        return opened[0] if opened else None

    # --- the timeline -------------------------------------------------------------------------------------

    def show_timeline_of(self, run_id: str) -> None:
        record = self.load(run_id)
        if record is not None:
            self.show_timeline(record)
            self.timeline_dock.show()
            self.timeline_dock.raise_()

    def show_timeline(self, record: RunRecord) -> Timeline:
        self.record = record
        self._pending = None
        row = record.row
        self.timeline = build_timeline(record.events, f"{row.workflow} {record.id[:8]}", row.status)
        self.timeline_view.set_timeline(self.timeline)
        self.timeline_scroll.fit()
        self.timeline_title.setText(
            f"{row.workflow}, run {record.id[:8]} ({row.source}): {summary_text(self.timeline)}"
        )
        self.export_button.setEnabled(True)
        return self.timeline

    def _timeline_when_shown(self, run: RunRecord | str) -> None:
        """Build the run's timeline now if the Timeline panel shows, else when it comes to show."""
        self._pending = run
        if self._timeline_shown:
            self._show_pending()

    def _timeline_visible(self, visible: bool) -> None:
        self._timeline_shown = visible
        if visible:
            self._show_pending()

    def _show_pending(self) -> None:
        pending, self._pending = self._pending, None
        record = self.load(pending) if isinstance(pending, str) else pending
        if record is not None:
            self.show_timeline(record)

    def export_timeline(self, path: str | None = None) -> str | None:
        self._show_pending()
        if self.timeline is None:
            return None
        if path is None:
            suggested = f"timeline-{self.record.id[:8] if self.record else 'run'}.png"
            path = self.shell.dialogs.save_file("Export the timeline", suggested, PICTURE_FILTER)
            if path is None:
                return None
        if Path(path).suffix.lower() not in (".png", ".svg"):
            path += ".png"
        notes: list[str] = []
        try:
            width, height = render_timeline(self.timeline, path, self.shell.theme, 1200, notes)
        except FlowdeskError as error:
            self.shell.dialogs.report_error("Cannot export the timeline", str(error))
            return None
        detail = "".join(f"; {note}" for note in notes)
        self.shell.show_message(f"Timeline written to {path} ({width} x {height}{detail})", STATUS_MS)
        return path

    def _reveal(self, workflow: str, activity_id: str) -> None:
        tab = self.run.controller.tab_for(workflow)
        if tab is not None:
            self.run.controller.reveal_in(tab, activity_id)

    # --- recorded tests -----------------------------------------------------------------------------------

    def save_run_as_test(self, path: str | None = None) -> Path | None:
        """Write the designer's last run as a test of the file that ran; returns the file written."""
        recorded = self.run.session.last_recorded
        if recorded is None:
            self.shell.show_message("Run the workflow first: Save Run as Test writes the last run", STATUS_MS)
            return None
        workflow_path = self._file_that_ran(recorded)
        if workflow_path is None:
            return None
        if path is None:
            suggested = str(workflow_path.with_name(f"{workflow_path.stem}{SUFFIX}"))
            path = self.shell.dialogs.save_file("Save run as test", suggested, TEST_FILTER)
            if path is None:
                return None
        file = Path(path)
        if not file.name.endswith(SUFFIX):
            file = file.with_name(file.name.removesuffix(".json") + SUFFIX)
        request = recorded.request
        test = recorded.recording.make_test(
            file,
            request.workflow,
            workflow_path,
            request.input,
            recorded.instance,
            name=file.name.removesuffix(SUFFIX),
        )
        note = self._expect_the_replay(test)
        try:
            write_test(test)
        except FlowdeskError as error:
            self.shell.dialogs.report_error("Cannot save the run as a test", str(error))
            return None
        self.tests_panel.refresh()
        self.tests_dock.show()
        self.tests_dock.raise_()
        self.shell.show_message(f"Test written to {file}", STATUS_MS)
        if note:
            self.dialogs.inform("Saved run as test", note)
        return file

    def _file_that_ran(self, recorded: RecordedRun) -> Path | None:
        """The workflow file of the run, if it still holds what ran (its hash, kept with the run); else
        None, said in one line: the test would replay another workflow than the run's."""
        path, digest = recorded.request.source_file
        if path is None:
            problem = "Save the workflow to a file first: a test replays its file."
        elif file_identity(path)[1] != digest:
            problem = (
                f"{Path(path).name} is not what ran (unsaved edits, or changed since): save and run again."
            )
        else:
            return Path(path)
        self.shell.dialogs.report_error("Cannot save the run as a test", problem)
        return None

    @staticmethod
    def _expect_the_replay(test: FlowTest) -> str | None:
        """Replay the new test once; when the replay went otherwise than the run, the test expects the
        replay (what ``flowdesk test`` will see) and the returned note says why."""
        result = expect_what_the_replay_does(test)
        if result.passed or result.instance is None:
            return None if result.error is None else result.error
        first = result.failures[0].splitlines()[0] if result.failures else ""
        return (
            "The offline replay (frozen clock, recorded HTTP and store) went otherwise than the run "
            f"({first}); the test expects what the replay does. Loosen a check in the Tests panel if the "
            "difference comes from the clock or generated values."
        )

    def run_tests(self) -> None:
        self.tests_dock.show()
        self.tests_dock.raise_()
        self.tests_panel.run_all()

    def show_comparison(self, result: TestResult) -> bool:
        """The expected path and the replay's on the test's workflow, in two colours."""
        test = result.test
        if test is None:
            return False
        tab = self._open(test.workflow_path)
        if tab is None:
            return False
        name = workflow_key(tab.document.workflow)
        expected = [(s.activity_id, s.outcomes, s.error) for s in result.expected_path if s.workflow == name]
        actual = [(s.activity_id, s.outcomes, s.error) for s in result.actual_path if s.workflow == name]
        trace = comparison_trace(expected, actual)
        controller = self.run.controller
        controller.clear_results()
        controller.traces[tab] = trace
        overlay = controller.overlay_of(tab)
        if overlay is not None:
            overlay.show_trace(trace)
        verdict = "the same path" if expected == actual else "blue: expected only; orange: this replay only"
        self.shell.show_message(f"Test {result.name}: {verdict}; green: both", STATUS_MS * 2)
        return True

    def loosen(self, result: TestResult) -> bool:
        """Ask which output path to ignore (or accept any value at), write it in the test, run it again."""
        test = result.test
        if test is None:
            return False
        paths = result.output_paths
        answer = self.dialogs.loosen(result.name, paths[0] if paths else "$.")
        if answer is None:
            return False
        kind, path = answer
        try:
            loosen_test(test.file, kind, path)
        except FlowdeskError as error:
            self.shell.dialogs.report_error("Cannot loosen the test", str(error))
            return False
        row = next((r for r in self.tests_panel.rows if r.file == test.file), None)
        if row is not None:
            self.tests_panel.run([row])
        return True

    # --- window hooks -------------------------------------------------------------------------------------

    def _update_actions(self) -> None:
        idle = not self.run.session.is_active
        self.actions["actionSaveRunAsTest"].setEnabled(idle and self.run.session.last_recorded is not None)
        self.actions["actionRunTests"].setEnabled(self.tests_panel.can_run_all)

    def current_tab_changed(self, tab: EditorTab | None) -> None:
        path = tab.document.path if tab is not None else None
        self.tests_panel.set_workflow(path.resolve() if path is not None else None)
        self._update_actions()

    def tab_added(self, tab: EditorTab) -> None:
        tab.document.pathChanged.connect(lambda _path, t=tab: self._path_changed(t))

    def _path_changed(self, tab: EditorTab) -> None:
        if self.shell.current_tab() is tab:
            self.current_tab_changed(tab)

    def set_theme(self, theme: Theme) -> None:
        self.panel.set_theme(theme)
        self.timeline_view.set_theme(theme)
        self.tests_panel.set_theme(theme)

    def shutdown(self) -> None:
        self.tests_panel.wait(10.0)
        self.panel.shutdown()


def trace_of(record: RunRecord, workflow: str) -> RunTrace:
    """The overlay's trace of a kept run on one of its workflows, as the live events would have built it."""
    trace = RunTrace()
    for workflow_name, activity_id, _label, outcomes, error in record.path():
        if workflow_name != workflow or not activity_id:
            continue
        trace.executing(activity_id)
        if error is None:
            trace.executed(activity_id, outcomes)
        else:
            trace.faulted(activity_id, error)
    trace.end()
    trace.take_dirty()
    return trace


def journal_rows(record: RunRecord, tab: EditorTab | None) -> list[JournalRow]:
    """The journal panel's rows of a kept run (a served run's are made from its log by the runtime)."""
    names = {info.id: info.workflow for info in record.instances}
    root = record.instances[0].id
    definition_id = record.row.definition_id
    types = {a.activity_id: a.type for a in tab.document.workflow.activities} if tab is not None else {}
    return [
        JournalRow(
            item,
            names.get(instance_id, record.row.workflow),
            definition_id if instance_id == root else None,
            instance_id,
        )
        for instance_id, item in record.journal_or_log(types)
    ]


__all__ = ["HistoryDialogs", "HistoryFeature", "journal_rows", "trace_of"]
