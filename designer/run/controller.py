"""The window's run and debug commands and what they show: log, journal, variables, canvas overlay.

The controller prepares a run on the GUI thread (copies of the open workflows, the library, the pins
read from the design data and the documents' breakpoints, the input asked through the shell's
``Dialogs``), hands it to the :class:`RunSession`, and turns each batch of engine events into panel rows
and overlay marks. Pins are edits of the workflow's ``customAttributes`` (undoable, saved with the file,
kept by Elsa), made through the tab's :class:`~designer.editing.editor.WorkflowEditor`; breakpoints are
not edits: they belong to the document and are kept per file for the user (:class:`BreakpointBook`).

Runs are followed in the tab they belong to: an instance of the designer's run is drawn (and its pause
shown) in the tab whose workflow the engine runs a copy of, never in another tab that happens to hold the
same definition (a Save-As copy). It reaches the window only as a :class:`~designer.shell.Shell`.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from designer.canvas.overlay import RunOverlay
from designer.canvas.run_trace import RunTrace
from designer.document import Document
from designer.editor_tab import EditorTab
from designer.panels.journal import JournalPanel, JournalRow
from designer.panels.log import LogPanel
from designer.panels.variables import VariablesPanel
from designer.run.breakpoints import BreakpointBook
from designer.run.bridge import EventBridge, RunEnded, RunEvent
from designer.run.dialogs import PinRequest, json_for_editing, parse_json_text
from designer.run.hints import RunHints
from designer.run.locate import find_workflow_file
from designer.run.session import PausePoint, RunRequest, RunSession, SessionBusyError, SessionState
from designer.shell import Shell
from designer.theme import Theme
from runtime.design_data import read_design_data
from runtime.elsa_json import dumps_workflow, file_identity, loads_workflow
from runtime.engine import EventKind, InstanceStatus, PinnedOutput, WorkflowLibrary
from runtime.masking import SecretMasker
from runtime.model import WorkflowDefinition

INPUT_SETTINGS_GROUP = "runInputs"
TraceKey = EditorTab | str
"""Where a run's trace is drawn: a tab, or (for a workflow not open in any tab) its name."""


def workflow_key(workflow: WorkflowDefinition) -> str:
    """How engine events name a workflow (the engine's blueprint name)."""
    return workflow.name or workflow.label


def running_copy(workflow: WorkflowDefinition, source: str) -> WorkflowDefinition:
    """A copy for the engine thread (the GUI goes on editing the original)."""
    return loads_workflow(dumps_workflow(workflow), source)


def source_file(document: Document) -> tuple[str | None, str | None]:
    """The file a run's history names and the SHA-256 of what ran: the file's bytes when it is saved,
    else the workflow as it is in the window (unsaved edits ran)."""
    if document.path is not None and not document.is_modified:
        return file_identity(document.path)
    path = str(document.path.resolve()) if document.path is not None else None
    return path, file_identity(None, dumps_workflow(document.workflow).encode("utf-8"))[1]


def settings_key(tab: EditorTab) -> str:
    """Where the last input of a run of this workflow is remembered."""
    workflow = tab.document.workflow
    raw = workflow.definition_id or (str(tab.document.path) if tab.document.path else workflow_key(workflow))
    return f"{INPUT_SETTINGS_GROUP}/{re.sub(r'[^A-Za-z0-9_.-]', '_', raw)}"


class RunController(QObject):
    """The run commands (run, debug, step, breakpoints, pins) and the panels and overlays that follow runs.

    It knows the window only as a :class:`Shell` (tabs, dialogs, settings, store, status messages).
    """

    runStatus = Signal(str)
    """A line about the run for the status bar: running, paused where, finished, faulted..."""

    def __init__(self, shell: Shell, bridge: EventBridge, session: RunSession) -> None:
        super().__init__(shell.window())
        self.shell = shell
        self.bridge = bridge
        self.session = session
        theme = shell.theme
        self.masker = SecretMasker()
        """Shared by the panels: a secret masked in one is masked wherever it shows up again."""
        self.log_panel = LogPanel(
            theme,
            lambda caption, suggested, file_filter: shell.dialogs.save_file(caption, suggested, file_filter),
            masker=self.masker,
        )
        self.journal_panel = JournalPanel(theme, masker=self.masker)
        self.variables_panel = VariablesPanel(theme, masker=self.masker)
        self.variables_panel.can_edit = self._can_edit
        self.traces: dict[TraceKey, RunTrace] = {}
        self.overlays: dict[EditorTab, RunOverlay] = {}
        self.breakpoint_book = BreakpointBook(shell.settings)
        """The user's breakpoints per workflow file."""
        self.copy_tabs: dict[int, EditorTab] = {}
        """The tab each workflow copy of the run under way was made from (by the copy's id)."""
        self._copies: list[WorkflowDefinition] = []
        self.instance_tabs: dict[str, EditorTab] = {}
        """The tab each instance is drawn in, once known."""
        self._tabless: dict[str, str] = {}
        """Instances of workflows no tab holds (a sub-workflow's file): instance id -> workflow name."""
        self.hints = RunHints(shell, self.run)
        """What to do when a run needs the store imported or Serve on (a notice above the canvas)."""
        self.library_folders: list[Path] = []
        self.run_started_at = 0.0
        self.run_title = ""
        self.log_panel.activityRequested.connect(self.reveal)
        self.log_panel.exportFailed.connect(
            lambda message: shell.dialogs.report_error("Cannot export", message)
        )
        self.journal_panel.activityRequested.connect(self.reveal)
        self.journal_panel.pinRequested.connect(self.pin_from_journal)
        self.variables_panel.variableEdited.connect(self._variable_edited)
        bridge.delivered.connect(self._on_batch)
        session.stateChanged.connect(lambda _state: self._state_changed())
        self._shown_pause: PausePoint | None = None

    # --- tabs ------------------------------------------------------------------------------------------

    def tab_added(self, tab: EditorTab) -> None:
        document = tab.document
        if document.path is not None:
            kept = self.breakpoint_book.load(document.path)
            taken_over = document.breakpoints - kept
            document.breakpoints = kept | document.breakpoints
            if taken_over:
                self.breakpoint_book.save(document.path, document.breakpoints)
        document.breakpointsChanged.connect(lambda: self._keep_breakpoints(tab))
        document.pathChanged.connect(lambda _path: self._keep_breakpoints(tab))
        overlay = RunOverlay(tab.scene)
        self.overlays[tab] = overlay
        name = workflow_key(document.workflow)
        trace = self.traces.pop(name, None)
        if trace is not None:
            self.traces[tab] = trace
            for instance_id in [i for i, n in self._tabless.items() if n == name]:
                self.instance_tabs[instance_id] = tab
                del self._tabless[instance_id]
            overlay.show_trace(trace)

    def tab_closing(self, tab: EditorTab) -> None:
        overlay = self.overlays.pop(tab, None)
        if overlay is not None:
            overlay.detach()
        self.traces.pop(tab, None)
        for instance_id in [i for i, t in self.instance_tabs.items() if t is tab]:
            del self.instance_tabs[instance_id]
        self.copy_tabs = {key: t for key, t in self.copy_tabs.items() if t is not tab}

    def current_tab_changed(self, tab: EditorTab | None) -> None:
        """The variables panel follows the instances of the workflow in front."""
        self.variables_panel.prefer_workflow(workflow_key(tab.document.workflow) if tab is not None else None)

    def _keep_breakpoints(self, tab: EditorTab) -> None:
        document = tab.document
        if document.path is not None:
            self.breakpoint_book.save(document.path, document.breakpoints)

    def overlay_of(self, tab: EditorTab) -> RunOverlay | None:
        return self.overlays.get(tab)

    def set_theme(self, theme: Theme) -> None:
        self.log_panel.set_theme(theme)
        self.journal_panel.set_theme(theme)
        self.variables_panel.set_theme(theme)
        for overlay in self.overlays.values():
            for item in overlay.items.values():
                item.update()

    # --- commands --------------------------------------------------------------------------------------

    def run(self) -> None:
        """F5: continue when paused, else start a run of the current workflow."""
        if self.session.state is SessionState.PAUSED:
            self.session.resume()
            return
        self.start(debug=False)

    def debug(self) -> None:
        self.start(debug=True)

    def step(self) -> None:
        """F10: run one activity when paused; when idle, start debugging paused before the first one."""
        if self.session.state is SessionState.PAUSED:
            self.session.step()
        elif not self.session.is_active:
            self.start(debug=True, pause_at_start=True)

    def resume(self) -> None:
        self.session.resume()

    def stop(self) -> None:
        self.session.stop()

    def run_from_here(self) -> bool:
        """Run the current workflow starting at the selected activity (its input is the run's input;
        activities before it do not run and nothing is pinned for them)."""
        tab = self.shell.current_tab()
        if tab is None or self.session.is_active:
            return False
        ids = tab.scene.selected_activity_ids()
        if len(ids) != 1:
            self.shell.show_message("Select one activity to run from it", 4000)
            return False
        return self.start(debug=False, start_at=ids[0])

    def start(self, debug: bool, pause_at_start: bool = False, start_at: str | None = None) -> bool:
        """Ask for the input and start a run (or debug session) of the current workflow, from its start
        activities or from ``start_at``."""
        shell = self.shell
        tab = shell.current_tab()
        if tab is None or self.session.is_active:
            return False
        document = tab.document
        verb = "Debug" if debug else "Run"
        title = f"{verb} {document.title}"
        if start_at is not None:
            title = f"{verb} {document.title} from {self._label(tab, [start_at])}"
        text = shell.dialogs.run_input(title, self.initial_input(tab))
        if text is None:
            return False
        text = text.strip()
        value, error = parse_json_text(text)
        if error is not None:
            shell.dialogs.report_error(
                f"Cannot {verb.lower()}", f"{document.title}: the input is not JSON ({error})"
            )
            return False
        shell.settings.setValue(settings_key(tab), text)
        request = self.prepare(tab, value, debug, pause_at_start)
        request.start_at = start_at
        self.clear_results()
        self.run_started_at = time.monotonic()
        self.run_title = workflow_key(document.workflow)
        try:
            self.session.start(request)
        except SessionBusyError as busy:
            shell.dialogs.report_error(f"Cannot {verb.lower()}", str(busy))
            return False
        self.log_panel.set_follow(True)
        self.hints.started(tab)
        return True

    def initial_input(self, tab: EditorTab) -> str:
        """The last input used for this workflow, else the sample input it carries, else nothing."""
        remembered = self.shell.settings.value(settings_key(tab))
        if isinstance(remembered, str):
            return remembered
        data = read_design_data(tab.document.workflow)
        return json_for_editing(data.sample_input) if data.has_sample_input else ""

    def prepare(self, tab: EditorTab, value: Any, debug: bool, pause_at_start: bool = False) -> RunRequest:
        """Copies of the workflow and the other open ones, the library (the file's folder), the store,
        and the pins and breakpoints of every workflow the run may reach."""
        document = tab.document
        root = running_copy(document.workflow, document.title)
        other_tabs = [other for other in self.shell.editor_tabs() if other is not tab]
        others = [running_copy(other.document.workflow, other.document.title) for other in other_tabs]
        self._copies = [root, *others]
        owners = [tab, *other_tabs]
        self.copy_tabs = {id(copy): owner for copy, owner in zip(self._copies, owners, strict=True)}
        folders = [document.path.parent] if document.path is not None else []
        self.library_folders = [
            *folders,
            *(o.document.path.parent for o in self.shell.editor_tabs() if o.document.path),
        ]
        library = WorkflowLibrary(folders, [root, *others])
        pinned: dict[str, PinnedOutput] = {}
        breakpoints: set[str] = set()
        for other in [tab, *other_tabs]:
            breakpoints.update(other.document.breakpoints)
        open_ones = [root, *others]
        for workflow in self._reachable(library, open_ones):
            data = read_design_data(workflow)
            for activity_id, pin in data.pinned.items():
                pinned.setdefault(activity_id, pin)
            if not any(workflow is o for o in open_ones):
                breakpoints.update(data.breakpoints)  # an older file's, not open (taken over when opened)
        open_paths = {o.document.path for o in [tab, *other_tabs] if o.document.path is not None}
        library_folders = {folder.resolve() for folder in folders}
        for path, ids in self.breakpoint_book.files().items():
            if path not in open_paths and path.parent.resolve() in library_folders:
                breakpoints.update(ids)
        return RunRequest(
            workflow=root,
            input=value,
            library=library,
            store_path=self.shell.store_path,
            pinned=pinned,
            breakpoints=breakpoints,
            debug=debug,
            pause_at_start=pause_at_start,
            source_file=source_file(document),
        )

    @staticmethod
    def _reachable(library: WorkflowLibrary, open_ones: list[WorkflowDefinition]) -> list[WorkflowDefinition]:
        """The open workflows, then the folder's files that are not open (an open one wins over its file)."""
        seen = {w.definition_id or workflow_key(w) for w in open_ones}
        files = [w for w in library.workflows() if not any(w is o for o in open_ones)]
        return [*open_ones, *(w for w in files if (w.definition_id or workflow_key(w)) not in seen)]

    def clear_results(self) -> None:
        """Forget the last run's overlay, journal and variables (the log keeps its history)."""
        self.traces = {}
        self.instance_tabs = {}
        self._tabless = {}
        for overlay in self.overlays.values():
            overlay.show_trace(None)
        self.journal_panel.clear()
        self.variables_panel.clear()

    # --- breakpoints and pins ----------------------------------------------------------------------------

    def toggle_breakpoint(self) -> bool:
        """F9 on the selected cards: add breakpoints, or remove them when every one has one."""
        tab = self.shell.current_tab()
        if tab is None:
            return False
        ids = tab.scene.selected_activity_ids()
        if not ids:
            self.shell.show_message("Select an activity to set a breakpoint on it", 4000)
            return False
        document = tab.document
        enable = not all(activity_id in document.breakpoints for activity_id in ids)
        chosen = document.breakpoints | set(ids) if enable else document.breakpoints - set(ids)
        document.set_breakpoints(chosen)
        label = self._label(tab, ids)
        self.shell.show_message(f"Breakpoint {'set on' if enable else 'removed from'} {label}", 3000)
        self.session.set_breakpoints(ids, enable)
        return True

    def pin_output(self, prefill: JournalRow | None = None) -> bool:
        """Pin the selected activity's output: from the last run (or ``prefill``) or typed JSON."""
        tab = self.shell.current_tab()
        if tab is None:
            return False
        ids = tab.scene.selected_activity_ids()
        if len(ids) != 1:
            self.shell.show_message("Select one activity to pin its output", 4000)
            return False
        activity_id = ids[0]
        data = read_design_data(tab.document.workflow)
        row = prefill or self._last_row(tab, activity_id)
        existing = data.pinned.get(activity_id)
        if row is not None:
            output, chosen = row.record.output, list(row.record.outcomes)
        elif existing is not None:
            output, chosen = existing.output, list(existing.outcomes)
        else:
            output, chosen = None, ["Done"]
        ports = list(tab.scene.cards[activity_id].content.outcomes) or ["Done"]
        ports += [o for o in chosen if o.lower() not in {p.lower() for p in ports}]
        label = self._label(tab, ids)
        answer = self.shell.dialogs.pin_output(PinRequest(label, json_for_editing(output), ports, chosen))
        if answer is None:
            return False
        data.pinned[activity_id] = PinnedOutput(answer.output, tuple(answer.outcomes))
        tab.editor.set_design_data(data, f"Pin output of {label}")
        return True

    def unpin_output(self) -> bool:
        tab = self.shell.current_tab()
        if tab is None:
            return False
        ids = tab.scene.selected_activity_ids()
        data = read_design_data(tab.document.workflow)
        pinned = [activity_id for activity_id in ids if activity_id in data.pinned]
        if not pinned:
            self.shell.show_message("The selected activities have no pinned output", 4000)
            return False
        for activity_id in pinned:
            del data.pinned[activity_id]
        tab.editor.set_design_data(data, f"Unpin output of {self._label(tab, pinned)}")
        return True

    def pin_from_journal(self, row: JournalRow) -> None:
        if self.reveal(row.workflow, row.definition_id or "", row.record.activity_id):
            self.pin_output(prefill=row)

    def _label(self, tab: EditorTab, ids: list[str]) -> str:
        if len(ids) != 1:
            return f"{len(ids)} activities"
        activity = tab.document.workflow.activity(ids[0])
        return activity.label if activity is not None else ids[0]

    def _last_row(self, tab: EditorTab, activity_id: str) -> JournalRow | None:
        key = workflow_key(tab.document.workflow)
        for row in reversed(self.journal_panel.model.rows):
            if row.record.activity_id == activity_id and row.workflow == key and row.has_output:
                return row
        return None

    # --- finding activities -------------------------------------------------------------------------------

    def tab_for(self, workflow_name: str, definition_id: str = "") -> EditorTab | None:
        tabs = self.shell.editor_tabs()
        if definition_id:
            found = next((t for t in tabs if t.document.workflow.definition_id == definition_id), None)
            if found is not None:
                return found
        return next((t for t in tabs if workflow_key(t.document.workflow) == workflow_name), None)

    def reveal(self, workflow_name: str, definition_id: str, activity_id: str) -> bool:
        """Select an activity's card and bring it into view, opening its workflow if it is not open."""
        tab = self.tab_for(workflow_name, definition_id)
        if tab is None:
            folders = [
                *self.library_folders,
                *(t.document.path.parent for t in self.shell.editor_tabs() if t.document.path),
            ]
            path = find_workflow_file(folders, definition_id or None, workflow_name)
            if path is None:
                self.shell.show_message(
                    f"The workflow {workflow_name} is not open and its file was not found", 5000
                )
                return False
            opened = self.shell.open_files([path])
            tab = opened[0] if opened else None
            if tab is None:
                return False
        return self.reveal_in(tab, activity_id)

    def reveal_in(self, tab: EditorTab, activity_id: str) -> bool:
        """Bring ``tab`` to the front with the activity's card selected and in view."""
        if activity_id not in tab.scene.cards:
            return False
        if self.shell.current_tab() is not tab:
            self.shell.show_tab(tab)
        tab.scene.select_activities({activity_id})
        tab.view.center_on_activity(activity_id)
        return True

    # --- following the run ---------------------------------------------------------------------------------

    def _trace(self, key: TraceKey) -> RunTrace:
        trace = self.traces.get(key)
        if trace is None:
            trace = self.traces[key] = RunTrace()
        return trace

    def tab_of_instance(self, instance_id: str) -> EditorTab | None:
        """The tab an instance is drawn in: for the designer's runs, the tab whose workflow the engine runs
        a copy of (the run's own tab for the root); for others (Serve), the open tab of that workflow."""
        return self.instance_tabs.get(instance_id)

    def _key_of(self, item: RunEvent) -> TraceKey:
        event = item.event
        instance_id = event.instance_id
        tab = self.instance_tabs.get(instance_id)
        if tab is not None:
            return tab
        name = self._tabless.get(instance_id)
        if name is not None:
            return name
        entry = self.bridge.registry.get(instance_id)
        if entry is not None:
            tab = self.copy_tabs.get(id(entry[0]))
        else:
            tab = self.tab_for(event.workflow_name, item.definition_id or "")
        if tab is None or tab not in self.overlays:
            self._tabless[instance_id] = event.workflow_name
            return event.workflow_name
        self.instance_tabs[instance_id] = tab
        return tab

    def _on_batch(self, batch: list) -> None:
        events: list[RunEvent] = []
        rows: list[JournalRow] = []
        touched: set[TraceKey] = set()
        variables = self.variables_panel
        ended: RunEnded | None = None
        for item in batch:
            if isinstance(item, RunEnded):
                ended = item
                continue
            events.append(item)
            event = item.event
            if self.bridge.registry.get(event.instance_id) is not None:
                self.hints.observe(item)
            name = event.workflow_name
            kind = event.kind
            activity_id = event.activity_id
            key = self._key_of(item)
            if kind is EventKind.INSTANCE_STARTED:
                ours = self.bridge.registry.get(event.instance_id) is not None
                if not ours and event.parent_instance_id is None:
                    self.traces[key] = RunTrace()
                variables.instance_started(event.instance_id, name, item.variables)
            elif kind is EventKind.ACTIVITY_EXECUTING and activity_id:
                self._trace(key).executing(activity_id)
            elif kind is EventKind.ACTIVITY_EXECUTED and activity_id:
                self._trace(key).executed(activity_id, event.data.get("outcomes") or [])
            elif kind is EventKind.ACTIVITY_FAULTED and activity_id:
                self._trace(key).faulted(activity_id, event.message)
            elif kind is EventKind.INSTANCE_PAUSED:
                self._trace(key).pause(activity_id)
            elif kind is EventKind.INSTANCE_RESUMED:
                self._trace(key).pause(None)
                variables.resumed()
            elif kind is EventKind.VARIABLE_CHANGED:
                variables.variable_changed(
                    event.instance_id, name, str(event.data.get("name")), event.data.get("value")
                )
            else:
                continue
            touched.add(key)
            if item.record is not None:
                rows.append(JournalRow(item.record, name, item.definition_id, event.instance_id))
        self.log_panel.model.add_events(events)
        self.journal_panel.add_rows(rows)
        self._redraw(touched)
        point = self.session.pause_point
        if point is not None and point is not self._shown_pause:
            self._shown_pause = point
            self._paused(point)
        if ended is not None:
            self._ended(ended)

    def _redraw(self, keys: set[TraceKey]) -> None:
        for key in keys:
            trace = self.traces.get(key)
            if trace is None:
                continue
            dirty = trace.take_dirty()
            overlay = self.overlays.get(key) if isinstance(key, EditorTab) else None
            if overlay is not None:
                overlay.update_trace(trace, dirty)

    def _paused(self, point: PausePoint) -> None:
        self.variables_panel.paused(
            point.instance_id, point.workflow_name, point.snapshot, self._activity_label(point)
        )
        tab = self.tab_of_instance(point.instance_id)
        if tab is not None:
            self.reveal_in(tab, point.activity_id)
        else:
            self.reveal(point.workflow_name, point.definition_id or "", point.activity_id)
        self.runStatus.emit(f"Paused before {self._activity_label(point)} in {point.workflow_name}")

    def _activity_label(self, point: PausePoint) -> str:
        tab = self.tab_of_instance(point.instance_id) or self.tab_for(
            point.workflow_name, point.definition_id or ""
        )
        activity = tab.document.workflow.activity(point.activity_id) if tab is not None else None
        return activity.label if activity is not None else point.activity_id

    def _ended(self, ended: RunEnded) -> None:
        for trace in self.traces.values():
            trace.end()
        self._redraw(set(self.traces))
        self.variables_panel.resumed()
        self.log_panel.model.flush()
        seconds = time.monotonic() - self.run_started_at
        instance = ended.instance
        if ended.error is not None:
            self.runStatus.emit(f"{self.run_title} did not run")
            self.shell.dialogs.report_error("Run failed", ended.error)
        elif instance is None or instance.status is InstanceStatus.IDLE:
            self.runStatus.emit(f"{self.run_title} did not start")
        elif instance.status is InstanceStatus.FAULTED:
            self.runStatus.emit(f"{self.run_title} faulted: {instance.fault}")
        elif instance.status is InstanceStatus.CANCELLED:
            self.runStatus.emit(f"{self.run_title} stopped")
        else:
            self.runStatus.emit(f"{self.run_title} finished in {seconds:.2f} s")

    def _state_changed(self) -> None:
        state = self.session.state
        if state is SessionState.RUNNING:
            self.runStatus.emit(f"{'Debugging' if self.session.debug else 'Running'} {self.run_title}…")

    def _can_edit(self, instance_id: str) -> bool:
        point = self.session.pause_point
        return (
            self.session.state is SessionState.PAUSED
            and point is not None
            and point.instance_id == instance_id
        )

    def _variable_edited(self, instance_id: str, name: str, value: Any) -> None:
        if not self._can_edit(instance_id) or not self.session.edit_variable(name, value):
            self.shell.show_message("The run is no longer paused: the change was not applied", 5000)

    def shutdown(self) -> None:
        """Stop the run and wait for its thread (the window is closing)."""
        self.session.shutdown()
        for overlay in self.overlays.values():
            overlay.detach()
        self.overlays.clear()
