"""A response leaves in one write (issue 10): uvicorn writes the head and the body apart, two system calls
and two TCP segments per response; the host's connections hold the head until the body comes."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import RuntimeServices, WorkflowLibrary, WorkflowRunner
from runtime.host import BackgroundHost, WorkflowHost
from runtime.host.endpoints import HostedWorkflow
from runtime.host.guard import OneWriteResponse


class _Transport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str) -> str:
        return f"info:{name}"


def _nothing() -> None:
    pass


HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n"


def test_the_head_goes_out_with_the_body() -> None:
    transport = _Transport()
    view = OneWriteResponse(transport, _nothing)  # type: ignore[arg-type]
    view.write(HEAD)
    assert transport.writes == []
    view.write(b"hello")
    assert transport.writes == [HEAD + b"hello"]


def test_only_the_head_is_held_later_parts_go_at_once() -> None:
    transport = _Transport()
    view = OneWriteResponse(transport, _nothing)  # type: ignore[arg-type]
    view.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
    view.write(b"5\r\nhello\r\n")
    view.write(b"0\r\n\r\n")
    assert len(transport.writes) == 2
    assert transport.writes[1] == b"0\r\n\r\n"


def test_100_continue_is_never_held() -> None:
    """The client waits for it before sending its body: holding it would stall the request."""
    transport = _Transport()
    view = OneWriteResponse(transport, _nothing)  # type: ignore[arg-type]
    view.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert transport.writes == [b"HTTP/1.1 100 Continue\r\n\r\n"]
    view.write(HEAD)
    view.write(b"hello")
    assert transport.writes[1] == HEAD + b"hello"


def test_the_end_of_a_response_without_body_sends_its_head_then_goes_on() -> None:
    """A HEAD request's answer: uvicorn writes no body, then says the response is complete."""
    transport, done = _Transport(), list[bool]()
    view = OneWriteResponse(transport, lambda: done.append(True))  # type: ignore[arg-type]
    view.write(HEAD)
    view.complete()
    assert transport.writes == [HEAD]
    assert done == [True]


def test_closing_sends_a_held_head_first() -> None:
    transport = _Transport()
    view = OneWriteResponse(transport, _nothing)  # type: ignore[arg-type]
    view.write(HEAD)
    view.close()
    assert transport.writes == [HEAD]
    assert transport.closed and view.is_closing()


def test_other_transport_calls_reach_the_connection() -> None:
    view = OneWriteResponse(_Transport(), _nothing)  # type: ignore[arg-type]
    assert view.get_extra_info("peername") == "info:peername"


# --- through a real server on loopback ------------------------------------------------------------------


@pytest.fixture
def host() -> Iterator[BackgroundHost]:
    workflows = [
        WorkflowBuilder("Echo")
        .add(
            "http",
            "HttpEndpoint",
            Path="/echo",
            Methods=("Json", '["POST","GET","HEAD"]'),
            ReadContent="true",
        )
        .add("f", "Finish", ActivityOutput=("Liquid", "{{ Input.Body | json | raw }}"))
        .chain("http", "f")
        .build(),
        WorkflowBuilder("Empty")
        .add("http", "HttpEndpoint", Path="/empty", Methods=("Json", '["GET"]'))
        .build(),
    ]
    services = RuntimeServices(library=WorkflowLibrary(workflows=workflows))
    app = WorkflowHost([HostedWorkflow(w, f"{w.name}.json") for w in workflows], WorkflowRunner(services))
    served = BackgroundHost(app).start()
    yield served
    served.stop()


def _read_response(sock: socket.socket, buffer: bytearray) -> tuple[bytes, bytes]:
    """One response (status line, body) from a kept-alive connection; ``buffer`` keeps what follows it."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        buffer += chunk
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in lines if line.lower().startswith(b"content-length:")), 0
    )
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        rest += chunk
    buffer[:] = rest[length:]
    return lines[0], rest[:length]


def test_expect_100_continue_is_answered_before_the_body_is_sent(host: BackgroundHost) -> None:
    body = b'{"a": 1}'
    with socket.create_connection((host.host, host.port), timeout=10) as sock:
        sock.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        assert sock.recv(65536).startswith(b"HTTP/1.1 100 Continue")
        sock.sendall(body)
        status, answer = _read_response(sock, bytearray())
    assert status == b"HTTP/1.1 200 OK"
    assert answer == b'{"a":1}'


def test_kept_alive_and_pipelined_requests_get_whole_answers_in_order(host: BackgroundHost) -> None:
    requests = b"".join(
        b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n"
        + b'"%d"' % n
        for n in range(5)
    )
    with socket.create_connection((host.host, host.port), timeout=10) as sock:
        sock.sendall(requests + b"GET /empty HTTP/1.1\r\nHost: x\r\n\r\n")
        buffer = bytearray()
        answers = [_read_response(sock, buffer) for _ in range(6)]
    assert [body for _, body in answers[:5]] == [b'"%d"' % n for n in range(5)]
    assert answers[5] == (b"HTTP/1.1 204 No Content", b"")


def test_a_head_request_gets_its_head_alone(host: BackgroundHost) -> None:
    with socket.create_connection((host.host, host.port), timeout=10) as sock:
        sock.sendall(b"HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            assert chunk, f"the server closed the connection after {data!r}"
            data += chunk
    assert data.startswith(b"HTTP/1.1 ")
    assert data.endswith(b"\r\n\r\n")
