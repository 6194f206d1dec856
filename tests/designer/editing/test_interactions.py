"""Canvas gestures with real mouse and key events on an editor tab's view; results asserted on the model.

The gestures are :mod:`designer.editing.interactions` objects run by the tab's
:class:`~designer.editing.editor.WorkflowEditor`; each one is at most one undo step.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt

from designer.canvas.view import CanvasView
from designer.editing.commands import SetPropertyCommand
from designer.editor_tab import EditorTab
from runtime.model import WorkflowDefinition
from tests.designer import mouse
from tests.designer.builders import activity, connection, shown_tab

NO_KEYS = Qt.KeyboardModifier.NoModifier


def pairs(workflow: WorkflowDefinition) -> list[tuple[str, str, str]]:
    return [(c.source_activity_id, c.target_activity_id, c.effective_outcome) for c in workflow.connections]


@pytest.fixture
def branching(qtbot) -> EditorTab:
    workflow = WorkflowDefinition(
        name="Branching",
        activities=[
            activity("cond", "If", x=100, y=100),
            activity("yes", "WriteLine", x=500, y=60),
            activity("no", "WriteLine", x=500, y=300),
        ],
        connections=[],
    )
    return shown_tab(qtbot, workflow)


def center(view: CanvasView, activity_id: str) -> QPointF:
    return view.workflow_scene.cards[activity_id].card_rect().center()


def test_drag_from_outcome_port_to_card_connects(branching):
    tab = branching
    view = tab.view
    scene = view.workflow_scene
    start = scene.cards["cond"].output_anchor("True")
    mouse.drag(view, start, center(view, "yes"))
    assert pairs(scene.workflow) == [("cond", "yes", "True")]
    assert id(scene.workflow.connections[0]) in scene.wires
    mouse.drag(view, scene.cards["cond"].output_anchor("False"), center(view, "no"))
    assert pairs(scene.workflow)[1] == ("cond", "no", "False")
    scene.document.undo_stack.undo()
    assert pairs(scene.workflow) == [("cond", "yes", "True")]
    assert len(scene.wires) == 1


def test_drag_to_the_same_connection_twice_adds_it_once(branching):
    tab = branching
    view = tab.view
    scene = view.workflow_scene
    for _ in range(2):
        mouse.drag(view, scene.cards["cond"].output_anchor("True"), center(view, "yes"))
    assert len(scene.workflow.connections) == 1


def test_drag_to_empty_space_opens_quick_add_and_connects_the_new_activity(branching, qtbot):
    tab = branching
    view = tab.view
    scene = view.workflow_scene
    drop = QPointF(520, 520)
    mouse.drag(view, scene.cards["cond"].output_anchor("False"), drop)
    assert view.quick_add.isVisible()
    qtbot.keyClicks(view.quick_add.search, "correlate")
    assert view.quick_add.visible_types() == ["Correlate"]
    qtbot.keyClick(view.quick_add.search, Qt.Key.Key_Return)
    assert not view.quick_add.isVisible()
    added = scene.workflow.activities[-1]
    assert added.type == "Correlate"
    assert pairs(scene.workflow) == [("cond", added.activity_id, "False")]
    assert abs(added.x - drop.x()) <= 20 and abs(added.y + 25 - drop.y()) <= 20
    assert scene.selected_activity_ids() == [added.activity_id]
    scene.document.undo_stack.undo()
    assert scene.workflow.activity(added.activity_id) is None and scene.workflow.connections == []


def test_moving_a_selection_is_one_undo_step(branching):
    tab = branching
    view = tab.view
    scene = view.workflow_scene
    scene.select_activities({"yes", "no"})
    start = center(view, "yes")
    mouse.drag(view, start, start + QPointF(100, 40))
    workflow = scene.workflow
    assert (workflow.activity("yes").x, workflow.activity("yes").y) == (600, 100)
    assert (workflow.activity("no").x, workflow.activity("no").y) == (600, 340)
    assert (workflow.activity("cond").x, workflow.activity("cond").y) == (100, 100)
    assert scene.document.undo_stack.count() == 1
    assert scene.cards["no"].pos() == QPointF(600, 340)
    scene.document.undo_stack.undo()
    assert (workflow.activity("no").x, workflow.activity("no").y) == (500, 300)
    assert scene.cards["no"].pos() == QPointF(500, 300)


def test_click_selects_one_card_and_ctrl_click_adds(branching):
    tab = branching
    view = tab.view
    scene = view.workflow_scene
    mouse.press(view, center(view, "yes"))
    mouse.release(view, center(view, "yes"))
    assert scene.selected_activity_ids() == ["yes"]
    control = Qt.KeyboardModifier.ControlModifier
    mouse.press(view, center(view, "no"), modifiers=control)
    mouse.release(view, center(view, "no"), modifiers=control)
    assert scene.selected_activity_ids() == ["yes", "no"]
    assert scene.document.undo_stack.count() == 0


def test_rubber_band_selects_the_cards_it_touches(branching):
    tab = branching
    view = tab.view
    scene = view.workflow_scene
    mouse.drag(view, QPointF(440, 20), QPointF(720, 400))
    assert scene.selected_activity_ids() == ["yes", "no"]
    mouse.drag(view, QPointF(60, 40), QPointF(120, 120))
    assert scene.selected_activity_ids() == ["cond"]
    shift = Qt.KeyboardModifier.ShiftModifier
    mouse.drag(view, QPointF(440, 280), QPointF(720, 400), modifiers=shift)
    assert scene.selected_activity_ids() == ["cond", "no"]
    assert not any(item for item in scene.items() if type(item).__name__ == "QGraphicsRectItem")


def test_dropping_a_card_onto_a_wire_splices_it_in(qtbot):
    workflow = WorkflowDefinition(
        name="Splice",
        activities=[
            activity("a", "WriteLine", x=0, y=200),
            activity("b", "WriteLine", x=700, y=200),
            activity("x", "WriteLine", x=300, y=450),
        ],
        connections=[connection("a", "b")],
    )
    tab = shown_tab(qtbot, workflow)
    view = tab.view
    scene = view.workflow_scene
    original = workflow.connections[0]
    wire_middle = scene.wires[id(original)].path().pointAtPercent(0.5)
    card = scene.cards["x"]
    grab = card.card_rect().center()
    target_center = wire_middle
    mouse.drag(view, grab, target_center)
    assert pairs(workflow) == [("a", "x", "Done"), ("x", "b", "Done")]
    assert scene.document.undo_stack.count() == 1
    assert not any(wire.highlighted for wire in scene.wires.values())
    scene.document.undo_stack.undo()
    assert workflow.connections == [original]
    assert (workflow.activity("x").x, workflow.activity("x").y) == (300, 450)


def test_dynamic_ports_follow_supported_status_codes_at_once(qtbot):
    workflow = WorkflowDefinition(
        name="Http",
        activities=[activity("http", "SendHttpRequest", x=0, y=0)],
        connections=[],
    )
    workflow.activities[0].properties = []
    tab = shown_tab(qtbot, workflow)
    view = tab.view
    scene = view.workflow_scene
    card = scene.cards["http"]
    assert "404" not in card.content.outcomes
    tab.editor.push(
        SetPropertyCommand(workflow, "http", "SupportedStatusCodes", "Json", {"Json": '["200","404"]'})
    )
    assert [port.outcome for port in card.ports][:2] == ["200", "404"]
    assert card.port_at(card.output_anchor("404")) == "404"
    scene.document.undo_stack.undo()
    assert "404" not in card.content.outcomes


def test_escape_cancels_a_link_drag(branching, qtbot):
    tab = branching
    view = tab.view
    scene = view.workflow_scene
    start = scene.cards["cond"].output_anchor("True")
    mouse.press(view, start)
    mouse.move(view, start + QPointF(60, 30))
    assert tab.editor.interaction is not None
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert tab.editor.interaction is None
    mouse.release(view, center(view, "yes"))
    assert scene.workflow.connections == []


def test_palette_drop_onto_a_wire_inserts_the_new_activity(qtbot):
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from designer.canvas.view import PALETTE_MIME

    workflow = WorkflowDefinition(
        name="Drop",
        activities=[activity("a", "WriteLine", x=0, y=200), activity("b", "WriteLine", x=800, y=200)],
        connections=[connection("a", "b")],
    )
    tab = shown_tab(qtbot, workflow)
    view = tab.view
    scene = view.workflow_scene
    middle = scene.wires[id(workflow.connections[0])].path().pointAtPercent(0.5)
    mime = QMimeData()
    mime.setData(PALETTE_MIME, b"SetVariable")
    local = view.mapFromScene(middle)
    for event in (
        QDragEnterEvent(local, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, NO_KEYS),
        QDragMoveEvent(local, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, NO_KEYS),
        QDropEvent(QPointF(local), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, NO_KEYS),
    ):
        QApplication.sendEvent(view.viewport(), event)
        assert event.isAccepted()
    new = workflow.activities[-1]
    assert new.type == "SetVariable" and new.name == "setVariable1"
    assert pairs(workflow) == [("a", new.activity_id, "Done"), (new.activity_id, "b", "Done")]
    assert scene.document.undo_stack.count() == 1
    scene.document.undo_stack.undo()
    assert pairs(workflow) == [("a", "b", "Done")] and len(workflow.activities) == 2


def test_tab_opens_quick_add_at_the_cursor(branching, qtbot):
    tab = branching
    view = tab.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.quick_add.isVisible()
    view.quick_add.choose("Finish")
    assert view.workflow_scene.workflow.activities[-1].type == "Finish"
    assert view.workflow_scene.workflow.connections == []


def test_arrow_key_nudges_merge_into_one_undo_step(branching, qtbot):
    tab = branching
    view = tab.view
    scene = view.workflow_scene
    scene.select_activities({"yes"})
    view.setFocus()
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert (scene.workflow.activity("yes").x, scene.workflow.activity("yes").y) == (560, 61)
    assert scene.document.undo_stack.count() == 1
    scene.document.undo_stack.undo()
    assert (scene.workflow.activity("yes").x, scene.workflow.activity("yes").y) == (500, 60)


def test_click_a_wire_then_delete_disconnects(qtbot):
    workflow = WorkflowDefinition(
        name="Wire",
        activities=[activity("a", "WriteLine", x=0, y=200), activity("b", "WriteLine", x=700, y=260)],
        connections=[connection("a", "b")],
    )
    tab = shown_tab(qtbot, workflow)
    view = tab.view
    scene = view.workflow_scene
    link = workflow.connections[0]
    on_wire = scene.wires[id(link)].path().pointAtPercent(0.35)
    mouse.press(view, on_wire)
    mouse.release(view, on_wire)
    assert scene.selected_connections() == [link] and scene.selected_activity_ids() == []
    assert tab.editor.delete_selection()
    assert workflow.connections == [] and scene.wires == {}
    assert scene.document.undo_stack.undoText() == "Disconnect"
    scene.document.undo_stack.undo()
    assert workflow.connections == [link] and id(link) in scene.wires
