"""HTTP: HttpEndpoint (trigger), WriteHttpResponse and SendHttpRequest (httpx)."""

from __future__ import annotations

import json
import socket
from http import HTTPStatus
from typing import Any

import httpx

from runtime.activities.registry import ActivityResult, activity_handler
from runtime.engine.context import ActivityExecutionContext, ActivityFault
from runtime.engine.instance import HttpResponseRecord
from runtime.secrets import mask_headers

UNSUPPORTED_STATUS_CODE = "Unsupported Status Code"
METHODS_WITH_CONTENT = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@activity_handler("HttpEndpoint")
def run_http_endpoint(ctx: ActivityExecutionContext) -> ActivityResult:
    """A trigger at the start passes at once; its output is the workflow input (the request when served)."""
    return ActivityResult(output=ctx.instance.input)


@activity_handler("WriteHttpResponse", is_async=True)
async def run_write_http_response(ctx: ActivityExecutionContext) -> ActivityResult:
    instance = ctx.instance
    if instance.http_response is not None:
        raise ctx.fail("the HTTP response has already been written")
    status = parse_status_code(ctx.get("StatusCode", "OK"), ctx)
    content = ctx.get("Content")
    headers = ctx.get("ResponseHeaders") or {}
    if isinstance(headers, str):
        headers = parse_header_lines(headers, ctx, "ResponseHeaders")
    if not isinstance(headers, dict):
        raise ctx.fail("expected an object", "ResponseHeaders")
    record = HttpResponseRecord(
        status_code=status,
        content=content,
        content_type=ctx.get("ContentType", "text/plain"),
        charset=ctx.get("CharSet", "utf-8"),
        headers={str(k): str(v) for k, v in headers.items()},
    )
    instance.http_response = record
    ctx.journal_data["Status"] = status
    if instance.on_http_response is not None:
        await instance.on_http_response(record)
    return ActivityResult()


_STATUS_BY_NAME: dict[str, int] = {
    **{status.name.replace("_", "").lower(): int(status) for status in HTTPStatus},
    "redirect": 302,
    "moved": 301,
    "ambiguous": 300,
    "redirectmethod": 303,
    "redirectkeepverb": 307,
}
"""HttpStatusCode enum names as .NET spells them (``NotFound``) and as Python does (``NOT_FOUND``)."""


def parse_status_code(value: Any, ctx: ActivityExecutionContext) -> int:
    """``OK``, ``NotFound``, ``404`` or ``"404"`` → 404 (Elsa stores the HttpStatusCode enum name)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    code = _STATUS_BY_NAME.get(text.replace("_", "").replace(" ", "").lower())
    if code is None:
        raise ctx.fail(f"unknown HTTP status {text!r}", "StatusCode")
    return code


def parse_header_lines(text: str, ctx: ActivityExecutionContext, name: str) -> dict[str, str]:
    """Headers given as text: a JSON object, or ``Name: value`` lines."""
    stripped = text.strip()
    if not stripped:
        return {}
    if stripped.startswith("{"):
        try:
            parsed = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise ctx.fail(f"not valid JSON ({error.msg})", name) from None
        return {str(k): str(v) for k, v in parsed.items()}
    headers: dict[str, str] = {}
    for number, line in enumerate(stripped.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise ctx.fail(f'line {number} is not "Name: value": {line.strip()[:40]!r}', name)
        headers[key.strip()] = value.strip()
    return headers


@activity_handler("SendHttpRequest", is_async=True)
async def run_send_http_request(ctx: ActivityExecutionContext) -> ActivityResult:
    url = ctx.get("Url")
    if not url or not str(url).strip():
        raise ctx.fail("the URL is empty", "Url")
    url = str(url).strip()
    method = str(ctx.get("Method") or "GET").upper()
    headers = _request_headers(ctx)
    authorization = ctx.get("Authorization")
    if authorization:
        headers["Authorization"] = str(authorization)
    content: bytes | None = None
    if method in METHODS_WITH_CONTENT:
        body = ctx.get("Content")
        if body is not None:
            content_type = ctx.get("ContentType") or "application/json"
            content = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
            headers.setdefault("Content-Type", str(content_type))
    ctx.journal_data["Request"] = {"Method": method, "Url": url, "Headers": mask_headers(headers)}
    client = ctx.services.http_client()
    try:
        response = await client.request(method, url, headers=headers, content=content)
    except httpx.TimeoutException:
        raise _transport_fault(
            ctx, method, url, f"timed out after {ctx.services.settings.http_timeout:g} s"
        ) from None
    except httpx.ConnectError as error:
        raise _transport_fault(ctx, method, url, _connect_cause(error)) from None
    except httpx.InvalidURL as error:
        raise ctx.fail(f"invalid URL {url!r} ({error})", "Url") from None
    except httpx.UnsupportedProtocol:
        raise ctx.fail(f"{url!r} is not an http:// or https:// URL", "Url") from None
    except httpx.HTTPError as error:
        raise _transport_fault(ctx, method, url, f"{type(error).__name__}: {error}") from None
    status = response.status_code
    response_model = {
        "StatusCode": status,
        "ReasonPhrase": response.reason_phrase,
        "Headers": dict(response.headers),
    }
    read_content = ctx.get("ReadContent")
    response_content = _read_content(response) if _truthy(read_content) else None
    supported = _status_codes(ctx.get("SupportedStatusCodes"))
    outcomes = ["Done", str(status)]
    if supported and status not in supported:
        outcomes.append(UNSUPPORTED_STATUS_CODE)
    ctx.log(f"{method} {url} → {status}", kind="http", status=status, method=method, url=url)
    return ActivityResult(
        tuple(outcomes), outputs={"Response": response_model, "ResponseContent": response_content}
    )


def _request_headers(ctx: ActivityExecutionContext) -> dict[str, str]:
    value = ctx.get("RequestHeaders")
    if value is None:
        return {}
    if isinstance(value, str):
        return parse_header_lines(value, ctx, "RequestHeaders")
    if isinstance(value, dict):
        return {str(k): ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in value.items()}
    raise ctx.fail("expected an object", "RequestHeaders")


def _read_content(response: httpx.Response) -> Any:
    content_type = response.headers.get("content-type", "")
    text = response.text
    if "json" in content_type.lower():
        try:
            return json.loads(text) if text.strip() else None
        except json.JSONDecodeError:
            return text
    return text


def _status_codes(value: Any) -> set[int]:
    if value is None:
        return set()
    items = (
        value if isinstance(value, list | tuple) else str(value).replace("[", "").replace("]", "").split(",")
    )
    codes: set[int] = set()
    for item in items:
        text = str(item).strip().strip('"')
        if text.isdigit():
            codes.add(int(text))
    return codes


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _connect_cause(error: httpx.ConnectError) -> str:
    """A short cause from the error chain (httpx hides ``ConnectionRefusedError`` under generic text)."""
    link: BaseException | None = error
    while link is not None:
        if isinstance(link, ConnectionRefusedError):
            return "connection refused"
        if isinstance(link, socket.gaierror):
            return "host name not found (DNS)"
        link = link.__cause__ or link.__context__
    text = str(error)
    lowered = text.lower()
    if "refused" in lowered:
        return "connection refused"
    if (
        "name or service not known" in lowered
        or "nodename nor servname" in lowered
        or "getaddrinfo" in lowered
    ):
        return "host name not found (DNS)"
    return f"cannot connect ({text or type(error).__name__})"


def _transport_fault(ctx: ActivityExecutionContext, method: str, url: str, cause: str) -> ActivityFault:
    return ctx.fail(f"{method} {url} failed: {cause}")
