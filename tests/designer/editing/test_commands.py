"""Every undo command at model level: do, undo, redo, merge — through a real QUndoStack."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from designer.editing.commands import (
    AddActivitiesCommand,
    ConnectCommand,
    DeleteCommand,
    MacroCommand,
    MoveCommand,
    SetActivityFieldCommand,
    SetPropertyCommand,
    SetWorkflowFieldCommand,
    SpliceCommand,
    layout_command,
)
from tests.designer.builders import activity, chain, connection, snapshot


@pytest.fixture
def stack(qapp) -> QUndoStack:
    return QUndoStack()


def test_add_activities_with_connection_undo_redo(stack):
    workflow = chain(2)
    before = snapshot(workflow)
    new = activity("n", x=600, y=100)
    link = connection("a1", "n")
    stack.push(AddActivitiesCommand(workflow, [new], [link]))
    assert workflow.activity("n") is new and workflow.connections[-1] is link
    stack.undo()
    assert snapshot(workflow) == before
    stack.redo()
    assert [a.activity_id for a in workflow.activities] == ["a0", "a1", "n"]
    assert stack.undoText() == "Add n"


def test_delete_restores_activities_and_connections_at_their_indices(stack):
    workflow = chain(4)
    workflow.add_connection(connection("a0", "a3", "Other"))
    before = snapshot(workflow)
    stack.push(DeleteCommand(workflow, ["a1", "a2"]))
    assert [a.activity_id for a in workflow.activities] == ["a0", "a3"]
    assert [(c.source_activity_id, c.target_activity_id) for c in workflow.connections] == [("a0", "a3")]
    stack.undo()
    assert snapshot(workflow) == before
    stack.redo()
    assert len(workflow.activities) == 2
    stack.undo()
    assert snapshot(workflow) == before


def test_delete_with_explicit_connection_that_also_touches_a_deleted_activity(stack):
    workflow = chain(3)
    before = snapshot(workflow)
    stack.push(DeleteCommand(workflow, ["a1"], [workflow.connections[0]]))
    assert workflow.connections == []
    stack.undo()
    assert snapshot(workflow) == before


def test_disconnect_and_connect(stack):
    workflow = chain(3)
    first = workflow.connections[0]
    stack.push(DeleteCommand(workflow, connections=[first]))
    assert stack.undoText() == "Disconnect"
    assert first not in workflow.connections
    stack.undo()
    assert workflow.connections[0] is first
    link = connection("a2", "a0", "Loop")
    stack.push(ConnectCommand(workflow, link))
    assert workflow.connections[-1] is link
    stack.undo()
    assert link not in workflow.connections
    stack.redo()
    assert workflow.connections[-1] is link


def test_move_undo_redo_and_no_merge_for_drags(stack):
    workflow = chain(2)
    stack.push(MoveCommand(workflow, {"a0": ((0, 100), (40, 140)), "a1": ((260, 100), (300, 140))}))
    stack.push(MoveCommand(workflow, {"a0": ((40, 140), (60, 160)), "a1": ((300, 140), (320, 160))}))
    assert stack.count() == 2
    assert (workflow.activity("a0").x, workflow.activity("a0").y) == (60, 160)
    stack.undo()
    stack.undo()
    assert (workflow.activity("a1").x, workflow.activity("a1").y) == (260, 100)
    stack.redo()
    assert (workflow.activity("a1").x, workflow.activity("a1").y) == (300, 140)


def test_nudges_in_one_session_merge_into_one_step(stack):
    workflow = chain(2)
    session = object()
    for step in range(1, 4):
        old = (step * 20 - 20, 100)
        stack.push(MoveCommand(workflow, {"a0": (old, (step * 20, 100))}, session=session))
    assert stack.count() == 1
    assert workflow.activity("a0").x == 60
    stack.push(MoveCommand(workflow, {"a1": ((260, 100), (280, 100))}, session=session))
    assert stack.count() == 2, "different cards never merge"
    stack.undo()
    stack.undo()
    assert workflow.activity("a0").x == 0


def test_move_of_an_activity_without_position_undoes_to_no_position(stack):
    workflow = chain(1)
    workflow.activities[0].x = None
    workflow.activities[0].y = None
    before = snapshot(workflow)
    stack.push(MoveCommand(workflow, {"a0": (None, (20, 40))}))
    assert (workflow.activities[0].x, workflow.activities[0].y) == (20, 40)
    stack.undo()
    assert snapshot(workflow) == before


def test_set_property_existing_and_new_with_merge(stack):
    workflow = chain(1)
    workflow.activities[0] = activity("a0", "SendHttpRequest", Url="http://x")
    before = snapshot(workflow)
    session = object()
    stack.push(SetPropertyCommand(workflow, "a0", "Url", None, {"Literal": "http://y"}, session=session))
    stack.push(
        SetPropertyCommand(
            workflow, "a0", "url", "JavaScript", {"Literal": "http://y", "JavaScript": "u"}, session=session
        )
    )
    assert stack.count() == 1
    prop = workflow.activity("a0").get_property("Url")
    assert prop.syntax == "JavaScript" and prop.expressions["JavaScript"] == "u"
    stack.push(SetPropertyCommand(workflow, "a0", "SupportedStatusCodes", None, {"Json": '["200"]'}))
    assert workflow.activity("a0").get_property("SupportedStatusCodes") is not None
    stack.undo()
    assert workflow.activity("a0").get_property("SupportedStatusCodes") is None
    stack.undo()
    assert snapshot(workflow) == before
    stack.redo()
    assert workflow.activity("a0").get_property("Url").expressions["JavaScript"] == "u"


def test_rename_and_workflow_field_merge_per_session(stack):
    workflow = chain(1)
    session = object()
    for text in ("g", "ge", "get"):
        stack.push(SetActivityFieldCommand(workflow, "a0", "name", text, session=session))
    stack.push(SetActivityFieldCommand(workflow, "a0", "display_name", "Get it"))
    assert stack.count() == 2
    assert workflow.activity("a0").name == "get"
    stack.undo()
    assert workflow.activity("a0").display_name is None
    stack.undo()
    assert workflow.activity("a0").name == "a0"
    assert stack.text(0) == "Rename"
    stack.push(SetWorkflowFieldCommand(workflow, "tag", "t1", session=session))
    stack.push(SetWorkflowFieldCommand(workflow, "tag", "t12", session=session))
    assert workflow.tag == "t12"
    stack.undo()
    assert workflow.tag is None


def test_splice_inserts_into_a_connection_and_undo_restores_it(stack):
    workflow = chain(2)
    workflow.add_activity(activity("x", x=120, y=300))
    before = snapshot(workflow)
    original = workflow.connections[0]
    stack.push(SpliceCommand(workflow, original, "x", exit_outcome="Done"))
    pairs = [(c.source_activity_id, c.target_activity_id, c.outcome) for c in workflow.connections]
    assert pairs == [("a0", "x", "Done"), ("x", "a1", "Done")]
    stack.undo()
    assert snapshot(workflow) == before
    assert workflow.connections[0] is original


def test_macro_add_and_splice_is_one_step(stack):
    workflow = chain(2)
    before = snapshot(workflow)
    new = activity("x", x=120, y=300)
    add = AddActivitiesCommand(workflow, [new])
    splice = SpliceCommand(workflow, workflow.connections[0], "x")
    stack.push(MacroCommand(workflow, "Insert x", [add, splice]))
    assert stack.count() == 1 and len(workflow.connections) == 2
    stack.undo()
    assert snapshot(workflow) == before
    stack.redo()
    assert workflow.activity("x") is new


def test_layout_command_moves_only_changed_cards(stack):
    workflow = chain(3)
    current = {a.activity_id: (float(a.x), float(a.y)) for a in workflow.activities}
    command = layout_command(workflow, {"a0": (0.0, 100.0), "a1": (300.0, 0.0), "a2": (600.0, 0.0)}, current)
    assert set(command.moves) == {"a1", "a2"}
    stack.push(command)
    assert stack.undoText() == "Auto-layout"
    assert workflow.activity("a2").x == 600
    stack.undo()
    assert workflow.activity("a2").x == 520


def test_commands_emit_model_events(stack):
    workflow = chain(2)
    events = []
    workflow.subscribe(lambda event: events.append(event.kind))
    stack.push(DeleteCommand(workflow, ["a1"]))
    stack.undo()
    assert events == ["connection_removed", "activity_removed", "activity_added", "connection_added"]
