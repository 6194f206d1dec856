"""What a recorded run reached outside the engine, caught at two seams, and answered back in a replay.

* HTTP: every client of a run is made by :meth:`RuntimeServices.http_client` with the services' transport
  (``http_transport``). :class:`RecordingTransport` wraps httpx's own and keeps each exchange (a redirect is
  one exchange per hop); :class:`ReplayTransport` answers from those exchanges and never touches the network:
  a request it has no recording of fails, and is named.
* The object store: :class:`RecordingStore` is the store file itself, noting the first state of every
  instance the run touched (read, updated, deleted) and the types it used, which makes the seed a replay
  starts from. Instances the run created are not in the seed (the replay creates them again).

Bodies are kept readable: JSON as JSON, other UTF-8 as text, anything else as base64. Secret headers
(Authorization, Cookie, API keys...) are never kept; the rest is kept as sent and received, since a replay
needs it (a test file holds what the run read: keep it where you keep the store).
"""

from __future__ import annotations

import base64
import copy
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from runtime.jsonlimits import utf8
from runtime.secrets import SECRET_HEADER_NAMES, SECRET_KEY_PATTERN
from runtime.store.fields import ObjectType
from runtime.store.store import ObjectStore, Record

_DROPPED_RESPONSE_HEADERS = frozenset(
    {"set-cookie", "content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive"}
)
"""Not kept from a response: secrets, and what describes the bytes on the wire rather than the content
(the recording keeps the content decoded)."""
_DROPPED_REQUEST_HEADERS = frozenset({"content-length", "host", "connection"})


def is_secret_header(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_HEADER_NAMES or bool(SECRET_KEY_PATTERN.search(lowered))


def body_value(content: bytes, content_type: str | None = None) -> dict[str, Any]:
    """A body as a test file keeps it: ``{"json": ...}``, ``{"text": ...}``, ``{"base64": ...}`` or ``{}``."""
    if not content:
        return {}
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(content).decode("ascii")}
    media = (content_type or "").split(";")[0].strip().lower()
    if media.endswith("json") or media.endswith("+json") or (not media and text.lstrip()[:1] in ("{", "[")):
        try:
            return {"json": json.loads(text)}
        except ValueError:
            pass
    return {"text": text}


def body_bytes(body: dict[str, Any]) -> bytes:
    """The bytes of a kept body (JSON is written compactly, as most servers write it)."""
    if "json" in body:
        return utf8(json.dumps(body["json"], ensure_ascii=False, separators=(",", ":")))
    if "text" in body:
        return utf8(str(body["text"]))
    if "base64" in body:
        return base64.b64decode(str(body["base64"]), validate=True)
    return b""


def body_of(part: dict[str, Any]) -> dict[str, Any]:
    return {key: part[key] for key in ("json", "text", "base64") if key in part}


def kept_headers(headers: httpx.Headers, dropped: frozenset[str]) -> dict[str, str]:
    kept: dict[str, str] = {}
    for name, value in headers.multi_items():
        if name.lower() in dropped or is_secret_header(name):
            continue
        title = "-".join(part[:1].upper() + part[1:] for part in name.split("-"))
        kept[title] = f"{kept[title]}, {value}" if title in kept else value
    return kept


def request_part(request: httpx.Request) -> dict[str, Any]:
    """A request as a test file keeps it (secret headers left out)."""
    headers = kept_headers(request.headers, _DROPPED_REQUEST_HEADERS)
    part: dict[str, Any] = {"method": request.method, "url": str(request.url)}
    if headers:
        part["headers"] = headers
    part.update(body_value(request.content, request.headers.get("content-type")))
    return part


class RecordingTransport(httpx.AsyncBaseTransport):
    """httpx's transport, keeping each exchange in ``exchanges`` (the test file's ``http`` list)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, exchanges: list[dict[str, Any]]) -> None:
        self.inner = inner
        self.exchanges = exchanges

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        response = await self.inner.handle_async_request(request)
        try:
            content = await response.aread()
        finally:
            await response.aclose()
        took = (time.perf_counter() - started) * 1000.0
        answer: dict[str, Any] = {"status": response.status_code}
        headers = kept_headers(response.headers, _DROPPED_RESPONSE_HEADERS)
        if headers:
            answer["headers"] = headers
        answer.update(body_value(content, response.headers.get("content-type")))
        self.exchanges.append({"request": request_part(request), "response": answer, "ms": round(took, 1)})
        kept = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code,
            headers=kept,
            content=content,
            request=request,
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


class ReplayTransport(httpx.AsyncBaseTransport):
    """Answers requests from recorded exchanges, in order, without any network.

    A request matches an unused exchange of the same method and URL whose body is the same (JSON compared
    as values; an exchange with ``"anyBody": true`` takes any body). A request nothing matches is kept in
    :attr:`unrecorded` (a line naming it) and fails as a connection error would, so the run goes on as the
    workflow handles that.
    """

    def __init__(self, exchanges: list[dict[str, Any]]) -> None:
        self.exchanges = exchanges
        self.used = [False] * len(exchanges)
        self.unrecorded: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        method, url = request.method, str(request.url)
        sent = body_value(request.content, request.headers.get("content-type"))
        same_target: list[dict[str, Any]] = []
        for index, exchange in enumerate(self.exchanges):
            recorded = exchange.get("request", {})
            if self.used[index] or recorded.get("method", "GET").upper() != method.upper():
                continue
            if str(httpx.URL(recorded.get("url", ""))) != url:
                continue
            if not exchange.get("anyBody") and body_of(recorded) != sent:
                same_target.append(recorded)
                continue
            self.used[index] = True
            return _response(exchange.get("response", {}), request)
        if same_target:
            expected = _short(body_of(same_target[0]))
            problem = (
                f"{method} {url} was recorded with another body: recorded {expected}, sent {_short(sent)}"
            )
        else:
            problem = f"unrecorded HTTP request: {method} {url}" + _recorded_hint(self.unused())
        self.unrecorded.append(problem)
        raise httpx.ConnectError(f"not in the recording ({problem})", request=request)

    def unused(self) -> list[str]:
        """The recorded exchanges the replay did not ask for (method and URL each)."""
        return [
            f"{exchange.get('request', {}).get('method', 'GET')} {exchange.get('request', {}).get('url', '')}"
            for exchange, used in zip(self.exchanges, self.used, strict=True)
            if not used
        ]


def _response(recorded: dict[str, Any], request: httpx.Request) -> httpx.Response:
    """The recorded response (its shape checked when the test was read). Header values are given as UTF-8
    bytes: httpx decoded them so when recording (as text, a non-ASCII value included), and would refuse
    that text as it is."""
    headers = [(utf8(name), utf8(value)) for name, value in recorded.get("headers", {}).items()]
    return httpx.Response(
        recorded.get("status", 200), headers=headers, content=body_bytes(recorded), request=request
    )


def _short(body: dict[str, Any], limit: int = 160) -> str:
    if not body:
        return "no body"
    text = json.dumps(next(iter(body.values())), ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _recorded_hint(left: list[str]) -> str:
    """What the recording still holds, for the line naming a request it does not."""
    if not left:
        return " (every recorded request was already answered)"
    more = f" and {len(left) - 3} more" if len(left) > 3 else ""
    return f" (recorded and not yet asked for: {', '.join(left[:3])}{more})"


@dataclass
class StoreReads:
    """The first state of every store instance a run touched, and the types it used: a seed."""

    types: dict[str, ObjectType] = field(default_factory=dict)
    records: dict[int, tuple[str, Record]] = field(default_factory=dict)
    created: set[int] = field(default_factory=set)

    def saw_type(self, object_type: ObjectType | None) -> None:
        if object_type is not None and object_type.name.lower() not in self.types:
            self.types[object_type.name.lower()] = copy.deepcopy(object_type)

    def saw(self, type_name: str, record: Record | None) -> None:
        if record is None:
            return
        object_id = record.get("ObjectId")
        if isinstance(object_id, int) and object_id not in self.records and object_id not in self.created:
            self.records[object_id] = (type_name, copy.deepcopy(record))

    def seed(self) -> dict[str, Any]:
        """The seed of a replay's store (``flowdesk store import`` reads the same shape)."""
        instances: dict[str, list[Record]] = {}
        for object_type in self.types.values():
            instances[object_type.name] = []
        for object_id in sorted(self.records):
            type_name, record = self.records[object_id]
            key = next(
                (t.name for t in self.types.values() if t.name.lower() == type_name.lower()), type_name
            )
            kept = {name: value for name, value in record.items() if value is not None}
            instances.setdefault(key, []).append(kept)
        return {
            "types": [
                {"name": object_type.name, "fields": [item.to_seed() for item in object_type.fields]}
                for object_type in self.types.values()
            ],
            "instances": {name: records for name, records in instances.items() if records},
        }


class RecordingStore(ObjectStore):
    """The store file itself, noting in :attr:`reads` what the run found there before it changed it."""

    def __init__(self, path: str | os.PathLike[str], reads: StoreReads, busy_timeout: float = 30.0) -> None:
        super().__init__(path, busy_timeout)
        self.reads = reads

    def _note_type(self, type_name: str) -> None:
        self.reads.saw_type(super().get_type(type_name))

    def _note_instance(self, object_id: int | str | None) -> None:
        if object_id is None:
            return
        record = super().get_instance(object_id)
        if record is not None:
            type_name = super().get_instance_type(object_id) or ""
            self._note_type(type_name)
            self.reads.saw(type_name, record)

    def get_type(self, name: str) -> ObjectType | None:
        found = super().get_type(name)
        self.reads.saw_type(found)
        return found

    def count_instances(self, type_name: str) -> int:
        count = super().count_instances(type_name)
        self._note_type(type_name)
        return count

    def list_instances(
        self,
        type_name: str,
        filter: str | None = None,
        order_by: str | None = None,
        skip: int | None = None,
        limit: int | None = None,
    ) -> list[Record]:
        records = super().list_instances(type_name, filter, order_by, skip, limit)
        object_type = super().get_type(type_name)
        self.reads.saw_type(object_type)
        seen = super().list_instances(type_name, filter, order_by) if skip or limit is not None else records
        name = object_type.name if object_type is not None else type_name
        for record in seen:
            self.reads.saw(name, record)
        return records

    def get_instance(self, object_id: int | str | None) -> Record | None:
        self._note_instance(object_id)
        return super().get_instance(object_id)

    def update_instance(
        self, object_id: int | str, values: Any, clear_omitted_fields: bool = False
    ) -> Record | None:
        self._note_instance(object_id)
        return super().update_instance(object_id, values, clear_omitted_fields)

    def create_instance(self, type_name: str, values: Any, title: str | None = None) -> Record:
        record = super().create_instance(type_name, values, title)
        self._note_type(type_name)
        object_id = record.get("ObjectId")
        if isinstance(object_id, int):
            self.reads.created.add(object_id)
        return record

    def delete_instance(self, object_id: int | str) -> bool:
        self._note_instance(object_id)
        return super().delete_instance(object_id)


__all__ = [
    "RecordingStore",
    "RecordingTransport",
    "ReplayTransport",
    "StoreReads",
    "body_bytes",
    "body_value",
    "request_part",
]
