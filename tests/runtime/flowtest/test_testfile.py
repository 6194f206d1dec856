"""Reading a test file: whatever is wrong with it (its bytes, its JSON, a part the replay uses) is one
:class:`FlowTestError` line naming the file and the place, never a crash of the replay later; and writing one
never makes folders."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from runtime.flowtest.testfile import FlowTest, FlowTestError, load_test, write_test

VALID: dict[str, Any] = {
    "flowtest": 1,
    "name": "t",
    "workflow": {"file": "flow.json"},
    "input": None,
    "clock": None,
    "store": {"types": [], "instances": {}},
    "http": [
        {
            "request": {
                "method": "POST",
                "url": "http://api.test/a",
                "headers": {"Accept": "*/*"},
                "text": "x",
            },
            "response": {"status": 201, "headers": {"Content-Type": "text/plain"}, "base64": "aGk="},
        }
    ],
    "expect": {
        "status": "Finished",
        "outcomes": ["Done"],
        "output": None,
        "path": [{"workflow": "W", "activityId": "a", "activity": "A", "outcomes": ["Done"]}],
        "checkPath": False,
    },
}


def _written(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "t.flowtest.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _with(place: str, value: Any) -> dict[str, Any]:
    """VALID with the value at a dotted place (list indexes as numbers) replaced."""
    document = copy.deepcopy(VALID)
    *parents, last = place.split(".")
    node: Any = document
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return document


def test_the_valid_document_reads(tmp_path: Path) -> None:
    test = load_test(_written(tmp_path, VALID))
    assert test.http[0]["response"]["status"] == 201
    assert test.expect.path[0].outcomes == ("Done",) and test.expect.check_path is False


@pytest.mark.parametrize(
    ("place", "value", "said"),
    [
        ("expect.path", 5, "expect.path: expected a list of executed activities"),
        ("expect.path", "abc", "expect.path: expected a list of executed activities"),
        ("expect.path.0.outcomes", 5, "expect.path[0].outcomes: expected a list of outcome names"),
        ("expect.path.0.outcomes", "Done", "expect.path[0].outcomes: expected a list of outcome names"),
        ("expect.path.0.workflow", 5, "expect.path[0].workflow: expected text"),
        ("expect.path.0.faulted", "false", "expect.path[0].faulted: expected true or false"),
        ("expect.checkPath", "false", "expect.checkPath: expected true or false"),
        ("expect.checkFaultText", 0, "expect.checkFaultText: expected true or false"),
        ("expect.fault", 5, "expect.fault: expected the fault's text"),
        ("http.0", 5, 'http[0]: expected {"request": {...}, "response": {...}}'),
        ("http.0.request.url", 5, "http[0].request.url: expected an http:// or https:// URL"),
        ("http.0.request.url", "api.test/a", "http[0].request.url: expected an http:// or https:// URL"),
        ("http.0.request.url", "http://[::1", "http[0].request.url: expected an http:// or https:// URL"),
        ("http.0.request.method", 5, "http[0].request.method: expected an HTTP method such as GET or POST"),
        ("http.0.request.headers", {"X-A": 5}, "http[0].request.headers.X-A: expected a header name"),
        ("http.0.request.text", 5, "http[0].request.text: expected text"),
        ("http.0.anyBody", "yes", "http[0].anyBody: expected true or false"),
        ("http.0.response", [], 'http[0].response: expected {"status": ..., ...}'),
        ("http.0.response.headers", ["a"], 'http[0].response.headers: expected {"Name": "value", ...}'),
        ("http.0.response.headers", {"X-A": 5}, "http[0].response.headers.X-A: expected a header name"),
        ("http.0.response.status", "abc", "http[0].response.status: expected an HTTP status 100-599"),
        ("http.0.response.status", "200", "http[0].response.status: expected an HTTP status 100-599"),
        ("http.0.response.status", -5, "http[0].response.status: expected an HTTP status 100-599"),
        ("http.0.response.status", 600, "http[0].response.status: expected an HTTP status 100-599"),
        ("http.0.response.status", True, "http[0].response.status: expected an HTTP status 100-599"),
        ("http.0.response.base64", "%%%", "http[0].response.base64: expected the body's bytes as base64"),
        ("http.0.response.base64", 5, "http[0].response.base64: expected the body's bytes as base64"),
        ("workflow.file", "a\u0000b.json", "workflow.file: a path cannot hold a NUL character"),
    ],
)
def test_a_wrong_part_is_one_line_naming_the_file_and_the_place(
    tmp_path: Path, place: str, value: Any, said: str
) -> None:
    path = _written(tmp_path, _with(place, value))
    with pytest.raises(FlowTestError) as raised:
        load_test(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {said}"), message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b'{"flowtest": 1, "name": "caf\xe9"}', "is not UTF-8 text (byte 28)"),
        (b"[" * 5000 + b"]" * 5000, "cannot be read: nested deeper than 128 levels (line 1, column 129)"),
        (
            b'{"flowtest": 1, "input": ' + b"7" * 5000 + b"}",
            "cannot be read: a number longer than 4300 digits",
        ),
        (b'{"flowtest": 1,', "not valid JSON: Expecting property name enclosed in double quotes"),
    ],
)
def test_a_file_that_is_not_readable_json_is_one_line(tmp_path: Path, content: bytes, said: str) -> None:
    path = tmp_path / "t.flowtest.json"
    path.write_bytes(content)
    with pytest.raises(FlowTestError) as raised:
        load_test(path)
    assert str(raised.value).startswith(f"{path}: {said}"), str(raised.value)


def test_writing_a_test_makes_no_folder(tmp_path: Path) -> None:
    missing = tmp_path / "tets" / "t.flowtest.json"
    with pytest.raises(FlowTestError, match="cannot write in") as raised:
        write_test(FlowTest(missing, "t", "flow.json"))
    assert str(raised.value).startswith(str(missing)) and "\n" not in str(raised.value)
    assert not missing.parent.exists()
    write_test(FlowTest(tmp_path / "t.flowtest.json", "t", "flow.json"))
    assert load_test(tmp_path / "t.flowtest.json").workflow_file == "flow.json"


# --- loosening a check, finding the tests of a workflow -----------------------------------------------------


def _written(tmp_path: Path, document: dict[str, Any], name: str = "t.flowtest.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_loosening_adds_the_path_once_and_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    from runtime.flowtest.testfile import loosen_test

    path = _written(tmp_path, {**VALID, "note": "kept"})
    assert loosen_test(path, "ignore", "$.token").expect.ignore == ["$.token"]
    assert loosen_test(path, "ignore", "$.token").expect.ignore == ["$.token"]
    assert loosen_test(path, "anyValue", "$.orders[*].id").expect.any_value == ["$.orders[*].id"]
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["note"] == "kept" and document["expect"]["checkPath"] is False


@pytest.mark.parametrize(
    ("content", "kind", "json_path", "message"),
    [
        ("[]", "ignore", "$.a", "not a Flowdesk test"),
        (json.dumps({**VALID, "expect": []}), "ignore", "$.a", "expect"),
        (json.dumps(VALID), "ignore", "$.", "expect.ignore"),
        (json.dumps(VALID), "everything", "$.a", "not a loosening"),
    ],
)
def test_a_loosening_that_cannot_be_made_is_one_line_and_writes_nothing(
    tmp_path: Path, content: str, kind: str, json_path: str, message: str
) -> None:
    from runtime.flowtest.testfile import loosen_test

    path = tmp_path / "t.flowtest.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FlowTestError, match=message) as caught:
        loosen_test(path, kind, json_path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    assert path.read_text(encoding="utf-8") == content


def test_the_tests_of_a_workflow_skip_hidden_and_dependency_folders_and_show_unreadable_files(
    tmp_path: Path,
) -> None:
    from runtime.flowtest.testfile import tests_of

    (tmp_path / "flow.json").write_text("{}", encoding="utf-8")
    for folder in ("tests", ".venv/lib", "node_modules/x", "tests/deeper"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    _written(tmp_path / "tests", {**VALID, "workflow": {"file": "../flow.json"}}, "mine.flowtest.json")
    _written(
        tmp_path / "tests/deeper", {**VALID, "workflow": {"file": "../other.json"}}, "other.flowtest.json"
    )
    _written(
        tmp_path / ".venv/lib", {**VALID, "workflow": {"file": "../../flow.json"}}, "hidden.flowtest.json"
    )
    _written(
        tmp_path / "node_modules/x", {**VALID, "workflow": {"file": "../../flow.json"}}, "dep.flowtest.json"
    )
    (tmp_path / "tests" / "broken.flowtest.json").write_text("{not json", encoding="utf-8")
    tests, problems = tests_of(tmp_path / "flow.json")
    assert [test.name for test in tests] == ["t"] and tests[0].file.name == "mine.flowtest.json"
    assert [(path.name, "not valid JSON" in str(error)) for path, error in problems] == [
        ("broken.flowtest.json", True)
    ]
