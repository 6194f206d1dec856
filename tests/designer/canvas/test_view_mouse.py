"""Navigating the canvas with real mouse events on the view's viewport: zoom, pan, fit, overview, minimap."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from designer.canvas.view import CanvasView
from runtime.model import WorkflowDefinition
from tests.designer import mouse
from tests.designer.builders import activity, shown_tab


def make_view(qtbot, workflow: WorkflowDefinition) -> CanvasView:
    return shown_tab(qtbot, workflow).view


@pytest.fixture
def branching(qtbot) -> CanvasView:
    workflow = WorkflowDefinition(
        name="Branching",
        activities=[
            activity("cond", "If", x=100, y=100),
            activity("yes", "WriteLine", x=500, y=60),
            activity("no", "WriteLine", x=500, y=300),
        ],
        connections=[],
    )
    return make_view(qtbot, workflow)


def center(view: CanvasView, activity_id: str) -> QPointF:
    return view.workflow_scene.cards[activity_id].card_rect().center()


def test_double_click_activates_the_card(branching, qtbot):
    view = branching
    scene = view.workflow_scene
    with qtbot.waitSignal(scene.activityActivated, timeout=1000) as blocker:
        mouse.double_click(view, center(view, "no"))
    assert blocker.args == ["no"]


def test_ctrl_wheel_zooms_around_the_cursor(branching):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    view = branching
    anchor = view.mapFromScene(center(view, "cond"))
    before = view.mapToScene(anchor)
    event = QWheelEvent(
        QPointF(anchor),
        QPointF(view.viewport().mapToGlobal(anchor)),
        QPoint(),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)
    assert view.zoom == pytest.approx(1.44)
    after = view.mapToScene(anchor)
    assert abs(after.x() - before.x()) < 2 and abs(after.y() - before.y()) < 2


def test_far_zoom_on_a_large_workflow_draws_an_overview_and_clicks_still_select(qtbot):
    from tests.designer.builders import chain

    view = make_view(qtbot, chain(200, spacing=220))
    scene = view.workflow_scene
    view.set_zoom(0.1)
    assert scene.overview_on and scene.overview.isVisible()
    view.centerOn(center(view, "a7"))
    mouse.press(view, center(view, "a7"))
    mouse.release(view, center(view, "a7"))
    assert scene.selected_activity_ids() == ["a7"]
    view.viewport().repaint()
    view.set_zoom(1.0)
    assert not scene.overview_on and not scene.overview.isVisible()


def test_far_zoom_on_a_small_workflow_keeps_drawing_cards(branching):
    branching.set_zoom(0.1)
    assert not branching.workflow_scene.overview_on


def test_minimap_click_moves_the_view(branching):
    from PySide6.QtTest import QTest

    view = branching
    view.minimap.setVisible(True)
    view.minimap.repaint()
    before = view.mapToScene(view.viewport().rect().center())
    QTest.mouseClick(
        view.minimap, Qt.MouseButton.LeftButton, pos=view.minimap.rect().topLeft() + QPoint(8, 8)
    )
    after = view.mapToScene(view.viewport().rect().center())
    assert after != before


def test_fit_all_and_zoom_keys(branching):
    view = branching
    view.fit_all()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.workflow_scene.cards_rect())
    level = view.zoom
    view.zoom_in()
    assert view.zoom == pytest.approx(level * 1.2)
    view.reset_zoom()
    assert view.zoom == 1.0


def test_middle_drag_and_wheel_pan_without_touching_the_model(branching):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    view = branching
    middle = Qt.MouseButton.MiddleButton
    start = view.mapToScene(view.viewport().rect().center())
    grab = QPointF(300, 300)
    mouse.press(view, grab, button=middle)
    mouse.move(view, grab + QPointF(-100, -50), buttons=middle)
    mouse.release(view, grab + QPointF(-100, -50), button=middle)
    moved = view.mapToScene(view.viewport().rect().center())
    assert moved.x() - start.x() == pytest.approx(100, abs=2) and moved.y() - start.y() == pytest.approx(
        50, abs=2
    )
    anchor = view.viewport().rect().center()
    wheel = QWheelEvent(
        QPointF(anchor),
        QPointF(view.viewport().mapToGlobal(anchor)),
        QPoint(),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.mapToScene(view.viewport().rect().center()).y() > moved.y()
    assert view.workflow_scene.document.undo_stack.count() == 0 and view.zoom == 1.0
