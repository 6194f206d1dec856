"""The token story as a regression test: recorded against the live auth server and API, replayed with the
server stopped; an edit of the workflow's output fails the test with a diff naming the activity."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from runtime.cli import main
from runtime.flowtest.testfile import load_test
from tests.samples.conftest import SAMPLES, DemoEnvironment

STORY_INPUT = '{"api": "/api/orders", "method2": "GET"}'


@pytest.fixture
def recorded(demo: DemoEnvironment, tmp_path: Path, capsys) -> Path:
    """The story recorded against the live demo server, which is then stopped."""
    flows = tmp_path / "flows"
    flows.mkdir()
    for name in ("call-my-api.json", "get-changing-access-token-authentication.json"):
        shutil.copy(SAMPLES / name, flows / name)
    test_file = tmp_path / "tests" / "token-story.flowtest.json"
    test_file.parent.mkdir()
    code = main(
        [
            "run",
            str(flows / "call-my-api.json"),
            "--input",
            STORY_INPUT,
            "--store",
            str(demo.store_path),
            "--record",
            str(test_file),
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert demo.auth_calls() == 1
    demo.host.stop()
    capsys.readouterr()
    return test_file


def test_the_recording_holds_what_the_run_reached_and_no_secret_header(recorded: Path) -> None:
    test = load_test(recorded)
    assert test.workflow_file == "../flows/call-my-api.json"
    requests = [(x["request"]["method"], x["request"]["url"]) for x in test.http]
    assert [method for method, _ in requests] == ["POST", "GET"]
    assert requests[0][1].endswith("/auth") and requests[1][1].endswith("/api/orders")
    assert all("Authorization" not in x["request"].get("headers", {}) for x in test.http)
    token = test.http[0]["response"]["json"]["authToken"]
    assert token.startswith("flowdesk-secret-"), "the token is written as a stand-in"
    text = recorded.read_text(encoding="utf-8")
    for secret in ("demo-token-5f0c9a7e41b2", "demo-password", "expired-token"):
        assert secret not in text, f"{secret} is in the test file"
    creds = next(r for r in test.store["instances"]["Settings"] if r["Key"] == "AccessTokenCreds")
    assert creds["Data2"].startswith("flowdesk-secret-")
    assert creds["Data2"] in json.dumps(test.http[0]["request"]), "the same stand-in where it was sent"
    keys = [record["Key"] for record in test.store["instances"]["Settings"]]
    assert keys == ["APIBaseURL", "AccessToken", "AccessTokenCreds"]
    assert test.expect.status == "Finished" and test.expect.outcomes == ["success"]
    assert test.expect.output["orders"][0]["item"] == "coffee"
    workflows = {step.workflow for step in test.expect.path}
    assert workflows == {"CallMyAPI", "GetChangingAccessTokenAuthentication"}
    assert test.clock is not None


def test_the_replay_passes_with_the_server_stopped(recorded: Path, tmp_path: Path, capsys) -> None:
    junit = tmp_path / "junit.xml"
    assert main(["test", str(recorded.parent), "--junit-xml", str(junit)]) == 0
    out = capsys.readouterr().out
    assert "PASS token-story" in out and "1 tests: 1 passed, 0 failed, 0 unusable" in out
    suites = ElementTree.parse(junit).getroot()
    assert suites.tag == "testsuites" and suites.get("tests") == "1" and suites.get("failures") == "0"
    (case,) = suites.iter("testcase")
    assert case.get("name") == "token-story" and not list(case)


def test_changing_the_output_fails_with_a_diff_naming_the_activity(
    recorded: Path, tmp_path: Path, capsys
) -> None:
    workflow = tmp_path / "flows" / "call-my-api.json"
    text = workflow.read_text(encoding="utf-8")
    edited = text.replace(
        '"JavaScript": "activities.httpAPI.ResponseContent()"',
        '"JavaScript": "({...activities.httpAPI.ResponseContent(), method: \\"changed\\"})"',
    )
    assert edited != text
    workflow.write_text(edited, encoding="utf-8")
    junit = tmp_path / "junit.xml"
    assert main(["test", str(recorded), "--junit-xml", str(junit)]) == 1
    out = capsys.readouterr().out
    assert "FAIL token-story" in out
    assert (
        'output of "Finish and return data" (11feb79f-68f6-583b-81ab-91f82f4c53b8, CallMyAPI) differs' in out
    )
    assert '$.method: expected "GET", got "changed"' in out
    assert "changed since the test was recorded" in out
    failure = ElementTree.parse(junit).getroot().find("testsuite/testcase/failure")
    assert failure is not None and "Finish and return data" in (failure.get("message") or "")
    assert '$.method: expected "GET"' in (failure.text or "")


def test_a_request_the_recording_does_not_hold_fails_and_is_named(recorded: Path, capsys) -> None:
    document = json.loads(recorded.read_text(encoding="utf-8"))
    document["input"]["api"] = "/api/other"
    recorded.write_text(json.dumps(document), encoding="utf-8")
    assert main(["test", str(recorded)]) == 1
    out = capsys.readouterr().out
    assert "unrecorded HTTP request: GET http://127.0.0.1:" in out and "/api/other" in out


def test_a_loosened_output_field_is_not_compared(recorded: Path, capsys) -> None:
    document = json.loads(recorded.read_text(encoding="utf-8"))
    document["expect"]["output"]["method"] = "anything"
    document["expect"]["output"]["orders"][0]["qty"] = 99
    recorded.write_text(json.dumps(document), encoding="utf-8")
    assert main(["test", str(recorded)]) == 1
    document["expect"]["ignore"] = ["$.method"]
    document["expect"]["anyValue"] = ["$.orders[*].qty"]
    recorded.write_text(json.dumps(document), encoding="utf-8")
    assert main(["test", str(recorded)]) == 0, capsys.readouterr().out
