"""The window as a newcomer meets it: keys every platform knows, the Help menu, expressions checked as they
are typed, panels that read at first sight, and runs followed in the tab they belong to."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from designer.main_window import MainWindow
from designer.panels.code_editor import CodeEditor
from designer.run.session import SessionState
from designer.shell import MenuName
from runtime import __version__
from runtime.builder import WorkflowBuilder
from runtime.model import Activity, WorkflowDefinition
from runtime.validation import EXPRESSION_SYNTAX
from tests.designer.builders import chain
from tests.designer.features.conftest import Script, wait_idle, wait_paused, write
from tests.designer.features.test_run import greeter

CTRL = Qt.KeyboardModifier.ControlModifier


def focus_canvas(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    view = window.current_view()
    assert view is not None
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)


def test_ctrl_equals_zooms_in_and_ctrl_y_redoes(qtbot, window: MainWindow, tmp_path: Path) -> None:
    assert QKeySequence("Ctrl+=") in window.actions_by_name["actionZoomIn"].shortcuts()
    assert QKeySequence("Ctrl+Y") in window.actions_by_name["actionRedo"].shortcuts()
    [tab] = window.open_files([write(chain(2), tmp_path)])
    focus_canvas(qtbot, window)
    view = tab.view
    before = view.zoom
    QTest.keyClick(view, Qt.Key.Key_Equal, CTRL)
    assert view.zoom > before
    tab.scene.select_activities({"a0"})
    tab.editor.nudge(20, 0)
    window.actions_by_name["actionUndo"].trigger()
    assert tab.document.workflow.activity("a0").x == 0
    QTest.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert tab.document.workflow.activity("a0").x == 20


def test_f1_opens_a_searchable_list_generated_from_the_actions(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = window.shortcuts_dialog
    assert dialog is not None and dialog.isVisible() and dialog.objectName() == "shortcutsDialog"
    rows = {row.command: row for row in window.shortcut_rows()}
    assert "Ctrl+=" in rows["Zoom In"].keys and "Ctrl+Y" in rows["Redo"].keys
    assert rows["Run"].keys == "F5" and rows["Run"].section == "Run", "features' actions are listed"
    assert rows["Keyboard Shortcuts"].section == "Help"
    assert any("Double-click on empty canvas" in row.keys for row in rows.values())
    qtbot.keyClicks(dialog.search, "redo")
    assert dialog.visible_commands() == ["Redo"]
    dialog.search.setText("F9")
    assert dialog.visible_commands() == ["Toggle Breakpoint"]
    dialog.close()


def test_help_menu_and_about_with_the_versions(qtbot, window: MainWindow) -> None:
    names = [action.objectName() for action in window.menus[MenuName.HELP].actions()]
    assert {"actionShortcuts", "actionAbout", "actionTokenStory"} <= set(names)
    window.actions_by_name["actionAbout"].trigger()
    about = window.about_dialog
    assert about is not None and about.isVisible() and about.objectName() == "aboutDialog"
    text = about.findChild(QLabel, "aboutVersions").text()
    assert __version__ in text and qVersion() in text and platform.python_version() in text
    assert sys.implementation.name in text
    about.close()


def test_window_modified_follows_the_tab_in_front(qtbot, window: MainWindow, tmp_path: Path) -> None:
    [first] = window.open_files([write(chain(2), tmp_path, "first.json")])
    [second] = window.open_files([write(chain(3), tmp_path, "second.json")])
    second.scene.select_activities({"a0"})
    second.editor.nudge(20, 0)
    assert window.isWindowModified()
    window.show_tab(first)
    assert not window.isWindowModified()
    second.document.undo_stack.undo()  # an edit elsewhere does not change the window's mark
    second.document.undo_stack.redo()
    assert not window.isWindowModified()
    window.actions_by_name["actionToggleBreakpoint"].trigger()  # nothing selected: nothing happens
    first.scene.select_activities({"a1"})
    window.actions_by_name["actionToggleBreakpoint"].trigger()
    assert first.document.breakpoints == {"a1"} and not window.isWindowModified(), "a breakpoint is no edit"
    window.show_tab(second)
    assert window.isWindowModified()
    assert window.save()
    assert not window.isWindowModified()
    second.document.undo_stack.undo()
    assert window.isWindowModified()
    assert window.close_tab(window.tabs.indexOf(first))
    assert window.isWindowModified(), "closing another tab keeps the mark of the one in front"
    second.document.undo_stack.setClean()
    assert not window.isWindowModified()


def test_problem_rows_tell_apart_activities_with_the_same_label(window: MainWindow, tmp_path: Path) -> None:
    workflow = WorkflowDefinition(
        name="Twins",
        activities=[
            Activity(activity_id="start", type="WriteLine", name="start"),
            Activity(activity_id="0f3a9c1e-1111", type="If"),
            Activity(activity_id="7b2d4e5f-2222", type="If", name="checkToken", display_name="If/Else"),
            Activity(activity_id="9c8d7e6f-3333", type="If", display_name="If/Else"),
        ],
        connections=[],
    )
    window.open_files([write(workflow, tmp_path)])
    tree = window.problems.tree
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    rows = [(item.text(1), item.text(2)) for item in items if item is not None]
    labels = [label for label, message in rows if "never runs" in message]
    assert len(labels) == 3 and len(set(labels)) == 3, rows
    assert "If/Else (checkToken)" in labels and "If/Else (#9c8d7e6f)" in labels


def test_a_fault_is_said_once_in_the_status_bar(qtbot, window: MainWindow, tmp_path: Path) -> None:
    reason = "the upstream service refused the request " * 6
    workflow = WorkflowBuilder("Faulty").add("boom", "Fault", Message=reason.strip()).build()
    window.open_files([write(workflow, tmp_path)])
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    status, said = window.run.status_label, window.run.status_text
    assert said.startswith("Faulty faulted") and "upstream service" in said
    assert status.toolTip() == window.run.status_text
    assert status.text().endswith("…") and status.width() <= status.maximumWidth()
    assert "upstream" not in window.statusBar().currentMessage(), "not also as a passing message"


def test_the_variables_panel_follows_the_workflow_in_front(qtbot, window: MainWindow, tmp_path: Path) -> None:
    child = WorkflowBuilder("Child").add("set", "SetVariable", VariableName="inner", Value="child").build()
    parent = (
        WorkflowBuilder("Parent")
        .add("set", "SetVariable", VariableName="outer", Value="parent")
        .add("call", "RunWorkflow", WorkflowDefinitionId="Child", Mode="Blocking")
        .chain("set", "call")
        .build()
    )
    write(child, tmp_path, "child.json")
    [tab] = window.open_files([write(parent, tmp_path, "parent.json")])
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    panel = window.run.controller.variables_panel
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() > 0)
    assert panel.values[panel.current].workflow == "Parent", "not the sub-workflow that started last"
    assert panel.values[panel.current].variables == {"outer": "parent"}
    [child_tab] = window.open_files([tmp_path / "child.json"])
    assert panel.values[panel.current].workflow == "Child", "the tab in front decides"
    window.show_tab(tab)
    assert panel.values[panel.current].workflow == "Parent"


def test_the_debugger_follows_the_tab_the_run_started_from_not_a_copy(
    qtbot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    """Two tabs of one definition (a Save-As copy): the run's marks and its pause stay in its own tab."""
    original = write(greeter(sample={"name": "ann"}), tmp_path, "greeter.json")
    copy = tmp_path / "greeter-copy.json"
    copy.write_bytes(original.read_bytes())
    [first, second] = window.open_files([original, copy])
    assert first.document.workflow.definition_id == second.document.workflow.definition_id
    window.show_tab(second)
    second.scene.select_activities({"check"})
    window.actions_by_name["actionToggleBreakpoint"].trigger()
    window.actions_by_name["actionDebug"].trigger()
    wait_paused(qtbot, window, "check")
    assert window.run.session.state is SessionState.PAUSED
    assert window.current_tab() is second
    controller = window.run.controller
    assert controller.overlay_of(second).paused_at == "check"
    assert controller.overlay_of(first).paused_at is None and controller.overlay_of(first).items == {}
    window.actions_by_name["actionContinue"].trigger()
    wait_idle(qtbot, window)
    assert controller.overlay_of(second).state_of("greet").trace is not None
    assert controller.overlay_of(first).state_of("greet") is None, "nothing painted on the other tab"


def test_a_javascript_error_is_marked_in_the_gutter_as_it_is_typed(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    [tab] = window.open_files([write(greeter(), tmp_path)])
    tab.scene.select_activities({"check"})
    editor = window.inspector.panel.property_editors["condition"].editor.widget
    assert isinstance(editor, CodeEditor) and editor.issue is None
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " ; && ((")
    qtbot.waitUntil(lambda: editor.issue is not None)
    assert (editor.issue.line, editor.issue.column) == (1, editor.toPlainText().index("&&") + 1)
    label = window.inspector.panel.findChild(QLabel, "expressionIssue_Condition")
    assert label.isVisible() and "line 1" in label.text() and "&&" in label.text()
    tab.validate()
    [problem] = [p for p in tab.problems if p.code == EXPRESSION_SYNTAX]
    assert problem.property_name == "Condition" and problem.severity == "error"
    assert window.problem_label.text().startswith("1 error")
    for _ in range(len(" ; && ((")):
        QTest.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: editor.issue is None)
    assert not label.isVisible()


def test_save_as_writes_a_file_with_the_umask_default(window: MainWindow, tmp_path: Path) -> None:
    from runtime.files import current_umask

    [tab] = window.open_files([write(chain(2), tmp_path)])
    target = tmp_path / "saved-as.json"
    window.dialogs.save_path = lambda caption, suggested: str(target)
    assert window.save_as()
    assert target.stat().st_mode & 0o777 == 0o666 & ~current_umask()
