"""From engine events (any thread) to Qt signals (the GUI thread), in batches.

The engine calls observers synchronously on its own thread. :meth:`EventBridge.observe` posts the event to
a :class:`designer.batching.GuiBatcher`; the GUI thread takes what was posted in slices of at most
:data:`MAX_BATCH`, with the window's other events in between. A burst of thousands of events costs the GUI
a few slot calls, and the engine never waits for the window.

Events of instances the designer started itself, and of the instances other runners let it follow (Serve's
host: :meth:`EventBridge.follow`), are enriched on the engine's thread, at the moment they happen, with what
the panels need and the event does not carry: the journal record of an executed activity and the variables
an instance starts with (see :class:`InstanceRegistry`).
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject

from designer.batching import GuiBatcher
from runtime.engine import EngineEvent, EventKind, JournalRecord, WorkflowInstance
from runtime.model import WorkflowDefinition

MAX_BATCH = 2_000
"""Events handed to the window per slot call: a flood is shown in slices, the window stays responsive."""


@dataclass(frozen=True, slots=True)
class RunEvent:
    """An engine event as the window receives it."""

    event: EngineEvent
    definition_id: str | None = None
    """The definition id of the instance's workflow, when the instance was started by the designer."""
    record: JournalRecord | None = None
    """The journal record of an executed or faulted activity (designer runs only)."""
    variables: dict[str, Any] | None = None
    """The variables an instance starts with (on ``instance_started`` of designer runs only)."""


@dataclass(frozen=True, slots=True)
class RunEnded:
    """Posted after the last event of a designer run: the root instance, or why the run could not go."""

    run_id: int
    instance: WorkflowInstance | None
    error: str | None = None


class InstanceRegistry:
    """The instances of the designer's runs (root and sub-workflows), by id; shared with the engine thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[WorkflowDefinition, WorkflowInstance]] = {}

    def add(self, instance: WorkflowInstance, workflow: WorkflowDefinition) -> None:
        with self._lock:
            self._entries[instance.id] = (workflow, instance)

    def get(self, instance_id: str) -> tuple[WorkflowDefinition, WorkflowInstance] | None:
        with self._lock:
            return self._entries.get(instance_id)

    def instances(self) -> list[WorkflowInstance]:
        """Every instance registered, in the order they were (a run's root first)."""
        with self._lock:
            return [instance for _, instance in self._entries.values()]

    def remove(self, instance_id: str) -> None:
        with self._lock:
            self._entries.pop(instance_id, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class InstanceFollower(Protocol):
    """Told of the instances a runner starts, so their events carry journal records and variables."""

    def follow(self, instance: WorkflowInstance, workflow: WorkflowDefinition) -> None:
        """``instance`` of ``workflow`` is about to run (called on the runner's thread)."""
        ...

    def unfollow(self, instance: WorkflowInstance) -> None:
        """``instance`` has ended: its events have all been observed (called on the runner's thread)."""
        ...


class EventBridge(GuiBatcher):
    """Engine events of the designer's runs (and of any runner it observes) to the GUI thread, in slices.

    Events of instances the designer started are described on the engine's thread, as they happen (see
    :class:`InstanceRegistry`); the GUI receives :class:`RunEvent` and :class:`RunEnded` items through
    :attr:`delivered`.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent, max_batch=MAX_BATCH)
        self.registry = InstanceRegistry()
        """The instances of the designer's own runs (a new run clears it)."""
        self.followed = InstanceRegistry()
        """Instances other runners started and let the window follow (Serve's), while they run."""

    def follow(self, instance: WorkflowInstance, workflow: WorkflowDefinition) -> None:
        """Describe the events of an instance another runner started (any thread) as fully as the
        designer's own: journal records and starting variables (:class:`InstanceFollower`)."""
        self.followed.add(instance, workflow)

    def unfollow(self, instance: WorkflowInstance) -> None:
        """The instance has ended: forget it (its events were described as they happened)."""
        self.followed.remove(instance.id)

    def observe(self, event: EngineEvent) -> None:
        """An engine observer: add it to any :class:`WorkflowRunner` (any thread) to show its instances
        in the correlation log and on the canvas overlay. Quick and non-blocking."""
        self.post(self._describe(event))

    def post_end(self, ended: RunEnded) -> None:
        """Queue the end of a run behind its last event (called by the engine thread as it finishes)."""
        self.post(ended)

    def _describe(self, event: EngineEvent) -> RunEvent:
        known = self.registry.get(event.instance_id) or self.followed.get(event.instance_id)
        if known is None:
            return RunEvent(event)
        workflow, instance = known
        record = None
        variables = None
        if event.kind in (EventKind.ACTIVITY_EXECUTED, EventKind.ACTIVITY_FAULTED):
            journal = instance.journal
            if journal and journal[-1].activity_id == event.activity_id:
                record = journal[-1]
        elif event.kind is EventKind.INSTANCE_STARTED:
            variables = copy.deepcopy(instance.variables)
        return RunEvent(event, workflow.definition_id, record, variables)
