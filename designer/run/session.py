"""One run or debug session at a time: the engine on its own thread, controlled from the GUI thread.

The engine thread runs :meth:`WorkflowRunner.run_sync` (its own asyncio loop). The GUI thread only calls
the thread-safe :class:`ExecutionControl` (stop, step, resume, breakpoints, variable edits) and learns
what happens through the :class:`EventBridge`'s batches, which end with a :class:`RunEnded`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from runtime.history.recorder import HistoryRecorder, HistoryWriter

from designer.run.bridge import EventBridge, RunEnded, RunEvent
from runtime.engine import (
    EventKind,
    ExecutionControl,
    PinnedOutput,
    RuntimeServices,
    WorkflowInstance,
    WorkflowLibrary,
    WorkflowRunner,
)
from runtime.errors import FlowdeskError
from runtime.flowtest.runner import RunRecording
from runtime.model import WorkflowDefinition

JOIN_SECONDS = 10.0


class SessionState(StrEnum):
    """Whether a run is going on, and whether it waits at a breakpoint (the run actions follow it)."""

    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"


class SessionBusyError(FlowdeskError):
    """A run is already going on."""


@dataclass
class RunRequest:
    """Everything one run needs, prepared on the GUI thread (the workflows are copies the GUI never edits)."""

    workflow: WorkflowDefinition
    input: Any
    library: WorkflowLibrary
    store_path: Path | None
    pinned: Mapping[str, PinnedOutput] = field(default_factory=dict)
    breakpoints: set[str] = field(default_factory=set)
    debug: bool = False
    pause_at_start: bool = False
    start_at: str | None = None
    """Start at this activity instead of the start activities (Run from Here); nothing is pinned for the
    activities before it."""
    history: bool = True
    """Record the run in the run history of the store file (``store_path``, else the user's store)."""
    source_file: tuple[str | None, str | None] = (None, None)
    """The workflow's file and the SHA-256 of what ran, for the history."""
    record: bool = True
    """Keep what the run reached (HTTP exchanges, store records, its clock) so it can be saved as a test."""


@dataclass
class RecordedRun:
    """A finished designer run with what it reached outside: what "Save Run as Test" writes."""

    request: RunRequest
    instance: WorkflowInstance
    recording: RunRecording


@dataclass(frozen=True)
class PausePoint:
    """Where a debug session waits: the activity about to run, in which instance of which workflow."""

    activity_id: str
    instance_id: str
    workflow_name: str
    definition_id: str | None
    snapshot: dict[str, Any]


class DesignRunner(WorkflowRunner):
    """A runner that registers every instance it runs (sub-workflows too) so their journals reach the
    window, and applies the designer's pinned outputs in sub-workflows as well as in the root."""

    def __init__(
        self,
        services: RuntimeServices,
        bridge: EventBridge,
        pinned: Mapping[str, PinnedOutput],
    ) -> None:
        super().__init__(services, [bridge.observe])
        self.bridge = bridge
        self.pins = dict(pinned)

    async def run(
        self,
        workflow: WorkflowDefinition,
        input: Any = None,
        *,
        instance: WorkflowInstance | None = None,
        pinned: Mapping[str, PinnedOutput] | None = None,
        **options: Any,
    ) -> WorkflowInstance:
        if instance is None:
            instance = WorkflowInstance(
                workflow_name=workflow.name or workflow.label, definition_id=workflow.definition_id
            )
        self.bridge.registry.add(instance, workflow)
        return await super().run(
            workflow, input, instance=instance, pinned=self.pins if pinned is None else pinned, **options
        )


class RunSession(QObject):
    """Starts runs and follows their state; the window's actions call it, it never touches widgets."""

    stateChanged = Signal(str)
    paused = Signal(object)
    """A :class:`PausePoint`."""
    ended = Signal(object)
    """A :class:`RunEnded`."""

    def __init__(self, bridge: EventBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.state = SessionState.IDLE
        self.control: ExecutionControl | None = None
        self.pause_point: PausePoint | None = None
        self.root: WorkflowInstance | None = None
        self.debug = False
        self._thread: threading.Thread | None = None
        self._run_id = 0
        self.last_ended: RunEnded | None = None
        self.last_recorded: RecordedRun | None = None
        """The last run that ended, with its recording (for "Save Run as Test")."""
        self.history_writer: HistoryWriter | None = None
        """The writer of the last run's history (flushed before the History panel reads it)."""
        bridge.delivered.connect(self._on_batch)

    # --- starting and steering ----------------------------------------------------------------------

    @property
    def is_active(self) -> bool:
        return self.state is not SessionState.IDLE

    def start(self, request: RunRequest) -> WorkflowInstance:
        """Start the run on a new engine thread; returns the root instance (filled as the run goes)."""
        if self.is_active or (self._thread is not None and self._thread.is_alive()):
            raise SessionBusyError("a run is already going on: stop it first")
        self._run_id += 1
        self.bridge.registry.clear()
        breakpoints = request.breakpoints if request.debug else set()
        self.control = ExecutionControl(breakpoints, pause_at_start=request.pause_at_start)
        self.debug = request.debug
        services = RuntimeServices(library=request.library, store_path=request.store_path)
        runner = DesignRunner(services, self.bridge, request.pinned)
        workflow = request.workflow
        root = WorkflowInstance(
            workflow_name=workflow.name or workflow.label, definition_id=workflow.definition_id
        )
        self.root = root
        self.pause_point = None
        self.last_ended = None
        self.last_recorded = None
        run_id, control = self._run_id, self.control
        history = self._history_recorder(request)
        if history is not None:
            runner.add_observer(history)
        recording = RunRecording() if request.record else None

        def engine_main() -> None:
            error: str | None = None
            try:
                if recording is not None:
                    recording.install(services, runner, freeze_clock=False)
                options = {"start_at": request.start_at} if request.start_at is not None else {}
                runner.run_sync(workflow, request.input, control=control, instance=root, **options)
            except asyncio.CancelledError:
                pass  # stopped before the engine began: the cancellation outlives the cancelled instance
            except FlowdeskError as failure:
                error = str(failure)
            except Exception as failure:  # the run must always end with a RunEnded, whatever happened
                error = f"the run stopped on an internal error: {type(failure).__name__}: {failure}"
            finally:
                services.close()
                if history is not None and root.started_at is not None:
                    journals = [
                        (instance.id, instance.journal) for instance in self.bridge.registry.instances()
                    ]
                    history.finished(root, workflow, journals, request.source_file)
                if recording is not None and root.started_at is not None and error is None:
                    self.last_recorded = RecordedRun(request, root, recording)
                self.bridge.post_end(RunEnded(run_id, root, error))

        self._thread = threading.Thread(target=engine_main, name=f"flowdesk-run-{run_id}", daemon=True)
        self._set_state(SessionState.RUNNING)
        self._thread.start()
        return root

    def _history_recorder(self, request: RunRequest) -> HistoryRecorder | None:
        if not request.history:
            return None
        from runtime.history.recorder import open_recorder

        try:
            recorder = open_recorder(request.store_path, "designer")
        except FlowdeskError:
            return None
        self.history_writer = recorder.writer
        return recorder

    def stop(self) -> None:
        if self.control is not None and self.is_active:
            self.control.stop()

    def step(self) -> None:
        """Run the activity the session waits before, then pause again."""
        if self.control is not None and self.state is SessionState.PAUSED:
            self.control.step()

    def resume(self) -> None:
        """Go on until the next breakpoint (or the end)."""
        if self.control is not None and self.state is SessionState.PAUSED:
            self.control.resume()

    def pause(self) -> None:
        """Pause before the next activity (a running debug or run session)."""
        if self.control is not None and self.state is SessionState.RUNNING:
            self.control.pause()

    def edit_variable(self, name: str, value: Any) -> bool:
        """Change a variable of the paused instance (applied before it goes on); False when not paused."""
        if self.control is None or self.state is not SessionState.PAUSED:
            return False
        self.control.edit_variable(name, value)
        return True

    def set_breakpoints(self, activity_ids: Iterable[str], enabled: bool) -> None:
        """Add or remove breakpoints of a running debug session (the next activities honour them)."""
        if self.control is None or not self.debug or not self.is_active:
            return
        for activity_id in activity_ids:
            self.control.set_breakpoint(activity_id, enabled)

    def shutdown(self, timeout: float = JOIN_SECONDS) -> bool:
        """Stop the run and wait for the engine thread; True when it is gone."""
        self.stop()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                return False
        self.bridge.flush()
        return True

    # --- following the run ---------------------------------------------------------------------------

    def _on_batch(self, batch: list) -> None:
        for item in batch:
            if isinstance(item, RunEnded):
                if item.run_id == self._run_id:
                    self._ended(item)
            elif isinstance(item, RunEvent) and self.is_active:
                self._follow(item)

    def _follow(self, item: RunEvent) -> None:
        event = item.event
        if self.bridge.registry.get(event.instance_id) is None:
            return
        if event.kind is EventKind.INSTANCE_PAUSED:
            self.pause_point = PausePoint(
                event.activity_id or "",
                event.instance_id,
                event.workflow_name,
                item.definition_id,
                dict(event.data),
            )
            self._set_state(SessionState.PAUSED)
            self.paused.emit(self.pause_point)
        elif event.kind is EventKind.INSTANCE_RESUMED and self.state is SessionState.PAUSED:
            self.pause_point = None
            self._set_state(SessionState.RUNNING)

    def _ended(self, ended: RunEnded) -> None:
        self.pause_point = None
        self.last_ended = ended
        thread = self._thread
        if thread is not None:
            thread.join(JOIN_SECONDS)
        self._set_state(SessionState.IDLE)
        self.ended.emit(ended)

    def _set_state(self, state: SessionState) -> None:
        if state is not self.state:
            self.state = state
            self.stateChanged.emit(state.value)
