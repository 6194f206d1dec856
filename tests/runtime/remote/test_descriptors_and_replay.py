"""A server's own activity types in the catalog (validation stops calling them unknown), and an instance's
execution log read back as the activities it ran."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from runtime.catalog import all_descriptors, get_descriptor, outcome_ports, remove_added_descriptors
from runtime.elsa_json import load_workflow
from runtime.remote.client import parse_descriptors
from runtime.remote.descriptors import catalog_descriptor, learn_server_activities, value_type
from runtime.remote.models import ExecutionLogRecord
from runtime.remote.replay import replay_steps
from runtime.validation import UNKNOWN_TYPE, validate
from tests.runtime.remote.fake_elsa import FakeElsa, default_descriptors


@pytest.fixture
def learned() -> Iterator[list[str]]:
    types = learn_server_activities(parse_descriptors(default_descriptors()), "wow")
    yield types
    remove_added_descriptors()


def test_descriptors_become_catalog_descriptors() -> None:
    task = next(d for d in parse_descriptors(default_descriptors()) if d.type == "TaskCreate")
    descriptor = catalog_descriptor(task, "wow")
    assert (descriptor.display_name, descriptor.category, descriptor.outcomes) == (
        "Task Create",
        "Tasks",
        ("Done",),
    )
    severity = descriptor.get_property("Severity")
    assert (
        severity is not None
        and severity.ui_hint == "dropdown"
        and severity.options == ("Low", "Normal", "High")
    )
    branches = descriptor.get_property("Branches")
    assert (
        branches is not None and branches.considers_values_as_outcomes and branches.default_syntax == "Json"
    )
    assert descriptor.get_property("Priority").value_type == "int"
    assert "Known to the server wow" in descriptor.description
    assert (
        value_type("System.Nullable`1[[System.Int32, System.Private.CoreLib]], System.Private.CoreLib")
        == "int"
    )
    signal = next(d for d in parse_descriptors(default_descriptors()) if d.type == "SignalReceived")
    assert catalog_descriptor(signal).is_trigger


def test_learned_types_are_known_to_palette_ports_and_validation(
    learned: list[str], corpus_dir: Path
) -> None:
    assert learned == ["TaskCreate", "RemoveWorkflowInstances", "SignalReceived"], "WriteLine keeps its own"
    assert get_descriptor("WriteLine").extra.get("server") is None
    assert [d.type for d in all_descriptors()][-3:] == learned, "after the catalog's own in the palette"
    task_workflow = load_workflow(corpus_dir / "wow-create-backgound-task.json")
    task = next(a for a in task_workflow.activities if a.type == "TaskCreate")
    assert not any(p.code == UNKNOWN_TYPE for p in validate(task_workflow))
    assert "Done" in outcome_ports(task, task_workflow)
    kill = load_workflow(corpus_dir / "wow-kill-workflow-instances-by-name.json")
    assert not any(p.code == UNKNOWN_TYPE for p in validate(kill))
    remove_added_descriptors()
    assert get_descriptor("TaskCreate") is None
    assert any(p.code == UNKNOWN_TYPE for p in validate(task_workflow))


def test_a_faulted_log_replays_with_the_fault_kept_and_visits_counted(corpus_dir: Path) -> None:
    fake = FakeElsa()
    stored = fake.seed_export(corpus_dir / "wow-call-my-api.json")
    first, second = (a["activityId"] for a in stored["activities"][:2])
    instance = fake.add_instance(
        stored["definitionId"],
        [(first, ["Done"]), (second, ["True"]), (first, ["Done"])],
        fault=(second, "kaboom"),
        journal={first: {"Text": "hello"}},
    )
    steps = replay_steps(ExecutionLogRecord.model_validate(r) for r in fake.logs[instance])
    assert [(s.activity_id, s.outcomes, s.error) for s in steps] == [
        (first, ("Done",), None),
        (second, ("True",), None),
        (first, ("Done",), None),
        (second, (), "kaboom"),
    ]
    assert steps[0].data == {"Text": "hello"} and steps[0].duration_ms >= 0


def test_a_suspended_activity_stays_open() -> None:
    records = [
        {
            "activityId": "a",
            "activityType": "SignalReceived",
            "eventName": "Executing",
            "timestamp": "2024-05-01T10:00:00Z",
        },
        {
            "activityId": "a",
            "activityType": "SignalReceived",
            "eventName": "Suspended",
            "timestamp": "2024-05-01T10:00:01Z",
        },
    ]
    steps = replay_steps(ExecutionLogRecord.model_validate(r) for r in records)
    assert len(steps) == 1 and steps[0].suspended and steps[0].open
