"""The canvas as a newcomer meets it, with real mouse events: a workflow opens readable, a double-click
on empty canvas offers quick-add, wires are easy to hit, a splice makes room, the minimap stays aside."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRect
from PySide6.QtWidgets import QApplication

from designer.canvas.minimap import MAX_WIDTH
from designer.canvas.port import CARD_WIDTH
from designer.canvas.view import READABLE_ZOOM
from designer.canvas.wire import HIT_PIXELS
from designer.document import Document
from designer.editor_tab import EditorTab
from designer.theme import LIGHT
from runtime.elsa_json import load_workflow
from runtime.graph import start_activity_ids
from runtime.model import WorkflowDefinition
from tests.designer import mouse
from tests.designer.builders import activity, chain, connection, shown_tab
from tests.samples.conftest import SAMPLES


def opened(qtbot, document: Document, width: int = 900, height: int = 600) -> EditorTab:
    """A tab shown the way the window shows a new one: laid out first, then opened readable."""
    tab = EditorTab(document, LIGHT)
    tab.resize(width, height)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    tab.view.open_when_shown()
    return tab


def viewport_rect_of(tab: EditorTab, activity_id: str) -> QRect:
    card = tab.scene.cards[activity_id]
    return tab.view.mapFromScene(card.sceneBoundingRect()).boundingRect()


def test_a_sample_opens_at_a_zoom_where_titles_read_showing_its_start(qtbot) -> None:
    path = SAMPLES / "call-my-api.json"
    tab = opened(qtbot, Document.open(path))
    view = tab.view
    assert view.zoom >= 0.6 and view.zoom == pytest.approx(READABLE_ZOOM)
    start = start_activity_ids(tab.document.workflow)[0]
    assert view.viewport().rect().contains(viewport_rect_of(tab, start)), "the start activity is in view"
    file_positions = {a.activity_id: (a.x, a.y) for a in load_workflow(path).activities}
    assert {a.activity_id: (a.x, a.y) for a in tab.document.workflow.activities} == file_positions
    assert not tab.document.is_modified
    view.fit_all()  # Zoom to Fit is still a command
    assert view.zoom < READABLE_ZOOM
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(tab.scene.cards_rect())


def test_a_small_workflow_opens_whole(qtbot) -> None:
    tab = opened(qtbot, Document(chain(3)))
    visible = tab.view.mapToScene(tab.view.viewport().rect()).boundingRect()
    assert visible.contains(tab.scene.cards_rect()) and tab.view.zoom >= READABLE_ZOOM


@pytest.fixture
def pair(qtbot) -> EditorTab:
    workflow = WorkflowDefinition(
        name="Pair",
        activities=[activity("a", x=0, y=100), activity("b", x=600, y=100)],
        connections=[connection("a", "b")],
    )
    return shown_tab(qtbot, workflow)


def test_double_click_on_empty_canvas_offers_quick_add_there(qtbot, pair: EditorTab) -> None:
    view = pair.view
    spot = QPointF(300, 400)
    mouse.double_click(view, spot)
    popup = view.quick_add
    assert popup.isVisible() and popup.objectName() == "quickAdd"
    popup.choose("Correlate")
    added = [a for a in pair.document.workflow.activities if a.type == "Correlate"]
    assert len(added) == 1
    card = pair.scene.cards[added[0].activity_id]
    assert card.sceneBoundingRect().adjusted(-20, -20, 20, 20).contains(spot), "added where clicked"
    assert pair.document.undo_stack.count() == 1


def test_double_click_on_a_card_still_opens_it_in_the_inspector(qtbot, pair: EditorTab) -> None:
    activated: list[str] = []
    pair.scene.activityActivated.connect(activated.append)
    mouse.double_click(pair.view, pair.scene.cards["a"].card_rect().center())
    assert activated == ["a"] and not pair.view.quick_add.isVisible()


@pytest.mark.parametrize("zoom", [0.3, 1.0, 2.0])
def test_a_wire_is_selected_within_8_pixels_at_any_zoom(qtbot, pair: EditorTab, zoom: float) -> None:
    view = pair.view
    view.set_zoom(zoom)
    wire = next(iter(pair.scene.wires.values()))
    on_wire = wire.path().pointAtPercent(0.5)
    view.centerOn(on_wire)
    near = on_wire + QPointF(0, (HIT_PIXELS - 1.5) / zoom)
    mouse.press(view, near)
    mouse.release(view, near)
    assert wire.isSelected(), f"{HIT_PIXELS - 1.5} px from the wire selects it"
    pair.scene.clearSelection()
    far = on_wire + QPointF(0, (HIT_PIXELS + 6) / zoom)
    mouse.press(view, far)
    mouse.release(view, far)
    assert not wire.isSelected()


def test_a_spliced_card_makes_room_by_shifting_what_follows(qtbot) -> None:
    workflow = WorkflowDefinition(
        name="Tight",
        activities=[
            activity("a", x=0, y=100),
            activity("b", x=CARD_WIDTH + 60, y=100),
            activity("c", x=2 * CARD_WIDTH + 120, y=100),
            activity("lone", x=100, y=400),
        ],
        connections=[connection("a", "b"), connection("b", "c")],
    )
    tab = shown_tab(qtbot, workflow)
    view, scene = tab.view, tab.scene
    wire = next(w for w in scene.wires.values() if w.connection.target_activity_id == "b")
    grab = scene.cards["lone"].card_rect().center()
    drop = wire.path().pointAtPercent(0.5)
    mouse.drag(view, grab, drop, steps=10)
    model = tab.document.workflow
    assert [(c.source_activity_id, c.target_activity_id) for c in model.connections] == [
        ("a", "lone"),
        ("lone", "b"),
        ("b", "c"),
    ]
    lone, b, c = (model.activity(i) for i in ("lone", "b", "c"))
    assert b.x >= lone.x + CARD_WIDTH + 20, "the next card moved right of the spliced one"
    assert c.x - b.x == CARD_WIDTH + 60, "what follows keeps its arrangement"
    assert tab.document.undo_stack.count() == 1, "move, splice and making room are one step"
    tab.document.undo_stack.undo()
    assert (model.activity("b").x, model.activity("c").x) == (CARD_WIDTH + 60, 2 * CARD_WIDTH + 120)


def test_the_minimap_is_small_hideable_and_never_over_the_selection(qtbot, pair: EditorTab) -> None:
    view = pair.view
    minimap = view.minimap
    assert minimap.width() <= MAX_WIDTH <= 170 and minimap.isVisible()
    corner = minimap.geometry()
    # Put card "b" right under the minimap and select it.
    view.set_zoom(1.0)
    card = pair.scene.cards["b"]
    target = view.mapToScene(corner.center()) - card.card_rect().center() + card.pos()
    pair.scene.move_card(card, target)
    pair.scene.select_activities({"b"})
    QApplication.processEvents()
    selected = viewport_rect_of(pair, "b")
    assert not (minimap.isVisible() and minimap.geometry().intersects(selected)), "never over the selection"
    assert minimap.isVisible(), "another corner was free"
    minimap.set_enabled(False)
    assert not minimap.isVisible()
    minimap.set_enabled(True)
    assert minimap.isVisible()


def test_an_activity_dropped_from_the_palette_onto_a_wire_makes_room_too(qtbot) -> None:
    workflow = WorkflowDefinition(
        name="Tight",
        activities=[activity("a", x=0, y=100), activity("b", x=CARD_WIDTH + 60, y=100)],
        connections=[connection("a", "b")],
    )
    tab = shown_tab(qtbot, workflow)
    wire = next(iter(tab.scene.wires.values()))
    added = tab.editor.drop_activity("WriteLine", wire.path().pointAtPercent(0.5))
    model = tab.document.workflow
    assert [(c.source_activity_id, c.target_activity_id) for c in model.connections] == [
        ("a", added),
        (added, "b"),
    ]
    assert model.activity("b").x >= model.activity(added).x + CARD_WIDTH + 20
    assert tab.document.undo_stack.count() == 1
