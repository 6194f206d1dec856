"""``flowdesk run --record`` and ``flowdesk test``: offline replay, exit 0 / 1 / 2, readable differences, and
JUnit XML in the common schema (testsuites > testsuite > testcase > failure | error)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from runtime.builder import WorkflowBuilder
from runtime.cli import main
from runtime.elsa_json import save_workflow
from runtime.flowtest.testfile import load_test


def _flow(tmp_path: Path) -> Path:
    finish = '({total: getVariable("in").a + getVariable("in").b, at: new Date().toISOString()})'
    workflow = (
        WorkflowBuilder("Adder")
        .add("keep", "SetVariable", VariableName="in", Value=("JavaScript", "input"))
        .add("check", "If", Condition=("JavaScript", 'getVariable("in").a > 0'))
        .add("yes", "Finish", ActivityOutput=("JavaScript", finish), OutcomeNames=("Json", '["added"]'))
        .add("no", "Fault", Message="a must be positive")
        .chain("keep", "check")
        .connect("check", "yes", "True")
        .connect("check", "no", "False")
        .build()
    )
    path = tmp_path / "flows" / "adder.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workflow(workflow, path)
    return path


def _record(tmp_path: Path, flow: Path, value: str, name: str = "adder") -> Path:
    test = tmp_path / "tests" / f"{name}.flowtest.json"
    test.parent.mkdir(exist_ok=True)
    args = ["run", str(flow), "--input", value, "--store", str(tmp_path / "s.db"), "--record", str(test)]
    main(args)
    return test


def test_a_recorded_run_replays_and_passes(tmp_path: Path, capsys) -> None:
    flow = _flow(tmp_path)
    test = _record(tmp_path, flow, '{"a": 1, "b": 2}')
    recorded = load_test(test)
    assert recorded.expect.output["total"] == 3 and recorded.expect.outcomes == ["added"]
    assert [step.activity_id for step in recorded.expect.path] == ["keep", "check", "yes"]
    capsys.readouterr()
    assert main(["test", str(test)]) == 0
    assert "PASS adder" in capsys.readouterr().out


def test_a_faulted_run_is_a_test_too(tmp_path: Path, capsys) -> None:
    test = _record(tmp_path, _flow(tmp_path), '{"a": -1, "b": 2}', "negative")
    assert load_test(test).expect.status == "Faulted"
    assert main(["test", str(test)]) == 0


def test_a_changed_branch_names_the_first_activity_that_went_otherwise(tmp_path: Path, capsys) -> None:
    flow = _flow(tmp_path)
    test = _record(tmp_path, flow, '{"a": 1, "b": 2}')
    save_workflow(
        WorkflowBuilder("Adder")
        .add("keep", "SetVariable", VariableName="in", Value=("JavaScript", "input"))
        .add("check", "If", Condition=("JavaScript", 'getVariable("in").a > 5'))
        .add("yes", "Finish", ActivityOutput=("JavaScript", "1"))
        .add("no", "Fault", Message="a must be positive")
        .chain("keep", "check")
        .connect("check", "yes", "True")
        .connect("check", "no", "False")
        .build(),
        flow,
    )
    capsys.readouterr()
    assert main(["test", str(test)]) == 1
    out = capsys.readouterr().out
    assert (
        'path: step 2 (after Adder / "keep" → Done): expected Adder / "check" → True, got Adder / "check"'
        in out
    )
    assert "status: expected Finished, got Faulted" in out


def test_unusable_input_exits_2(tmp_path: Path, capsys) -> None:
    assert main(["test", str(tmp_path / "nothing-here")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["test", str(tmp_path / "empty")]) == 2
    bad = tmp_path / "bad.flowtest.json"
    bad.write_text('{"flowtest": 1, "workflow": {"file": "missing.json"}}')
    assert main(["test", str(bad)]) == 2
    assert "missing.json" in capsys.readouterr().out
    bad.write_text("{not json")
    assert main(["test", str(bad)]) == 2
    bad.write_text('{"flowtest": 1, "workflow": "x.json", "expect": {"ignore": ["token"]}}')
    assert main(["test", str(bad)]) == 2
    assert "a JSONPath starts with $" in capsys.readouterr().out


def test_broken_files_are_one_line_each_and_the_other_tests_still_run(tmp_path: Path, capsys) -> None:
    good = _record(tmp_path, _flow(tmp_path), '{"a": 1, "b": 2}', "good")
    folder = good.parent
    recorded = json.loads(good.read_text(encoding="utf-8"))
    broken = {
        "latin1": (b'{"flowtest": 1, "name": "caf\xe9"}', "is not UTF-8 text (byte 28)"),
        "deep": (b"[" * 5000 + b"]" * 5000, "cannot be read: nested deeper than 128 levels"),
        "digits": (
            b'{"flowtest": 1, "input": ' + b"7" * 5000 + b"}",
            "cannot be read: a number longer than 4300 digits",
        ),
    }
    edits: dict[str, tuple[Any, str]] = {
        "path-number": ({"expect": {**recorded["expect"], "path": 5}}, "expect.path: expected a list"),
        "path-letters": ({"expect": {**recorded["expect"], "path": "abc"}}, "expect.path: expected a list"),
        "outcomes": (
            {"expect": {**recorded["expect"], "path": [{"activityId": "keep", "outcomes": "Done"}]}},
            "expect.path[0].outcomes: expected a list of outcome names",
        ),
        "method": (
            {"http": [{"request": {"method": 5, "url": "http://api.test/"}}]},
            "http[0].request.method: expected an HTTP method",
        ),
        "status": (
            {"http": [{"request": {"url": "http://api.test/"}, "response": {"status": "abc"}}]},
            "http[0].response.status: expected an HTTP status 100-599",
        ),
    }
    for name, (change, said) in edits.items():
        broken[name] = (json.dumps({**recorded, **change}).encode("utf-8"), said)
    for name, (content, _) in broken.items():
        (folder / f"{name}.flowtest.json").write_bytes(content)
    junit = tmp_path / "junit.xml"
    capsys.readouterr()
    assert main(["test", str(folder), "--junit-xml", str(junit)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "PASS good" in captured.out
    for name, (_, said) in broken.items():
        file = (folder / f"{name}.flowtest.json").resolve()
        assert f"ERROR {name} ({file})" in captured.out
        assert f"  {file}: {said}" in captured.out, name
    assert f"{len(broken) + 1} tests: 1 passed, 0 failed, {len(broken)} unusable" in captured.out
    root = ElementTree.parse(junit).getroot()
    assert (root.get("tests"), root.get("errors")) == (str(len(broken) + 1), str(len(broken)))


def test_the_junit_error_names_the_file_once(tmp_path: Path, capsys) -> None:
    test = _record(tmp_path, _flow(tmp_path), '{"a": 1, "b": 2}')
    capsys.readouterr()
    junit = tmp_path / "no-such-folder" / "junit.xml"
    assert main(["test", str(test), "--junit-xml", str(junit)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"flowdesk: {junit}: cannot write in") and err.count(str(junit)) == 1, err


ALLOWED = {
    "testsuites": ({"name", "tests", "failures", "errors", "skipped", "disabled", "time"}, {"testsuite"}),
    "testsuite": (
        {
            "name",
            "tests",
            "failures",
            "errors",
            "skipped",
            "disabled",
            "time",
            "timestamp",
            "hostname",
            "id",
            "package",
        },
        {"properties", "testcase", "system-out", "system-err"},
    ),
    "testcase": (
        {"name", "classname", "time", "file", "assertions", "status"},
        {"skipped", "error", "failure", "system-out", "system-err"},
    ),
    "failure": ({"message", "type"}, set()),
    "error": ({"message", "type"}, set()),
    "system-out": (set(), set()),
}
REQUIRED = {"testsuite": {"name", "tests"}, "testcase": {"name", "classname"}}


def check_junit_schema(element: ElementTree.Element) -> None:
    """The structure of the common JUnit schema (Jenkins' junit-10.xsd), as CI servers read it."""
    attributes, children = ALLOWED[element.tag]
    assert set(element.attrib) <= attributes, (element.tag, element.attrib)
    assert REQUIRED.get(element.tag, set()) <= set(element.attrib), element.tag
    for name in ("tests", "failures", "errors", "skipped"):
        if name in element.attrib:
            assert element.attrib[name].isdigit()
    if "time" in element.attrib:
        assert float(element.attrib["time"]) >= 0
    if "timestamp" in element.attrib:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", element.attrib["timestamp"])
        datetime.fromisoformat(element.attrib["timestamp"])
    if element.tag == "testcase":
        assert len([c for c in element if c.tag in ("failure", "error", "skipped")]) <= 1
    if element.tag == "testsuite":
        cases = element.findall("testcase")
        assert int(element.attrib["tests"]) == len(cases)
        assert int(element.attrib["failures"]) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(element.attrib["errors"]) == sum(1 for c in cases if c.find("error") is not None)
    for child in element:
        assert child.tag in children, (element.tag, child.tag)
        check_junit_schema(child)


def test_junit_xml_follows_the_common_schema(tmp_path: Path, capsys) -> None:
    flow = _flow(tmp_path)
    _record(tmp_path, flow, '{"a": 1, "b": 2}', "good")
    failing = _record(tmp_path, flow, '{"a": 2, "b": 2}', "failing")
    document = json.loads(failing.read_text(encoding="utf-8"))
    document["expect"]["output"]["total"] = 5
    failing.write_text(json.dumps(document), encoding="utf-8")
    (tmp_path / "tests" / "broken.flowtest.json").write_text('{"flowtest": 1}')
    junit = tmp_path / "out" / "junit.xml"
    junit.parent.mkdir()
    assert main(["test", str(tmp_path / "tests"), "--junit-xml", str(junit)]) == 2
    root = ElementTree.parse(junit).getroot()
    assert root.tag == "testsuites"
    check_junit_schema(root)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert set(cases) == {"good", "failing", "broken"}
    failure = cases["failing"].find("failure")
    assert failure is not None and failure.get("message", "").startswith(
        'output of "yes" (yes, Adder) differs'
    )
    assert "$.total: expected 5, got 4" in (failure.text or "")
    error = cases["broken"].find("error")
    assert error is not None and "workflow" in error.get("message", "")
    assert not list(cases["good"])


def test_the_clock_is_frozen_at_the_recorded_instant(tmp_path: Path, capsys) -> None:
    test = _record(tmp_path, _flow(tmp_path), '{"a": 1, "b": 2}')
    recorded = load_test(test)
    assert recorded.clock is not None
    assert recorded.expect.output["at"] == recorded.clock.isoformat(timespec="milliseconds").replace(
        "+00:00", "Z"
    )
    assert main(["test", str(test)]) == 0


@pytest.mark.parametrize("flag", [[], ["--quiet"]])
def test_the_summary_line_counts_the_tests(tmp_path: Path, capsys, flag: list[str]) -> None:
    test = _record(tmp_path, _flow(tmp_path), '{"a": 1, "b": 2}')
    capsys.readouterr()
    assert main(["test", str(test), *flag]) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].startswith("1 tests: 1 passed, 0 failed, 0 unusable")
    assert ("PASS adder" in out) == (not flag)


def test_a_failed_result_names_the_output_paths_that_differ(tmp_path: Path) -> None:
    from runtime.flowtest.runner import run_test_file

    test = _record(tmp_path, _flow(tmp_path), '{"a": 1, "b": 2}')
    document = json.loads(test.read_text(encoding="utf-8"))
    document["expect"]["output"]["total"] = 5
    test.write_text(json.dumps(document), encoding="utf-8")
    result = run_test_file(test)
    assert not result.passed and result.output_paths == ["$.total"]
    assert run_test_file(_record(tmp_path, _flow(tmp_path), '{"a": 1, "b": 2}', "ok")).output_paths == []
