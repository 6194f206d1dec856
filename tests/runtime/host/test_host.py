"""The HTTP host on a real loopback port: routes, bodies, responses, 401, faults, singleton, shutdown."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import EventKind, RuntimeServices, WorkflowLibrary, WorkflowRunner
from runtime.host import BackgroundHost, HostConfigError, WorkflowHost
from runtime.host.endpoints import HostedWorkflow
from runtime.model import WorkflowDefinition


def _endpoint(name: str, path: str, methods: str = '["GET"]', **extra) -> WorkflowBuilder:
    return WorkflowBuilder(name).add(
        "http", "HttpEndpoint", name="request", Path=path, Methods=("Json", methods), **extra
    )


def _host(*workflows: WorkflowDefinition, tmp_path=None) -> WorkflowHost:
    hosted = [HostedWorkflow(w, f"{w.name}.json") for w in workflows]
    services = RuntimeServices(
        library=WorkflowLibrary(workflows=list(workflows)),
        store_path=(tmp_path / "store.db") if tmp_path else None,
    )
    return WorkflowHost(hosted, WorkflowRunner(services))


@pytest.fixture
def served(request) -> Iterator[BackgroundHost]:
    host = BackgroundHost(_host(*request.param)).start()
    yield host
    host.stop()


def _orders() -> WorkflowDefinition:
    return (
        _endpoint("Orders", "/orders/{id:int}", '["GET","POST"]', ReadContent="true")
        .add(
            "respond",
            "WriteHttpResponse",
            StatusCode="Created",
            ContentType="application/json",
            ResponseHeaders=("Json", '{"X-Order": "yes"}'),
            Content=(
                "JavaScript",
                "const r = activities.request.Output(); "
                "return {id: r.RouteValues.id, method: r.Method, body: r.Body, q: r.QueryString.q}",
            ),
        )
        .chain("http", "respond")
        .build()
    )


def _finishers() -> list[WorkflowDefinition]:
    return [
        _endpoint("Json", "/finish/json")
        .add("f", "Finish", ActivityOutput=("Json", '{"a": 1}'))
        .chain("http", "f")
        .build(),
        _endpoint("Text", "/finish/text")
        .add("f", "Finish", ActivityOutput="plain")
        .chain("http", "f")
        .build(),
        _endpoint("Nothing", "/finish/none")
        .add("s", "SetVariable", VariableName="x", Value="1")
        .chain("http", "s")
        .build(),
        _endpoint("Fails", "/fails")
        .add(
            "f",
            "SetVariable",
            display_name="Break",
            VariableName="x",
            Value=("JavaScript", 'throw new Error("Bearer secret-token-998877")'),
        )
        .chain("http", "f")
        .build(),
        _endpoint("NotFound", "/nf")
        .add("r", "WriteHttpResponse", StatusCode="NotFound", Content="gone")
        .chain("http", "r")
        .build(),
        _endpoint("Numeric", "/numeric")
        .add("r", "WriteHttpResponse", StatusCode="418", Content="teapot")
        .chain("http", "r")
        .build(),
    ]


@pytest.mark.parametrize("served", [[_orders()]], indirect=True)
def test_route_values_query_string_json_body_and_written_response(served: BackgroundHost) -> None:
    response = httpx.post(f"{served.url}/Orders/42?q=find", json={"item": "tea"})
    assert response.status_code == 201
    assert response.headers["x-order"] == "yes"
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"id": "42", "method": "POST", "body": {"item": "tea"}, "q": "find"}


@pytest.mark.parametrize("served", [[_orders()]], indirect=True)
def test_unknown_path_is_404_wrong_method_is_405_with_allow(served: BackgroundHost) -> None:
    assert httpx.get(f"{served.url}/orders/abc").status_code == 404
    assert httpx.get(f"{served.url}/nowhere").status_code == 404
    response = httpx.delete(f"{served.url}/orders/1")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


@pytest.mark.parametrize("served", [_finishers()], indirect=True)
def test_responses_without_write_http_response_and_status_names(served: BackgroundHost) -> None:
    assert httpx.get(f"{served.url}/finish/json").json() == {"a": 1}
    text = httpx.get(f"{served.url}/finish/text")
    assert (text.status_code, text.text) == (200, "plain")
    assert httpx.get(f"{served.url}/finish/none").status_code == 204
    not_found = httpx.get(f"{served.url}/nf")
    assert (not_found.status_code, not_found.text) == (404, "gone")
    assert httpx.get(f"{served.url}/numeric").status_code == 418


@pytest.mark.parametrize("served", [_finishers()], indirect=True)
def test_a_fault_answers_500_with_a_short_problem_and_no_secret(served: BackgroundHost) -> None:
    response = httpx.get(f"{served.url}/fails")
    assert response.status_code == 500
    problem = response.json()
    assert problem["title"] == "Workflow faulted" and problem["activity"] == "Break"
    assert "secret-token" not in response.text and "Traceback" not in response.text


def _secured(runs: list[str]) -> WorkflowDefinition:
    workflow = (
        _endpoint(
            "Secured",
            "/secure",
            AuthorizeWithCustomHeader="true",
            CustomHeaderName="Authorization",
            CustomHeaderValue=("Liquid", "Bearer {{ Variables.access_token }}"),
        )
        .add("f", "Finish", ActivityOutput="welcome")
        .chain("http", "f")
        .variables(access_token="tok-1")
        .build()
    )
    return workflow


def test_custom_header_check_answers_401_before_any_activity_runs() -> None:
    app = _host(_secured([]))
    with BackgroundHost(app) as host:
        assert httpx.get(f"{host.url}/secure").status_code == 401
        assert httpx.get(f"{host.url}/secure", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert app.instances_started == 0
        ok = httpx.get(f"{host.url}/secure", headers={"Authorization": "Bearer tok-1"})
        assert (ok.status_code, ok.text) == (200, "welcome")
        assert app.instances_started == 1


def test_two_workflows_on_the_same_route_and_method_is_an_error_at_start() -> None:
    first = _endpoint("First", "/same").build()
    second = _endpoint("Second", "/Same/", '["POST","GET"]').build()
    with pytest.raises(HostConfigError, match=r"GET /Same/ is served by two workflows: \"First\""):
        _host(first, second)
    third = _endpoint("Third", "/items/{id}").build()
    fourth = _endpoint("Fourth", "/items/{key}").build()
    with pytest.raises(HostConfigError, match="two workflows"):
        _host(third, fourth)


def test_a_bad_path_is_an_error_at_start_naming_the_activity() -> None:
    bad = _endpoint("Bad", "/a//b").build()
    with pytest.raises(HostConfigError, match=r"Bad.json: activity \"http\": the Path '/a//b' contains '//'"):
        _host(bad)


def test_the_response_is_sent_when_written_while_the_workflow_goes_on() -> None:
    workflow = (
        _endpoint("Early", "/early")
        .add("r", "WriteHttpResponse", Content="early")
        .add("wait", "Timer", Timeout=("JavaScript", "1.5"))
        .chain("http", "r", "wait")
        .build()
    )
    app = _host(workflow)
    with BackgroundHost(app) as host:
        started = time.monotonic()
        response = httpx.get(f"{host.url}/early", timeout=10)
        answered_after = time.monotonic() - started
        assert response.text == "early"
        assert answered_after < 1.5


def test_stopping_answers_requests_in_flight() -> None:
    workflow = (
        _endpoint("Slow", "/slow")
        .add("wait", "Timer", Timeout=("JavaScript", "0.8"))
        .add("f", "Finish", ActivityOutput="finished anyway")
        .chain("http", "wait", "f")
        .build()
    )
    host = BackgroundHost(_host(workflow)).start()
    result = {}
    thread = threading.Thread(
        target=lambda: result.setdefault("r", httpx.get(f"{host.url}/slow", timeout=10))
    )
    thread.start()
    time.sleep(0.3)
    host.stop()
    thread.join(10)
    assert result["r"].status_code == 200 and result["r"].text == "finished anyway"


def test_singleton_workflows_run_one_instance_at_a_time() -> None:
    workflow = (
        _endpoint("Single", "/single")
        .add("wait", "Timer", Timeout=("JavaScript", "0.05"))
        .add("f", "Finish", ActivityOutput="ok")
        .chain("http", "wait", "f")
        .build()
    )
    workflow.is_singleton = True
    app = _host(workflow)
    active, most = [0], [0]

    def watch(event) -> None:
        if event.kind is EventKind.INSTANCE_STARTED:
            active[0] += 1
            most[0] = max(most[0], active[0])
        elif event.kind in (EventKind.INSTANCE_FINISHED, EventKind.INSTANCE_FAULTED):
            active[0] -= 1

    app.runner.add_observer(watch)
    with BackgroundHost(app) as host:
        statuses: list[int] = []
        threads = [
            threading.Thread(
                target=lambda: statuses.append(httpx.get(f"{host.url}/single", timeout=20).status_code)
            )
            for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
    assert statuses == [200] * 6
    assert app.instances_started == 6
    assert most[0] == 1


def test_a_workflows_own_date_header_is_not_sent_twice() -> None:
    """The host writes Date (RFC 9110) and Content-Length itself: a workflow's own is left out."""
    workflow = (
        _endpoint("Dated", "/dated")
        .add(
            "r",
            "WriteHttpResponse",
            Content="x",
            ResponseHeaders=("Json", '{"Date": "Mon, 01 Jan 2001 00:00:00 GMT", "X-Mine": "1"}'),
        )
        .chain("http", "r")
        .build()
    )
    with BackgroundHost(_host(workflow)) as host:
        response = httpx.get(f"{host.url}/dated", timeout=10)
    assert len(response.headers.get_list("date")) == 1
    assert response.headers["x-mine"] == "1"
