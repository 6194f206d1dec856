"""Sticky notes on the canvas with real mouse and key events: drawn behind the cards with their Markdown
rendered, written on double-click, moved, resized, moved with a selection of cards, deleted, each one undo
step; saved in ``customAttributes.data["flowdesk"]["notes"]`` so a corpus file round-trips byte for byte
apart from the notes' own object, still validates, and is drawn by ``flowdesk render``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from designer.canvas.layout import GRID
from designer.canvas.note import GRIP, NOTE_FILLS, NoteItem
from designer.document import Document
from designer.editor_tab import EditAction, EditorTab
from designer.render import render_file
from designer.theme import LIGHT
from runtime.design_data import (
    MIN_NOTE_HEIGHT,
    MIN_NOTE_WIDTH,
    DesignData,
    Note,
    custom_attributes_with,
    read_design_data,
    read_notes,
)
from runtime.elsa_json import load_workflow
from runtime.engine import PinnedOutput
from runtime.model import WorkflowDefinition
from runtime.validation import validate
from tests.conftest import corpus_files
from tests.designer import mouse
from tests.designer.builders import activity, chain, editor_for, shown_tab

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def noted(qtbot) -> EditorTab:
    """Two cards at y=100 and a note below them at (40, 300), 240×140."""
    tab = shown_tab(qtbot, chain(2))
    tab.editor.add_note(QPointF(40, 300), "# Heading\n\nSome **bold** text")
    tab.scene.clearSelection()
    tab.document.undo_stack.clear()
    return tab


def only_note(tab: EditorTab) -> NoteItem:
    [item] = tab.scene.notes.values()
    return item


def undo_texts(tab: EditorTab) -> list[str]:
    stack = tab.document.undo_stack
    return [stack.text(index) for index in range(stack.count())]


# --- drawing --------------------------------------------------------------------------------------------


def test_a_note_lies_behind_cards_and_wires_and_renders_its_markdown(qtbot):
    tab = shown_tab(qtbot, chain(2))
    note_id = tab.editor.add_note(QPointF(-40, 40), "# Token\n\nRefreshed **here**", color="green")
    tab.editor.resize_note(note_id, 640, 200)
    item = tab.scene.notes[note_id]
    card = tab.scene.cards["a0"]
    assert item.zValue() < min(w.zValue() for w in tab.scene.wires.values()) < card.zValue()
    inside = card.card_rect().center()
    assert item.note_rect().contains(inside)
    assert tab.scene.items(inside)[0] is card
    assert item.rendered_text() == "Token\nRefreshed here"
    image = tab.view.viewport().grab().toImage()
    spot = tab.view.mapFromScene(QPointF(item.note_rect().right() - 30, item.note_rect().bottom() - 30))
    assert image.pixelColor(spot).name() == NOTE_FILLS["light"]["green"]

    mouse.press(tab.view, inside)
    mouse.release(tab.view, inside)
    assert tab.scene.selected_activity_ids() == ["a0"] and tab.scene.selected_note_ids() == []


def test_the_note_data_is_read_leniently() -> None:
    workflow = chain(1)
    workflow.custom_attributes = custom_attributes_with(
        workflow, DesignData(notes=[Note("n", 1, 2, 3, 4, "x", "teal")])
    )
    [note] = read_notes(workflow)
    assert (note.width, note.height, note.color) == (MIN_NOTE_WIDTH, MIN_NOTE_HEIGHT, "yellow")
    workflow.custom_attributes.data["flowdesk"]["notes"] += [
        {"id": "n"},
        {"x": 1},
        "bad",
        {"id": "m", "x": 0, "y": 0},
    ]
    assert [n.id for n in read_notes(workflow)] == ["n", "m"]


# --- writing --------------------------------------------------------------------------------------------


def test_double_click_writes_escape_abandons_ctrl_enter_keeps(noted: EditorTab):
    view = noted.view
    item = only_note(noted)
    mouse.double_click(view, item.note_rect().center())
    assert item.is_editing and noted.scene.selected_note_ids() == [item.note_id]
    QTest.keyClicks(view, " and more")
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert not item.is_editing
    assert read_notes(noted.document.workflow)[0].text == "# Heading\n\nSome **bold** text"
    assert undo_texts(noted) == []

    mouse.double_click(view, item.note_rect().center())
    QTest.keyClick(view, Qt.Key.Key_End, CTRL)
    QTest.keyClick(view, Qt.Key.Key_Return)
    QTest.keyClicks(view, "- one item")
    QTest.keyClick(view, Qt.Key.Key_Return, CTRL)
    assert read_notes(noted.document.workflow)[0].text == "# Heading\n\nSome **bold** text\n- one item"
    assert item.rendered_text() == "Heading\nSome bold text\none item"
    assert undo_texts(noted) == ["Edit note"]
    noted.document.undo_stack.undo()
    assert item.rendered_text() == "Heading\nSome bold text"


def test_a_click_elsewhere_keeps_the_text_and_keys_stay_the_notes_while_writing(noted: EditorTab):
    view = noted.view
    item = only_note(noted)
    mouse.double_click(view, item.note_rect().center())
    noted.scene.cards["a0"].setSelected(True)
    for key in (Qt.Key.Key_Left, Qt.Key.Key_Space, Qt.Key.Key_Tab):
        QTest.keyClick(view, key)
    assert not view.quick_add.isVisible(), "Tab indents the note, it does not open quick-add"
    assert noted.document.workflow.activity("a0").x == 0, "arrows move the text cursor, not the cards"
    mouse.press(view, QPointF(700, 500))
    mouse.release(view, QPointF(700, 500))
    assert not item.is_editing
    text = read_notes(noted.document.workflow)[0].text
    assert text.startswith("# Heading") and text != "# Heading\n\nSome **bold** text"
    assert undo_texts(noted) == ["Edit note"]


# --- moving and resizing ---------------------------------------------------------------------------------


def test_dragging_a_note_moves_it_in_one_undo_step(noted: EditorTab):
    item = only_note(noted)
    start = item.note_rect().center()
    mouse.drag(noted.view, start, start + QPointF(61, 38))
    note = read_notes(noted.document.workflow)[0]
    assert (note.x, note.y) == (40 + 60, 300 + 40), "snapped to the grid"
    assert item.pos() == QPointF(100, 340)
    assert undo_texts(noted) == ["Move note"]
    noted.document.undo_stack.undo()
    assert item.pos() == QPointF(40, 300)


def test_dragging_the_corner_resizes_the_note(noted: EditorTab):
    item = only_note(noted)
    corner = item.note_rect().bottomRight() - QPointF(GRIP / 2, GRIP / 2)
    assert item.grip_at(corner) and not item.grip_at(item.note_rect().center())
    mouse.drag(noted.view, corner, corner + QPointF(100, 60))
    note = read_notes(noted.document.workflow)[0]
    assert (note.width, note.height) == (340, 200) and (note.x, note.y) == (40, 300)
    assert undo_texts(noted) == ["Resize note"]
    corner = item.note_rect().bottomRight() - QPointF(GRIP / 2, GRIP / 2)
    mouse.drag(noted.view, corner, item.note_rect().topLeft())
    note = read_notes(noted.document.workflow)[0]
    assert (note.width, note.height) == (MIN_NOTE_WIDTH, MIN_NOTE_HEIGHT)
    noted.document.undo_stack.undo()
    assert item.size == (340, 200)


def test_a_note_moves_with_a_selection_of_cards(noted: EditorTab):
    view = noted.view
    item = only_note(noted)
    noted.editor.move_items({}, {item.note_id: (-80, 300)})
    noted.document.undo_stack.clear()
    mouse.drag(view, QPointF(-100, 40), QPointF(220, 470))
    assert noted.scene.selected_activity_ids() == ["a0"]
    assert noted.scene.selected_note_ids() == [item.note_id]
    card = noted.scene.cards["a0"].card_rect().center()
    mouse.drag(view, card, card + QPointF(0, 100))
    assert (noted.document.workflow.activity("a0").x, noted.document.workflow.activity("a0").y) == (0, 200)
    assert (read_notes(noted.document.workflow)[0].x, read_notes(noted.document.workflow)[0].y) == (-80, 400)
    assert undo_texts(noted) == ["Move 2 items"]
    noted.document.undo_stack.undo()
    assert noted.document.workflow.activity("a0").y == 100 and item.pos() == QPointF(-80, 300)


def test_a_band_across_part_of_a_note_leaves_it_out(noted: EditorTab):
    mouse.drag(noted.view, QPointF(-60, 40), QPointF(200, 380))
    assert noted.scene.selected_note_ids() == []


def test_arrow_keys_nudge_a_selected_note_and_delete_removes_it(noted: EditorTab):
    view = noted.view
    item = only_note(noted)
    mouse.press(view, item.note_rect().center())
    mouse.release(view, item.note_rect().center())
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Right)
    QTest.keyClick(view, Qt.Key.Key_Right)
    QTest.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    note = read_notes(noted.document.workflow)[0]
    assert (note.x, note.y) == (40 + 2 * GRID, 301)
    assert undo_texts(noted) == ["Move note"], "a run of nudges is one step"
    noted.trigger(EditAction.DELETE)
    assert read_notes(noted.document.workflow) == [] and noted.scene.notes == {}
    assert undo_texts(noted)[-1] == "Delete note"
    noted.document.undo_stack.undo()
    assert [n.id for n in read_notes(noted.document.workflow)] == [item.note_id]


def test_deleting_cards_and_a_note_together_is_one_step(noted: EditorTab):
    noted.scene.select_all()
    noted.trigger(EditAction.DELETE)
    assert noted.document.workflow.activities == [] and read_notes(noted.document.workflow) == []
    assert undo_texts(noted) == ["Delete 2 activities and note"]
    noted.document.undo_stack.undo()
    assert len(noted.document.workflow.activities) == 2 and len(noted.scene.notes) == 1


def test_colours_and_pins_share_the_design_data_without_disturbing_each_other(noted: EditorTab):
    editor = noted.editor
    workflow = noted.document.workflow
    note_id = only_note(noted).note_id
    editor.set_design_data(DesignData(pinned={"a0": PinnedOutput({"k": 1})}), "Pin output of a0")
    assert editor.set_note_color([note_id], "pink")
    assert not editor.set_note_color([note_id], "pink"), "nothing changes"
    with pytest.raises(ValueError, match="unknown note colour"):
        editor.set_note_color([note_id], "teal")
    data = read_design_data(workflow)
    assert list(data.pinned) == ["a0"] and data.notes[0].color == "pink"
    assert list(workflow.custom_attributes.data["flowdesk"]) == ["notes", "pinned"], "keys keep their place"
    noted.document.undo_stack.undo()
    noted.document.undo_stack.undo()
    assert read_design_data(workflow).pinned == {} and read_notes(workflow)[0].color == "yellow"


# --- the file ---------------------------------------------------------------------------------------------


def split_difference(before: str, after: str) -> tuple[str, str]:
    """What ``after`` has in place of ``before``'s text, once the common start and end are set aside."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return before[start : len(before) - end], after[start : len(after) - end]


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_a_corpus_file_with_notes_round_trips_and_still_validates(path: Path, tmp_path: Path, qapp):
    original = path.read_bytes().decode("utf-8")
    document = Document.open(path)
    editor = editor_for(document)
    first = editor.add_note(QPointF(-400, -300), "# About\n\nImported from **WoW**", color="blue")
    editor.resize_note(first, 320, 180)
    editor.add_note(QPointF(-400, 0), "second note")
    saved = tmp_path / path.name
    document.save(saved)
    text = saved.read_bytes().decode("utf-8")

    removed, added = split_difference(original, text)
    assert removed.strip() == "", "nothing of the file was changed"
    member = json.loads("{" + added.strip().strip(",") + "}")
    notes = member["flowdesk"]["notes"]
    assert member == {"flowdesk": {"notes": notes}}, "only the notes' own object was added"
    assert [n["text"] for n in notes] == ["# About\n\nImported from **WoW**", "second note"]
    assert notes[0] == {**notes[0], "width": 320, "height": 180, "color": "blue"}

    reloaded = load_workflow(saved)
    assert [n.text for n in read_notes(reloaded)] == ["# About\n\nImported from **WoW**", "second note"]
    assert [(p.code, p.activity_id) for p in validate(reloaded)] == [
        (p.code, p.activity_id) for p in validate(load_workflow(path))
    ]
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
    document.save(saved)
    assert saved.read_bytes() == path.read_bytes(), "without its notes the file is the original again"


def test_render_draws_the_notes(tmp_path: Path, qapp):
    workflow = WorkflowDefinition(name="Noted", activities=[activity("a", x=300, y=0)], connections=[])
    workflow.custom_attributes = custom_attributes_with(
        workflow, DesignData(notes=[Note("n", 0, 200, 400, 150, "# Read me\n\nFirst **this**", "pink")])
    )
    document = Document(workflow)
    source = tmp_path / "noted.json"
    document.save(source)
    picture = tmp_path / "noted.png"
    render_file(source, picture, LIGHT)
    image = QImage(str(picture))
    # the drawing starts 40 (the margin) left of and above the note's corner
    assert image.pixelColor(40 + 380, 40 + 200 + 130).name() == NOTE_FILLS["light"]["pink"]
    ink = {image.pixelColor(x, y).name() for x in range(50, 250) for y in range(250, 280)}
    assert len(ink) > 3, "the heading is drawn"
