"""The ASGI application: a request to a workflow's Path and Method starts an instance of it.

The response is what WriteHttpResponse wrote (sent as soon as it runs, while the workflow may go on), else
200 with the Finish output (JSON unless a string), else 204; a faulted instance answers 500 with a short
JSON problem (the details go to the log, never to the caller). A request without the header an endpoint
requires gets 401 before any activity runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from email.utils import formatdate
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from runtime.engine import WorkflowRunner
from runtime.engine.instance import HttpConnection, HttpResponseRecord, InstanceStatus, WorkflowInstance
from runtime.host.endpoints import Endpoint, HostConfigError, HostedWorkflow, Router, discover_endpoints
from runtime.jsonlimits import JsonLimitError, has_lone_surrogate, loads_bounded, utf8
from runtime.logsink import LogSink

if TYPE_CHECKING:
    from runtime.history.recorder import HistoryRecorder

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

logger = logging.getLogger(__name__)

RequestCallback = Callable[[str, str, int, float, str | None], None]
"""Called once a request is answered: method, path, status, milliseconds, and the id of the instance it
started (None when none was started: 404, 405, 401, 413)."""
JSON_TYPE = b"application/json"
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)
_MAX_BODY = 16 * 1024 * 1024

__all__ = ["HostConfigError", "HostedWorkflow", "WorkflowHost"]


class WorkflowHost:
    """An ASGI app over a set of workflows; ``runner`` runs the instances (its services, its observers)."""

    def __init__(
        self,
        workflows: list[HostedWorkflow],
        runner: WorkflowRunner,
        on_request: RequestCallback | None = None,
        log_sink: LogSink | None = None,
    ) -> None:
        self.runner = runner
        self.router = Router(discover_endpoints(workflows))
        self.on_request = on_request
        self.log_sink = log_sink
        """Where the live log goes (flushed when the host stops), if it has one."""
        self.history: HistoryRecorder | None = None
        """Records every instance a request started, once answered (an observer of ``runner`` too)."""
        self.instances_started = 0

    @property
    def endpoints(self) -> list[Endpoint]:
        return self.router.endpoints

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            try:
                await self._handle(scope, receive, send)
            except asyncio.CancelledError:
                await _answer_cancelled(send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.drain()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def drain(self) -> None:
        """Wait for the background instances (RunWorkflow fire-and-forget) started by requests."""
        await self.runner.drain()

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        method: str = scope["method"]
        path: str = scope["path"]
        endpoint, route_values, allowed = self.router.match(method, path)
        if endpoint is None:
            if allowed:
                status = 405
                await _send_json(
                    send,
                    405,
                    {"title": "Method not allowed", "status": 405, "allowed": allowed},
                    [(b"allow", ", ".join(allowed).encode())],
                )
            else:
                status = 404
                await _send_json(send, 404, {"title": "Not found", "status": 404, "path": path})
            self._log(method, path, status, started, loop.time())
            return
        headers = _headers(scope)
        if endpoint.required_header is not None:
            name, expected = endpoint.required_header
            if headers.get(name) != expected:
                await _send_json(send, 401, {"title": "Unauthorized", "status": 401})
                self._log(method, path, 401, started, loop.time())
                return
        try:
            body = await _read_body(receive)
        except _BodyTooLarge:
            await _send_json(send, 413, {"title": "Request body too large", "status": 413})
            self._log(method, path, 413, started, loop.time())
            return
        try:
            request = _request_model(scope, method, path, headers, route_values, body, endpoint.read_content)
        except BadRequestBody as error:
            await _send_json(send, 400, {"title": "Bad request body", "status": 400, "detail": str(error)})
            self._log(method, path, 400, started, loop.time())
            return
        workflow = endpoint.workflow
        instance = WorkflowInstance(
            workflow_name=workflow.name or workflow.label, definition_id=workflow.definition_id
        )
        instance.http_connection = _connection(scope, headers)
        status = await self._run(endpoint, request, send, instance)
        self._log(method, path, status, started, loop.time(), instance.id)

    async def _run(
        self, endpoint: Endpoint, request: dict[str, Any], send: Send, instance: WorkflowInstance
    ) -> int:
        """Run the instance the request starts; the status it was answered with."""
        workflow = endpoint.workflow
        sent: list[int] = []

        async def on_response(record: HttpResponseRecord) -> None:
            sent.append(await _send_record(send, record))

        instance.on_http_response = on_response
        self.instances_started += 1
        try:
            finished = await self.runner.run(
                workflow, request, instance=instance, start_at=endpoint.activity.activity_id
            )
        except asyncio.CancelledError:
            if not sent:
                await _send_json(send, 503, {"title": "Server shutting down", "status": 503})
            raise
        except Exception:
            logger.exception("workflow %s crashed", workflow.label)
            if sent:
                return sent[0]
            return await _send_json(
                send, 500, {"title": "Workflow failed", "status": 500, "workflow": workflow.label}
            )
        finally:
            if self.history is not None:
                self.history.finished(instance, workflow)
        if sent:
            return sent[0]
        if finished.status is not InstanceStatus.FINISHED:
            fault = finished.fault
            problem = {
                "title": "Workflow faulted"
                if finished.status is InstanceStatus.FAULTED
                else "Workflow stopped",
                "status": 500,
                "workflow": workflow.name or workflow.label,
                "activity": fault.activity_label if fault is not None else None,
                "instanceId": finished.id,
            }
            return await _send_json(send, 500, problem)
        output = finished.output if finished.finished_by is not None else None
        if output is None:
            await send({"type": "http.response.start", "status": 204, "headers": [_date()]})
            await send({"type": "http.response.body", "body": b""})
            return 204
        if isinstance(output, str):
            return await _send(send, 200, utf8(output), b"text/plain; charset=utf-8")
        return await _send_json(send, 200, output)

    def _log(
        self,
        method: str,
        path: str,
        status: int,
        started: float,
        ended: float,
        instance_id: str | None = None,
    ) -> None:
        if self.on_request is not None:
            self.on_request(method, path, status, (ended - started) * 1000.0, instance_id)


class _BodyTooLarge(Exception):
    pass


class BadRequestBody(ValueError):
    """A JSON request body the host will not read (nested too deep, a number past Python's digits, a lone
    surrogate); answered 400 with this one-line reason. Text that is not JSON at all stays text (Body)."""


def _json_body(text: str) -> Any:
    """The body of a JSON request: the parsed value, or the text itself when it is not JSON."""
    try:
        value = loads_bounded(text)
    except JsonLimitError as error:
        verb = "is" if error.msg.startswith("nested") else "has"
        raise BadRequestBody(f"the JSON {verb} {error.msg}") from None
    except json.JSONDecodeError:
        return text
    if "\\u" in text and has_lone_surrogate(value):
        raise BadRequestBody("the JSON has a lone surrogate escape (\\ud800-\\udfff), which is not text")
    return value


async def _answer_cancelled(send: Send) -> None:
    """A request cut off by shutdown (past the grace period): answered 503 if nothing was sent yet, and
    ended quietly rather than as a traceback per request."""
    with contextlib.suppress(Exception):  # already answered (the 503 of ``_run``) or disconnected
        await _send_json(send, 503, {"title": "Server shutting down", "status": 503})


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > _MAX_BODY:
            raise _BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _headers(scope: Scope) -> dict[str, str]:
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _connection(scope: Scope, headers: dict[str, str]) -> HttpConnection:
    """The client's address and the URL this host answers at (scripts' getRemoteIPAddress, absoluteUrl)."""
    client, server = scope.get("client"), scope.get("server")
    host = headers.get("host") or (f"{server[0]}:{server[1]}" if server else None)
    base_url = f"{scope.get('scheme', 'http')}://{host}" if host else None
    return HttpConnection(remote_address=client[0] if client else None, base_url=base_url)


def _request_model(
    scope: Scope,
    method: str,
    path: str,
    headers: dict[str, str],
    route_values: dict[str, str],
    body: bytes,
    read_content: bool,
) -> dict[str, Any]:
    """Elsa's ``HttpRequestModel``: the HttpEndpoint's output and the workflow's input."""
    query_string = scope.get("query_string", b"")
    query = (
        {k: v[0] if len(v) == 1 else v for k, v in parse_qs(query_string.decode()).items()}
        if query_string
        else {}
    )
    raw_body = body.decode("utf-8", errors="replace") if body else ""
    parsed: Any = None
    if read_content and body:
        content_type = headers.get("content-type", "").lower()
        if "json" in content_type:
            parsed = _json_body(raw_body)
        elif "x-www-form-urlencoded" in content_type:
            parsed = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(raw_body).items()}
        else:
            parsed = raw_body
    return {
        "Path": path,
        "Method": method,
        "QueryString": query,
        "RouteValues": route_values,
        "Headers": {_title(name): value for name, value in headers.items()},
        "Body": parsed,
        "RawBody": raw_body if read_content else None,
    }


def _title(name: str) -> str:
    """``content-type`` → ``Content-Type`` (remembered: the same few names come with every request)."""
    titled = _TITLED.get(name)
    if titled is None:
        titled = "-".join(part[:1].upper() + part[1:] for part in name.split("-"))
        if len(_TITLED) < 1024:
            _TITLED[name] = titled
    return titled


_TITLED: dict[str, str] = {}


async def _send_record(send: Send, record: HttpResponseRecord) -> int:
    content = record.content
    content_type = (record.content_type or "text/plain").strip()
    charset = record.charset or "utf-8"
    if content is None:
        body = b""
    elif isinstance(content, bytes):
        body = content
    elif isinstance(content, str):
        body = content.encode(charset, errors="replace")
    else:
        body = _JSON.encode(content).encode(charset, errors="replace")
    header_value = (
        content_type if "charset=" in content_type.lower() else f"{content_type}; charset={charset}"
    )
    extra = [
        (k.lower().encode("latin-1"), v.encode("latin-1", errors="replace"))
        for k, v in record.headers.items()
    ]
    return await _send(send, record.status_code, body, header_value.encode("latin-1"), extra)


async def _send_json(
    send: Send, status: int, payload: Any, extra: list[tuple[bytes, bytes]] | None = None
) -> int:
    body = utf8(_JSON.encode(payload))
    return await _send(send, status, body, JSON_TYPE, extra)


_HEADERS_WRITTEN_HERE = (b"content-type", b"content-length", b"date")
"""A workflow's own header of these names would be sent twice (its Date, or a length its body belies)."""


async def _send(
    send: Send, status: int, body: bytes, content_type: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> int:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), _date()]
    if extra:
        headers.extend(h for h in extra if h[0] not in _HEADERS_WRITTEN_HERE)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
    return status


_date_cache: list[Any] = [0, (b"date", b"")]


def _date() -> tuple[bytes, bytes]:
    """The ``Date`` header (RFC 9110 asks an origin server with a clock for one), made once a second."""
    now = int(time.time())
    if now != _date_cache[0]:
        _date_cache[0], _date_cache[1] = now, (b"date", formatdate(now, usegmt=True).encode())
    return _date_cache[1]
