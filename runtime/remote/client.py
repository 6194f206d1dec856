"""An async client of the Elsa 2.15 REST API (httpx): definitions, instances, execution logs, descriptors.

Every failure is a :class:`~runtime.remote.errors.RemoteError` with one line naming the server:
401/403 "the server refused the credentials", 404 what was not found, 400 the server's own validation
messages, a refused connection or a timeout the URL, a redirect where it leads. Headers (credentials) are
sent, never shown, and only to the server's own URL: a redirect is not followed but reported.
"""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from runtime.errors import WorkflowFormatError
from runtime.model import WorkflowDefinition
from runtime.remote.convert import save_request, workflow_from_api
from runtime.remote.errors import (
    CredentialsRefused,
    NotFoundOnServer,
    RemoteError,
    ServerConfigError,
    ServerRejected,
    ServerUnreachable,
    UnexpectedAnswer,
)
from runtime.remote.models import (
    DefinitionSummary,
    ExecutionLogRecord,
    InstanceSummary,
    PagedList,
    ServerActivityDescriptor,
    WorkflowInstance,
)
from runtime.remote.servers import check_header, check_url, redact_url

DEFAULT_TIMEOUT = 15.0
INSTANCE_PAGE_SIZE = 100
M = TypeVar("M", bound=BaseModel)


@dataclass
class DefinitionRow:
    """One definition as a list shows it: its latest version, and which version is published if any."""

    definition_id: str
    name: str | None
    display_name: str | None
    description: str | None
    version: int
    version_id: str
    is_published: bool
    """The latest version is the published one."""
    published_version: int | None
    created_at: str | None

    @property
    def label(self) -> str:
        return self.display_name or self.name or self.definition_id

    def to_json(self) -> dict[str, Any]:
        return {
            "definitionId": self.definition_id,
            "name": self.name,
            "displayName": self.display_name,
            "description": self.description,
            "version": self.version,
            "versionId": self.version_id,
            "isPublished": self.is_published,
            "publishedVersion": self.published_version,
            "createdAt": self.created_at,
        }


def merge_rows(summaries: list[DefinitionSummary]) -> list[DefinitionRow]:
    """Rows of ``version=LatestOrPublished`` (a definition whose draft is newer than its published version
    comes twice), one per definition, in the server's order."""
    rows: dict[str, DefinitionRow] = {}
    for item in summaries:
        row = rows.get(item.definition_id)
        published = item.version if item.is_published else None
        if row is None:
            rows[item.definition_id] = DefinitionRow(
                item.definition_id,
                item.name,
                item.display_name,
                item.description,
                item.version,
                item.id,
                item.is_published and item.is_latest,
                published,
                item.created_at,
            )
            continue
        if published is not None:
            row.published_version = published
        if item.is_latest or item.version > row.version:
            row.name, row.display_name, row.description = item.name, item.display_name, item.description
            row.version, row.version_id, row.created_at = item.version, item.id, item.created_at
            row.is_published = item.is_published and item.is_latest
    return list(rows.values())


@dataclass
class SaveResult:
    """What a push saved: the definition as the server stored it, and what it did not keep."""

    workflow: WorkflowDefinition
    created: bool
    notes: list[str] = field(default_factory=list)


class ElsaClient:
    """One Elsa 2 server. Use as ``async with ElsaClient(url, headers) as client: ...``."""

    def __init__(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = check_url(url)
        self.timeout = timeout
        self._has_headers = bool(headers)
        for name, value in (headers or {}).items():
            check_header(name, value)
        try:
            self._http = httpx.AsyncClient(
                base_url=self.url + "/",
                headers={"Accept": "application/json", **dict(headers or {})},
                timeout=timeout,
                transport=transport,
                follow_redirects=False,
            )
        except httpx.InvalidURL:
            raise ServerConfigError(f"{self.url} is not a usable server URL") from None

    async def __aenter__(self) -> ElsaClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- transport and errors ------------------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        what: str,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> httpx.Response:
        query = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            if body is None:
                response = await self._http.request(method, path, params=query)
            else:
                content = json.dumps(body, ensure_ascii=False).encode("utf-8")
                response = await self._http.request(
                    method,
                    path,
                    params=query,
                    content=content,
                    headers={"Content-Type": "application/json; charset=utf-8"},
                )
        except httpx.TimeoutException:
            raise ServerUnreachable(
                f"{self.url} did not answer within {self.timeout:g} s", self.url
            ) from None
        except httpx.ConnectError as error:
            raise ServerUnreachable(f"cannot reach {self.url} ({_cause(error)})", self.url) from None
        except httpx.TransportError as error:
            raise ServerUnreachable(f"cannot talk to {self.url} ({_cause(error)})", self.url) from None
        except httpx.InvalidURL:
            raise ServerConfigError(f"{self.url} is not a usable server URL") from None
        if 300 <= response.status_code < 400:
            raise self._redirect(response, path, what)
        if response.status_code >= 400:
            raise self._error_for(response, what)
        return response

    def _redirect(self, response: httpx.Response, path: str, what: str) -> RemoteError:
        """A 3xx as an error naming the base URL it leads to. Following it would send the saved headers
        (credentials) to wherever the server points, another host included."""
        status = response.status_code
        location = response.headers.get("location")
        if not location:
            return UnexpectedAnswer(
                f"{self.url}: the server answered HTTP {status} for {what}", self.url, status
            )
        target = str(response.request.url.join(location).copy_with(query=None, fragment=None))
        trimmed, suffix = target.rstrip("/"), "/" + path.strip("/")
        base = trimmed.removesuffix(suffix) if trimmed.endswith(suffix) else target
        if base == self.url:
            base = target
        return UnexpectedAnswer(
            f"{self.url}: the server redirects to {redact_url(base)}; use that URL", self.url, status
        )

    def _error_for(self, response: httpx.Response, what: str) -> RemoteError:
        status = response.status_code
        if status in (401, 403):
            hint = "" if self._has_headers else "; no credential header was sent (--header 'Name: value')"
            return CredentialsRefused(
                f"{self.url}: the server refused the credentials (HTTP {status}{hint})", self.url, status
            )
        if status == 404:
            return NotFoundOnServer(f"{self.url}: {what} not found", self.url, status)
        if status in (400, 415, 422):
            messages = problem_messages(response)
            if status == 415:
                messages = messages or ["unsupported media type"]
            text = "; ".join(messages) or f"HTTP {status}"
            return ServerRejected(
                f"{self.url}: the server rejected {what}: {text}", self.url, status, messages
            )
        detail = "; ".join(problem_messages(response))
        suffix = f": {detail}" if detail else ""
        return UnexpectedAnswer(
            f"{self.url}: the server failed on {what} (HTTP {status}{suffix})", self.url, status
        )

    async def _json(self, method: str, path: str, what: str, **kwargs: Any) -> Any:
        response = await self._request(method, path, what, **kwargs)
        try:
            return response.json()
        except ValueError:
            raise UnexpectedAnswer(
                f"{self.url}: the answer for {what} is not JSON (is this the base URL of an Elsa 2 server?)",
                self.url,
                response.status_code,
            ) from None

    def _model(self, model: type[M], data: Any, what: str) -> M:
        try:
            return model.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise UnexpectedAnswer(
                f"{self.url}: the answer for {what} is not what Elsa 2 sends ({where}: {first['msg']})",
                self.url,
            ) from None

    def _workflow(self, data: Any, what: str) -> WorkflowDefinition:
        try:
            return workflow_from_api(data, f"{self.url} ({what})")
        except WorkflowFormatError as error:
            raise UnexpectedAnswer(str(error), self.url) from None

    # --- server ------------------------------------------------------------------------------------------

    async def server_version(self) -> str:
        """``GET v1/version`` (``"2.15.1"``); the connection check."""
        data = await self._json("GET", "v1/version", "the Elsa 2 API (v1/version)")
        version = data.get("version") if isinstance(data, dict) else None
        if not isinstance(version, str):
            raise UnexpectedAnswer(f"{self.url}: v1/version did not say a version", self.url)
        return version

    # --- definitions -------------------------------------------------------------------------------------

    async def list_definitions(
        self,
        search: str | None = None,
        version: str = "LatestOrPublished",
        page: int | None = None,
        page_size: int | None = None,
    ) -> PagedList[DefinitionSummary]:
        """``GET v1/workflow-definitions`` (every match unless both ``page`` and ``page_size`` are given)."""
        params = {"version": version, "searchTerm": search or None, "page": page, "pageSize": page_size}
        data = await self._json(
            "GET", "v1/workflow-definitions", "the Elsa 2 API (v1/workflow-definitions)", params=params
        )
        return self._model(PagedList[DefinitionSummary], data, "the workflow definitions")

    async def definitions(self, search: str | None = None) -> list[DefinitionRow]:
        """One row per definition (latest version, published version), as Elsa Studio lists them."""
        return merge_rows((await self.list_definitions(search)).items)

    async def definition_json(self, definition_id: str, version: str = "Latest") -> dict[str, Any]:
        """The raw answer of ``GET v1/workflow-definitions/{definitionId}/{version}``."""
        what = f"workflow definition {definition_id} (version {version})"
        data = await self._json("GET", f"v1/workflow-definitions/{_segment(definition_id)}/{version}", what)
        if not isinstance(data, dict):
            raise UnexpectedAnswer(f"{self.url}: the answer for {what} is not an object", self.url)
        return data

    async def get_definition(self, definition_id: str, version: str = "Latest") -> WorkflowDefinition:
        """One version of a definition (``Latest``, ``Published``, ``Draft``, ``LatestOrPublished`` or a
        number), as the runtime model."""
        data = await self.definition_json(definition_id, version)
        return self._workflow(data, f"workflow definition {definition_id}")

    async def get_definition_version(self, version_id: str) -> WorkflowDefinition:
        """``GET v1/workflow-definitions/{versionId}``: the version an instance ran."""
        what = f"workflow definition version {version_id}"
        data = await self._json("GET", f"v1/workflow-definitions/{_segment(version_id)}", what)
        return self._workflow(data, what)

    async def save(self, workflow: WorkflowDefinition, publish: bool = False) -> SaveResult:
        """Save ``workflow`` as the draft of its definition (created with its id when the server has none),
        or save and publish it."""
        request = save_request(workflow, publish)
        what = f"workflow {workflow.label}"
        response = await self._request("POST", "v1/workflow-definitions", what, body=request.body)
        try:
            data = response.json()
        except ValueError:
            raise UnexpectedAnswer(
                f"{self.url}: the answer for saving {what} is not JSON", self.url
            ) from None
        return SaveResult(self._workflow(data, what), response.status_code == 201, request.notes)

    # --- instances ---------------------------------------------------------------------------------------

    async def list_instances(
        self,
        workflow: str | None = None,
        status: str | None = None,
        correlation_id: str | None = None,
        search: str | None = None,
        order_by: str | None = "Started",
        page: int = 0,
        page_size: int = 25,
    ) -> PagedList[InstanceSummary]:
        """One page of ``GET v1/workflow-instances`` (newest first)."""
        params = {
            "workflow": workflow or None,
            "status": status or None,
            "correlationId": correlation_id or None,
            "searchTerm": search or None,
            "orderBy": order_by,
            "page": page,
            "pageSize": page_size,
        }
        data = await self._json(
            "GET", "v1/workflow-instances", "the Elsa 2 API (v1/workflow-instances)", params=params
        )
        return self._model(PagedList[InstanceSummary], data, "the workflow instances")

    async def instances(
        self,
        workflow: str | None = None,
        status: str | None = None,
        correlation_id: str | None = None,
        search: str | None = None,
        limit: int = 100,
    ) -> list[InstanceSummary]:
        """Up to ``limit`` instances, newest first, fetched page by page."""
        found: list[InstanceSummary] = []
        page = 0
        size = max(1, min(limit, INSTANCE_PAGE_SIZE))
        while len(found) < limit:
            batch = await self.list_instances(workflow, status, correlation_id, search, "Started", page, size)
            found.extend(batch.items)
            if len(batch.items) < size or len(found) >= batch.total_count:
                break
            page += 1
        return found[:limit]

    async def get_instance(self, instance_id: str) -> WorkflowInstance:
        what = f"workflow instance {instance_id}"
        data = await self._json("GET", f"v1/workflow-instances/{_segment(instance_id)}", what)
        return self._model(WorkflowInstance, data, what)

    async def execution_log(self, instance_id: str) -> list[ExecutionLogRecord]:
        """Every execution log record of an instance, in time order (none for an unknown id)."""
        what = f"the execution log of instance {instance_id}"
        data = await self._json("GET", f"v1/workflow-instances/{_segment(instance_id)}/execution-log", what)
        return self._model(PagedList[ExecutionLogRecord], data, what).items

    # --- activities --------------------------------------------------------------------------------------

    async def activities_json(self) -> list[dict[str, Any]]:
        """The raw ``GET v1/activities`` array (what the descriptor cache keeps)."""
        data = await self._json("GET", "v1/activities", "the Elsa 2 API (v1/activities)")
        if not isinstance(data, list):
            raise UnexpectedAnswer(f"{self.url}: v1/activities did not answer a list", self.url)
        return [item for item in data if isinstance(item, dict)]


def parse_descriptors(items: list[dict[str, Any]], url: str = "") -> list[ServerActivityDescriptor]:
    """Descriptors from ``GET v1/activities`` JSON (an item that is not one is skipped)."""
    parsed: list[ServerActivityDescriptor] = []
    for item in items:
        try:
            parsed.append(ServerActivityDescriptor.model_validate(item))
        except ValidationError:
            continue
    return parsed


def problem_messages(response: httpx.Response) -> list[str]:
    """The messages of an error answer: a ValidationProblemDetails' ``errors``, a problem's ``detail`` or
    ``title``, a JSON string body (``"Cannot parse variables"``), or the text itself."""
    try:
        data = response.json()
    except ValueError:
        text = response.text.strip()
        return [text[:300]] if text else []
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        messages: list[str] = []
        errors = data.get("errors")
        if isinstance(errors, dict):
            for key, value in errors.items():
                items = value if isinstance(value, list) else [value]
                label = str(key).removeprefix("$.").removeprefix("$")
                for item in items:
                    messages.append(f"{label}: {item}" if label else str(item))
        if not messages:
            for key in ("detail", "title", "message"):
                if isinstance(data.get(key), str) and data[key]:
                    messages.append(data[key])
                    break
        return messages
    return []


def _cause(error: BaseException) -> str:
    """The root cause of a transport failure in a few words (``connection refused``, ``unknown host``)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, socket.gaierror):
            return "unknown host"
        if isinstance(seen, ssl.SSLError):
            return f"TLS: {seen.reason or seen}"
        seen = seen.__cause__ or seen.__context__
    text = str(error) or type(error).__name__
    return "connection refused" if "refused" in text.lower() else text.split("] ")[-1][:200]


def _segment(value: str) -> str:
    """A path segment with ``/`` and the like escaped (ids are hex, but a name may be typed)."""
    from urllib.parse import quote

    return quote(value, safe="")
