"""The overlay is visible: the canvas after a run differs from the canvas before it where the cards ran."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from designer.canvas.run_colors import run_color
from designer.main_window import MainWindow
from runtime.builder import WorkflowBuilder
from tests.designer.features.conftest import wait_idle, wait_paused, write


def grab(window: MainWindow, path) -> QImage:
    view = window.current_view()
    view.viewport().repaint()
    pixmap = view.grab()
    assert pixmap.save(str(path))
    return pixmap.toImage()


def count_near(image: QImage, color: QColor, tolerance: int = 40) -> int:
    found = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - color.red())
                + abs(pixel.green() - color.green())
                + abs(pixel.blue() - color.blue())
                < tolerance
            ):
                found += 1
    return found


def test_a_run_and_a_paused_session_are_drawn_on_the_canvas(qtbot, window: MainWindow, tmp_path) -> None:
    workflow = (
        WorkflowBuilder("Shots")
        .add("one", "SetVariable", VariableName="x", Value=("JavaScript", "1"), at=(0, 0))
        .add("two", "If", Condition=("JavaScript", "true"), at=(300, 0))
        .add("yes", "Finish", at=(600, -80))
        .add("no", "Finish", at=(600, 80))
        .chain("one", "two")
        .connect("two", "yes", "True")
        .connect("two", "no", "False")
        .build()
    )
    [tab] = window.open_files([write(workflow, tmp_path)])
    tab.view.set_zoom(1.0)
    tab.view.centerOn(tab.scene.cards_rect().center())
    theme = window.theme
    before = grab(window, tmp_path / "before.png")
    assert count_near(before, run_color(theme, "done")) == 0

    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    after = grab(window, tmp_path / "after-run.png")
    assert after.size() == before.size()
    differing = sum(
        1
        for y in range(0, after.height(), 3)
        for x in range(0, after.width(), 3)
        if after.pixel(x, y) != before.pixel(x, y)
    )
    assert differing > 200, "rings and taken wires change the picture"
    assert count_near(after, run_color(theme, "done")) > 100

    tab.scene.select_activities({"two"})
    window.actions_by_name["actionToggleBreakpoint"].trigger()
    window.actions_by_name["actionDebug"].trigger()
    wait_paused(qtbot, window, "two")
    paused = grab(window, tmp_path / "paused.png")
    assert count_near(paused, run_color(theme, "paused")) > 100
    assert count_near(paused, run_color(theme, "breakpoint"), 30) > 10
    window.actions_by_name["actionStop"].trigger()
    wait_idle(qtbot, window)
