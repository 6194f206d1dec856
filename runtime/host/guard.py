"""The host's HTTP connections within bounds: uvicorn's httptools protocol with limits it lacks.

- at most :attr:`ConnectionLimits.max_connections` open at once: past it, the connection that has waited
  longest without sending a whole request header is closed to make room, or, when every connection is
  busy with a request, the new one is answered 503 and closed;
- a request's header section (request line and headers) of at most ``max_header_bytes`` and
  ``max_headers`` headers, else 431 and the connection is closed (nothing past the limit is kept);
- the header section must arrive within ``header_timeout`` seconds of the connection (or, on a kept-alive
  connection, of the request's first byte), and a request body may not stall for ``idle_timeout``
  seconds, else the connection is closed; an idle kept-alive connection closes after ``keep_alive``
  seconds (uvicorn's own timer).

A connection that opens and sends nothing, sends headers a byte at a time, or never finishes its body is
therefore closed within seconds, so half-open connections cannot hold the host's file descriptors.
Deadlines are checked by one sweep a second per server, not a timer per request.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol


def _default_max_connections() -> int:
    """Half the process's file descriptors (the rest are for the store, logs, outgoing HTTP), 64 to 4096."""
    try:
        import resource  # not on Windows

        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):
        return 512
    if soft == resource.RLIM_INFINITY:
        return 4096
    return max(64, min(4096, soft // 2))


@dataclass(frozen=True)
class ConnectionLimits:
    """What one host allows a connection (see the module); :data:`LIMITS` is what hosts use."""

    max_connections: int = _default_max_connections()
    max_header_bytes: int = 64 * 1024
    """Request line and headers together."""
    max_headers: int = 100
    header_timeout: float = 10.0
    """Seconds from connecting (or a kept-alive request's first byte) to the end of the headers."""
    idle_timeout: float = 30.0
    """Seconds a request body may go without a byte."""
    keep_alive: float = 5.0
    """Seconds an idle kept-alive connection stays open (uvicorn's ``timeout_keep_alive``)."""


LIMITS = ConnectionLimits()
"""The limits every host uses (tests replace it)."""


class _Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with :data:`LIMITS` enforced (see the module)."""

    limits: ConnectionLimits = LIMITS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._refused = False
        self._awaiting_headers = True
        self._in_body = False
        self._header_bytes = 0
        self._header_count = 0
        self._header_size = 0
        self._limits = self.limits
        if len(self.connections) >= self._limits.max_connections and not self._evict_idle():
            self._refused = True
            self.transport = transport
            _answer(transport, 503, "Too many connections")
            return
        super().connection_made(transport)
        now = self.loop.time()
        self._request_started = now
        self._last_read = now
        self._unanswered()[self] = None
        _Sweeper.watch(self)

    def _unanswered(self) -> OrderedDict[GuardedHttpToolsProtocol, None]:
        """The server's connections that have not sent a whole first request header, oldest first."""
        state: Any = self.server_state
        waiting = getattr(state, "flowdesk_unanswered", None)
        if waiting is None:
            waiting = state.flowdesk_unanswered = OrderedDict()
        return waiting

    def _evict_idle(self) -> bool:
        """At the cap, close the connection that has waited longest without sending a whole first request
        header (a half-open one), so a client that talks is served; False when there is none."""
        waiting = self._unanswered()
        while waiting:
            oldest, _ = waiting.popitem(last=False)
            if oldest._awaiting_headers and oldest.cycle is None and not oldest.transport.is_closing():
                oldest.transport.close()
                self.connections.discard(oldest)
                return True
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        if self._refused:
            return
        self._unanswered().pop(self, None)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        self._last_read = self.loop.time()
        if self._awaiting_headers:
            self._header_bytes += len(data)
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as error:
            if isinstance(error.__context__, _Refused):
                self._refuse(error.__context__.status, error.__context__.reason)
                return
            self._bad_request()
            return
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError:
            self._bad_request()
            return
        if self._awaiting_headers and self._header_bytes > self._limits.max_header_bytes:
            self._refuse(431, "Request header fields too large")

    def _bad_request(self) -> None:
        msg = "Invalid HTTP request received."
        self.logger.warning(msg)
        self.send_400_response(msg)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if not self._awaiting_headers:  # the next request on a kept-alive connection
            self._awaiting_headers = True
            self._header_bytes = 0
            self._request_started = self.loop.time()
        self._header_count = 0
        self._header_size = 0

    def on_url(self, url: bytes) -> None:
        self._header_size += len(url)
        if self._header_size > self._limits.max_header_bytes:
            raise _Refused(414, "URI too long")
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count > self._limits.max_headers:
            raise _Refused(431, "Too many request header fields")
        self._header_size += len(name) + len(value) + 4
        if self._header_size > self._limits.max_header_bytes:
            raise _Refused(431, "Request header fields too large")
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self.cycle is None:  # the connection's first request
            self._unanswered().pop(self, None)
        self._awaiting_headers = False
        self._in_body = True
        super().on_headers_complete()
        cycle = self.cycle
        if cycle is not None:
            view = OneWriteResponse(cycle.transport, cycle.on_response)
            cycle.transport, cycle.on_response = view, view.complete  # type: ignore[assignment]

    def on_message_complete(self) -> None:
        self._in_body = False
        super().on_message_complete()

    def _refuse(self, status: int, reason: str) -> None:
        """Answer ``status`` and close (not logged: under a flood, a line per refusal would be the flood)."""
        self._awaiting_headers = self._in_body = False
        if not self.transport.is_closing():
            _answer(self.transport, status, reason)

    def check_deadlines(self, now: float) -> None:
        """Close the connection when its headers are late or its body has stalled."""
        if self.transport is None or self.transport.is_closing():
            return
        limits = self._limits
        waited = now - self._request_started
        if self._awaiting_headers and self._header_bytes and waited > limits.header_timeout:
            self._refuse(408, "Request header timeout")
        elif self._awaiting_headers and not self._header_bytes and waited > limits.header_timeout:
            if self.cycle is None or self.cycle.response_complete:
                self.transport.close()  # opened and never used: close without a word
        elif self._in_body and now - self._last_read > limits.idle_timeout:
            if self.cycle is not None and not self.cycle.response_started:
                self._refuse(408, "Request body timeout")
            else:
                self.transport.close()


_CONTINUE = b"HTTP/1.1 100 "


class OneWriteResponse:
    """A request's view of its connection that sends the response's head with the first part of its body:
    one system call and one TCP segment per response instead of two (uvicorn writes them apart).

    Only the head is held (never a ``100 Continue``, which the client waits for before its body), and only
    until the next write, the response's end (a HEAD request's answer has no body) or close; everything
    else goes straight to the connection's transport.
    """

    __slots__ = ("_transport", "_head", "_held", "_on_response")

    def __init__(self, transport: asyncio.Transport, on_response: Callable[[], None]) -> None:
        self._transport = transport
        self._on_response = on_response
        self._head: bytes | None = None
        self._held = False

    def write(self, data: bytes) -> None:
        head = self._head
        if head is not None:
            self._head = None
            self._transport.write(head + data)
        elif self._held or data.startswith(_CONTINUE):
            self._transport.write(data)
        else:
            self._head, self._held = data, True

    def complete(self) -> None:
        """The response is whole: send what is held, then go on as uvicorn does (keep-alive, next request)."""
        self._send_held()
        self._on_response()

    def close(self) -> None:
        self._send_held()
        self._transport.close()

    def _send_held(self) -> None:
        head = self._head
        if head is not None:
            self._head = None
            self._transport.write(head)

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def _answer(transport: asyncio.Transport, status: int, reason: str) -> None:
    """A short plain-text answer, then close (the request, if any, is not read further)."""
    body = reason.encode("ascii")
    head = (
        STATUS_LINE[status]
        + b"content-type: text/plain; charset=utf-8\r\n"
        + b"content-length: "
        + str(len(body)).encode("ascii")
        + b"\r\nconnection: close\r\n\r\n"
    )
    transport.write(head + body)
    transport.close()


class _Sweeper:
    """One task per server state: once a second, each connection checks its deadlines; the task ends when
    the server has no connection left (the next one starts it again)."""

    _running: dict[int, asyncio.Task[None]] = {}

    @classmethod
    def watch(cls, protocol: GuardedHttpToolsProtocol) -> None:
        state: Any = protocol.server_state
        key = id(state)
        task = cls._running.get(key)
        if task is None or task.done():
            cls._running[key] = protocol.loop.create_task(cls._sweep(protocol.loop, state, key))

    @classmethod
    async def _sweep(cls, loop: asyncio.AbstractEventLoop, state: Any, key: int) -> None:
        try:
            while state.connections:
                await asyncio.sleep(1.0)
                now = loop.time()
                for connection in list(state.connections):
                    check = getattr(connection, "check_deadlines", None)
                    if check is not None:
                        check(now)
        finally:
            if cls._running.get(key) is asyncio.current_task():
                del cls._running[key]


__all__ = ["LIMITS", "ConnectionLimits", "GuardedHttpToolsProtocol"]
