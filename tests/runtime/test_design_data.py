"""Breakpoints, pinned outputs and the sample input survive a save in a form Elsa imports."""

from __future__ import annotations

from pathlib import Path

from runtime.builder import WorkflowBuilder
from runtime.design_data import DesignData, custom_attributes_with, read_design_data
from runtime.elsa_json import load_workflow, save_workflow, workflow_to_elsa
from runtime.engine import PinnedOutput


def _workflow():
    return (
        WorkflowBuilder("Debug")
        .add("a", "SetVariable", VariableName="x", Value="1")
        .add("b", "SetVariable", VariableName="y", Value="2")
        .chain("a", "b")
        .build()
    )


def test_design_data_round_trips_through_custom_attributes(tmp_path: Path) -> None:
    workflow = _workflow()
    data = DesignData({"b"}, {"a": PinnedOutput({"k": 1}, ("Done",))}, {"api": "/x"}, True)
    workflow.set_workflow_field("custom_attributes", custom_attributes_with(workflow, data))
    save_workflow(workflow, tmp_path / "w.json")
    again = read_design_data(load_workflow(tmp_path / "w.json"))
    assert again == data
    exported = workflow_to_elsa(load_workflow(tmp_path / "w.json"))
    assert exported["customAttributes"]["data"]["flowdesk"]["breakpoints"] == ["b"]


def test_empty_design_data_leaves_no_trace_and_bad_entries_are_ignored() -> None:
    workflow = _workflow()
    workflow.set_workflow_field("custom_attributes", custom_attributes_with(workflow, DesignData()))
    assert "flowdesk" not in workflow.custom_attributes.data
    workflow.custom_attributes.data["flowdesk"] = {
        "breakpoints": ["gone", 3, "a"],
        "pinned": {"a": "not a pin"},
    }
    assert read_design_data(workflow) == DesignData({"a"})
