"""WoW data activities through the engine, on a real SQLite store file."""

from __future__ import annotations

from pathlib import Path

import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import InstanceStatus, RuntimeServices, WorkflowRunner
from runtime.store.store import ObjectStore


@pytest.fixture
def store(tmp_path: Path):
    with ObjectStore(tmp_path / "store.sqlite3") as opened:
        opened.import_seed(
            {
                "types": [
                    {"name": "Settings", "fields": ["Key", "Data1", "Data2"]},
                    {"name": "Counter", "fields": [{"name": "Value", "type": "number"}]},
                ],
                "instances": {
                    "Settings": [
                        {"Key": "APIBaseURL", "Data1": "http://x", "Data2": ""},
                        {"Key": "AccessToken", "Data1": "old", "Data2": ""},
                    ]
                },
            }
        )
        yield opened


def _run(store: ObjectStore, builder: WorkflowBuilder, outcomes: tuple[str, ...] = ()):
    for outcome in outcomes:
        builder.add(f"on {outcome}", "SetVariable", VariableName="taken", Value=outcome)
    workflow = builder.build()
    first = workflow.activities[0].activity_id
    for outcome in outcomes:
        builder.connect(first, f"on {outcome}", outcome)
    services = RuntimeServices()
    services.use_store(store)
    return WorkflowRunner(services).run_sync(workflow)


def test_list_filters_with_odata_and_outputs_records(store: ObjectStore) -> None:
    builder = WorkflowBuilder("List").add(
        "list", "ObjectInstanceList", name="settings", ObjectType="Settings", Filter="Key eq 'AccessToken'"
    )
    instance = _run(store, builder)
    records = instance.outputs_by_name["settings"]["Output"]
    assert [r["Data1"] for r in records] == ["old"]
    assert set(records[0]) >= {"ObjectId", "Title", "Key", "Data1", "Data2"}


def test_list_of_an_unknown_type_takes_object_type_not_found(store: ObjectStore) -> None:
    builder = WorkflowBuilder("List").add("list", "ObjectInstanceList", ObjectType="Nope")
    assert (
        _run(store, builder, ("Object type not found", "Done")).variables["taken"] == "Object type not found"
    )


def test_a_bad_filter_faults_naming_the_activity_and_filter(store: ObjectStore) -> None:
    builder = WorkflowBuilder("List").add(
        "list", "ObjectInstanceList", display_name="Find", ObjectType="Settings", Filter="Key eq"
    )
    instance = _run(store, builder)
    assert instance.status is InstanceStatus.FAULTED
    assert '"Find", property Filter' in str(instance.fault)


def test_get_takes_success_and_stores_the_record_in_the_variable(store: ObjectStore) -> None:
    object_id = store.list_instances("Settings", filter="Key eq 'APIBaseURL'")[0]["ObjectId"]
    builder = WorkflowBuilder("Get").add(
        "get", "ObjectInstanceGet", InstanceId=str(object_id), VariableName="Base"
    )
    instance = _run(store, builder, ("Success", "Object instance not found"))
    assert instance.variables["taken"] == "Success"
    assert instance.variables["Base"]["Data1"] == "http://x"


def test_get_of_a_missing_instance_takes_object_instance_not_found(store: ObjectStore) -> None:
    builder = WorkflowBuilder("Get").add("get", "ObjectInstanceGet", InstanceId="9999", VariableName="X")
    assert (
        _run(store, builder, ("Success", "Object instance not found")).variables["taken"]
        == "Object instance not found"
    )


def test_update_writes_values_from_javascript_and_liquid_instance_id(store: ObjectStore) -> None:
    token = store.list_instances("Settings", filter="Key eq 'AccessToken'")[0]
    builder = (
        WorkflowBuilder("Update")
        .add(
            "update",
            "ObjectInstanceUpdate",
            InstanceId=("Liquid", "{{ Variables.Token.ObjectId }}"),
            Values=("JavaScript", 'return {Data1: "new", Data2: "2030-01-01T00:00:00.000Z"}'),
            VariableName="Token",
        )
        .variables(Token=token)
    )
    instance = _run(store, builder, ("Done", "Object instance not found"))
    assert instance.variables["taken"] == "Done"
    stored = store.get_instance(token["ObjectId"])
    assert (stored["Data1"], stored["Data2"], stored["Key"]) == (
        "new",
        "2030-01-01T00:00:00.000Z",
        "AccessToken",
    )
    assert instance.variables["Token"]["Data1"] == "new"


def test_update_with_an_id_that_is_not_a_number_faults_clearly(store: ObjectStore) -> None:
    builder = WorkflowBuilder("Update").add(
        "update", "ObjectInstanceUpdate", display_name="Save", InstanceId="abc", Values=("Json", "{}")
    )
    instance = _run(store, builder)
    assert '"Save", property InstanceId' in str(instance.fault) and "'abc'" in str(instance.fault)


def test_create_then_delete(store: ObjectStore) -> None:
    builder = (
        WorkflowBuilder("Create")
        .add(
            "create",
            "ObjectInstanceCreate",
            name="made",
            ObjectType="Counter",
            Values=("Json", '{"Title": "first", "Value": 3}'),
            VariableName="Made",
        )
        .add(
            "delete", "DeleteObjectInstance", ObjectInstanceId=("JavaScript", "activities.made.InstanceId()")
        )
        .chain("create", "delete")
    )
    instance = _run(store, builder)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    made = instance.variables["Made"]
    assert (made["Title"], made["Value"]) == ("first", 3)
    assert store.get_instance(made["ObjectId"]) is None


def test_deleting_a_missing_instance_takes_object_instance_not_found(store: ObjectStore) -> None:
    builder = WorkflowBuilder("Delete").add("delete", "DeleteObjectInstance", ObjectInstanceId="4242")
    outcomes = ("Done", "Object instance not found")
    assert _run(store, builder, outcomes).variables["taken"] == "Object instance not found"
