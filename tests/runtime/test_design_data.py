"""Pinned outputs and the sample input survive a save in a form Elsa imports; breakpoints are not the
file's (older files' breakpoints are still read, and dropped from what the designer writes)."""

from __future__ import annotations

from pathlib import Path

from runtime.builder import WorkflowBuilder
from runtime.design_data import (
    KEY,
    DesignData,
    custom_attributes_with,
    read_design_data,
    without_breakpoints,
)
from runtime.elsa_json import dumps_workflow, load_workflow, save_workflow, workflow_to_elsa
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
    assert again == DesignData(set(), data.pinned, data.sample_input, True)
    exported = workflow_to_elsa(load_workflow(tmp_path / "w.json"))
    assert "breakpoints" not in exported["customAttributes"]["data"][KEY], "breakpoints are not written"


def test_breakpoints_of_an_older_file_are_read_and_left_out_of_what_is_written() -> None:
    workflow = _workflow()
    data = DesignData(set(), {}, {"api": "/x"}, True)
    workflow.set_workflow_field("custom_attributes", custom_attributes_with(workflow, data))
    workflow.custom_attributes.data[KEY]["breakpoints"] = ["b"]
    assert read_design_data(workflow).breakpoints == {"b"}
    stripped = without_breakpoints(workflow)
    assert stripped.custom_attributes.data[KEY] == {"sampleInput": {"api": "/x"}}
    assert workflow.custom_attributes.data[KEY]["breakpoints"] == ["b"], "the workflow itself is unchanged"
    assert "breakpoints" not in dumps_workflow(stripped)
    assert without_breakpoints(stripped) is stripped
    only_breakpoints = _workflow()
    only_breakpoints.custom_attributes.data[KEY] = {"breakpoints": ["a"]}
    assert KEY not in without_breakpoints(only_breakpoints).custom_attributes.data


def test_empty_design_data_leaves_no_trace_and_bad_entries_are_ignored() -> None:
    workflow = _workflow()
    workflow.set_workflow_field("custom_attributes", custom_attributes_with(workflow, DesignData()))
    assert "flowdesk" not in workflow.custom_attributes.data
    workflow.custom_attributes.data["flowdesk"] = {
        "breakpoints": ["gone", 3, "a"],
        "pinned": {"a": "not a pin"},
    }
    assert read_design_data(workflow) == DesignData({"a"})


def test_notes_round_trip_and_a_note_edit_touches_only_the_notes(tmp_path: Path) -> None:
    from runtime.design_data import Note, custom_attributes_with_notes, read_notes

    workflow = _workflow()
    workflow.custom_attributes.data[KEY] = {
        "sampleInput": {"api": "/x"},
        "futureKey": [1, 2],
        "pinned": {"a": {"output": 1}},
    }
    note = Note("n1", 10, 20.5, 300, 160, "# Why\n\nBecause", "blue")
    workflow.set_workflow_field("custom_attributes", custom_attributes_with_notes(workflow, [note]))
    design = workflow.custom_attributes.data[KEY]
    assert list(design) == ["sampleInput", "futureKey", "pinned", "notes"]
    assert design["pinned"] == {"a": {"output": 1}}, "left exactly as it was (not rewritten)"
    assert design["notes"] == [
        {
            "id": "n1",
            "x": 10,
            "y": 20.5,
            "width": 300,
            "height": 160,
            "text": "# Why\n\nBecause",
            "color": "blue",
        }
    ]
    save_workflow(workflow, tmp_path / "w.json")
    assert read_notes(load_workflow(tmp_path / "w.json")) == [note]
    assert read_design_data(load_workflow(tmp_path / "w.json")).notes == [note]

    data = read_design_data(workflow)
    data.pinned["b"] = PinnedOutput(2)
    workflow.set_workflow_field("custom_attributes", custom_attributes_with(workflow, data))
    assert list(workflow.custom_attributes.data[KEY]) == ["sampleInput", "futureKey", "pinned", "notes"]
    assert read_notes(workflow) == [note], "a pin edit keeps the notes and the unknown key"

    workflow.set_workflow_field("custom_attributes", custom_attributes_with_notes(workflow, []))
    assert "notes" not in workflow.custom_attributes.data[KEY]
    bare = _workflow()
    bare.set_workflow_field("custom_attributes", custom_attributes_with_notes(bare, []))
    assert KEY not in bare.custom_attributes.data
