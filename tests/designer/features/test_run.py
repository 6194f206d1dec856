"""Running and debugging from the window: input, log, journal, variables, overlay, breakpoints, pins."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence

from designer.canvas.run_trace import RunStatus
from designer.main_window import MainWindow
from designer.panels.log_model import LogKind
from designer.run.dialogs import PinAnswer
from runtime.builder import WorkflowBuilder
from runtime.design_data import DesignData, custom_attributes_with, read_design_data
from runtime.elsa_json import load_workflow
from runtime.engine import InstanceStatus, RuntimeServices, WorkflowLibrary, WorkflowRunner
from runtime.model import WorkflowDefinition
from tests.designer.features.conftest import Script, wait_idle, wait_paused, write


def greeter(sample: object = None) -> WorkflowDefinition:
    workflow = (
        WorkflowBuilder("Greeter")
        .add("greet", "SetVariable", VariableName="greeting", Value=("JavaScript", '"hello " + input.name'))
        .add("mark", "Correlate", Value=("JavaScript", "getVariable('greeting')"))
        .add("check", "If", Condition=("JavaScript", 'getVariable("greeting") == "hello bob"'))
        .add("bob", "Finish", ActivityOutput=("JavaScript", '"it is bob"'))
        .add("other", "Finish", ActivityOutput=("JavaScript", "getVariable('greeting')"))
        .chain("greet", "mark", "check")
        .connect("check", "bob", "True")
        .connect("check", "other", "False")
        .build()
    )
    if sample is not None:
        data = DesignData(sample_input=sample, has_sample_input=True)
        workflow.custom_attributes = custom_attributes_with(workflow, data)
    return workflow


def open_greeter(window: MainWindow, tmp_path: Path, sample: object = None):
    [tab] = window.open_files([write(greeter(sample), tmp_path)])
    return tab


def log_texts(window: MainWindow) -> list[str]:
    model = window.run.controller.log_panel.model
    model.flush()
    return [entry.text(False) for entry in model.entries]


def test_run_input_is_prefilled_with_the_sample_then_with_the_last_input(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    open_greeter(window, tmp_path, sample={"name": "ann"})
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    assert json.loads(script.prefills[-1][1]) == {"name": "ann"}
    assert window.run.session.root.output == "hello ann"
    script.input_answer = '{"name": "bob"}'
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    assert window.run.session.root.output == "it is bob"
    script.input_answer = None
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    assert script.prefills[-1][1] == '{"name": "bob"}', "the last input is remembered for the workflow"
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert any(key.startswith("runInputs/") for key in settings.allKeys())


def test_invalid_or_cancelled_input_does_not_run(qtbot, window: MainWindow, script: Script, tmp_path) -> None:
    open_greeter(window, tmp_path)
    script.input_answer = '{"name": '
    window.actions_by_name["actionRun"].trigger()
    assert not window.run.session.is_active and window.run.session.root is None
    [(title, message)] = script.errors
    assert title == "Cannot run" and "Greeter.json" in message and "line 1" in message
    script.cancel_input = True
    window.actions_by_name["actionDebug"].trigger()
    assert window.run.session.root is None


def test_log_journal_and_variables_follow_a_run(qtbot, window: MainWindow, script: Script, tmp_path) -> None:
    tab = open_greeter(window, tmp_path)
    script.input_answer = '{"name": "ann"}'
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    texts = log_texts(window)
    assert "hello ann" in texts, "the correlation entry"
    kinds = {entry.kind for entry in window.run.controller.log_panel.model.entries}
    assert {LogKind.CORRELATE, LogKind.ACTIVITY, LogKind.INSTANCE, LogKind.VARIABLE} <= kinds
    journal = window.run.controller.journal_panel
    assert [row.record.activity_id for row in journal.model.rows] == ["greet", "mark", "check", "other"]
    journal.select_row(2)
    assert tab.scene.selected_activity_ids() == ["check"]
    assert "outcomes: False" in journal.details.toPlainText()
    variables = window.run.controller.variables_panel
    variables.rebuild()
    item = variables.variable_item("greeting")
    assert item is not None and item.text(1) == '"hello ann"'
    overlay = window.run.controller.overlay_of(tab)
    assert overlay.state_of("other").trace.status is RunStatus.DONE
    assert overlay.state_of("bob") is None
    assert window.run.status_label.text().startswith("Greeter finished")


def test_clicking_a_log_entry_of_a_sub_workflow_opens_it_and_selects_the_activity(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    child = (
        WorkflowBuilder("Child", definition_id="child-id")
        .add("say", "Correlate", Value="from the child")
        .add("end", "Finish", ActivityOutput=("JavaScript", '"child done"'))
        .chain("say", "end")
        .build()
    )
    parent = (
        WorkflowBuilder("Parent")
        .add("call", "RunWorkflow", WorkflowDefinitionId="Child", Mode="Blocking")
        .add("end", "Finish", ActivityOutput=("JavaScript", "input.WorkflowOutput"))
        .chain("call", "end")
        .build()
    )
    write(child, tmp_path)
    [parent_tab] = window.open_files([write(parent, tmp_path)])
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    assert window.run.session.root.output == "child done"
    panel = window.run.controller.log_panel
    row = next(i for i, e in enumerate(panel.model.shown) if e.kind == LogKind.CORRELATE)
    panel.table.clicked.emit(panel.model.index(row, 0))
    tab = window.current_tab()
    assert tab is not parent_tab and tab.document.workflow.name == "Child"
    assert tab.scene.selected_activity_ids() == ["say"]
    assert window.run.controller.overlay_of(tab).state_of("say").trace.status is RunStatus.DONE


def test_breakpoints_are_not_edits_and_are_kept_for_the_file_outside_it(
    qtbot, window: MainWindow, tmp_path
) -> None:
    tab = open_greeter(window, tmp_path)
    path = tab.document.path
    before = path.read_bytes()
    tab.scene.select_activities({"check"})
    assert window.actions_by_name["actionToggleBreakpoint"].shortcut() == QKeySequence("F9")
    window.actions_by_name["actionToggleBreakpoint"].trigger()
    overlay = window.run.controller.overlay_of(tab)
    assert overlay.state_of("check").breakpoint
    assert tab.document.breakpoints == {"check"}
    assert tab.document.undo_stack.count() == 0, "no undo step"
    assert not tab.document.is_modified and not window.isWindowModified(), "no unsaved mark"
    assert window.save()
    assert path.read_bytes() == before, "never written into the workflow file"
    assert window.close_tab(window.tabs.currentIndex())
    [again] = window.open_files([path])
    assert again.document.breakpoints == {"check"}, "kept for the file, in the settings"
    assert window.run.controller.overlay_of(again).state_of("check").breakpoint
    again.scene.select_activities({"check"})
    window.actions_by_name["actionToggleBreakpoint"].trigger()
    assert again.document.breakpoints == set()
    assert window.run.controller.breakpoint_book.load(path) == set()


def test_an_older_file_with_breakpoints_in_it_keeps_them_until_it_is_saved(
    qtbot, window: MainWindow, tmp_path
) -> None:
    workflow = greeter(sample={"name": "ann"})
    workflow.custom_attributes.data["flowdesk"]["breakpoints"] = ["check"]
    path = write(workflow, tmp_path)
    [tab] = window.open_files([path])
    assert tab.document.breakpoints == {"check"}, "taken over"
    assert not tab.document.is_modified
    assert window.run.controller.breakpoint_book.load(path) == {"check"}
    assert "breakpoints" in path.read_text(encoding="utf-8"), "the file is left alone until saved"
    assert window.save()
    saved = load_workflow(path)
    assert "breakpoints" not in saved.custom_attributes.data["flowdesk"]
    assert saved.custom_attributes.data["flowdesk"]["sampleInput"] == {"name": "ann"}, "test data stays"
    assert window.close_tab(window.tabs.currentIndex())
    [again] = window.open_files([path])
    assert again.document.breakpoints == {"check"}, "not lost"


def test_debug_pauses_at_a_breakpoint_of_a_workflow_file_not_open(
    qtbot, window: MainWindow, tmp_path
) -> None:
    """Breakpoints kept for a file of the library count even when that file is not open."""
    child_path = write(
        WorkflowBuilder("Child").add("say", "Correlate", Value="child").build(), tmp_path, "child.json"
    )
    window.run.controller.breakpoint_book.save(child_path, {"say"})
    parent = (
        WorkflowBuilder("Parent")
        .add("call", "RunWorkflow", WorkflowDefinitionId="Child", Mode="Blocking")
        .build()
    )
    [tab] = window.open_files([write(parent, tmp_path, "parent.json")])
    window.actions_by_name["actionDebug"].trigger()
    wait_paused(qtbot, window, "say")
    window.actions_by_name["actionContinue"].trigger()
    wait_idle(qtbot, window)


def test_while_paused_a_variable_edited_in_the_panel_changes_the_run(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    tab = open_greeter(window, tmp_path, sample={"name": "ann"})
    tab.scene.select_activities({"check"})
    window.actions_by_name["actionToggleBreakpoint"].trigger()
    window.actions_by_name["actionDebug"].trigger()
    wait_paused(qtbot, window, "check")
    panel = window.run.controller.variables_panel
    assert "Paused before check" in panel.status.text()
    assert not panel.edit_variable("greeting", "hello bob"), "not JSON: refused with a message"
    assert "not JSON" in panel.status.text()
    item = panel.variable_item("greeting")
    item.setText(1, '"hello bob"')  # what the editor does when the user commits
    window.actions_by_name["actionContinue"].trigger()
    wait_idle(qtbot, window)
    assert window.run.session.root.output == "it is bob"
    assert any(m == 'greeting = "hello bob"' for m in log_texts(window))


def test_step_from_idle_starts_debugging_before_the_first_activity(
    qtbot, window: MainWindow, tmp_path
) -> None:
    tab = open_greeter(window, tmp_path, sample={"name": "ann"})
    window.actions_by_name["actionStep"].trigger()
    wait_paused(qtbot, window, "greet")
    assert window.run.controller.overlay_of(tab).paused_at == "greet"
    window.actions_by_name["actionStop"].trigger()
    wait_idle(qtbot, window)
    assert window.run.session.root.status is InstanceStatus.CANCELLED
    assert window.run.controller.overlay_of(tab).paused_at is None
    assert window.run.status_label.text() == "Greeter stopped"


def test_pinned_outputs_replace_activities_that_cannot_run_locally(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    workflow = (
        WorkflowBuilder("Cloudy")
        .add("cloud", "AzureBlobUpload", Container="x")
        .add("ok", "Finish", ActivityOutput=("JavaScript", "input.url"))
        .add("bad", "Finish", ActivityOutput=("JavaScript", '"failed"'))
        .connect("cloud", "ok", "Uploaded")
        .connect("cloud", "bad", "Failed")
        .build()
    )
    [tab] = window.open_files([write(workflow, tmp_path)])
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    assert window.run.session.root.status is InstanceStatus.FAULTED
    overlay = window.run.controller.overlay_of(tab)
    state = overlay.state_of("cloud")
    assert state.trace.status is RunStatus.FAULTED
    assert "not supported locally" in state.trace.error and not state.trace.error.startswith("workflow")
    assert state.has_note

    tab.scene.select_activities({"cloud"})
    script.pin_answer = PinAnswer({"url": "https://blob/1"}, ("Uploaded",))
    window.actions_by_name["actionPinOutput"].trigger()
    [asked] = script.pin_requests
    assert {"Uploaded", "Failed"} <= set(asked.outcomes)
    assert read_design_data(tab.document.workflow).pinned["cloud"].outcomes == ("Uploaded",)
    assert overlay.state_of("cloud").pinned
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    assert window.run.session.root.output == "https://blob/1"
    row = window.run.controller.journal_panel.model.rows[0]
    assert row.record.data.get("pinned") is True

    # Pinning again starts from the last run's output and outcomes.
    script.pin_answer = None
    window.actions_by_name["actionPinOutput"].trigger()
    assert json.loads(script.pin_requests[-1].output_text) == {"url": "https://blob/1"}
    assert list(script.pin_requests[-1].chosen) == ["Uploaded"]
    window.actions_by_name["actionUnpinOutput"].trigger()
    assert read_design_data(tab.document.workflow).pinned == {}
    assert not overlay.state_of("cloud").pinned


def test_a_loop_shows_visit_counts_and_taken_connections(qtbot, window: MainWindow, tmp_path) -> None:
    workflow = (
        WorkflowBuilder("Loop")
        .add("init", "SetVariable", VariableName="i", Value=("JavaScript", "0"))
        .add("loop", "While", Condition=("JavaScript", 'getVariable("i") < 3'))
        .add("inc", "SetVariable", VariableName="i", Value=("JavaScript", 'getVariable("i") + 1'))
        .add("end", "Finish", ActivityOutput=("JavaScript", 'getVariable("i")'))
        .chain("init", "loop")
        .connect("loop", "inc", "Iterate")
        .connect("loop", "end", "Done")
        .build()
    )
    [tab] = window.open_files([write(workflow, tmp_path)])
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    overlay = window.run.controller.overlay_of(tab)
    assert overlay.state_of("inc").trace.visits == 3
    assert overlay.state_of("loop").trace.visits == 4
    taken = {w.outcome: w.run_taken for w in tab.scene.wires.values() if w.source.activity_id == "loop"}
    assert taken == {"Iterate": 3, "Done": 1}
    window.actions_by_name["actionClearRun"].trigger()
    assert overlay.state_of("inc") is None
    assert all(w.run_taken == 0 for w in tab.scene.wires.values())


def test_instances_of_an_outside_runner_show_through_the_public_observer(
    qtbot, window: MainWindow, tmp_path
) -> None:
    tab = open_greeter(window, tmp_path)
    runner = WorkflowRunner(RuntimeServices(WorkflowLibrary()), [window.run.events.observe])
    instance = runner.run_sync(greeter(), {"name": "bob"})
    assert instance.output == "it is bob"
    qtbot.waitUntil(lambda: "hello bob" in log_texts(window))
    overlay = window.run.controller.overlay_of(tab)
    qtbot.waitUntil(lambda: overlay.state_of("bob") is not None)
    assert overlay.state_of("bob").trace.status is RunStatus.DONE
    assert not window.run.session.is_active


def test_the_store_is_selectable_and_used_by_runs(
    qtbot, window: MainWindow, script: Script, tmp_path
) -> None:
    chosen = tmp_path / "other" / "chosen.sqlite3"
    script.store_answer = str(chosen)
    window.actions_by_name["actionChooseStore"].trigger()
    assert window.store_path == chosen.resolve()
    workflow = (
        WorkflowBuilder("Types")
        .add("list", "ObjectInstanceList", ObjectType="Settings")
        .add("end", "Finish", ActivityOutput=("JavaScript", "input"))
        .connect("list", "end", "Object type not found")
        .build()
    )
    window.open_files([write(workflow, tmp_path)])
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    assert window.run.session.root.status is InstanceStatus.FINISHED
    assert chosen.exists(), "the run opened the chosen store"


def test_run_commands_are_enabled_by_the_session_state(qtbot, window: MainWindow, tmp_path) -> None:
    actions = window.actions_by_name
    assert not actions["actionRun"].isEnabled(), "nothing to run without a workflow"
    open_greeter(window, tmp_path, sample={"name": "ann"})
    assert actions["actionRun"].isEnabled() and actions["actionDebug"].isEnabled()
    assert not actions["actionContinue"].isEnabled() and not actions["actionStop"].isEnabled()
    assert actions["actionRun"].shortcut() == QKeySequence("F5")
    assert actions["actionStop"].shortcut() == QKeySequence("Shift+F5")
    assert actions["actionStep"].shortcut() == QKeySequence("F10")
    assert actions["actionContinue"].shortcut() == QKeySequence("F8")
    window.actions_by_name["actionStep"].trigger()
    wait_paused(qtbot, window, "greet")
    assert actions["actionContinue"].isEnabled() and actions["actionStop"].isEnabled()
    assert not actions["actionDebug"].isEnabled()
    window.actions_by_name["actionContinue"].trigger()
    wait_idle(qtbot, window)
    assert not actions["actionStop"].isEnabled() and not actions["actionContinue"].isEnabled()
    assert window.run.session.pause_point is None


def test_an_output_is_pinned_from_the_journal(qtbot, window: MainWindow, script: Script, tmp_path) -> None:
    workflow = (
        WorkflowBuilder("Scripted")
        .add("js", "RunJavaScript", Script="return {n: 1}")
        .add("end", "Finish", ActivityOutput=("JavaScript", "input.n"))
        .chain("js", "end")
        .build()
    )
    [tab] = window.open_files([write(workflow, tmp_path)])
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    journal = window.run.controller.journal_panel
    journal.select_row(0)
    script.pin_answer = PinAnswer({"n": 7}, ("Done",))
    journal.pin_button.click()
    [request] = script.pin_requests
    assert json.loads(request.output_text) == {"n": 1} and list(request.chosen) == ["Done"]
    assert read_design_data(tab.document.workflow).pinned["js"].output == {"n": 7}
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    assert window.run.session.root.output == 7


def test_open_workflows_win_over_their_files_in_the_library(qtbot, window: MainWindow, tmp_path) -> None:
    from designer.editing.commands import SetPropertyCommand

    child = (
        WorkflowBuilder("Helper")
        .add("end", "Finish", ActivityOutput=("JavaScript", '"from the file"'))
        .build()
    )
    parent = (
        WorkflowBuilder("Caller")
        .add("call", "RunWorkflow", WorkflowDefinitionId="Helper", Mode="Blocking")
        .add("end", "Finish", ActivityOutput=("JavaScript", "input.WorkflowOutput"))
        .chain("call", "end")
        .build()
    )
    [child_tab, parent_tab] = window.open_files([write(child, tmp_path), write(parent, tmp_path)])
    child_tab.document.undo_stack.push(
        SetPropertyCommand(
            child_tab.document.workflow,
            "end",
            "ActivityOutput",
            "JavaScript",
            {"JavaScript": '"from the open tab"'},
        )
    )
    window.tabs.setCurrentWidget(parent_tab)
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    assert window.run.session.root.output == "from the open tab"


def test_the_bottom_panels_are_tabs_of_one_group(qtbot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QTabBar

    def dock_bars() -> list[list[str]]:
        return [
            [bar.tabText(i) for i in range(bar.count())]
            for bar in window.findChildren(QTabBar)
            if bar.parentWidget() is window and bar.isVisible()
        ]

    qtbot.waitUntil(
        lambda: not any(tabs[:2] == ["Problems", "Log"] and len(tabs) == 2 for tabs in dock_bars())
    )
    bottom = [tabs for tabs in dock_bars() if "Problems" in tabs]
    assert len(bottom) == 1 and {"Log", "Journal", "Variables"} <= set(bottom[0])
