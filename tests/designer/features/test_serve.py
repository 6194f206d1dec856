"""The Serve toggle over a real window: open documents hosted on loopback, runs listed, clean stops."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import httpx
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

from designer.editing.commands import SetPropertyCommand
from designer.serve.runs_model import COLUMNS
from runtime.builder import WorkflowBuilder
from tests.designer.features.conftest import endpoint_workflow, port_is_free, save


def _serve(window) -> str:
    window.actions_by_name["actionServe"].setChecked(True)
    controller = window.serve.controller
    assert controller.is_serving, window.dialogs
    return controller.url


def _stop(qtbot, window) -> None:
    controller = window.serve.controller
    with qtbot.waitSignal(controller.stopped, timeout=20000):
        window.actions_by_name["actionServe"].setChecked(False)


def test_objects_are_named_for_automation(window):
    assert window.findChild(QDockWidget, "runsList") is not None
    assert window.findChild(QDockWidget, "storeBrowser") is not None
    serve = window.findChild(QAction, "actionServe")
    assert serve is window.actions_by_name["actionServe"] and serve.isCheckable()
    button = window.toolbar.widgetForAction(serve)
    assert button is not None and button.accessibleName() == "Serve"
    menu_actions = [
        a for menu in window.menuBar().findChildren(type(window.recent_menu)) for a in menu.actions()
    ]
    assert serve in menu_actions


def test_serves_the_open_document_with_its_unsaved_edits(qtbot, window, controller, tmp_path: Path):
    path = save(endpoint_workflow("Hello", "/hello", "saved"), tmp_path / "flows" / "hello.json")
    (tab,) = window.open_files([path])
    tab.document.undo_stack.push(
        SetPropertyCommand(
            tab.document.workflow,
            "respond",
            "Content",
            "JavaScript",
            {"JavaScript": "return {reply: 'unsaved edit', body: activities.request.Output().Body}"},
        )
    )
    assert tab.document.is_modified
    url = _serve(window)
    assert url == f"http://127.0.0.1:{controller.port}"

    response = httpx.post(f"{url}/hello", json={"n": 1})
    assert response.status_code == 200
    assert response.json() == {"reply": "unsaved edit", "body": {"n": 1}}

    model = window.serve.runs_panel.model
    qtbot.waitUntil(lambda: bool(model.runs) and model.runs[0].status == 200, timeout=5000)
    run = model.runs[0]
    assert (run.method, run.path, run.workflow, run.state) == ("POST", "/hello", "Hello", "finished")
    assert run.instance_id and run.milliseconds is not None
    row = [model.index(0, column).data() for column in range(len(COLUMNS))]
    assert row[COLUMNS.index("Status")] == "200"
    assert row[COLUMNS.index("Instance")] == run.instance_id[:8]
    window.serve.runs_panel.select_row(0)
    log = window.serve.runs_panel.log_view.toPlainText()
    assert "started Hello" in log and "finished" in log and "POST /hello → 200" in log
    assert "Serving 1 endpoint on" in window.serve.runs_panel.status_label.text()

    _stop(qtbot, window)
    assert not controller.is_serving
    assert not window.actions_by_name["actionServe"].isChecked()
    assert port_is_free(controller.port)
    assert "Serve is off" in window.serve.runs_panel.status_label.text()


def test_serves_the_other_workflows_of_the_folder_and_skips_what_is_not_one(qtbot, window, tmp_path):
    folder = tmp_path / "flows"
    opened = save(endpoint_workflow("Opened", "/opened", "open"), folder / "opened.json")
    save(endpoint_workflow("Sibling", "/sibling", "from the folder"), folder / "sibling.json")
    (folder / "store.json").write_text('{"types": [], "instances": {}}', encoding="utf-8")
    window.open_files([opened])
    url = _serve(window)
    assert httpx.get(f"{url}/sibling").json()["reply"] == "from the folder"
    assert httpx.get(f"{url}/opened").json()["reply"] == "open"
    skipped = window.serve.controller.plan.skipped
    assert len(skipped) == 1 and "store.json" in skipped[0]
    assert "store.json" in window.serve.runs_panel.status_label.toolTip()
    _stop(qtbot, window)


def test_a_request_that_starts_no_instance_is_listed_with_its_status(qtbot, window, tmp_path):
    window.open_files([save(endpoint_workflow("Hello", "/hello", "hi"), tmp_path / "hello.json")])
    url = _serve(window)
    assert httpx.get(f"{url}/nowhere").status_code == 404
    model = window.serve.runs_panel.model
    qtbot.waitUntil(lambda: bool(model.runs), timeout=5000)
    run = model.runs[0]
    assert (run.path, run.status, run.instance_id, run.state) == ("/nowhere", 404, None, "answered")
    assert model.index(0, COLUMNS.index("Workflow")).data() == "—"
    _stop(qtbot, window)


def test_busy_port_is_reported_in_one_line_and_the_toggle_stays_off(window, controller, script, tmp_path):
    window.open_files([save(endpoint_workflow("Hello", "/hello", "hi"), tmp_path / "hello.json")])
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        controller.set_port(port)
        window.actions_by_name["actionServe"].setChecked(True)
    assert not controller.is_serving
    assert not window.actions_by_name["actionServe"].isChecked()
    ((title, message),) = script.errors
    assert title == "Cannot serve"
    assert message == f"cannot listen on 127.0.0.1:{port} (Address already in use)"


def test_two_workflows_on_one_route_is_a_one_line_error(window, controller, script, tmp_path):
    first = save(endpoint_workflow("First", "/same", "1"), tmp_path / "a" / "first.json")
    second = save(endpoint_workflow("Second", "/same", "2"), tmp_path / "b" / "second.json")
    window.open_files([first, second])
    window.actions_by_name["actionServe"].setChecked(True)
    assert not controller.is_serving
    assert not window.actions_by_name["actionServe"].isChecked()
    ((title, message),) = script.errors
    assert "\n" not in message
    assert "/same is served by two workflows" in message
    assert "First" in message and "Second" in message


def test_nothing_to_serve_is_reported(window, controller, script, tmp_path):
    plain = WorkflowBuilder("Plain").add("w", "WriteLine", Text="hi").build()
    window.open_files([save(plain, tmp_path / "plain.json")])
    window.actions_by_name["actionServe"].setChecked(True)
    assert not controller.is_serving
    assert "nothing to serve" in script.errors[0][1]


def test_stopping_answers_the_request_in_flight(qtbot, window, controller, tmp_path):
    slow = (
        WorkflowBuilder("Slow")
        .add("http", "HttpEndpoint", Path="/slow", Methods=("Json", '["GET"]'))
        .add("wait", "Timer", Timeout=("JavaScript", "1"))
        .add("f", "Finish", ActivityOutput="done slowly")
        .chain("http", "wait", "f")
        .build()
    )
    window.open_files([save(slow, tmp_path / "slow.json")])
    url = _serve(window)
    answers: list[httpx.Response] = []
    client = threading.Thread(target=lambda: answers.append(httpx.get(f"{url}/slow", timeout=30)))
    client.start()
    model = window.serve.runs_panel.model
    qtbot.waitUntil(lambda: bool(model.runs), timeout=5000)
    assert model.index(0, COLUMNS.index("Status")).data() == "running…"
    _stop(qtbot, window)
    client.join(30)
    assert answers and (answers[0].status_code, answers[0].text) == (200, "done slowly")
    assert port_is_free(controller.port)


def test_serving_again_after_a_stop_uses_the_same_port(qtbot, window, controller, tmp_path):
    window.open_files([save(endpoint_workflow("Hello", "/hello", "hi"), tmp_path / "hello.json")])
    first = _serve(window)
    _stop(qtbot, window)
    second = _serve(window)
    assert first == second
    assert httpx.get(f"{second}/hello").json()["reply"] == "hi"
    _stop(qtbot, window)


def test_closing_the_window_stops_the_host(qtbot, window, controller, tmp_path):
    window.open_files([save(endpoint_workflow("Hello", "/hello", "hi"), tmp_path / "hello.json")])
    _serve(window)
    port = controller.port
    window.close()
    assert not controller.is_serving
    assert port_is_free(port)


def test_port_setting_is_asked_through_dialogs(window, controller):
    controller.dialogs.ask_port = lambda current: 6123 if current != 6123 else None
    window.actions_by_name["actionServePort"].trigger()
    assert controller.port == 6123
    assert int(window.settings.value("serve/port")) == 6123


def test_served_instances_reach_the_windows_run_panels(qtbot, window, tmp_path):
    """The window's run observer (correlation log, overlay) also sees the instances Serve starts."""
    kinds: list[str] = []
    window.run.events.delivered.connect(
        lambda batch: kinds.extend(
            item.event.kind.value for item in batch if getattr(item, "event", None) is not None
        )
    )
    window.open_files([save(endpoint_workflow("Hello", "/hello", "hi"), tmp_path / "hello.json")])
    url = _serve(window)
    assert httpx.get(f"{url}/hello").status_code == 200
    qtbot.waitUntil(lambda: "instance_finished" in kinds, timeout=5000)
    assert kinds[0] == "instance_started"
    _stop(qtbot, window)


def test_send_request_dialog_shows_the_response(qtbot, window, controller, tmp_path):
    window.open_files([save(endpoint_workflow("Hello", "/hello", "hi"), tmp_path / "hello.json")])
    _serve(window)
    dialog = controller.open_send_dialog()
    assert dialog.base_url == controller.url
    assert dialog.path.currentText() == "/hello"
    dialog.method.setCurrentText("POST")
    dialog.headers.setPlainText("X-Trace: 42\n\n")
    dialog.body.setPlainText('{"name": "Ada"}')
    with qtbot.waitSignal(dialog.responseReceived, timeout=10000) as received:
        assert dialog.send()
    result = received.args[0]
    assert result.status == 200
    assert json.loads(result.body) == {"reply": "hi", "body": {"name": "Ada"}}
    assert dialog.status.text().startswith("200 OK")
    assert json.loads(dialog.response_body.toPlainText())["body"] == {"name": "Ada"}
    assert "content-type: application/json" in dialog.response_headers.toPlainText()
    model = window.serve.runs_panel.model
    qtbot.waitUntil(lambda: any(r.status == 200 and r.method == "POST" for r in model.runs), timeout=5000)

    dialog.headers.setPlainText("not a header")
    assert not dialog.send()
    assert dialog.input_error.text() == 'headers, line 1: expected "Name: value", got "not a header"'
    dialog.close()
    _stop(qtbot, window)


def test_send_request_without_serve_needs_a_full_url(window, controller):
    dialog = controller.open_send_dialog()
    dialog.path.setEditText("/hello")
    assert not dialog.send()
    assert dialog.input_error.text() == "Serve is off: turn it on, or give a full http:// URL"
    dialog.close()


def test_served_instances_fill_the_journal_and_the_variables_as_a_run_does(qtbot, window, tmp_path):
    workflow = (
        WorkflowBuilder("Journalled", definition_id="journalled-1")
        .variables(seen="no")
        .add(
            "http",
            "HttpEndpoint",
            name="request",
            Path="/journal",
            Methods=("Json", '["POST"]'),
            ReadContent="true",
        )
        .add("note", "SetVariable", VariableName="seen", Value="yes")
        .add("respond", "WriteHttpResponse", StatusCode="OK", ContentType="text/plain", Content="done")
        .chain("http", "note", "respond")
        .build()
    )
    window.open_files([save(workflow, tmp_path / "journal.json")])
    url = _serve(window)
    assert httpx.post(f"{url}/journal", json={"n": 1}).text == "done"
    runs = window.serve.runs_panel.model
    qtbot.waitUntil(lambda: bool(runs.runs) and runs.runs[0].state == "finished", timeout=5000)
    instance_id = runs.runs[0].instance_id
    journal = window.run.controller.journal_panel.model
    qtbot.waitUntil(lambda: len(journal.rows) == 3, timeout=5000)
    rows = journal.rows
    assert [row.record.activity_id for row in rows] == ["http", "note", "respond"]
    assert {(row.instance_id, row.workflow, row.definition_id) for row in rows} == {
        (instance_id, "Journalled", "journalled-1")
    }
    assert rows[0].record.output["Body"] == {"n": 1}
    assert rows[1].record.inputs == {"VariableName": "seen", "Value": "yes"}
    assert window.run.controller.variables_panel.values[instance_id].variables == {"seen": "yes"}
    assert window.run.events.followed.get(instance_id) is None, "an ended instance is no longer followed"
    _stop(qtbot, window)
