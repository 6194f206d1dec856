"""The API's quirks handled in one place: JSON-text variables, integer positions, connections without an
outcome, keys Elsa does not store; and what a pull writes is what ``flowdesk export`` writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runtime.builder import WorkflowBuilder
from runtime.elsa_json import dumps_workflow, load_workflow, workflow_to_elsa
from runtime.errors import WorkflowFormatError
from runtime.model import VariableBag
from runtime.remote.convert import content_fingerprint, save_request, workflow_from_api
from tests.conftest import corpus_files
from tests.runtime.remote.fake_elsa import FakeElsa


def without_ids(value):
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "$id"}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def without_keys(value, keys: set[str]):
    if isinstance(value, dict):
        return {k: without_keys(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [without_keys(v, keys) for v in value]
    return value


def test_variables_and_custom_attributes_as_json_text_become_bags_in_place() -> None:
    answer = {
        "definitionId": "d1",
        "versionId": "v1",
        "name": "Hello",
        "version": 2,
        "variables": '{\n  "Greeting": "Hello",\n  "Count": 3\n}',
        "customAttributes": "{}",
        "activities": [{"activityId": "a1", "type": "WriteLine", "x": 100, "y": 80, "properties": []}],
        "connections": [],
        "id": "v1",
    }
    workflow = workflow_from_api(answer, "server")
    assert workflow.variables is not None and workflow.variables.data == {"Greeting": "Hello", "Count": 3}
    assert workflow.custom_attributes is not None and workflow.custom_attributes.data == {}
    written = workflow_to_elsa(workflow)
    assert list(written)[:8] == [
        "$id",
        "definitionId",
        "versionId",
        "name",
        "version",
        "variables",
        "customAttributes",
        "activities",
    ], "the answer's key order is kept: Elsa's export order"
    assert written["variables"] == {"$id": "2", "data": {"Greeting": "Hello", "Count": 3}}


def test_an_unparsable_variables_text_is_a_format_error_naming_the_source() -> None:
    with pytest.raises(WorkflowFormatError, match="server: variables is not JSON text"):
        workflow_from_api({"variables": "{nope", "activities": []}, "server")
    with pytest.raises(WorkflowFormatError, match="not answer with a workflow definition"):
        workflow_from_api(["not", "a", "definition"], "server")


def test_the_save_request_sends_every_field_as_the_api_wants_it() -> None:
    workflow = (
        WorkflowBuilder("Hello")
        .add("a", "WriteLine", Text="Hello")
        .add("b", "WriteLine", Text="again")
        .chain("a", "b")
        .build()
    )
    workflow.variables = VariableBag(data={"Greeting": "Hi"})
    workflow.custom_attributes = VariableBag(data={"flowdesk": {"breakpoints": ["b"]}})
    workflow.activities[0].x = 10.6
    workflow.activities[0].y = -20
    workflow.connections[0].outcome = None
    request = save_request(workflow, publish=True)
    body = request.body
    assert body["workflowDefinitionId"] == workflow.definition_id
    assert json.loads(body["variables"]) == {"Greeting": "Hi"} and isinstance(body["variables"], str)
    assert json.loads(body["customAttributes"]) == {"flowdesk": {"breakpoints": ["b"]}}, "never wiped"
    assert body["publish"] is True
    assert body["activities"][0]["x"] == 11 and body["activities"][0]["y"] == -20
    assert body["connections"][0]["outcome"] == "Done"
    assert "versionId" not in body and "version" not in body, "the server manages versions"
    assert any("rounded" in note for note in request.notes)
    assert any("without an outcome sent as Done" in note for note in request.notes)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_keys_elsa_does_not_store_are_reported_not_silently_lost(path: Path) -> None:
    workflow = load_workflow(path)
    request = save_request(workflow)
    has_persist_output = any("persistOutput" in (a.model_extra or {}) for a in workflow.activities)
    assert any("persistOutput" in note for note in request.notes) == has_persist_output


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_a_pulled_definition_is_written_as_flowdesk_export_writes_the_file(path: Path) -> None:
    """The server's answer for an imported export, read back, is the export again (less what Elsa does not
    store), ``$id`` numbering and all."""
    fake = FakeElsa()
    stored = fake.seed_export(path)
    answer = json.loads(json.dumps(fake.definition_json(stored)))
    assert "$id" not in json.dumps(answer) and isinstance(answer["variables"], str)
    pulled = json.loads(dumps_workflow(workflow_from_api(answer, "server")))
    expected = without_keys(json.loads(dumps_workflow(load_workflow(path))), {"persistOutput"})
    if all("propertyStorageProviders" in a for a in expected["activities"]):
        assert pulled == expected, "the same text, $id numbering included"
    else:  # Elsa writes an empty propertyStorageProviders where the file had none
        pulled, expected = without_ids(pulled), without_ids(expected)
        if "createdAt" not in expected:
            assert pulled.pop("createdAt"), "every version on a server has its creation time"
        for activity, original in zip(pulled["activities"], expected["activities"], strict=True):
            if "propertyStorageProviders" not in original:
                assert activity.pop("propertyStorageProviders") == {}
        assert pulled == expected


def test_the_fingerprint_ignores_server_bookkeeping_and_sees_edits(corpus_dir: Path) -> None:
    workflow = load_workflow(corpus_dir / "wow-call-my-api.json")
    moved = load_workflow(corpus_dir / "wow-call-my-api.json")
    moved.version, moved.version_id, moved.is_published = 9, "other", False
    assert content_fingerprint(workflow) == content_fingerprint(moved)
    moved.move_activity(moved.activities[0].activity_id, 5, 5)
    assert content_fingerprint(workflow) != content_fingerprint(moved)
