"""Run history in the window: designer and served runs listed and opened on the canvas (path, visits, fault,
journal, log), their timeline drawn and exported, Save Run as Test, and the Tests panel (run, compare the
expected and actual paths on the canvas in two colours, loosen a check)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from PySide6.QtGui import QImage

from designer.canvas.run_trace import RunStatus
from designer.features.history import HistoryDialogs, loosen_test_file
from designer.history.timeline_chart import TimelineLayout, bar_tooltip
from designer.main_window import MainWindow
from designer.theme import theme_named
from runtime.builder import WorkflowBuilder
from runtime.flowtest.testfile import load_test
from runtime.history.recorder import HistoryRecorder, HistoryWriter
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
    assert "check" in bar_tooltip(bar, history.timeline) and "True" in bar_tooltip(bar, history.timeline)


def test_the_timeline_fills_its_panel_as_the_panel_is_resized(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    window.open_files([write(checker(), tmp_path)])
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
    file = history.save_run_as_test(str(tmp_path / "tests" / "big"))
    assert file == tmp_path / "tests" / "big.flowtest.json"
    test = load_test(file)
    assert test.workflow_file == "../Checker.json" and test.input == {"n": 5}
    assert test.expect.output == {"size": "big", "n": 5} and [s.activity_id for s in test.expect.path] == [
        "keep",
        "check",
        "big",
    ]
    panel = history.tests_panel
    assert [row.name for row in panel.rows] == ["big"]
    panel.run_all()
    qtbot.waitUntil(lambda: panel.rows[0].result is not None and not panel.running, timeout=20_000)
    assert panel.rows[0].result.passed, panel.rows[0].result.report()

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
    panel.table.selectRow(0)
    panel.run_selected()
    qtbot.waitUntil(lambda: not panel.running and panel.rows[0].result is not None, timeout=20_000)
    result = panel.rows[0].result
    assert result is not None and not result.passed
    assert "path: step 2" in panel.report.toPlainText()
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


def test_loosen_keeps_the_rest_of_the_file(tmp_path) -> None:
    file = tmp_path / "t.flowtest.json"
    file.write_text(json.dumps({"flowtest": 1, "mine": {"kept": True}, "expect": {"anyValue": ["$.a"]}}))
    loosen_test_file(file, "anyValue", "$.b")
    loosen_test_file(file, "anyValue", "$.b")
    assert json.loads(file.read_text()) == {
        "flowtest": 1,
        "mine": {"kept": True},
        "expect": {"anyValue": ["$.a", "$.b"]},
    }
