"""Reading and writing Elsa 2 workflow JSON: lossless round trips, clear one-line errors, atomic saves."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runtime.elsa_json import dumps_workflow, load_workflow, loads_workflow, save_workflow, workflow_to_elsa
from runtime.errors import WorkflowFormatError, WorkflowSaveError
from runtime.model import Activity, ActivityProperty, Connection, VariableBag, WorkflowDefinition
from tests.conftest import PROJECT_ROOT, corpus_files


def without_ids(node: Any) -> Any:
    """The JSON with every ``$id`` key removed (what "equal as JSON ignoring $id" compares)."""
    if isinstance(node, dict):
        return {key: without_ids(value) for key, value in node.items() if key != "$id"}
    if isinstance(node, list):
        return [without_ids(value) for value in node]
    return node


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8-sig"))


# --------------------------------------------------------------------------------------------------
# the real exports


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_round_trip_is_lossless(path: Path) -> None:
    original = read_json(path)
    exported = workflow_to_elsa(load_workflow(path))
    assert without_ids(exported) == without_ids(original)
    assert exported == original, "the $id numbering differs from Newtonsoft's"


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_exports_are_rewritten_byte_for_byte(path: Path) -> None:
    """Compact exports (WoW) and indented ones (Elsa's samples, two-space Newtonsoft style) alike."""
    text = path.read_text(encoding="utf-8-sig")
    indent = 2 if "\n" in text.strip() else None
    assert dumps_workflow(load_workflow(path), indent=indent) == text


def test_finish_output_value_answers_as_activity_output(corpus_dir: Path) -> None:
    workflow = load_workflow(corpus_dir / "elsa-fire-protocol.json")
    finish = next(activity for activity in workflow.activities if activity.type == "Finish")
    assert finish.get_property("ActivityOutput").name == "OutputValue"
    assert finish.get_property("activityoutput") is finish.get_property("OutputValue")
    assert workflow_to_elsa(workflow)["activities"][5]["properties"][0]["name"] == "OutputValue"


# --------------------------------------------------------------------------------------------------
# generated workflows: dumps -> loads -> dumps is stable and equal ignoring $id

_MODEL_KEYS = {
    key
    for model in (WorkflowDefinition, Activity, ActivityProperty, Connection, VariableBag)
    for name, info in model.model_fields.items()
    for key in (name, info.alias or name)
}
_plain_key = st.text(min_size=1, max_size=10).filter(lambda key: not key.startswith("$"))
_extra_key = _plain_key.map(lambda key: f"custom{key}").filter(lambda key: key not in _MODEL_KEYS)
_json_scalar = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
_json_value = st.recursive(
    _json_scalar,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_plain_key, children, max_size=3),
    max_leaves=8,
)
_extras = st.dictionaries(_extra_key, _json_value, max_size=2)
_syntax = st.sampled_from(["Literal", "JavaScript", "Liquid", "Json", "Switch", "Secret"])


@st.composite
def _property(draw: st.DrawFn) -> dict[str, Any]:
    prop: dict[str, Any] = {"name": draw(st.text(min_size=1, max_size=12))}
    if draw(st.booleans()):
        prop["syntax"] = draw(_syntax)
    prop["expressions"] = draw(st.dictionaries(_syntax, st.text(max_size=40), max_size=3))
    prop.update(draw(_extras))
    return prop


@st.composite
def _activity(draw: st.DrawFn, activity_id: str) -> dict[str, Any]:
    activity: dict[str, Any] = {"activityId": activity_id, "type": draw(st.text(min_size=1, max_size=20))}
    for key in ("name", "displayName", "description"):
        if draw(st.booleans()):
            activity[key] = draw(st.text(max_size=30))
    if draw(st.booleans()):
        activity["x"] = draw(st.integers(min_value=-5000, max_value=5000))
        activity["y"] = draw(st.integers(min_value=-5000, max_value=5000))
    activity["persistWorkflow"] = draw(st.booleans())
    activity["properties"] = draw(st.lists(_property(), max_size=4))
    activity["propertyStorageProviders"] = draw(st.dictionaries(_plain_key, st.text(max_size=10), max_size=2))
    activity.update(draw(_extras))
    return activity


@st.composite
def _workflow(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(st.lists(st.text(min_size=1, max_size=12), min_size=0, max_size=6, unique=True))
    document: dict[str, Any] = {"definitionId": draw(st.text(max_size=20))}
    if draw(st.booleans()):
        document["name"] = draw(st.text(max_size=20))
    document["version"] = draw(st.integers(min_value=0, max_value=1000))
    document["variables"] = {"data": draw(st.dictionaries(_plain_key, _json_value, max_size=3))}
    document["customAttributes"] = {"data": {}}
    document["isPublished"] = draw(st.booleans())
    document["activities"] = [draw(_activity(activity_id)) for activity_id in ids]
    connections = []
    if ids:
        for _ in range(draw(st.integers(min_value=0, max_value=6))):
            connection: dict[str, Any] = {
                "sourceActivityId": draw(st.sampled_from(ids)),
                "targetActivityId": draw(st.sampled_from(ids)),
            }
            if draw(st.booleans()):
                connection["outcome"] = draw(st.text(max_size=15))
            connection.update(draw(_extras))
            connections.append(connection)
    document["connections"] = connections
    document.update(draw(_extras))
    return document


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_workflow())
def test_generated_workflows_round_trip(document: dict[str, Any]) -> None:
    first = dumps_workflow(loads_workflow(json.dumps(document), "generated.json"))
    second = dumps_workflow(loads_workflow(first, "generated.json"))
    assert second == first
    assert without_ids(json.loads(first)) == document


# --------------------------------------------------------------------------------------------------
# lenient reading


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"activities": [], "connections": []}).encode())
    assert load_workflow(path).activities == []


def test_ref_is_resolved() -> None:
    text = json.dumps(
        {
            "$id": "1",
            "activities": [
                {
                    "$id": "2",
                    "activityId": "a",
                    "type": "WriteLine",
                    "properties": [
                        {"$id": "3", "name": "Text", "expressions": {"$id": "4", "Literal": "hi"}}
                    ],
                },
                {"$id": "5", "activityId": "b", "type": "WriteLine", "properties": [{"$ref": "3"}]},
            ],
            "connections": [],
        }
    )
    workflow = loads_workflow(text)
    assert workflow.activities[1].get_property("Text").expression("Literal") == "hi"


def test_ref_to_nothing_is_a_clear_error() -> None:
    text = json.dumps({"activities": [{"$ref": "9"}], "connections": []})
    with pytest.raises(WorkflowFormatError, match=r"^in\.json: '\$ref': '9' refers to no object"):
        loads_workflow(text, "in.json")


def test_values_wrappers_are_unwrapped() -> None:
    text = json.dumps(
        {
            "variables": {"data": {"Ids": {"$type": "System.Int32[]", "$values": [1, 2]}}},
            "activities": {
                "$values": [{"activityId": "a", "type": "WriteLine", "properties": {"$values": []}}]
            },
            "connections": {"$values": []},
        }
    )
    workflow = loads_workflow(text)
    assert [activity.activity_id for activity in workflow.activities] == ["a"]
    assert workflow.variable_data() == {"Ids": [1, 2]}


def test_unknown_keys_are_kept_at_every_level(tmp_path: Path) -> None:
    document = {
        "tenantId": "t1",
        "futureTopLevel": {"nested": [1, {"deep": True}]},
        "variables": {"data": {"A": 1}, "bagExtra": "kept"},
        "activities": [
            {
                "activityId": "a",
                "type": "WriteLine",
                "persistOutput": False,
                "properties": [
                    {"name": "Text", "expressions": {"Literal": "x", "Fancy": "y"}, "propExtra": 3}
                ],
            },
            {"activityId": "b", "type": "Finish"},
        ],
        "connections": [
            {"sourceActivityId": "a", "targetActivityId": "b", "outcome": "Done", "vertices": [1]}
        ],
    }
    path = tmp_path / "w.json"
    save_workflow(loads_workflow(json.dumps(document)), path)
    assert without_ids(read_json(path)) == document


# --------------------------------------------------------------------------------------------------
# bad input: one line naming the file and what is wrong


def _load_error(path: Path) -> str:
    with pytest.raises(WorkflowFormatError) as error:
        load_workflow(path)
    message = str(error.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"activities": [}', "is not valid JSON"),
        ("", "is empty"),
        ("   \n", "is empty"),
        ("[1, 2]", "is a list, not a workflow definition"),
        ('"text"', "is a string, not a workflow definition"),
        ("null", "is null, not a workflow definition"),
        ('{"name": "x"}', "has no 'activities' list"),
        ('{"activities": "x"}', "activities: expected a valid list"),
        (
            '{"activities": [{"activityId": "a", "type": "T", "properties": {"Text": "x"}}]}',
            "older Elsa 1 layout (properties as an object)",
        ),
        (
            '{"activities": [{"activityId": "a", "type": "T", "workflowDefinitionId": "w"}]}',
            "older Elsa 1 layout (a workflowDefinitionId on the activity)",
        ),
        (
            '{"activities": [{"activityId": "a", "type": "T"}, {"activityId": "a", "type": "U"}]}',
            "duplicate activity id 'a' (activities[0] and activities[1])",
        ),
        (
            '{"activities": [{"activityId": "a", "type": "T"}], '
            '"connections": [{"sourceActivityId": "a", "targetActivityId": "zz"}]}',
            "connections[0] has target activity 'zz', which does not exist",
        ),
        ('{"activities": [{"type": "T"}]}', "activities[0].activityId: missing"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert expected in _load_error(path)


def test_json_errors_give_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "activities": [\n    {"activityId": "a",,}\n  ]\n}', encoding="utf-8")
    message = _load_error(path)
    assert "line 3, column" in message


def test_truncated_export_is_reported(corpus_dir: Path, tmp_path: Path) -> None:
    text = (corpus_dir / "wow-call-my-api.json").read_text(encoding="utf-8-sig")
    path = tmp_path / "truncated.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    assert "is not valid JSON" in _load_error(path)


def test_unreadable_files(tmp_path: Path) -> None:
    assert _load_error(tmp_path / "nope.json").endswith("no such file")
    assert "is a folder" in _load_error(tmp_path)
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"name": "café"}'.encode("latin-1"))
    assert "is not UTF-8 text" in _load_error(latin1)


# --------------------------------------------------------------------------------------------------
# atomic save


def _small_workflow(text: str = "hello") -> WorkflowDefinition:
    return loads_workflow(
        json.dumps(
            {
                "activities": [
                    {
                        "activityId": "a",
                        "type": "WriteLine",
                        "properties": [{"name": "Text", "expressions": {"Literal": text}}],
                    }
                ],
                "connections": [],
            }
        )
    )


def test_save_replaces_the_target_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "w.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    save_workflow(_small_workflow(), target)
    assert load_workflow(target).activities[0].get_property("Text").expression("Literal") == "hello"
    assert [p.name for p in tmp_path.iterdir()] == ["w.json"]
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_failing_serialiser_leaves_the_target_intact(tmp_path: Path) -> None:
    target = tmp_path / "w.json"
    target.write_text("old content", encoding="utf-8")
    workflow = _small_workflow()
    workflow.model_extra["notJson"] = {1, 2}
    with pytest.raises(TypeError):
        save_workflow(workflow, target)
    assert target.read_text(encoding="utf-8") == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["w.json"]


def test_a_rename_that_fails_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(WorkflowSaveError) as error:
        save_workflow(_small_workflow(), target)
    assert str(error.value).startswith(f"{target}: cannot be written")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert (target / "inside.txt").read_text(encoding="utf-8") == "keep"


def test_saving_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(WorkflowSaveError) as error:
        save_workflow(_small_workflow(), tmp_path / "missing" / "w.json")
    assert "\n" not in str(error.value) and "cannot write in" in str(error.value)


def test_a_write_that_runs_out_of_space_leaves_the_old_file(tmp_path: Path) -> None:
    """A real failing write: the file-size limit (as on a full disk) stops the new file half-way."""
    target = tmp_path / "w.json"
    save_workflow(_small_workflow(), target)
    before = target.read_bytes()
    script = textwrap.dedent(
        f"""
        import json, resource
        from runtime.elsa_json import loads_workflow, save_workflow
        from runtime.errors import WorkflowSaveError
        big = {{"activities": [{{"activityId": "a", "type": "WriteLine",
               "properties": [{{"name": "Text", "expressions": {{"Literal": "x" * 200000}}}}]}}],
               "connections": []}}
        workflow = loads_workflow(json.dumps(big))
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        try:
            save_workflow(workflow, {str(target)!r})
        except WorkflowSaveError as error:
            print(error)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(f"{target}: cannot be written")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["w.json"]


def test_lone_surrogates_survive_a_save(tmp_path: Path) -> None:
    workflow = loads_workflow('{"activities": [{"activityId": "a", "type": "T", "name": "x\\ud800"}]}')
    target = tmp_path / "w.json"
    save_workflow(workflow, target)
    assert load_workflow(target).activities[0].name == "x\ud800"
