"""The published WoW exports run unchanged against the demo auth server (issue: the seed's story headless)."""

from __future__ import annotations

import pytest

from runtime.elsa_json import load_workflow
from runtime.engine import EventKind, InstanceStatus
from tests.samples.conftest import DemoEnvironment


@pytest.fixture
def token_workflow(corpus_dir):
    return load_workflow(corpus_dir / "wow-get-changing-access-token-authentication.json")


def test_expired_token_is_refreshed_once_and_written_back(
    demo: DemoEnvironment, token_workflow, corpus_dir
) -> None:
    instance = demo.runner(corpus_dir).run_sync(token_workflow)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.finish_outcomes == ("success",)
    assert instance.output == "demo-token-5f0c9a7e41b2"
    assert demo.auth_calls() == 1
    token = demo.setting("AccessToken")
    assert token["Data1"] == "demo-token-5f0c9a7e41b2"
    assert token["Data2"].endswith("Z") and token["Data2"] > "2026"


def test_a_second_run_uses_the_existing_token(demo: DemoEnvironment, token_workflow, corpus_dir) -> None:
    runner = demo.runner(corpus_dir)
    runner.run_sync(token_workflow)
    demo.events.clear()
    again = runner.run_sync(token_workflow)
    assert again.output == "demo-token-5f0c9a7e41b2"
    assert demo.auth_calls() == 1
    assert "using existing access token" in [e.message for e in demo.events if e.kind is EventKind.CORRELATED]


def test_an_auth_server_error_finishes_with_the_status_code(
    demo: DemoEnvironment, token_workflow, corpus_dir
) -> None:
    demo.set_setting("AccessTokenCreds", Data2="not-the-password")
    instance = demo.runner(corpus_dir).run_sync(token_workflow)
    assert instance.finish_outcomes == ("error",)
    assert "Return code 401" in instance.output


def test_published_call_my_api_faults_naming_the_activity_url_and_missing_variable(
    demo: DemoEnvironment, corpus_dir
) -> None:
    workflow = load_workflow(corpus_dir / "wow-call-my-api.json")
    instance = demo.runner(corpus_dir).run_sync(workflow, {"api": "/api/orders", "method2": "GET"})
    assert instance.status is InstanceStatus.FAULTED
    message = str(instance.fault)
    assert '"Send HTTP Request - api"' in message and "property Url" in message and '"BaseURL"' in message
    assert demo.auth_calls() == 1
