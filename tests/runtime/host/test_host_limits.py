"""The host under hostile requests (issue 14): header limits and timeouts, a connection cap that keeps
serving real clients, 400 for bodies it will not read, surrogates in responses, quiet shutdown."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import RuntimeServices, WorkflowLibrary, WorkflowRunner
from runtime.expressions import liquid
from runtime.host import BackgroundHost, WorkflowHost
from runtime.host.endpoints import HostedWorkflow
from runtime.host.guard import ConnectionLimits, GuardedHttpToolsProtocol
from runtime.model import WorkflowDefinition


def _endpoint(name: str, path: str, methods: str = '["GET","POST"]') -> WorkflowBuilder:
    return WorkflowBuilder(name).add(
        "http", "HttpEndpoint", name="request", Path=path, Methods=("Json", methods), ReadContent="true"
    )


def _workflows() -> list[WorkflowDefinition]:
    return [
        _endpoint("Ping", "/ping").build(),
        _endpoint("Echo", "/echo")
        .add("f", "Finish", ActivityOutput=("Liquid", "{{ Input.Body | json | raw }}"))
        .chain("http", "f")
        .build(),
        _endpoint("Slow", "/slow").add("t", "Timer", Timeout="00:00:02").chain("http", "t").build(),
        _endpoint("Surrogate", "/surrogate")
        .add("f", "Finish", ActivityOutput="text \ud800 end")
        .chain("http", "f")
        .build(),
        _endpoint("SurrogateJson", "/surrogate-json")
        .add("f", "Finish", ActivityOutput=("Json", '{"a": "\\udfff"}'))
        .chain("http", "f")
        .build(),
        _endpoint("Runaway", "/runaway")
        .add(
            "f",
            "Finish",
            ActivityOutput=(
                "Liquid",
                "{% for i in (1..900) %}{% for j in (1..900) %}{{ i | plus: j }}{% endfor %}{% endfor %}",
            ),
        )
        .chain("http", "f")
        .build(),
    ]


LIMITS = ConnectionLimits(
    max_connections=8, max_header_bytes=4096, max_headers=20, header_timeout=1.0, idle_timeout=1.0
)


@pytest.fixture
def host(monkeypatch: pytest.MonkeyPatch) -> Iterator[BackgroundHost]:
    monkeypatch.setattr(GuardedHttpToolsProtocol, "limits", LIMITS)
    workflows = _workflows()
    services = RuntimeServices(library=WorkflowLibrary(workflows=workflows))
    app = WorkflowHost([HostedWorkflow(w, f"{w.name}.json") for w in workflows], WorkflowRunner(services))
    served = BackgroundHost(app).start()
    yield served
    served.stop()


def _connect(host: BackgroundHost) -> socket.socket:
    sock = socket.create_connection((host.host, host.port), timeout=10)
    return sock


def _answer(sock: socket.socket, timeout: float = 10.0) -> bytes:
    """The first line the server sends (b"" when it just closes)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        return b""
    return data.split(b"\r\n")[0]


def _request(host: BackgroundHost, raw: bytes) -> bytes:
    with _connect(host) as sock:
        sock.sendall(raw)
        return _answer(sock)


def test_a_large_header_section_is_431(host: BackgroundHost) -> None:
    big = b"GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 6000 + b"\r\n\r\n"
    assert _request(host, big) == b"HTTP/1.1 431 Request Header Fields Too Large"


def test_too_many_headers_is_431(host: BackgroundHost) -> None:
    many = b"".join(b"X-H%d: v\r\n" % index for index in range(30))
    assert _request(host, b"GET /ping HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n").startswith(b"HTTP/1.1 431")


def test_a_long_url_is_414(host: BackgroundHost) -> None:
    raw = b"GET /ping?" + b"q" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert _request(host, raw).startswith(b"HTTP/1.1 414 ")


def test_slow_headers_time_out_with_408(host: BackgroundHost) -> None:
    with _connect(host) as sock:
        sock.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        assert _answer(sock) == b"HTTP/1.1 408 Request Timeout"
        assert time.monotonic() - started < 4


def test_a_silent_connection_is_closed(host: BackgroundHost) -> None:
    with _connect(host) as sock:
        started = time.monotonic()
        assert _answer(sock) == b""
        assert time.monotonic() - started < 4


def test_a_stalled_body_times_out(host: BackgroundHost) -> None:
    with _connect(host) as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab")
        started = time.monotonic()
        assert _answer(sock) in (b"HTTP/1.1 408 Request Timeout", b"")
        assert time.monotonic() - started < 4


def test_half_open_connections_past_the_cap_make_room_for_a_real_client(host: BackgroundHost) -> None:
    idle = [_connect(host) for _ in range(LIMITS.max_connections * 3)]
    for sock in idle:
        sock.sendall(b"GET /ping HTTP/1.1\r\n")
    try:
        response = httpx.get(f"{host.url}/ping", timeout=5)
        assert response.status_code == 204
    finally:
        for sock in idle:
            sock.close()


def test_when_every_connection_is_busy_a_new_one_is_503(host: BackgroundHost) -> None:
    busy = [_connect(host) for _ in range(LIMITS.max_connections)]
    for sock in busy:
        sock.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.3)
    try:
        assert _request(host, b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n") == b"HTTP/1.1 503 Service Unavailable"
        assert all(_answer(sock) == b"HTTP/1.1 204 No Content" for sock in busy)
    finally:
        for sock in busy:
            sock.close()


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "the JSON is nested deeper than 128 levels"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "the JSON is nested deeper than 128 levels"),
        (b'{"n": ' + b"9" * 5000 + b"}", "the JSON has a number longer than 4300 digits"),
        (b'{"a": "\\ud800"}', "lone surrogate"),
    ],
)
def test_a_json_body_the_host_will_not_read_is_400(host: BackgroundHost, body: bytes, detail: str) -> None:
    response = httpx.post(
        f"{host.url}/echo", content=body, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 400
    assert detail in response.json()["detail"]


def test_ordinary_bodies_still_work(host: BackgroundHost) -> None:
    assert httpx.post(f"{host.url}/echo", json={"a": [1, {"b": "é"}]}).json() == {"a": [1, {"b": "é"}]}
    not_json = httpx.post(f"{host.url}/echo", content=b"{oops", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 200 and "{oops" in not_json.text, "text that is not JSON stays text"


def test_a_surrogate_in_the_output_is_escaped_not_a_500(host: BackgroundHost) -> None:
    text = httpx.get(f"{host.url}/surrogate")
    assert text.status_code == 200 and text.content == b"text \\ud800 end"
    data = httpx.get(f"{host.url}/surrogate-json")
    assert data.status_code == 200 and json.loads(data.content) == {"a": "\udfff"}


def test_a_runaway_template_answers_500_in_its_time_limit_and_others_are_served(
    host: BackgroundHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(liquid, "limits", liquid.LiquidLimits(time_limit=0.5))
    results: dict[str, Any] = {}

    def runaway() -> None:
        results["runaway"] = httpx.get(f"{host.url}/runaway", timeout=30)

    thread = threading.Thread(target=runaway)
    started = time.monotonic()
    thread.start()
    time.sleep(0.1)
    assert httpx.get(f"{host.url}/ping", timeout=30).status_code == 204
    thread.join(30)
    assert results["runaway"].status_code == 500
    assert time.monotonic() - started < 5


def test_a_request_cancelled_at_shutdown_is_answered_503_and_ends_quietly() -> None:
    """uvicorn cancels requests still running after the grace period; one traceback each before."""
    workflows = _workflows()
    app = WorkflowHost(
        [HostedWorkflow(w, f"{w.name}.json") for w in workflows],
        WorkflowRunner(RuntimeServices(library=WorkflowLibrary(workflows=workflows))),
    )
    sent: list[dict[str, Any]] = []

    async def main() -> None:
        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and sent:
                raise RuntimeError("response already started")  # as uvicorn's send does
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": "/slow", "headers": [], "query_string": b""}
        task = asyncio.ensure_future(app(scope, receive, send))
        await asyncio.sleep(0.3)
        task.cancel()
        await task  # returns: no CancelledError for uvicorn to log as "Exception in ASGI application"

    asyncio.run(main())
    assert [m["status"] for m in sent if m["type"] == "http.response.start"] == [503]
