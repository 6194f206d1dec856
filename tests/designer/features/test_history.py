"""Run history in the window: designer and served runs listed and opened on the canvas (path, visits, fault,
journal, log), their timeline drawn and exported, Save Run as Test, and the Tests panel (run, compare the
expected and actual paths on the canvas in two colours, loosen a check)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDockWidget, QTabBar, QTableWidget

import designer.features.history as history_feature
import designer.history.panel as history_panel
from designer.canvas.run_colors import run_color
from designer.canvas.run_trace import RunStatus
from designer.features.history import HistoryDialogs
from designer.history.timeline_chart import TimelineLayout, bar_tooltip
from designer.main_window import MainWindow
from designer.theme import theme_named
from runtime.builder import WorkflowBuilder
from runtime.flowtest.testfile import load_test
from runtime.history.recorder import HistoryRecorder, HistoryWriter
from runtime.history.timeline import build_timeline
from runtime.host import BackgroundHost
from runtime.host.endpoints import HostedWorkflow
from runtime.host.server import make_host
from runtime.model import WorkflowDefinition
from tests.designer.features.conftest import Script, wait_idle, write


def checker() -> WorkflowDefinition:
    return (
        WorkflowBuilder("Checker")
        .add("keep", "SetVariable", VariableName="n", Value=("JavaScript", "input.n"))
        .add("check", "If", Condition=("JavaScript", 'getVariable("n") > 1'))
        .add("big", "Finish", ActivityOutput=("JavaScript", '({size: "big", n: getVariable("n")})'))
        .add("small", "Fault", Message="too small")
        .chain("keep", "check")
        .connect("check", "big", "True")
        .connect("check", "small", "False")
        .build()
    )


def run_checker(qtbot, window: MainWindow, script: Script, value: int) -> None:
    script.input_answer = json.dumps({"n": value})
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)


def click_row(qtbot, table: QTableWidget, row: int) -> None:
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert table.currentRow() == row


def click_dock_tab(qtbot, window: MainWindow, title: str) -> None:
    """Click the tab of a bottom panel, as a person brings it to the front."""
    for bar in window.findChildren(QTabBar):
        if bar.parentWidget() is window and bar.isVisible():
            for index in range(bar.count()):
                if bar.tabText(index) == title:
                    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
                    assert bar.currentIndex() == index
                    return
    raise AssertionError(f"no dock tab {title!r}")


def test_a_designer_run_is_kept_and_opens_on_the_canvas(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    [tab] = window.open_files([write(checker(), tmp_path)])
    run_checker(qtbot, window, script, 0)
    history = window.run_history
    panel = history.show_history()
    assert [row.workflow for row in panel.rows] == ["Checker"]
    row = panel.rows[0]
    assert (row.source, row.status) == ("designer", "Faulted") and "too small" in (row.fault or "")
    assert row.file_path == str((tmp_path / "Checker.json").resolve()) and row.file_hash
    click_dock_tab(qtbot, window, "Timeline")
    assert history.timeline is not None and [r.activity_id for r in history.timeline.rows] == [
        "keep",
        "check",
        "small",
    ]
    controller = window.run.controller
    controller.clear_results()
    assert controller.journal_panel.model.row_count() == 0
    assert history.open_run(row.run_id)
    trace = controller.overlay_of(tab).trace
    assert trace is not None
    assert trace.activities["keep"].status is RunStatus.DONE
    assert trace.activities["small"].status is RunStatus.FAULTED and "too small" in (
        trace.activities["small"].error or ""
    )
    assert trace.taken[("check", "false")] == 1
    assert [r.record.activity_id for r in controller.journal_panel.model.rows] == ["keep", "check", "small"]
    texts = [entry.text(False) for entry in controller.log_panel.model.entries]
    assert any("too small" in text for text in texts)


def test_a_served_run_opens_with_its_path_and_a_journal_from_its_log(
    qtbot, window: MainWindow, tmp_path
) -> None:
    hello = (
        WorkflowBuilder("Hello")
        .add("http", "HttpEndpoint", Path="/hello", Methods=("Json", '["GET"]'))
        .add("respond", "WriteHttpResponse", StatusCode="OK", ContentType="text/plain", Content="hi")
        .chain("http", "respond")
        .build()
    )
    path = write(hello, tmp_path)
    [tab] = window.open_files([path])
    writer = HistoryWriter(window.store_path)
    recorder = HistoryRecorder(writer, "serve")
    app = make_host(
        [HostedWorkflow(hello, str(path))], [tmp_path], tmp_path / "o.db", journal=False, history=recorder
    )
    with BackgroundHost(app) as host:
        assert httpx.get(f"{host.url}/hello").text == "hi"
    writer.close()
    history = window.run_history
    panel = history.show_history()
    [row] = panel.rows
    assert (row.workflow, row.source, row.file_path) == ("Hello", "serve", str(path.resolve()))
    assert history.open_run(row.run_id)
    click_dock_tab(qtbot, window, "Timeline")
    trace = window.run.controller.overlay_of(tab).trace
    assert trace is not None and set(trace.activities) == {"http", "respond"}
    rows = window.run.controller.journal_panel.model.rows
    assert [r.record.activity_id for r in rows] == ["http", "respond"]
    assert rows[1].record.activity_type == "WriteHttpResponse" and "no journal" in rows[1].record.data["Note"]
    assert history.timeline is not None and len(history.timeline.bars) == 2


def test_the_timeline_is_exported_as_png_and_svg(qtbot, window: MainWindow, script: Script, tmp_path) -> None:
    window.open_files([write(checker(), tmp_path)])
    run_checker(qtbot, window, script, 5)
    history = window.run_history
    png = history.export_timeline(str(tmp_path / "timeline.png"))
    svg = history.export_timeline(str(tmp_path / "timeline.svg"))
    assert png and svg
    image = QImage(png)
    assert not image.isNull() and image.width() >= 1200
    assert Path(svg).read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert history.timeline is not None
    layout = TimelineLayout(history.timeline, theme_named("light"), 1000)
    bar = history.timeline.bars[1]
    assert layout.bar_at(layout.bar_rect(bar).center()) is bar
    tooltip = bar_tooltip(bar, history.timeline, theme_named("light"))
    assert "check" in tooltip and "True" in tooltip


def test_the_timeline_fills_its_panel_as_the_panel_is_resized(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    window.open_files([write(checker(), tmp_path)])
    click_dock_tab(qtbot, window, "Timeline")
    run_checker(qtbot, window, script, 5)
    history = window.run_history
    scroll, view = history.timeline_scroll, history.timeline_view
    scroll.resize(1400, 300)
    assert abs(view.width() - scroll.viewport().width()) <= 4
    scroll.resize(900, 300)
    assert abs(view.width() - scroll.viewport().width()) <= 4
    scroll.resize(300, 300)
    assert view.width() == 600, "a narrow panel scrolls the chart sideways"


def test_save_run_as_test_then_run_it_from_the_tests_panel(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    [tab] = window.open_files([write(checker(), tmp_path)])
    run_checker(qtbot, window, script, 5)
    history = window.run_history
    assert window.actions_by_name["actionSaveRunAsTest"].isEnabled()
    run_tests = window.actions_by_name["actionRunTests"]
    assert not run_tests.isEnabled(), "no recorded test to run yet"
    (tmp_path / "tests").mkdir()
    file = history.save_run_as_test(str(tmp_path / "tests" / "big"))
    assert file == tmp_path / "tests" / "big.flowtest.json"
    assert run_tests.isEnabled()
    test = load_test(file)
    assert test.workflow_file == "../Checker.json" and test.input == {"n": 5}
    assert test.expect.output == {"size": "big", "n": 5} and [s.activity_id for s in test.expect.path] == [
        "keep",
        "check",
        "big",
    ]
    panel = history.tests_panel
    assert [row.name for row in panel.rows] == ["big"]
    qtbot.mouseClick(panel.run_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.rows[0].result is not None and not panel.running, timeout=20_000)
    assert panel.rows[0].result.passed, panel.rows[0].result.report()
    click_row(qtbot, panel.table, 0)
    assert panel.show_button.isEnabled() and not panel.loosen_button.isEnabled(), "nothing to loosen"
    assert run_tests.isEnabled() and panel.run_all_button.isEnabled()

    document = json.loads(file.read_text(encoding="utf-8"))
    document["expect"]["path"][1]["outcomes"] = ["False"]
    document["expect"]["path"][2] = {
        "workflow": "Checker",
        "activityId": "small",
        "outcomes": [],
        "faulted": True,
    }
    document["expect"]["output"]["size"] = "huge"
    file.write_text(json.dumps(document), encoding="utf-8")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.running and panel.rows[0].result is not None, timeout=20_000)
    result = panel.rows[0].result
    assert result is not None and not result.passed
    assert "path: step 2" in panel.report.toPlainText()
    assert panel.loosen_button.isEnabled()
    assert history.show_comparison(result)
    trace = window.run.controller.overlay_of(tab).trace
    assert trace is not None
    assert trace.activities["big"].status is RunStatus.ACTUAL
    assert trace.activities["small"].status is RunStatus.EXPECTED
    assert trace.activities["check"].status is RunStatus.DONE
    assert (
        trace.taken_kind[("check", "true")] == "actual" and trace.taken_kind[("check", "false")] == "expected"
    )
    wires = {(w.connection.source_activity_id, w.outcome.lower()): w for w in tab.scene.wires.values()}
    assert wires[("check", "true")].run_kind == "actual" and wires[("check", "false")].run_kind == "expected"


def test_loosen_writes_the_path_and_the_test_passes_again(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    window.open_files([write(checker(), tmp_path)])
    run_checker(qtbot, window, script, 5)
    history = window.run_history
    file = history.save_run_as_test(str(tmp_path / "big.flowtest.json"))
    assert file is not None
    document = json.loads(file.read_text(encoding="utf-8"))
    document["expect"]["output"]["size"] = "other"
    file.write_text(json.dumps(document), encoding="utf-8")
    asked: list[tuple[str, str]] = []
    history.dialogs = HistoryDialogs(
        loosen=lambda name, suggested: asked.append((name, suggested)) or ("ignore", suggested),
        inform=lambda title, message: None,
    )
    panel = history.tests_panel
    panel.run_all()
    qtbot.waitUntil(lambda: not panel.running and panel.rows[0].result is not None, timeout=20_000)
    result = panel.rows[0].result
    assert result is not None and not result.passed
    assert history.loosen(result)
    assert asked == [("big", "$.size")]
    qtbot.waitUntil(
        lambda: not panel.running and panel.rows[0].result is not None and panel.rows[0].result.passed,
        timeout=20_000,
    )
    assert load_test(file).expect.ignore == ["$.size"]


def other() -> WorkflowDefinition:
    return (
        WorkflowBuilder("Other")
        .add("done", "Finish", ActivityOutput=("JavaScript", "({other: true})"))
        .build()
    )


def informed(window: MainWindow) -> list[str]:
    """What the feature tells the person, instead of a modal message box."""
    said: list[str] = []
    window.run_history.dialogs = HistoryDialogs(
        loosen=lambda name, suggested: None, inform=lambda title, message: said.append(message)
    )
    return said


def save_from_the_history_panel(qtbot, window: MainWindow, script: Script, file: Path) -> None:
    """Select the designer's last run in Run History and click Save as Test… (the dialog answers ``file``)."""
    click_dock_tab(qtbot, window, "Run History")
    panel = window.run_history.panel
    click_row(qtbot, panel.table, 0)
    assert panel.save_test_button.isEnabled()
    script.export_answer = str(file)
    qtbot.mouseClick(panel.save_test_button, Qt.MouseButton.LeftButton)


def test_save_run_as_test_writes_the_workflow_that_ran_not_the_one_in_front(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    """Before: run Checker, close it, open Other, save: a test of Other.json named after Checker, whose
    expectations the replay of Other then overwrote (so it passed)."""
    said = informed(window)
    window.open_files([write(checker(), tmp_path)])
    run_checker(qtbot, window, script, 5)
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar.tabButton(0, QTabBar.ButtonPosition.RightSide), Qt.MouseButton.LeftButton)
    assert window.editor_tabs() == []
    window.open_files([write(other(), tmp_path)])
    file = tmp_path / "checker-big.flowtest.json"
    save_from_the_history_panel(qtbot, window, script, file)
    assert script.errors == [] and said == [], "the replay of Checker.json does what the run did"
    test = load_test(file)
    assert (test.workflow_file, test.workflow_name) == ("Checker.json", "Checker")
    assert test.expect.output == {"size": "big", "n": 5}
    assert [s.activity_id for s in test.expect.path] == ["keep", "check", "big"]


def test_save_run_as_test_refuses_a_file_changed_since_the_run(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    said = informed(window)
    path = write(checker(), tmp_path)
    window.open_files([path])
    run_checker(qtbot, window, script, 5)
    write(other(), tmp_path, "Checker.json")
    script.export_answer = str(tmp_path / "t.flowtest.json")
    window.actions_by_name["actionSaveRunAsTest"].trigger()
    assert script.errors == [
        (
            "Cannot save the run as a test",
            "Checker.json is not what ran (unsaved edits, or changed since): save and run again.",
        )
    ]
    assert not (tmp_path / "t.flowtest.json").exists() and said == []


def test_save_run_as_test_refuses_a_run_of_unsaved_edits_until_saved_and_run_again(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    [tab] = window.open_files([write(checker(), tmp_path)])
    tab.editor.add_note(QPointF(200, 520), "an unsaved edit")
    assert tab.document.is_modified
    run_checker(qtbot, window, script, 5)
    file = tmp_path / "t.flowtest.json"
    save_from_the_history_panel(qtbot, window, script, file)
    assert [title for title, _ in script.errors] == ["Cannot save the run as a test"]
    assert "save and run again" in script.errors[0][1] and "\n" not in script.errors[0][1]
    assert not file.exists()
    assert window.save()
    run_checker(qtbot, window, script, 5)
    save_from_the_history_panel(qtbot, window, script, file)
    assert len(script.errors) == 1 and load_test(file).workflow_name == "Checker"


def test_the_timeline_is_built_only_while_its_panel_shows(
    qtbot, window: MainWindow, script: Script, tmp_path, monkeypatch
) -> None:
    """Before: every run's end built its timeline on the GUI thread, shown or not (2.9 s for a long loop)."""
    built: list[str] = []

    def counting(events, title="", status=""):
        built.append(status)
        return build_timeline(events, title, status)

    monkeypatch.setattr(history_feature, "build_timeline", counting)
    window.open_files([write(checker(), tmp_path)])
    click_dock_tab(qtbot, window, "Run History")
    history = window.run_history
    run_checker(qtbot, window, script, 5)
    run_checker(qtbot, window, script, 0)
    assert built == [] and history.timeline is None
    assert [row.status for row in history.panel.rows] == ["Faulted", "Finished"], "listed as it shows"
    click_dock_tab(qtbot, window, "Timeline")
    assert built == ["Faulted"], "showing builds the latest run's timeline, once"
    title = history.timeline_title.text()
    assert title.startswith("Checker, run ") and "Faulted · " in title and "3 activity executions" in title
    view = history.timeline_view
    assert view.layout_ is not None and not view.layout_.header, "the label says it: the chart does not"
    picture = TimelineLayout(view.layout_.timeline, theme_named("light"))
    assert view.layout_.top < picture.top - 40
    run_checker(qtbot, window, script, 5)
    assert built == ["Faulted", "Finished"], "a run's end builds it while the panel shows"


def test_the_run_history_lists_runs_of_other_processes_when_it_shows(
    qtbot, window: MainWindow, tmp_path, monkeypatch
) -> None:
    path = write(checker(), tmp_path)
    click_dock_tab(qtbot, window, "Timeline")

    def run_elsewhere(value: int) -> None:
        command = [sys.executable, "-m", "runtime.cli", "run", str(path), "--input", json.dumps({"n": value})]
        done = subprocess.run([*command, "--store", str(window.store_path)], capture_output=True, text=True)
        assert done.returncode in (0, 1), done.stderr

    run_elsewhere(5)
    click_dock_tab(qtbot, window, "Run History")
    panel = window.run_history.panel
    assert [(row.workflow, row.source, row.status) for row in panel.rows] == [("Checker", "run", "Finished")]
    assert panel.count_label.text() == "1 run"
    run_elsewhere(0)
    run_elsewhere(7)
    click_dock_tab(qtbot, window, "Timeline")
    monkeypatch.setattr(history_panel, "LIMIT", 2)
    click_dock_tab(qtbot, window, "Run History")
    assert [row.status for row in panel.rows] == ["Finished", "Faulted"]
    assert panel.count_label.text() == "2 runs (the newest 2)"
    table = panel.table
    last = table.columnCount() - 1
    assert table.horizontalHeaderItem(last).text() == "Outcomes or fault"
    assert table.horizontalHeader().stretchLastSection() and table.columnWidth(last) > 300
    assert table.item(1, last).text().endswith("too small") and len(table.item(1, last - 1).text()) == 8


def test_every_panel_has_a_title_of_its_own(window: MainWindow) -> None:
    titles = [dock.windowTitle() for dock in window.findChildren(QDockWidget)]
    assert "Run History" in titles and len(titles) == len(set(titles)), titles


def test_run_colours_follow_the_dark_theme(qtbot, window: MainWindow, script: Script, tmp_path) -> None:
    window.actions_by_name["actionThemeDark"].trigger()
    dark = window.theme
    assert dark.is_dark
    window.open_files([write(checker(), tmp_path)])
    run_checker(qtbot, window, script, 5)
    history = window.run_history
    file = history.save_run_as_test(str(tmp_path / "big.flowtest.json"))
    assert file is not None
    panel = history.tests_panel
    qtbot.mouseClick(panel.run_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.running and panel.rows[0].result is not None, timeout=20_000)
    assert panel.table.item(0, 1).foreground().color() == run_color(dark, "done")
    run_checker(qtbot, window, script, 0)
    click_dock_tab(qtbot, window, "Timeline")
    assert history.timeline is not None
    faulted = next(bar for bar in history.timeline.bars if bar.error)
    assert run_color(dark, "faulted").name() in bar_tooltip(faulted, history.timeline, dark)
    assert "#d93b3b" not in bar_tooltip(faulted, history.timeline, dark)


def test_a_test_file_that_cannot_be_read_is_listed_with_why(qtbot, window: MainWindow, tmp_path) -> None:
    """Hidden, it would look like a test that no longer exists; flowdesk test reports it too."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "broken.flowtest.json").write_text("{not json", encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "elsewhere.flowtest.json").write_text("{not json", encoding="utf-8")
    window.open_files([write(checker(), tmp_path)])
    panel = window.run_history.tests_panel
    assert [(row.name, row.result is not None and row.result.outcome) for row in panel.rows] == [
        ("broken", "error")
    ]
    assert "not valid JSON" in panel.table.item(0, 3).text()
    assert panel.table.item(0, 1).text() == "error"
