"""SendHttpRequest against a real HTTP server on 127.0.0.1 (no mocking)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import EngineSettings, InstanceStatus, RuntimeServices, WorkflowRunner


class _Handler(BaseHTTPRequestHandler):
    received: list[dict] = []

    def log_message(self, *args) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        _Handler.received.append(
            {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
        )
        if self.path.startswith("/slow"):
            time.sleep(1.5)
        if self.path.startswith("/missing"):
            self._send(404, "text/plain", b"no such thing")
        elif self.path.startswith("/text"):
            self._send(200, "text/plain; charset=utf-8", "plain text ✓".encode())
        else:
            self._send(200, "application/json", json.dumps({"echo": body, "authToken": "abc"}).encode())

    def _send(self, status: int, content_type: str, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _answer


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _request(url: str, method: str = "GET", codes: str = '["200"]', **extra) -> WorkflowBuilder:
    builder = WorkflowBuilder("Http").add(
        "req",
        "SendHttpRequest",
        name="req",
        display_name="Call",
        Url=url,
        Method=method,
        ReadContent="true",
        SupportedStatusCodes=("Json", codes),
        **extra,
    )
    for outcome in ("200", "404", "Unsupported Status Code", "Done"):
        builder.add(
            f"on {outcome}",
            "RunJavaScript",
            Script=f'setVariable("taken", (getVariable("taken") || []).concat(["{outcome}"]))',
        )
        builder.connect("req", f"on {outcome}", outcome)
    return builder


def test_json_response_is_parsed_and_the_status_code_is_an_outcome(server: str) -> None:
    instance = WorkflowRunner().run_sync(_request(server + "/api").build())
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    outputs = instance.outputs_by_name["req"]
    assert outputs["Response"]["StatusCode"] == 200
    assert outputs["ResponseContent"]["authToken"] == "abc"
    assert instance.variables["taken"] == ["Done", "200"]


def test_a_code_outside_supported_status_codes_adds_unsupported_status_code(server: str) -> None:
    instance = WorkflowRunner().run_sync(_request(server + "/missing").build())
    assert instance.variables["taken"] == ["Done", "404", "Unsupported Status Code"]
    assert instance.outputs_by_name["req"]["ResponseContent"] == "no such thing"


def test_post_sends_content_headers_and_authorization(server: str) -> None:
    workflow = (
        _request(
            server + "/api",
            "POST",
            Content=("Liquid", '{"user": "{{ Variables.user }}"}'),
            ContentType="application/json",
            Authorization=("Liquid", "Bearer {{ Variables.token }}"),
            RequestHeaders=("Json", '{"X-Trace": "t-1"}'),
        )
        .variables(user="ada", token="secret-token-123456")
        .build()
    )
    instance = WorkflowRunner().run_sync(workflow)
    sent = _Handler.received[-1]
    assert sent["method"] == "POST" and json.loads(sent["body"]) == {"user": "ada"}
    assert sent["headers"]["Authorization"] == "Bearer secret-token-123456"
    assert sent["headers"]["X-Trace"] == "t-1"
    assert sent["headers"]["Content-Type"] == "application/json"
    record = instance.journal[0]
    assert record.inputs["Authorization"] == "Bearer ****3456"
    assert "secret-token" not in json.dumps(record.data)


def test_text_response_stays_text(server: str) -> None:
    instance = WorkflowRunner().run_sync(_request(server + "/text").build())
    assert instance.outputs_by_name["req"]["ResponseContent"] == "plain text ✓"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_refused_connection_faults_naming_url_and_cause() -> None:
    url = f"http://127.0.0.1:{_free_port()}/auth"
    instance = WorkflowRunner().run_sync(_request(url).build())
    assert instance.status is InstanceStatus.FAULTED
    assert url in str(instance.fault) and "connection refused" in str(instance.fault)
    assert '"Call"' in str(instance.fault)


def test_timeout_faults_naming_the_limit(server: str) -> None:
    runner = WorkflowRunner(RuntimeServices(settings=EngineSettings(http_timeout=0.3)))
    instance = runner.run_sync(_request(server + "/slow").build())
    assert instance.status is InstanceStatus.FAULTED
    assert "timed out after 0.3 s" in str(instance.fault)


def test_unknown_host_faults_with_dns_cause() -> None:
    instance = WorkflowRunner().run_sync(_request("http://no-such-host.invalid/x").build())
    assert instance.status is InstanceStatus.FAULTED
    assert "no-such-host.invalid" in str(instance.fault)


def test_empty_url_faults_naming_the_property() -> None:
    instance = WorkflowRunner().run_sync(_request("").build())
    assert instance.status is InstanceStatus.FAULTED
    assert "property Url" in str(instance.fault)
