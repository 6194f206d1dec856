"""The workflow model: Elsa 2 workflow definitions as Python objects.

This is the single source of truth for a workflow. The designer edits it through the methods at the
bottom of :class:`WorkflowDefinition` (each emits a :class:`ModelEvent`), the engine compiles it, and
:mod:`runtime.elsa_json` reads and writes it. Every model keeps the keys it does not know
(``model_extra``) and remembers the order of the keys it was read with, so a file survives a round trip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from runtime.modelbase import ElsaObject

FINISH_OUTPUT_ALIASES = {"OutputValue": "ActivityOutput"}
"""Older Finish activities call their output property ``OutputValue``."""


class ActivityProperty(ElsaObject):
    """One input property: the chosen syntax and the text kept for every syntax (as Elsa Studio keeps it)."""

    name: str
    syntax: str | None = None
    expressions: dict[str, str | None] = {}

    def expression(self, syntax: str) -> str | None:
        """The text stored for ``syntax`` (None when that syntax has no text)."""
        return self.expressions.get(syntax)


class Activity(ElsaObject):
    """One activity of a workflow as Elsa 2 stores it: id, type, names, position and properties.

    Unknown keys are kept (``ElsaObject``) so a file round-trips; what a type means is the catalog's business.
    """

    activity_id: str
    type: str
    name: str | None = None
    display_name: str | None = None
    description: str | None = None
    x: int | float | None = None
    y: int | float | None = None
    persist_workflow: bool = False
    load_workflow_context: bool = False
    save_workflow_context: bool = False
    properties: list[ActivityProperty] = []
    property_storage_providers: dict[str, str | None] = {}

    def get_property(self, name: str) -> ActivityProperty | None:
        """The property called ``name`` (case-insensitive; ``OutputValue`` answers for ``ActivityOutput``)."""
        wanted = name.lower()
        for prop in self.properties:
            if prop.name.lower() == wanted:
                return prop
        for old, new in FINISH_OUTPUT_ALIASES.items():
            if new.lower() == wanted:
                return self.get_property(old)
        return None

    @property
    def label(self) -> str:
        """What a person calls this activity: display name, else name, else type."""
        return self.display_name or self.name or self.type


class Connection(ElsaObject):
    """A wire from one activity's outcome to another activity (Elsa 2's ``ConnectionDefinition``)."""

    source_activity_id: str
    target_activity_id: str
    outcome: str | None = None

    @property
    def effective_outcome(self) -> str:
        """A connection without an outcome means ``Done`` (Elsa 2)."""
        return self.outcome if self.outcome else "Done"


class VariableBag(ElsaObject):
    """``variables`` and ``customAttributes``: a ``data`` dictionary of arbitrary JSON."""

    data: dict[str, Any] = {}


class ModelEventKind(StrEnum):
    """The kinds of change a workflow reports; a typo is an AttributeError, not a silent mismatch.

    A ``StrEnum`` so each kind still equals (and prints as) its old string value.
    """

    ACTIVITY_ADDED = "activity_added"
    ACTIVITY_REMOVED = "activity_removed"
    ACTIVITY_MOVED = "activity_moved"
    ACTIVITY_CHANGED = "activity_changed"
    """A common field changed; ``detail["field"]`` names it."""
    PROPERTY_CHANGED = "property_changed"
    """A property's syntax or expressions changed; ``detail["property"]`` names it."""
    CONNECTION_ADDED = "connection_added"
    CONNECTION_REMOVED = "connection_removed"
    WORKFLOW_CHANGED = "workflow_changed"
    """A workflow setting changed; ``detail["field"]`` names it."""


@dataclass(frozen=True)
class ModelEvent:
    """What changed in a workflow: ``kind`` names the change, the other fields say where."""

    kind: ModelEventKind
    activity_id: str | None = None
    connection: Connection | None = None
    detail: dict[str, Any] = field(default_factory=dict)


ModelListener = Callable[[ModelEvent], None]


class WorkflowDefinition(ElsaObject):
    """A workflow as Elsa 2 / WoW exports it: the one source of truth the designer edits and the engine runs.

    Edits go through its methods, which emit :class:`ModelEvent` to listeners (the designer's views), so
    every view stays in step without knowing about the others.
    """

    definition_id: str | None = None
    version_id: str | None = None
    tenant_id: str | None = None
    name: str | None = None
    display_name: str | None = None
    description: str | None = None
    channel: str | None = None
    version: int | None = None
    variables: VariableBag | None = None
    custom_attributes: VariableBag | None = None
    context_options: dict[str, Any] | None = None
    is_singleton: bool | None = None
    persistence_behavior: str | None = None
    delete_completed_instances: bool | None = None
    is_published: bool | None = None
    is_latest: bool | None = None
    tag: str | None = None
    created_at: str | None = None
    activities: list[Activity] = []
    connections: list[Connection] = []
    id: str | None = None

    def _start(self) -> None:
        """Listeners, revision and derived values: state beside the fields, never written to a file."""
        self._listeners: list[ModelListener] = []
        self._revision = 0
        self._derived: dict[str, tuple[int, Any]] = {}

    # --- queries -----------------------------------------------------------------------------------

    @property
    def label(self) -> str:
        return self.display_name or self.name or self.definition_id or "workflow"

    def activity(self, activity_id: str) -> Activity | None:
        for activity in self.activities:
            if activity.activity_id == activity_id:
                return activity
        return None

    def activity_by_name(self, name: str) -> Activity | None:
        for activity in self.activities:
            if activity.name == name:
                return activity
        return None

    def outgoing(self, activity_id: str) -> Iterator[Connection]:
        return (c for c in self.connections if c.source_activity_id == activity_id)

    def incoming(self, activity_id: str) -> Iterator[Connection]:
        return (c for c in self.connections if c.target_activity_id == activity_id)

    def variable_data(self) -> dict[str, Any]:
        """Initial values of the workflow variables (``variables.data``)."""
        return dict(self.variables.data) if self.variables is not None else {}

    # --- change notification (views react to these; the model never knows who listens) -------------

    def subscribe(self, listener: ModelListener) -> Callable[[], None]:
        """Call ``listener`` after every change made through the editing methods; returns an unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    @property
    def revision(self) -> int:
        """Bumped by every change made through the editing methods (compiled forms are cached by it)."""
        return self._revision

    def derived(self, key: str, build: Callable[[WorkflowDefinition], Any]) -> Any:
        """A value computed from this workflow (compiled form, graph...), rebuilt after each change."""
        revision = self._revision
        cached = self._derived.get(key)
        if cached is not None and cached[0] == revision:
            return cached[1]
        value = build(self)
        self._derived[key] = (revision, value)
        return value

    def touch(self) -> None:
        """Declare a change made outside the editing methods, so cached compiled forms are rebuilt."""
        self._revision += 1

    def _emit(self, event: ModelEvent) -> None:
        self._revision += 1
        for listener in list(self._listeners):
            listener(event)

    # --- editing API (the designer's undo commands call these) -------------------------------------

    def add_activity(self, activity: Activity, index: int | None = None) -> None:
        if self.activity(activity.activity_id) is not None:
            raise ValueError(f"duplicate activity id {activity.activity_id!r}")
        self.activities = list(self.activities)
        self.activities.insert(len(self.activities) if index is None else index, activity)
        self._emit(ModelEvent(ModelEventKind.ACTIVITY_ADDED, activity.activity_id))

    def remove_activity(self, activity_id: str) -> tuple[int, Activity, list[tuple[int, Connection]]]:
        """Remove an activity and its connections; returns what an undo needs to put them back."""
        index = next(i for i, a in enumerate(self.activities) if a.activity_id == activity_id)
        removed_connections = [
            (i, c)
            for i, c in enumerate(self.connections)
            if activity_id in (c.source_activity_id, c.target_activity_id)
        ]
        for _, connection in reversed(removed_connections):
            self.remove_connection(connection)
        activity = self.activities[index]
        self.activities = [a for a in self.activities if a.activity_id != activity_id]
        self._emit(ModelEvent(ModelEventKind.ACTIVITY_REMOVED, activity_id))
        return index, activity, removed_connections

    def add_connection(self, connection: Connection, index: int | None = None) -> None:
        for end in (connection.source_activity_id, connection.target_activity_id):
            if self.activity(end) is None:
                raise ValueError(f"connection to missing activity {end!r}")
        self.connections = list(self.connections)
        self.connections.insert(len(self.connections) if index is None else index, connection)
        self._emit(ModelEvent(ModelEventKind.CONNECTION_ADDED, connection.source_activity_id, connection))

    def remove_connection(self, connection: Connection) -> int:
        index = next(i for i, c in enumerate(self.connections) if c is connection)
        self.connections = [c for c in self.connections if c is not connection]
        self._emit(ModelEvent(ModelEventKind.CONNECTION_REMOVED, connection.source_activity_id, connection))
        return index

    def move_activity(self, activity_id: str, x: float, y: float) -> None:
        activity = self._require(activity_id)
        activity.x, activity.y = _whole(x), _whole(y)
        self._emit(
            ModelEvent(ModelEventKind.ACTIVITY_MOVED, activity_id, detail={"x": activity.x, "y": activity.y})
        )

    def set_activity_field(self, activity_id: str, field_name: str, value: Any) -> None:
        """Set a common field (name, display_name, description, ...) of an activity."""
        activity = self._require(activity_id)
        setattr(activity, field_name, value)
        self._emit(ModelEvent(ModelEventKind.ACTIVITY_CHANGED, activity_id, detail={"field": field_name}))

    def set_property(
        self, activity_id: str, name: str, syntax: str | None, expressions: dict[str, str | None]
    ) -> None:
        """Replace a property's syntax and expressions (adding the property when it is missing)."""
        activity = self._require(activity_id)
        prop = activity.get_property(name)
        if prop is None:
            prop = ActivityProperty(name=name, expressions={})
            activity.properties = [*activity.properties, prop]
        prop.syntax = syntax
        prop.expressions = dict(expressions)
        self._emit(ModelEvent(ModelEventKind.PROPERTY_CHANGED, activity_id, detail={"property": name}))

    def set_workflow_field(self, field_name: str, value: Any) -> None:
        setattr(self, field_name, value)
        self._emit(ModelEvent(ModelEventKind.WORKFLOW_CHANGED, detail={"field": field_name}))

    def _require(self, activity_id: str) -> Activity:
        activity = self.activity(activity_id)
        if activity is None:
            raise KeyError(f"no activity {activity_id!r}")
        return activity


def _whole(value: float) -> int | float:
    """Elsa stores positions as ints; keep them ints when they are whole."""
    return int(value) if float(value).is_integer() else value
