"""HTTP: HttpEndpoint (trigger), WriteHttpResponse and SendHttpRequest (httpx)."""

from __future__ import annotations

import json
import re
import socket
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from runtime.activities.http_content import (
    DOTNET_TYPE,
    ContentError,
    auto_select,
    parser_name,
    read_content,
    response_text,
)
from runtime.engine.context import ActivityExecutionContext, ActivityFault
from runtime.engine.handlers import ActivityResult, activity_handler
from runtime.engine.instance import HttpResponseRecord
from runtime.jsonlimits import loads_bounded
from runtime.masking import remember_secrets_in
from runtime.secrets import mask_headers

if TYPE_CHECKING:
    import httpx  # imported by the first request sent: a workflow without one starts without it

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
            parsed = loads_bounded(stripped)
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


# --- SendHttpRequest (Elsa.Activities.Http/Activities/SendHttpRequest/SendHttpRequest.cs) -----------

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
"""An HTTP token (RFC 9110): what a method, a header name, an auth scheme and a media type part may be."""
_MEDIA_TYPE = re.compile(rf"{_TOKEN.pattern}/{_TOKEN.pattern}")
_AUTHORIZATION = re.compile(rf"[ \t]*({_TOKEN.pattern})(?:[ \t]+(.*?))?[ \t]*")
_KNOWN_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS", "TRACE", "PATCH", "CONNECT"})
"""Methods .NET's HttpClient sends in capitals whatever their case (``HttpMethod.Normalize``)."""

_CONTENT_HEADERS = (
    "Allow",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Location",
    "Content-MD5",
    "Content-Range",
    "Content-Type",
    "Expires",
    "Last-Modified",
)
"""Headers .NET keeps on the content: ``response.Content.Headers``, and not allowed in ``request.Headers``."""
_RESPONSE_HEADERS = (
    "Accept-Ranges",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Headers",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Origin",
    "Access-Control-Expose-Headers",
    "Age",
    "Alt-Svc",
    "ETag",
    "Location",
    "Proxy-Authenticate",
    "Retry-After",
    "Server",
    "Vary",
    "WWW-Authenticate",
)
"""Known response-only headers: ``request.Headers.Add`` refuses them too."""
_OTHER_KNOWN_HEADERS = (
    "Accept",
    "Accept-Charset",
    "Accept-Encoding",
    "Accept-Language",
    "Accept-Patch",
    "Access-Control-Max-Age",
    "Alt-Used",
    "Authorization",
    "Cache-Control",
    "Connection",
    "Content-Security-Policy",
    "Cookie",
    "Cookie2",
    "Date",
    "Expect",
    "Expect-CT",
    "From",
    "grpc-encoding",
    "grpc-message",
    "grpc-status",
    "Host",
    "If-Match",
    "If-Modified-Since",
    "If-None-Match",
    "If-Range",
    "If-Unmodified-Since",
    "Keep-Alive",
    "Link",
    "Max-Forwards",
    "Origin",
    "P3P",
    "Pragma",
    "Proxy-Authorization",
    "Proxy-Connection",
    "Proxy-Support",
    "Public-Key-Pins",
    "Range",
    "Referer",
    "Referrer-Policy",
    "Refresh",
    "Sec-WebSocket-Accept",
    "Sec-WebSocket-Extensions",
    "Sec-WebSocket-Key",
    "Sec-WebSocket-Protocol",
    "Sec-WebSocket-Version",
    "Server-Timing",
    "Set-Cookie",
    "Set-Cookie2",
    "Strict-Transport-Security",
    "TE",
    "TSV",
    "Trailer",
    "Transfer-Encoding",
    "Upgrade",
    "Upgrade-Insecure-Requests",
    "User-Agent",
    "Via",
    "Warning",
    "X-AspNet-Version",
    "X-Cache",
    "X-Content-Duration",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "X-MSEdge-Ref",
    "X-Powered-By",
    "X-Request-ID",
    "X-UA-Compatible",
    "X-XSS-Protection",
)
_KNOWN_HEADERS = {
    name.lower(): name for name in (*_CONTENT_HEADERS, *_RESPONSE_HEADERS, *_OTHER_KNOWN_HEADERS)
}
"""System.Net.Http's KnownHeaders: it matches them in any case and reports them with these names."""
_CONTENT_HEADER_KEYS = frozenset(name.lower() for name in _CONTENT_HEADERS)
_NOT_REQUEST_HEADER_KEYS = _CONTENT_HEADER_KEYS | {name.lower() for name in _RESPONSE_HEADERS}
_HTTPX_DEFAULT_HEADERS = ("Accept", "Accept-Encoding", "Connection", "User-Agent")
"""Headers httpx adds that .NET's HttpClient does not send: removed unless the workflow sets them."""
_REDIRECT_CODES = frozenset({300, 301, 302, 303, 307, 308})
_MAX_REDIRECTS = 50
"""HttpClientHandler follows redirects by default, at most 50 (``MaxAutomaticRedirections``)."""


class _Request:
    """What SendHttpRequest sends: Elsa's ``CreateRequest``."""

    __slots__ = ("method", "url", "headers", "content")

    def __init__(self, method: str, url: str, headers: list[tuple[str, str]], content: bytes | None) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.content = content


@activity_handler("SendHttpRequest", is_async=True)
async def run_send_http_request(ctx: ActivityExecutionContext) -> ActivityResult:
    """Send the request; outcomes ``Done``, the status code and, outside ``SupportedStatusCodes``,
    ``Unsupported Status Code``; outputs ``Response`` and ``ResponseContent`` (SendHttpRequest.cs)."""
    request = _create_request(ctx)
    ctx.journal_data["Request"] = {
        "Method": request.method,
        "Url": request.url,
        "Headers": mask_headers(dict(request.headers)),
    }
    sent = time.perf_counter()
    response = await _send(ctx, request)
    took = (time.perf_counter() - sent) * 1000.0
    status = response.status_code
    response_model = {"StatusCode": status, "Headers": _response_headers(response)}
    if _truthy(ctx.get("ReadContent")):
        response_content = _response_content(ctx, response)
        if isinstance(response_content, dict | list):
            remember_secrets_in(response_content)  # an authToken masked wherever it is quoted later
    else:  # not set this time: the value stored by the previous execution stays (ActivityActivator)
        response_content = ctx.instance.outputs_by_id.get(ctx.activity_id, {}).get("ResponseContent")
    supported = _status_codes(ctx)
    outcomes = ["Done", str(status)]
    if supported and status not in supported:
        outcomes.append(UNSUPPORTED_STATUS_CODE)
    ctx.log(
        f"{request.method} {request.url} → {status}",
        kind="http",
        status=status,
        method=request.method,
        url=request.url,
        ms=round(took, 3),
    )
    return ActivityResult(
        tuple(outcomes), outputs={"Response": response_model, "ResponseContent": response_content}
    )


def _create_request(ctx: ActivityExecutionContext) -> _Request:
    url = ctx.get("Url")
    if url is None or not str(url).strip():
        raise ctx.fail("the URL is empty", "Url")
    method = _method(ctx)
    headers: list[tuple[str, str]] = []
    content: bytes | None = None
    if method.upper() in METHODS_WITH_CONTENT:
        content, content_type = _content(ctx)
        if content is not None:
            headers.append(("Content-Type", content_type))
    authorization = ctx.get("Authorization")
    if authorization is not None and str(authorization).strip():
        headers.append(("Authorization", _authorization(ctx, str(authorization))))
    for name, value in _request_headers(ctx):
        if name.lower() == "authorization" and any(key == "Authorization" for key, _ in headers):
            raise ctx.fail(
                "Authorization is set twice (the Authorization property and RequestHeaders); "
                "the header takes one value",
                "RequestHeaders",
            )
        headers.append((name, value))
    return _Request(method, str(url).strip(), headers, content)


def _method(ctx: ActivityExecutionContext) -> str:
    value = ctx.get("Method")
    method = "GET" if value is None or not str(value).strip() else str(value).strip()
    if not _TOKEN.fullmatch(method):
        raise ctx.fail(f"{method!r} is not an HTTP method", "Method")
    return method.upper() if method.upper() in _KNOWN_METHODS else method


def _content(ctx: ActivityExecutionContext) -> tuple[bytes | None, str]:
    """The body: non-blank text as UTF-8 (its media type gets ``charset=utf-8``) or bytes; nothing else."""
    body = ctx.get("Content")
    content_type = ctx.get("ContentType")
    media_type = "" if content_type is None else str(content_type).strip()
    if isinstance(body, str):
        if not body.strip():
            return None, ""
        media_type = media_type or "text/plain"
        if not _MEDIA_TYPE.fullmatch(media_type):
            raise ctx.fail(
                f'"{media_type}" is not a media type such as application/json (the charset is added: utf-8)',
                "ContentType",
            )
        return body.encode("utf-8"), f"{media_type}; charset=utf-8"
    if isinstance(body, bytes | bytearray):
        if not media_type:
            raise ctx.fail("a media type is needed to send binary content", "ContentType")
        return bytes(body), media_type
    if body is not None:
        ctx.log(
            "Content is not text, so no body is sent (as in Elsa 2): write it as JSON text, "
            "e.g. JSON.stringify(...) or {{ ... | json | raw }}",
            level="warning",
        )
    return None, ""


def _authorization(ctx: ActivityExecutionContext, value: str) -> str:
    """``AuthenticationHeaderValue.Parse``: a scheme, then optional credentials."""
    match = _AUTHORIZATION.fullmatch(value)
    if match is None:
        raise ctx.fail('not a valid header value (expected "Scheme credentials")', "Authorization")
    scheme, credentials = match.groups()
    return f"{scheme} {credentials}" if credentials else scheme


def _request_headers(ctx: ActivityExecutionContext) -> list[tuple[str, str]]:
    """``RequestHeaders``: each value split at commas and sent as a list, as Elsa adds them."""
    value = ctx.get("RequestHeaders")
    if value is None:
        return []
    if isinstance(value, str):
        value = parse_header_lines(value, ctx, "RequestHeaders")
    if not isinstance(value, dict):
        raise ctx.fail("expected an object of header names and values", "RequestHeaders")
    headers: list[tuple[str, str]] = []
    for raw_name, raw_value in value.items():
        name = str(raw_name).strip()
        if not _TOKEN.fullmatch(name):
            raise ctx.fail(f"{name!r} is not a header name", "RequestHeaders")
        key = name.lower()
        if key in _NOT_REQUEST_HEADER_KEYS:
            where = (
                "a content header: set it with ContentType"
                if key == "content-type"
                else ("a content header" if key in _CONTENT_HEADER_KEYS else "a response header")
            )
            raise ctx.fail(f'"{name}" cannot be sent here, it is {where}', "RequestHeaders")
        text = _header_text(ctx, name, raw_value)
        parts = text.split(",")
        joined = ", ".join(part.strip() for part in parts) if key in _KNOWN_HEADERS else ", ".join(parts)
        headers.append((name, joined))
    return headers


def _header_text(ctx: ActivityExecutionContext, name: str, value: Any) -> str:
    if isinstance(value, dict | list):
        raise ctx.fail(f'the value of "{name}" must be text', "RequestHeaders")
    text = "" if value is None else ("True" if value else "False") if isinstance(value, bool) else str(value)
    if "\r" in text or "\n" in text:
        raise ctx.fail(f'the value of "{name}" contains a line break', "RequestHeaders")
    if not text.isascii():
        raise ctx.fail(f'the value of "{name}" contains non-ASCII characters', "RequestHeaders")
    return text


async def _send(ctx: ActivityExecutionContext, request: _Request) -> httpx.Response:
    """Send as HttpClient does: redirects followed (not https -> http), Authorization dropped on the way."""
    import httpx

    client = ctx.services.http_client()
    method, url, headers, content = request.method, request.url, request.headers, request.content
    try:
        response = await client.send(_build(client, method, url, headers, content))
        for _ in range(_MAX_REDIRECTS):
            target = _redirect_target(response)
            if target is None:
                break
            status = response.status_code
            if (status in (300, 301, 302) and method == "POST") or (
                status == 303 and method not in ("GET", "HEAD")
            ):
                method, content = "GET", None
                headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
            headers = [(k, v) for k, v in headers if k.lower() != "authorization"]
            url = str(target)
            response = await client.send(_build(client, method, url, headers, content))
    except httpx.TimeoutException:
        raise _transport_fault(
            ctx, method, url, f"timed out after {ctx.services.settings.http_timeout:g} s"
        ) from None
    except httpx.ConnectError as error:
        raise _transport_fault(ctx, method, url, _connect_cause(error)) from None
    except httpx.InvalidURL as error:
        raise ctx.fail(f"invalid URL {url!r} ({error})", "Url") from None
    except httpx.UnsupportedProtocol:
        raise ctx.fail(f"{url!r} is not an absolute http:// or https:// URL", "Url") from None
    except httpx.HTTPError as error:
        raise _transport_fault(ctx, method, url, f"{type(error).__name__}: {error}") from None
    return response


def _build(
    client: httpx.AsyncClient, method: str, url: str, headers: list[tuple[str, str]], content: bytes | None
) -> httpx.Request:
    request = client.build_request(method, url, headers=headers, content=content)
    own = {name.lower() for name, _ in headers}
    for name in _HTTPX_DEFAULT_HEADERS:
        if name.lower() not in own:
            request.headers.pop(name, None)
    return request


def _redirect_target(response: httpx.Response) -> httpx.URL | None:
    import httpx

    if response.status_code not in _REDIRECT_CODES or "location" not in response.headers:
        return None
    try:
        target = response.request.url.join(response.headers["location"])
    except httpx.InvalidURL:
        return None
    if target.scheme not in ("http", "https"):
        return None
    if response.request.url.scheme == "https" and target.scheme == "http":
        return None  # HttpClient does not follow a redirect from https to http
    return target


def _response_headers(response: httpx.Response) -> dict[str, list[str]]:
    """``HttpResponseModel.Headers``: name -> every value received, response headers then content headers."""
    general: dict[str, list[str]] = {}
    content: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for raw_name, raw_value in response.headers.raw:
        received = raw_name.decode("latin-1")
        key = received.lower()
        name = names.setdefault(key, _KNOWN_HEADERS.get(key, received))
        target = content if key in _CONTENT_HEADER_KEYS else general
        target.setdefault(name, []).append(raw_value.decode("latin-1").strip())
    return {**general, **content}


def _response_content(ctx: ActivityExecutionContext, response: httpx.Response) -> Any:
    """A successful response through the chosen parser; any other status as text (SendHttpRequest.cs)."""
    media_type, charset = _media_type(response.headers.get("content-type"))
    try:
        if not response.is_success:
            return response_text(response.content, charset)
        try:
            parser = parser_name(ctx.get("ResponseContentParserName"))
        except ContentError as error:
            raise ctx.fail(str(error), "ResponseContentParserName") from None
        if (parser or auto_select(media_type)) == DOTNET_TYPE:
            target_type = ctx.get("ResponseContentTargetType")
            if target_type is not None and str(target_type).strip():
                ctx.log(
                    f"ResponseContentTargetType {str(target_type).strip()!r} is ignored locally (there are "
                    "no .NET types): the content is read as objects",
                    level="warning",
                )
        return read_content(parser, media_type, response.content, charset)
    except ContentError as error:
        raise ctx.fail(str(error), "ResponseContent") from None


def _media_type(header: str | None) -> tuple[str, str | None]:
    """The media type and charset of a Content-Type header."""
    if not header:
        return "", None
    media_type, *parameters = header.split(";")
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip()
    return media_type.strip(), charset


def _status_codes(ctx: ActivityExecutionContext) -> set[int]:
    """``SupportedStatusCodes`` ([200] when not set; an empty list supports every code)."""
    value = ctx.get("SupportedStatusCodes")
    items = [200] if value is None else value if isinstance(value, list | tuple) else [value]
    codes: set[int] = set()
    for item in items:
        text = str(item).strip()
        if isinstance(item, bool) or not text.isdigit():
            raise ctx.fail(f"{item!r} is not a status code", "SupportedStatusCodes")
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
