"""Every edit of a workflow as a QUndoCommand over the runtime model's editing API.

Commands never touch scene items: they call :class:`runtime.model.WorkflowDefinition` methods, the model
emits events and the views react. Each ``undo`` is the exact inverse of its ``redo`` (activities and
connections go back at their original indices, so an undone edit saves byte-identical JSON).
Consecutive edits of the same thing merge when they share a ``session`` token (typing in one inspector
field is one undo step; so is a run of arrow-key nudges).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtGui import QUndoCommand

from designer.document import Point
from runtime.design_data import Note, custom_attributes_with_notes
from runtime.model import Activity, ActivityProperty, Connection, WorkflowDefinition


class CommandId(IntEnum):
    """QUndoCommand ids: commands with the same id may merge."""

    MOVE = 1
    PROPERTY = 2
    ACTIVITY_FIELD = 3
    WORKFLOW_FIELD = 4


class WorkflowCommand(QUndoCommand):
    """Base of every edit: remembers the workflow it changes."""

    def __init__(self, workflow: WorkflowDefinition, text: str) -> None:
        super().__init__(text)
        self.workflow = workflow


class AddActivitiesCommand(WorkflowCommand):
    """Add activities and the connections among (or to) them: add, paste, duplicate, quick-add."""

    def __init__(
        self,
        workflow: WorkflowDefinition,
        activities: Sequence[Activity],
        connections: Sequence[Connection] = (),
        text: str | None = None,
    ) -> None:
        label = activities[0].label if len(activities) == 1 else f"{len(activities)} activities"
        super().__init__(workflow, text or f"Add {label}")
        self.activities = list(activities)
        self.connections = list(connections)

    @property
    def activity_ids(self) -> list[str]:
        return [activity.activity_id for activity in self.activities]

    def redo(self) -> None:
        for activity in self.activities:
            self.workflow.add_activity(activity)
        for connection in self.connections:
            self.workflow.add_connection(connection)

    def undo(self) -> None:
        for connection in reversed(self.connections):
            self.workflow.remove_connection(connection)
        for activity in reversed(self.activities):
            self.workflow.remove_activity(activity.activity_id)


class DeleteCommand(WorkflowCommand):
    """Delete activities (with every connection touching them) and loose connections."""

    def __init__(
        self,
        workflow: WorkflowDefinition,
        activity_ids: Sequence[str] = (),
        connections: Sequence[Connection] = (),
        text: str | None = None,
    ) -> None:
        if text is None:
            if activity_ids:
                first = workflow.activity(activity_ids[0])
                count = len(activity_ids)
                text = f"Delete {first.label if count == 1 and first else f'{count} activities'}"
            else:
                text = "Disconnect" if len(connections) == 1 else f"Disconnect {len(connections)} connections"
        super().__init__(workflow, text)
        self.activity_ids = list(activity_ids)
        self.connections = list(connections)
        self._log: list[tuple[Any, ...]] = []

    def redo(self) -> None:
        self._log = []
        for connection in self.connections:
            if any(existing is connection for existing in self.workflow.connections):
                index = self.workflow.remove_connection(connection)
                self._log.append(("connection", index, connection))
        for activity_id in self.activity_ids:
            index, activity, removed = self.workflow.remove_activity(activity_id)
            self._log.append(("activity", index, activity, removed))

    def undo(self) -> None:
        for entry in reversed(self._log):
            if entry[0] == "connection":
                _, index, connection = entry
                self.workflow.add_connection(connection, index)
            else:
                _, index, activity, removed = entry
                self.workflow.add_activity(activity, index)
                for connection_index, connection in sorted(removed, key=lambda item: item[0]):
                    self.workflow.add_connection(connection, connection_index)
        self._log = []


class ConnectCommand(WorkflowCommand):
    """Connect an outcome of one activity to another activity."""

    def __init__(self, workflow: WorkflowDefinition, connection: Connection, text: str | None = None) -> None:
        super().__init__(workflow, text or f"Connect {connection.effective_outcome}")
        self.connection = connection

    def redo(self) -> None:
        self.workflow.add_connection(self.connection)

    def undo(self) -> None:
        self.workflow.remove_connection(self.connection)


class MoveCommand(WorkflowCommand):
    """Move cards. A whole drag is one command; keyboard nudges of the same cards merge."""

    def __init__(
        self,
        workflow: WorkflowDefinition,
        moves: Mapping[str, tuple[Point | None, Point]],
        text: str | None = None,
        session: object | None = None,
    ) -> None:
        count = len(moves)
        super().__init__(workflow, text or ("Move" if count == 1 else f"Move {count} activities"))
        self.moves = dict(moves)
        self.session = session

    def id(self) -> int:
        return int(CommandId.MOVE) if self.session is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, MoveCommand) or other.session != self.session:
            return False
        if other.moves.keys() != self.moves.keys():
            return False
        self.moves = {key: (old, other.moves[key][1]) for key, (old, _) in self.moves.items()}
        return True

    def redo(self) -> None:
        for activity_id, (_, new) in self.moves.items():
            self.workflow.move_activity(activity_id, *new)

    def undo(self) -> None:
        for activity_id, (old, _) in self.moves.items():
            if old is None:
                self.workflow.set_activity_field(activity_id, "x", None)
                self.workflow.set_activity_field(activity_id, "y", None)
            else:
                self.workflow.move_activity(activity_id, *old)


class SetPropertyCommand(WorkflowCommand):
    """Change a property's syntax and expression texts (every syntax's text is kept, as in Elsa)."""

    def __init__(
        self,
        workflow: WorkflowDefinition,
        activity_id: str,
        name: str,
        syntax: str | None,
        expressions: Mapping[str, str | None],
        session: object | None = None,
    ) -> None:
        super().__init__(workflow, f"Edit {name}")
        self.activity_id = activity_id
        self.name = name
        self.syntax = syntax
        self.expressions = dict(expressions)
        self.session = session
        activity = _require(workflow, activity_id)
        existing = activity.get_property(name)
        self._old_properties = list(activity.properties)
        self._old: tuple[str | None, dict[str, str | None]] | None = (
            (existing.syntax, dict(existing.expressions)) if existing is not None else None
        )

    def id(self) -> int:
        return int(CommandId.PROPERTY) if self.session is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if (
            isinstance(other, SetPropertyCommand)
            and other.session == self.session
            and (other.activity_id, other.name.lower()) == (self.activity_id, self.name.lower())
        ):
            self.syntax, self.expressions = other.syntax, dict(other.expressions)
            return True
        return False

    def redo(self) -> None:
        self.workflow.set_property(self.activity_id, self.name, self.syntax, self.expressions)

    def undo(self) -> None:
        if self._old is None:
            self.workflow.set_activity_field(self.activity_id, "properties", list(self._old_properties))
        else:
            prop = _require(self.workflow, self.activity_id).get_property(self.name)
            name = prop.name if isinstance(prop, ActivityProperty) else self.name
            self.workflow.set_property(self.activity_id, name, self._old[0], self._old[1])


class SetActivityFieldCommand(WorkflowCommand):
    """Rename an activity or change its display name or description."""

    LABELS = {"name": "Rename", "display_name": "Edit display name", "description": "Edit description"}

    def __init__(
        self,
        workflow: WorkflowDefinition,
        activity_id: str,
        field_name: str,
        value: Any,
        session: object | None = None,
    ) -> None:
        super().__init__(workflow, self.LABELS.get(field_name, f"Edit {field_name}"))
        self.activity_id = activity_id
        self.field_name = field_name
        self.value = value
        self.session = session
        self._old = getattr(_require(workflow, activity_id), field_name)

    def id(self) -> int:
        return int(CommandId.ACTIVITY_FIELD) if self.session is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if (
            isinstance(other, SetActivityFieldCommand)
            and other.session == self.session
            and (other.activity_id, other.field_name) == (self.activity_id, self.field_name)
        ):
            self.value = other.value
            return True
        return False

    def redo(self) -> None:
        self.workflow.set_activity_field(self.activity_id, self.field_name, self.value)

    def undo(self) -> None:
        self.workflow.set_activity_field(self.activity_id, self.field_name, self._old)


class SetWorkflowFieldCommand(WorkflowCommand):
    """Change a workflow setting (name, description, variables, singleton, persistence, tag...)."""

    def __init__(
        self, workflow: WorkflowDefinition, field_name: str, value: Any, session: object | None = None
    ) -> None:
        super().__init__(workflow, f"Edit workflow {field_name.replace('_', ' ')}")
        self.field_name = field_name
        self.value = value
        self.session = session
        self._old = getattr(workflow, field_name)

    def id(self) -> int:
        return int(CommandId.WORKFLOW_FIELD) if self.session is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if (
            isinstance(other, SetWorkflowFieldCommand)
            and other.session == self.session
            and other.field_name == self.field_name
        ):
            self.value = other.value
            return True
        return False

    def redo(self) -> None:
        self.workflow.set_workflow_field(self.field_name, self.value)

    def undo(self) -> None:
        self.workflow.set_workflow_field(self.field_name, self._old)


class SpliceCommand(WorkflowCommand):
    """Insert an activity into a connection: A -o-> B becomes A -o-> X -exit-> B."""

    def __init__(
        self,
        workflow: WorkflowDefinition,
        connection: Connection,
        activity_id: str,
        exit_outcome: str = "Done",
    ) -> None:
        activity = workflow.activity(activity_id)
        super().__init__(workflow, f"Insert {activity.label if activity else 'activity'}")
        self.connection = connection
        self.activity_id = activity_id
        self.incoming = Connection(
            source_activity_id=connection.source_activity_id,
            target_activity_id=activity_id,
            outcome=connection.effective_outcome,
        )
        self.outgoing = Connection(
            source_activity_id=activity_id,
            target_activity_id=connection.target_activity_id,
            outcome=exit_outcome,
        )
        self._index = -1

    def redo(self) -> None:
        self._index = self.workflow.remove_connection(self.connection)
        self.workflow.add_connection(self.incoming, self._index)
        self.workflow.add_connection(self.outgoing, self._index + 1)

    def undo(self) -> None:
        self.workflow.remove_connection(self.outgoing)
        self.workflow.remove_connection(self.incoming)
        self.workflow.add_connection(self.connection, self._index)


class MacroCommand(WorkflowCommand):
    """Several commands as one undo step (e.g. add an activity and splice it into a wire)."""

    def __init__(self, workflow: WorkflowDefinition, text: str, commands: Sequence[WorkflowCommand]) -> None:
        super().__init__(workflow, text)
        self.commands = list(commands)

    def redo(self) -> None:
        for command in self.commands:
            command.redo()

    def undo(self) -> None:
        for command in reversed(self.commands):
            command.undo()


def notes_command(
    workflow: WorkflowDefinition, notes: Sequence[Note], text: str, session: object | None = None
) -> SetWorkflowFieldCommand:
    """Replace the workflow's sticky notes (``customAttributes.data["flowdesk"]["notes"]``; the rest of its
    design data untouched) as one undo step named ``text``."""
    command = SetWorkflowFieldCommand(
        workflow, "custom_attributes", custom_attributes_with_notes(workflow, list(notes)), session
    )
    command.setText(text)
    return command


def layout_command(
    workflow: WorkflowDefinition, positions: Mapping[str, Point], current: Mapping[str, Point | None]
) -> MoveCommand:
    """Auto-layout as one undoable move of every card whose position changes."""
    moves = {
        activity_id: (current.get(activity_id), new)
        for activity_id, new in positions.items()
        if current.get(activity_id) != new
    }
    return MoveCommand(workflow, moves, text="Auto-layout")


def _require(workflow: WorkflowDefinition, activity_id: str) -> Activity:
    activity = workflow.activity(activity_id)
    if activity is None:
        raise KeyError(f"no activity {activity_id!r}")
    return activity
