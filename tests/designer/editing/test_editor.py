"""The WorkflowEditor: every operation is exactly one undo command, and undo/redo restore the model."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPointF

from designer.canvas.quick_add import LinkRequest
from designer.document import Document
from designer.editing.editor import WorkflowEditor
from runtime.design_data import DesignData, read_design_data
from runtime.engine import PinnedOutput
from runtime.model import VariableBag, WorkflowDefinition
from tests.designer.builders import activity, chain, connection, editor_for, snapshot


def branching() -> WorkflowDefinition:
    """cond -True-> yes, cond -False-> no, and an unconnected ``loose`` card below."""
    return WorkflowDefinition(
        name="Branching",
        custom_attributes=VariableBag(
            data={"flowdesk": {"notes": [{"id": "memo", "x": 100, "y": 700, "text": "# Memo"}]}}
        ),
        activities=[
            activity("cond", "If", x=100, y=100),
            activity("yes", x=500, y=60),
            activity("no", x=500, y=300),
            activity("loose", x=300, y=500),
        ],
        connections=[connection("cond", "yes", "True"), connection("cond", "no", "False")],
    )


def select(editor: WorkflowEditor, *ids: str) -> WorkflowEditor:
    editor.scene.select_activities(ids)
    return editor


def select_notes(editor: WorkflowEditor, *activity_ids: str) -> WorkflowEditor:
    """Select the memo note (and these cards)."""
    editor.scene.select_items(activity_ids, {"memo"})
    return editor


Operation = Callable[[WorkflowEditor], object]

OPERATIONS: dict[str, Operation] = {
    "add_activity": lambda e: e.add_activity("WriteLine", QPointF(800, 100)),
    "add_activity linked from a port": lambda e: e.add_activity(
        "Finish", QPointF(900, 300), link=LinkRequest("no", "Done")
    ),
    "add_activity spliced into a wire": lambda e: e.add_activity(
        "SetVariable", QPointF(300, 80), splice=e.workflow.connections[0]
    ),
    "drop_activity on empty canvas": lambda e: e.drop_activity("WriteLine", QPointF(1500, 1500)),
    "connect_activities": lambda e: e.connect_activities("yes", "Done", "loose"),
    "move_activities": lambda e: e.move_activities({"yes": (520.0, 80.0), "no": (520.0, 320.0)}),
    "move_activities spliced into a connection": lambda e: e.move_activities(
        {"loose": (300.0, 80.0)}, splice_into=e.workflow.connections[0]
    ),
    "nudge": lambda e: select(e, "yes", "no").nudge(20, 0),
    "auto_layout": lambda e: e.auto_layout(),
    "delete_selection": lambda e: select(e, "cond").delete_selection(),
    "cut": lambda e: select(e, "yes").cut(),
    "paste": lambda e: e.paste(select(e, "yes", "no").copy_selection(), QPointF(1000, 1000)),
    "paste_clipboard": lambda e: select(e, "cond").copy() and e.paste_clipboard(),
    "duplicate_selection": lambda e: select(e, "cond", "yes").duplicate_selection(),
    "set_property": lambda e: e.set_property("cond", "Condition", "JavaScript", {"JavaScript": "true"}),
    "set_activity_field": lambda e: e.set_activity_field("yes", "display_name", "Yes!"),
    "set_workflow_field": lambda e: e.set_workflow_field("tag", "v2"),
    "set_design_data": lambda e: e.set_design_data(DesignData(sample_input=1, has_sample_input=True), "In"),
    "add_note": lambda e: e.add_note(QPointF(600, 600), "new"),
    "set_note_text": lambda e: e.set_note_text("memo", "# Changed"),
    "set_note_color": lambda e: e.set_note_color(["memo"], "purple"),
    "resize_note": lambda e: e.resize_note("memo", 400, 300),
    "move_items (a note)": lambda e: e.move_items({}, {"memo": (140.0, 720.0)}),
    "move_items (cards and a note)": lambda e: e.move_items({"yes": (520.0, 80.0)}, {"memo": (140.0, 720.0)}),
    "nudge a note": lambda e: select_notes(e).nudge(0, 20),
    "nudge cards and a note": lambda e: select_notes(e, "yes").nudge(0, 20),
    "delete_selection of a note": lambda e: select_notes(e).delete_selection(),
    "delete_selection of cards and a note": lambda e: select_notes(e, "cond").delete_selection(),
}


@pytest.mark.parametrize("name", OPERATIONS)
def test_each_operation_is_one_undo_command_and_undo_redo_restore_the_model(name: str, qapp) -> None:
    editor = editor_for(branching())
    stack = editor.undo_stack
    before = snapshot(editor.workflow)
    result = OPERATIONS[name](editor)
    assert result is not False and result != [], f"{name} did nothing"
    after = snapshot(editor.workflow)
    assert after != before
    assert stack.count() == 1, f"{name} pushed {stack.count()} commands"
    stack.undo()
    assert snapshot(editor.workflow) == before
    stack.redo()
    assert snapshot(editor.workflow) == after


def test_refusals_push_nothing(qapp) -> None:
    editor = editor_for(branching())
    assert not editor.connect_activities("cond", "true", "yes"), "the same connection (any case) exists"
    assert not editor.nudge(20, 0) and not editor.delete_selection() and not editor.cut()
    assert editor.copy_selection() is None and editor.duplicate_selection() == []
    assert not editor.move_activities({}) and not editor.move_activities({"ghost": (1.0, 2.0)})
    assert not editor.set_note_text("memo", "# Memo") and not editor.set_note_text("ghost", "x")
    assert not editor.resize_note("memo", 240, 140) and not editor.move_items({}, {"memo": (100.0, 700.0)})
    assert editor.undo_stack.count() == 0


def test_added_activities_are_selected_and_splices_continue_with_done(qapp) -> None:
    editor = editor_for(branching())
    added = editor.add_activity("SetVariable", QPointF(300, 80), splice=editor.workflow.connections[0])
    assert editor.scene.selected_activity_ids() == [added]
    pairs = [(c.source_activity_id, c.target_activity_id, c.outcome) for c in editor.workflow.connections]
    assert pairs[:2] == [("cond", added, "True"), (added, "yes", "Done")]
    assert editor.undo_stack.undoText().startswith("Insert")


def test_snapping_places_new_cards_on_the_grid_unless_turned_off(qapp) -> None:
    editor = editor_for(WorkflowDefinition(name="Empty", activities=[], connections=[]))
    first = editor.workflow.activity(editor.add_activity("WriteLine", QPointF(333, 333)))
    assert first is not None and (first.x % 20, first.y % 20) == (0, 0)
    editor.snap_to_grid = False
    second = editor.workflow.activity(editor.add_activity("WriteLine", QPointF(333, 333)))
    assert second is not None and (second.x, second.y) != (first.x, first.y)


def test_typing_in_one_field_visit_merges_into_one_step(qapp) -> None:
    editor = editor_for(branching())
    session = object()
    for text in ("y", "ye", "yes!"):
        editor.set_activity_field("yes", "display_name", text, session)
    for text in ("t", "tr", "true"):
        editor.set_property("cond", "Condition", "JavaScript", {"JavaScript": text}, session)
    assert editor.undo_stack.count() == 2
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert editor.workflow.activity("yes").display_name is None


def test_design_data_edits_are_named_and_saved_in_custom_attributes(qapp) -> None:
    editor = editor_for(branching())
    editor.set_design_data(DesignData(pinned={"yes": PinnedOutput({"n": 1}, ("Done",))}), "Pin output of yes")
    assert editor.undo_stack.undoText() == "Pin output of yes"
    assert read_design_data(editor.workflow).pinned["yes"].output == {"n": 1}


def test_auto_layout_is_one_undo_step(qapp):
    workflow = chain(3)
    workflow.activities[2].x, workflow.activities[2].y = -500, 900
    editor = editor_for(workflow)
    document, scene = editor.document, editor.scene
    assert editor.auto_layout()
    assert document.undo_stack.count() == 1 and document.undo_stack.undoText() == "Auto-layout"
    xs = [scene.cards[f"a{i}"].pos().x() for i in range(3)]
    assert xs == sorted(xs)
    assert not editor.auto_layout(), "laid out already: nothing moves, nothing is pushed"
    document.undo_stack.undo()
    assert (workflow.activities[2].x, workflow.activities[2].y) == (-500, 900)
    assert scene.cards["a2"].pos().x() == -500


def test_arranging_a_file_without_positions_keeps_what_is_shown(corpus_dir, qapp):
    document = Document.open(corpus_dir / "elsa-fire-protocol.json")
    editor = editor_for(document)
    shown = {k: (card.pos().x(), card.pos().y()) for k, card in editor.scene.cards.items()}
    first = document.workflow.activities[0].activity_id
    editor.scene.select_activities({first})
    editor.nudge(20, 0)
    assert document.undo_stack.count() == 1
    for placed in document.workflow.activities:
        expected = shown[placed.activity_id]
        if placed.activity_id == first:
            expected = (expected[0] + 20, expected[1])
        assert (placed.x, placed.y) == expected
    document.undo_stack.undo()
    assert all(a.x is None and a.y is None for a in document.workflow.activities)
    assert not document.is_modified
