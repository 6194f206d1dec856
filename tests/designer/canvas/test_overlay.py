"""The run overlay: traces of what ran, design marks (breakpoints, pins) read from the workflow."""

from __future__ import annotations

import pytest

from designer.canvas.overlay import RunOverlay, wrap_lines
from designer.canvas.run_trace import RunStatus, RunTrace, short_fault
from designer.document import Document
from designer.editing.commands import SetWorkflowFieldCommand
from designer.editor_tab import EditorTab
from designer.theme import LIGHT
from runtime.design_data import DesignData, custom_attributes_with
from runtime.engine import PinnedOutput
from runtime.model import VariableBag, WorkflowDefinition
from tests.designer.builders import activity, connection


def workflow() -> WorkflowDefinition:
    return WorkflowDefinition(
        name="Flow",
        custom_attributes=VariableBag(data={}),
        activities=[activity("a", "If", x=0, y=0), activity("b", x=300, y=0), activity("c", x=300, y=200)],
        connections=[connection("a", "b", "True"), connection("a", "c", "False")],
    )


@pytest.fixture
def tab(qtbot) -> EditorTab:
    editor = EditorTab(Document(workflow()), LIGHT)
    qtbot.addWidget(editor)
    yield editor
    editor.dispose()


def test_a_trace_counts_visits_outcomes_and_keeps_the_fault_short() -> None:
    trace = RunTrace()
    trace.executing("a")
    trace.executed("a", ["True", "Done"])
    trace.executing("a")
    trace.executed("a", ["True"])
    trace.executing("b")
    trace.faulted("b", 'workflow "Flow", activity "b", property Url: the URL is empty')
    assert trace.activities["a"].visits == 2 and trace.activities["a"].status is RunStatus.DONE
    assert trace.taken[("a", "true")] == 2 and trace.taken[("a", "done")] == 1
    assert trace.activities["b"].error == "property Url: the URL is empty"
    trace.executing("c")
    trace.end()
    assert trace.activities["c"].status is RunStatus.STOPPED
    assert short_fault("plain message") == "plain message"


def test_the_overlay_shows_a_trace_and_clears_it(tab: EditorTab) -> None:
    overlay = RunOverlay(tab.scene)
    trace = RunTrace()
    trace.executing("a")
    trace.executed("a", ["True"])
    trace.executing("b")
    overlay.show_trace(trace)
    assert overlay.state_of("a").trace.status is RunStatus.DONE
    assert overlay.state_of("b").trace.status is RunStatus.EXECUTING
    assert overlay.state_of("c") is None
    wires = {w.connection.target_activity_id: w for w in tab.scene.wires.values()}
    assert wires["b"].run_taken == 1 and wires["c"].run_taken == 0
    trace.faulted("b", "boom")
    overlay.update_trace(trace, trace.take_dirty())
    assert overlay.state_of("b").has_note
    assert tab.scene.cards["b"].zValue() > tab.scene.cards["c"].zValue(), "the fault note is not hidden"
    trace.pause("c")
    overlay.update_trace(trace, trace.take_dirty())
    assert overlay.paused_at == "c" and overlay.state_of("c").paused
    overlay.show_trace(None)
    assert overlay.items == {} and wires["b"].run_taken == 0
    overlay.detach()


def test_pins_follow_the_workflow_and_its_undo_and_breakpoints_the_document(tab: EditorTab) -> None:
    overlay = RunOverlay(tab.scene)
    model = tab.document.workflow
    data = DesignData(pinned={"c": PinnedOutput({"x": 1}, ("Done",))})
    tab.document.undo_stack.push(
        SetWorkflowFieldCommand(model, "custom_attributes", custom_attributes_with(model, data))
    )
    tab.document.set_breakpoints({"b"})
    assert overlay.state_of("b").breakpoint and not overlay.state_of("b").pinned
    assert overlay.state_of("c").pinned
    tab.document.undo_stack.undo()
    assert overlay.state_of("c") is None
    assert overlay.state_of("b").breakpoint, "breakpoints are no edit: undo leaves them"
    tab.document.set_breakpoints(set())
    assert overlay.state_of("b") is None
    tab.document.undo_stack.redo()
    overlay.detach()
    tab.document.undo_stack.undo()
    tab.document.set_breakpoints({"a"})
    assert overlay.state_of("c").pinned, "a detached overlay no longer follows the model"
    assert overlay.state_of("a") is None, "nor the document"


def test_long_fault_texts_wrap_to_three_lines_at_most(qtbot) -> None:
    lines = wrap_lines("word " * 200, 200, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert wrap_lines("short", 200, 3) == ["short"]
