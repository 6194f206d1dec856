"""The canvas's context menus over a real window: real right-clicks open them, real clicks on their entries
run the window's own actions (shortcuts shown), and each entry does what its menu bar twin does."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from designer.canvas.port import CARD_WIDTH
from designer.editing.clipboard import FRAGMENT_MIME
from designer.editor_tab import EditorTab
from designer.main_window import MainWindow
from designer.run.dialogs import PinAnswer
from runtime.builder import WorkflowBuilder
from runtime.design_data import read_design_data, read_notes
from runtime.model import WorkflowDefinition
from tests.designer.features.conftest import Script, wait_idle, write
from tests.designer.mouse import click_menu_entry, close_menu, right_click

CARD_ENTRIES = [
    "actionRunFromHere",
    "actionToggleBreakpoint",
    "actionPinOutput",
    "actionCut",
    "actionCopy",
    "actionDuplicate",
    "actionDelete",
    "actionRename",
    "actionRevealInProblems",
]
WIRE_ENTRIES = ["actionDelete", "actionInsertActivity"]
CANVAS_ENTRIES = [
    "actionQuickAdd",
    "actionPaste",
    "actionAddNote",
    "actionSelectAll",
    "actionZoomFit",
    "actionAutoLayout",
]
NOTE_ENTRIES = ["actionEditNote", "actionDelete"]
SHORTCUTS = {
    "actionRunFromHere": "Ctrl+F10",
    "actionToggleBreakpoint": "F9",
    "actionCut": "Ctrl+X",
    "actionCopy": "Ctrl+C",
    "actionDuplicate": "Ctrl+D",
    "actionDelete": "Del",
    "actionRename": "F2",
    "actionRevealInProblems": "Ctrl+Shift+M",
    "actionOpenSubworkflow": "F12",
    "actionPaste": "Ctrl+V",
    "actionAddNote": "Ctrl+Shift+N",
    "actionSelectAll": "Ctrl+A",
    "actionZoomFit": "Ctrl+1",
    "actionAutoLayout": "Ctrl+Shift+L",
}
"""The keys each entry shows (the same action's keys as in the menu bar)."""


def steps() -> WorkflowDefinition:
    """first (SetVariable) -> second (SetVariable) -> done (Finish), left to right."""
    workflow = (
        WorkflowBuilder("Steps")
        .add("first", "SetVariable", VariableName="seen", Value="first ran")
        .add("second", "SetVariable", VariableName="other", Value="second ran")
        .add("done", "Finish")
        .chain("first", "second", "done")
        .build()
    )
    for index, activity in enumerate(workflow.activities):
        activity.x, activity.y = 100 + index * 320, 200
    return workflow


def open_steps(window: MainWindow, tmp_path: Path, workflow: WorkflowDefinition | None = None) -> EditorTab:
    [tab] = window.open_files([write(workflow or steps(), tmp_path)])
    tab.view.set_zoom(1.0)
    return tab


def open_menu(qtbot, window: MainWindow, tab: EditorTab, scene_pos: QPointF) -> QMenu:
    """Right-click at ``scene_pos`` (brought to the middle of the view first) and return the menu shown."""
    tab.view.centerOn(scene_pos)
    QApplication.processEvents()
    right_click(tab.view, scene_pos)
    menu = window.canvas_menus.last_menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible, timeout=3000)
    return menu


def card_center(tab: EditorTab, activity_id: str) -> QPointF:
    return tab.scene.cards[activity_id].card_rect().center()


def wire_middle(tab: EditorTab, source: str) -> QPointF:
    [wire] = [w for w in tab.scene.wires.values() if w.source.activity_id == source]
    return wire.mapToScene(wire.path().pointAtPercent(0.5))


def empty_spot(tab: EditorTab) -> QPointF:
    return QPointF(420, 460)


def entries(menu: QMenu) -> list[str]:
    return [a.objectName() for a in menu.actions() if not a.isSeparator() and a.menu() is None]


def assert_window_actions(window: MainWindow, menu: QMenu) -> None:
    """Every entry is the window's own action, shortcut shown (the menu bar's keys)."""
    for action in menu.actions():
        if action.isSeparator() or action.menu() is not None:
            continue
        name = action.objectName()
        assert window.actions_by_name[name] is action
        assert action.isShortcutVisibleInContextMenu()
        assert action.shortcut().toString() == SHORTCUTS.get(name, "")


# --- which menu, and what it holds ------------------------------------------------------------------------


def test_each_place_opens_its_menu_of_window_actions_with_their_shortcuts(qtbot, window, tmp_path):
    tab = open_steps(window, tmp_path)
    note_id = tab.editor.add_note(QPointF(200, 520), "a note")
    tab.scene.clearSelection()
    cases = [
        (card_center(tab, "second"), "cardMenu", CARD_ENTRIES),
        (wire_middle(tab, "first"), "wireMenu", WIRE_ENTRIES),
        (empty_spot(tab), "canvasMenu", CANVAS_ENTRIES),
        (tab.scene.notes[note_id].note_rect().center(), "noteMenu", NOTE_ENTRIES),
    ]
    for position, name, expected in cases:
        menu = open_menu(qtbot, window, tab, position)
        assert menu.objectName() == name
        assert window.findChild(QMenu, name) is menu
        assert entries(menu) == expected
        assert_window_actions(window, menu)
        close_menu(menu)
    note_menu = window.findChild(QMenu, "noteMenu")
    [colors] = [a.menu() for a in note_menu.actions() if a.menu() is not None]
    assert colors.objectName() == "noteColorMenu"
    assert [a.objectName() for a in colors.actions()] == [
        "actionNoteColorYellow",
        "actionNoteColorBlue",
        "actionNoteColorGreen",
        "actionNoteColorPink",
        "actionNoteColorPurple",
        "actionNoteColorGray",
    ]


def test_a_right_click_selects_what_it_is_on_but_keeps_a_selection_it_is_part_of(qtbot, window, tmp_path):
    tab = open_steps(window, tmp_path)
    tab.scene.select_activities({"first"})
    close_menu(open_menu(qtbot, window, tab, card_center(tab, "second")))
    assert tab.scene.selected_activity_ids() == ["second"]
    tab.scene.select_activities({"first", "second"})
    close_menu(open_menu(qtbot, window, tab, card_center(tab, "second")))
    assert tab.scene.selected_activity_ids() == ["first", "second"]
    close_menu(open_menu(qtbot, window, tab, wire_middle(tab, "second")))
    assert tab.scene.selected_activity_ids() == []
    assert [c.source_activity_id for c in tab.scene.selected_connections()] == ["second"]


def test_the_card_menu_offers_unpin_on_a_pinned_card_and_open_sub_workflow_on_run_workflow(
    qtbot, window, script: Script, tmp_path
):
    tab = open_steps(window, tmp_path)
    script.pin_answer = PinAnswer({"pinned": True}, ("Done",))
    click_menu_entry(open_menu(qtbot, window, tab, card_center(tab, "second")), "actionPinOutput")
    assert read_design_data(tab.document.workflow).pinned["second"].output == {"pinned": True}
    menu = open_menu(qtbot, window, tab, card_center(tab, "second"))
    assert "actionUnpinOutput" in entries(menu)
    click_menu_entry(menu, "actionUnpinOutput")
    assert "second" not in read_design_data(tab.document.workflow).pinned
    menu = open_menu(qtbot, window, tab, card_center(tab, "first"))
    assert "actionUnpinOutput" not in entries(menu)
    close_menu(menu)


# --- the card menu ----------------------------------------------------------------------------------------


def test_run_from_here_starts_at_the_card_and_pins_nothing(qtbot, window, script: Script, tmp_path):
    tab = open_steps(window, tmp_path)
    click_menu_entry(open_menu(qtbot, window, tab, card_center(tab, "second")), "actionRunFromHere")
    wait_idle(qtbot, window)
    root = window.run.session.root
    assert [record.activity_id for record in root.journal] == ["second", "done"]
    assert root.variables == {"other": "second ran"}, "the activity before it did not run"
    assert script.prefills[-1][0] == "Run Steps.json from second"
    assert read_design_data(tab.document.workflow).pinned == {}
    assert not tab.document.is_modified
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    assert [r.activity_id for r in window.run.session.root.journal] == ["first", "second", "done"]


def test_toggle_breakpoint_from_the_card_menu(qtbot, window, tmp_path):
    tab = open_steps(window, tmp_path)
    click_menu_entry(open_menu(qtbot, window, tab, card_center(tab, "second")), "actionToggleBreakpoint")
    assert tab.document.breakpoints == {"second"}
    click_menu_entry(open_menu(qtbot, window, tab, card_center(tab, "second")), "actionToggleBreakpoint")
    assert tab.document.breakpoints == set()
    assert not tab.document.is_modified


def test_copy_cut_duplicate_and_delete_from_the_card_menu(qtbot, window, tmp_path):
    tab = open_steps(window, tmp_path)
    workflow = tab.document.workflow
    click_menu_entry(open_menu(qtbot, window, tab, card_center(tab, "first")), "actionCopy")
    assert QGuiApplication.clipboard().mimeData().hasFormat(FRAGMENT_MIME)
    assert len(workflow.activities) == 3

    click_menu_entry(open_menu(qtbot, window, tab, card_center(tab, "first")), "actionDuplicate")
    assert len(workflow.activities) == 4
    assert tab.document.undo_stack.text(tab.document.undo_stack.index() - 1) == "Duplicate"

    click_menu_entry(open_menu(qtbot, window, tab, card_center(tab, "second")), "actionDelete")
    assert workflow.activity("second") is None
    click_menu_entry(open_menu(qtbot, window, tab, card_center(tab, "done")), "actionCut")
    assert workflow.activity("done") is None
    assert "Finish" in bytes(QGuiApplication.clipboard().mimeData().data(FRAGMENT_MIME).data()).decode()
    tab.document.undo_stack.undo()
    tab.document.undo_stack.undo()
    assert workflow.activity("second") is not None and workflow.activity("done") is not None


def test_rename_puts_the_cursor_in_the_display_name(qtbot, window, tmp_path):
    tab = open_steps(window, tmp_path)
    window.activateWindow()
    click_menu_entry(open_menu(qtbot, window, tab, card_center(tab, "second")), "actionRename")
    field = window.inspector.panel.display_name
    assert window.inspector_dock.isVisible()
    assert window.inspector.panel.activity.activity_id == "second"
    assert field.selectedText() == field.text()
    qtbot.waitUntil(field.hasFocus, timeout=3000)
    QTest.keyClicks(field, "Remember it")
    assert tab.document.workflow.activity("second").display_name == "Remember it"
    assert tab.scene.cards["second"].content.title == "Remember it"


def test_open_sub_workflow_opens_the_child_file_from_the_library(qtbot, window, tmp_path):
    child = WorkflowBuilder("GetSettings", definition_id="child-id").add("w", "WriteLine", Text="hi").build()
    write(child, tmp_path, "get-settings.json")
    parent = (
        WorkflowBuilder("Parent")
        .add(
            "call",
            "RunWorkflow",
            WorkflowDefinitionId=("JavaScript", 'return getWorkflowDefinitionIdByName("GetSettings")'),
        )
        .add("after", "WriteLine", Text="done")
        .chain("call", "after")
        .build()
    )
    tab = open_steps(window, tmp_path, parent)
    other = open_menu(qtbot, window, tab, card_center(tab, "after"))
    assert "actionOpenSubworkflow" not in entries(other)
    close_menu(other)
    menu = open_menu(qtbot, window, tab, card_center(tab, "call"))
    assert entries(menu) == [*CARD_ENTRIES[:-1], "actionOpenSubworkflow", CARD_ENTRIES[-1]]
    assert_window_actions(window, menu)
    click_menu_entry(menu, "actionOpenSubworkflow")
    current = window.current_tab()
    assert current is not tab and current.document.path == (tmp_path / "get-settings.json").resolve()
    window.show_tab(tab)
    click_menu_entry(open_menu(qtbot, window, tab, card_center(tab, "call")), "actionOpenSubworkflow")
    assert window.current_tab() is current and len(window.editor_tabs()) == 2, "an open child is reused"


def test_reveal_in_problems_selects_the_cards_problems(qtbot, window, tmp_path):
    workflow = (
        WorkflowBuilder("Broken")
        .add("ok", "WriteLine", Text="x")
        .add("call", "SendHttpRequest")
        .chain("ok", "call")
        .build()
    )
    tab = open_steps(window, tmp_path, workflow)
    window.problems_dock.hide()
    click_menu_entry(open_menu(qtbot, window, tab, card_center(tab, "call")), "actionRevealInProblems")
    assert window.problems_dock.isVisible()
    assert window.problems.selected_activity_ids() == ["call"]
    assert "Url" in window.problems.tree.currentItem().text(2)
    tab.scene.select_activities({"ok"})
    assert not window.reveal_in_problems()
    assert "has no problems" in window.statusBar().currentMessage()


# --- the wire menu ----------------------------------------------------------------------------------------


def test_delete_a_wire_from_its_menu(qtbot, window, tmp_path):
    tab = open_steps(window, tmp_path)
    click_menu_entry(open_menu(qtbot, window, tab, wire_middle(tab, "first")), "actionDelete")
    assert [(c.source_activity_id, c.target_activity_id) for c in tab.document.workflow.connections] == [
        ("second", "done")
    ]
    assert all(a is not None for a in map(tab.document.workflow.activity, ("first", "second", "done")))


def test_insert_activity_splices_the_chosen_type_into_the_wire(qtbot, window, tmp_path):
    tab = open_steps(window, tmp_path)
    spot = wire_middle(tab, "first")
    click_menu_entry(open_menu(qtbot, window, tab, spot), "actionInsertActivity")
    popup = tab.view.quick_add
    assert popup.isVisible()
    qtbot.keyClicks(popup.search, "correlate")
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    workflow = tab.document.workflow
    [added] = [a for a in workflow.activities if a.type == "Correlate"]
    pairs = [(c.source_activity_id, c.target_activity_id) for c in workflow.connections]
    assert ("first", added.activity_id) in pairs and (added.activity_id, "second") in pairs
    assert ("first", "second") not in pairs
    assert abs(tab.scene.cards[added.activity_id].card_rect().center().x() - spot.x()) <= 20
    assert tab.document.undo_stack.count() == 1
    qtbot.waitUntil(lambda: tab.context_position is None, timeout=3000)


# --- the canvas menu ----------------------------------------------------------------------------------------


def test_add_activity_offers_quick_add_at_the_right_click(qtbot, window, tmp_path):
    tab = open_steps(window, tmp_path)
    spot = empty_spot(tab)
    click_menu_entry(open_menu(qtbot, window, tab, spot), "actionQuickAdd")
    assert tab.view.quick_add.isVisible()
    tab.view.quick_add.choose("Finish")
    [added] = [
        a for a in tab.document.workflow.activities if a.activity_id not in ("first", "second", "done")
    ]
    center = tab.scene.cards[added.activity_id].card_rect().center()
    assert abs(center.x() - spot.x()) <= 20 and abs(center.y() - spot.y()) <= 30


def test_paste_lands_where_the_menu_was_opened(qtbot, window, tmp_path):
    tab = open_steps(window, tmp_path)
    tab.scene.select_activities({"second"})
    window.actions_by_name["actionCopy"].trigger()
    spot = empty_spot(tab)
    click_menu_entry(open_menu(qtbot, window, tab, spot), "actionPaste")
    [pasted] = tab.scene.selected_activity_ids()
    assert pasted not in ("first", "second", "done")
    top_left = tab.scene.cards[pasted].pos()
    assert abs(top_left.x() - spot.x()) <= CARD_WIDTH and abs(top_left.y() - spot.y()) <= 60


def test_add_note_at_the_right_click_then_write_it(qtbot, window, tmp_path):
    tab = open_steps(window, tmp_path)
    spot = empty_spot(tab)
    click_menu_entry(open_menu(qtbot, window, tab, spot), "actionAddNote")
    [note] = read_notes(tab.document.workflow)
    assert abs(note.x - spot.x()) <= 20 and abs(note.y - spot.y()) <= 20
    item = tab.scene.notes[note.id]
    assert item.is_editing and tab.scene.selected_note_ids() == [note.id]
    QTest.keyClicks(tab.view, "Check **this**")
    QTest.keyClick(tab.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert read_notes(tab.document.workflow)[0].text == "Check **this**"
    assert item.rendered_text() == "Check this"
    stack = tab.document.undo_stack
    assert [stack.text(i) for i in range(stack.count())] == ["Add note", "Edit note"]


def test_select_all_zoom_to_fit_and_auto_layout_from_the_canvas_menu(qtbot, window, tmp_path):
    workflow = steps()
    workflow.activities[1].y = 700
    workflow.activities[2].x = 40
    tab = open_steps(window, tmp_path, workflow)
    note_id = tab.editor.add_note(QPointF(900, 520), "kept in view")
    tab.scene.clearSelection()

    click_menu_entry(open_menu(qtbot, window, tab, QPointF(600, 100)), "actionSelectAll")
    assert tab.scene.selected_activity_ids() == ["first", "second", "done"]
    assert tab.scene.selected_note_ids() == [note_id]

    tab.view.set_zoom(3.0)
    click_menu_entry(open_menu(qtbot, window, tab, QPointF(600, 100)), "actionZoomFit")
    shown = tab.view.mapToScene(tab.view.viewport().rect()).boundingRect()
    assert tab.view.zoom < 1.0 and shown.contains(tab.scene.drawing_rect())

    before = [(a.x, a.y) for a in tab.document.workflow.activities]
    tab.scene.clearSelection()
    click_menu_entry(open_menu(qtbot, window, tab, tab.view.mapToScene(40, 40)), "actionAutoLayout")
    after = [(a.x, a.y) for a in tab.document.workflow.activities]
    assert after != before and len({y for _, y in after}) == 1, "laid out in one row"
    assert tab.document.undo_stack.undoText() == "Auto-layout"


# --- the note menu ------------------------------------------------------------------------------------------


def test_the_note_menu_edits_colours_and_deletes_a_note(qtbot, window, tmp_path):
    tab = open_steps(window, tmp_path)
    note_id = tab.editor.add_note(QPointF(300, 520), "# Plan")
    tab.scene.clearSelection()
    middle = tab.scene.notes[note_id].note_rect().center()

    click_menu_entry(open_menu(qtbot, window, tab, middle), "actionEditNote")
    assert tab.scene.notes[note_id].is_editing
    QTest.keyClick(tab.view, Qt.Key.Key_Escape)
    assert not tab.scene.notes[note_id].is_editing

    menu = open_menu(qtbot, window, tab, middle)
    colors = window.findChild(QMenu, "noteColorMenu")
    assert window.canvas_menus.color_actions["yellow"].isChecked()
    submenu = next(a for a in menu.actions() if a.menu() is colors)
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(submenu).center())
    qtbot.waitUntil(colors.isVisible, timeout=3000)
    click_menu_entry(colors, "actionNoteColorBlue")
    assert read_notes(tab.document.workflow)[0].color == "blue"
    assert tab.document.undo_stack.undoText() == "Colour note blue"

    click_menu_entry(open_menu(qtbot, window, tab, middle), "actionDelete")
    assert read_notes(tab.document.workflow) == []
    assert note_id not in tab.scene.notes
    tab.document.undo_stack.undo()
    assert [n.id for n in read_notes(tab.document.workflow)] == [note_id] and note_id in tab.scene.notes


@pytest.mark.parametrize(
    "name", ["actionAddNote", "actionRename", "actionRevealInProblems", "actionRunFromHere"]
)
def test_new_actions_are_in_the_menu_bar_and_the_shortcut_list(window, name):
    in_menus = {a.objectName() for menu in window.menus.values() for a in menu.actions()}
    assert name in in_menus
    assert any(row.keys == SHORTCUTS[name] for row in window.shortcut_rows() if name in SHORTCUTS)


def test_saving_keeps_the_words_of_a_note_being_written(qtbot, window, tmp_path):
    from runtime.elsa_json import load_workflow

    tab = open_steps(window, tmp_path)
    click_menu_entry(open_menu(qtbot, window, tab, empty_spot(tab)), "actionAddNote")
    QTest.keyClicks(tab.view, "unsaved words")
    assert window.save()
    assert [note.text for note in read_notes(load_workflow(tab.document.path))] == ["unsaved words"]
    assert not tab.document.is_modified
