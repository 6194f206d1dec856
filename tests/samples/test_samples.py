"""The project's samples: valid, laid out left to right, and the seed's story runs end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from runtime.cli import main
from runtime.elsa_json import load_workflow
from runtime.engine import EventKind, InstanceStatus
from runtime.validation import validate
from tests.samples.conftest import SAMPLES, DemoEnvironment

WORKFLOWS = sorted(p for p in SAMPLES.glob("*.json") if p.name != "store.json")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_sample_is_valid_with_no_warning(path) -> None:
    assert validate(load_workflow(path)) == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_samples_read_left_to_right(path) -> None:
    workflow = load_workflow(path)
    positions = {a.activity_id: a.x for a in workflow.activities}
    for connection in workflow.connections:
        assert positions[connection.target_activity_id] > positions[connection.source_activity_id]


def test_call_my_api_starts_by_reading_its_parameters() -> None:
    workflow = load_workflow(SAMPLES / "call-my-api.json")
    first = workflow.activities[0]
    assert first.type == "RunJavaScript"
    script = first.get_property("Script").expressions["Literal"]
    for name in ('"api"', '"Method"', '"Content"', "let parameters = input"):
        assert name in script


def test_store_seed_has_the_settings_type_and_its_three_keys() -> None:
    seed = json.loads((SAMPLES / "store.json").read_text())
    assert seed["types"] == [{"name": "Settings", "fields": ["Key", "Data1", "Data2"]}]
    assert [i["Key"] for i in seed["instances"]["Settings"]] == [
        "APIBaseURL",
        "AccessToken",
        "AccessTokenCreds",
    ]


def _run_call_my_api(demo: DemoEnvironment, body: dict | None = None):
    workflow = load_workflow(SAMPLES / "call-my-api.json")
    return demo.runner().run_sync(workflow, body or {"api": "/api/orders", "method2": "GET"})


def test_expired_token_is_refreshed_by_the_sub_workflow_then_the_api_is_called(demo: DemoEnvironment) -> None:
    instance = _run_call_my_api(demo)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.finish_outcomes == ("success",)
    assert instance.output["orders"][0]["item"] == "coffee"
    assert demo.auth_calls() == 1
    token = demo.setting("AccessToken")
    assert token["Data1"] == "demo-token-5f0c9a7e41b2"
    assert datetime.fromisoformat(token["Data2"].replace("Z", "+00:00")) > datetime.now(UTC)
    correlations = [e.message for e in demo.events if e.kind is EventKind.CORRELATED]
    assert correlations == [
        "starting to get access token",
        "new access token saved",
        "finished GET /api/orders",
    ]
    workflows = {e.workflow_name for e in demo.events}
    assert workflows == {"CallMyAPI", "GetChangingAccessTokenAuthentication"}


def test_a_valid_token_is_reused_without_calling_the_auth_server(demo: DemoEnvironment) -> None:
    _run_call_my_api(demo)
    again = _run_call_my_api(demo, {"api": "/api/orders", "method2": "POST", "content2": {"item": "scone"}})
    assert again.status is InstanceStatus.FINISHED
    assert again.output["method"] == "POST" and again.output["received"] == {"item": "scone"}
    assert demo.auth_calls() == 1


def test_wrong_credentials_end_in_the_error_outcome(demo: DemoEnvironment) -> None:
    demo.set_setting("AccessTokenCreds", Data2="wrong")
    instance = _run_call_my_api(demo)
    assert instance.finish_outcomes == ("error",)
    assert "401" in instance.output


def test_the_api_rejects_a_call_without_the_token(demo: DemoEnvironment) -> None:
    assert httpx.get(f"{demo.host.url}/api/orders").status_code == 401


def test_concurrent_calls_of_the_singleton_token_refresher_make_one_auth_call(demo: DemoEnvironment) -> None:
    import threading

    statuses: list[int] = []
    threads = [
        threading.Thread(
            target=lambda: statuses.append(
                httpx.get(f"{demo.host.url}/getAccessToken", timeout=30).status_code
            )
        )
        for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [200] * 5
    assert demo.auth_calls() == 1


def test_flowdesk_demo_exits_0_and_prints_both_runs(capsys) -> None:
    assert main(["demo"]) == 0
    captured = capsys.readouterr()
    assert "run 1: Finished, outcomes ['success'], 1 call(s) to POST /auth" in captured.out
    assert "run 2: Finished, outcomes ['success'], 0 call(s) to POST /auth" in captured.out
    assert "demo: OK" in captured.out
    assert "CORRELATE" in captured.err and "new access token saved" in captured.err
