"""SendHttpRequest against a real HTTP server on 127.0.0.1 (no mocking), checked against Elsa 2.15's
src/activities/Elsa.Activities.Http/Activities/SendHttpRequest/SendHttpRequest.cs and the response content
readers in src/activities/Elsa.Activities.Http/Parsers/Response."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import EngineSettings, EventKind, InstanceStatus, RuntimeServices, WorkflowRunner

Answer = tuple[int, list[tuple[str, str]], bytes]


def _json(data: object, status: int = 200, media_type: str = "application/json") -> Answer:
    return status, [("Content-Type", media_type)], json.dumps(data).encode()


def _typed(media_type: str, body: bytes | str, status: int = 200) -> Answer:
    return status, [("Content-Type", media_type)], body.encode() if isinstance(body, str) else body


ROUTES: dict[str, Callable[[dict], Answer]] = {
    "/api": lambda request: _json({"echo": request["body"], "authToken": "abc"}),
    "/missing": lambda _: _typed("text/plain", "no such thing", 404),
    "/missing-json": lambda _: _json({"error": "gone"}, 404),
    "/text": lambda _: _typed("text/plain; charset=utf-8", "plain text ✓"),
    "/latin1": lambda _: _typed("text/plain; charset=iso-8859-1", "café".encode("latin-1")),
    "/bom": lambda _: _typed("text/plain", "\ufeffwith bom".encode("utf-8")),
    "/array": lambda _: _json([{"Id": 1}, {"Id": 2}]),
    "/number": lambda _: _json(42),
    "/numbers": lambda _: _json([1, 2]),
    "/not-json": lambda _: _typed("application/json", "  not json at all  "),
    "/problem": lambda _: _json({"title": "x"}, media_type="application/problem+json"),
    "/octets": lambda _: _typed("application/octet-stream", b"\x00\x01\xff"),
    "/untyped": lambda _: (200, [], b'{"a": 1}'),
    "/xml": lambda _: _typed(
        "application/xml",
        '<?xml version="1.0"?><order id="7"><item>tea</item><item>cake</item><note/></order>',
    ),
    "/headers": lambda _: (
        200,
        [
            ("content-type", "text/plain"),
            ("x-trace", "a, b"),
            ("Set-Cookie", "a=1"),
            ("set-cookie", "b=2"),
            ("etag", '"v1"'),
            ("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT"),
        ],
        b"ok",
    ),
    "/redirect": lambda _: (302, [("Location", "/api")], b""),
    "/teapot": lambda _: _typed("text/plain", "short and stout", 418),
}


class _Handler(BaseHTTPRequestHandler):
    received: list[dict] = []

    def log_message(self, *args) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        request = {
            "method": self.command,
            "path": self.path,
            "headers": dict(self.headers),
            "header_names": [name.lower() for name in self.headers],
            "body": body,
        }
        _Handler.received.append(request)
        if self.path.startswith("/slow"):
            time.sleep(1.5)
        status, headers, payload = ROUTES.get(self.path.split("?")[0], ROUTES["/api"])(request)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer


@pytest.fixture(scope="module")
def _server_url() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(_server_url: str) -> str:
    _Handler.received = []
    return _server_url


def _request(url: str, method: str = "GET", codes: str | None = '["200"]', **extra) -> WorkflowBuilder:
    properties = {"Url": url, "Method": method, "ReadContent": "true", **extra}
    if codes is not None:
        properties["SupportedStatusCodes"] = ("Json", codes)
    builder = WorkflowBuilder("Http").add(
        "req", "SendHttpRequest", name="req", display_name="Call", **properties
    )
    for outcome in ("200", "404", "418", "Unsupported Status Code", "Done"):
        builder.add(
            f"on {outcome}",
            "RunJavaScript",
            Script=f'setVariable("taken", (getVariable("taken") || []).concat(["{outcome}"]))',
        )
        builder.connect("req", f"on {outcome}", outcome)
    return builder


def _run(builder: WorkflowBuilder, events: list | None = None):
    runner = WorkflowRunner(RuntimeServices(), [events.append] if events is not None else [])
    return runner.run_sync(builder.build())


def _outputs(instance) -> dict:
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    return instance.outputs_by_name["req"]


def test_json_response_is_parsed_and_the_status_code_is_an_outcome(server: str) -> None:
    """SendHttpRequest.cs: outcomes Done and the status code; Auto Select reads application/json with the
    ".NET Type" reader (Parsers/Response/TypedHttpResponseContentReader.cs): an object."""
    instance = _run(_request(server + "/api"))
    outputs = _outputs(instance)
    assert outputs["Response"]["StatusCode"] == 200
    assert outputs["ResponseContent"]["authToken"] == "abc"
    assert sorted(instance.variables["taken"]) == ["200", "Done"]


def test_a_code_outside_supported_status_codes_adds_unsupported_status_code(server: str) -> None:
    """SendHttpRequest.cs: a non-success response is read as text whatever the parser."""
    instance = _run(_request(server + "/missing"))
    assert sorted(instance.variables["taken"]) == ["404", "Done", "Unsupported Status Code"]
    assert instance.outputs_by_name["req"]["ResponseContent"] == "no such thing"
    missing_json = _outputs(_run(_request(server + "/missing-json", ResponseContentParserName="JToken")))
    assert missing_json["ResponseContent"] == '{"error": "gone"}'


def test_supported_status_codes_default_to_200_and_empty_supports_every_code(server: str) -> None:
    """SendHttpRequest.cs: ``SupportedStatusCodes`` is ``{200}`` unless set; an empty list supports all."""
    assert "Unsupported Status Code" in _run(_request(server + "/teapot", codes=None)).variables["taken"]
    assert sorted(_run(_request(server + "/teapot", codes="[]")).variables["taken"]) == ["418", "Done"]
    faulted = _run(_request(server + "/api", codes='["OK"]'))
    assert faulted.status is InstanceStatus.FAULTED
    assert "property SupportedStatusCodes" in str(faulted.fault) and "'OK' is not a status code" in str(
        faulted.fault
    )


def test_response_headers_are_arrays_of_strings_by_dotnet_header_name(server: str) -> None:
    """SendHttpRequest.cs builds ``HttpResponseModel.Headers`` (Models/HttpResponseModel.cs,
    ``Dictionary<string, string[]>``) from ``response.Headers`` then ``response.Content.Headers``; .NET
    reports known headers by their own names (``etag`` -> ``ETag``)."""
    headers = _outputs(_run(_request(server + "/headers")))["Response"]["Headers"]
    assert headers["x-trace"] == ["a, b"]
    assert headers["Set-Cookie"] == ["a=1", "b=2"]
    assert headers["ETag"] == ['"v1"']
    assert headers["Content-Type"] == ["text/plain"]
    assert all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in headers.values())
    names = list(headers)
    assert names.index("Server") < names.index("Content-Type")
    assert names[-3:] == ["Content-Type", "Last-Modified", "Content-Length"]


@pytest.mark.parametrize(
    ("path", "parser", "expected"),
    [
        ("/text", "", "plain text ✓"),
        ("/latin1", "", "café"),
        ("/bom", "", "with bom"),
        ("/array", "", [{"Id": 1}, {"Id": 2}]),
        ("/untyped", "", '{"a": 1}'),
        ("/octets", "", b"\x00\x01\xff"),
        ("/problem", "", b'{"title": "x"}'),
        (
            "/xml",
            "",
            {"?xml": {"@version": "1.0"}, "order": {"@id": "7", "item": ["tea", "cake"], "note": None}},
        ),
        ("/api", "Plain Text", '{"echo": "", "authToken": "abc"}'),
        ("/api", "JSON", '{"echo": "", "authToken": "abc"}'),
        ("/api", "Expando Object", {"echo": "", "authToken": "abc"}),
        ("/number", "JToken", 42),
        ("/numbers", "JToken", [1, 2]),
        ("/not-json", "JToken", "not json at all"),
        (
            "/xml",
            "JToken",
            {"?xml": {"@version": "1.0"}, "order": {"@id": "7", "item": ["tea", "cake"], "note": None}},
        ),
        ("/api", "File", b'{"echo": "", "authToken": "abc"}'),
    ],
)
def test_response_content_parsers(server: str, path: str, parser: str, expected: object) -> None:
    """SendHttpRequest.cs ``SelectContentParser``: Auto Select ("") takes the highest priority reader for the
    media type: .NET Type (10, ``/json`` or ``/xml``), JToken (5), File (0, "audio", "video", "application",
    "pdf"), Plain Text (-1, anything); the setter maps "JSON" to "Plain Text" and "Expando Object" to
    ".NET Type". Readers: Parsers/Response/*.cs (XML through Newtonsoft's SerializeXmlNode)."""
    extra = {"ResponseContentParserName": parser} if parser else {}
    assert _outputs(_run(_request(server + path, **extra)))["ResponseContent"] == expected


@pytest.mark.parametrize(
    ("path", "parser", "message"),
    [
        ("/number", "", 'the ".NET Type" parser reads objects, and the response is a number'),
        ("/numbers", ".NET Type", "an item of the array is a number"),
        ("/text", ".NET Type", 'reads JSON or XML only, and the response is "text/plain"'),
        ("/api", "Yaml", 'ResponseContentParserName: there is no parser named "Yaml"'),
    ],
)
def test_response_content_that_the_chosen_parser_cannot_read_faults(
    server: str, path: str, parser: str, message: str
) -> None:
    """Parsers/Response/TypedHttpResponseContentReader.cs deserialises into ``ExpandoObject`` (or an array
    of them) and throws NotSupportedException for other media types; SendHttpRequest.cs throws for an
    unknown parser name."""
    extra = {"ResponseContentParserName": parser} if parser else {}
    instance = _run(_request(server + path, **extra))
    assert instance.status is InstanceStatus.FAULTED
    assert '"Call", property ResponseContent' in str(instance.fault) and message in str(instance.fault)
    assert str(instance.fault).count("\n") == 0


def test_read_content_false_leaves_response_content_unset(server: str) -> None:
    """SendHttpRequest.cs sets ResponseContent only when ``ReadContent`` is true."""
    outputs = _outputs(_run(_request(server + "/api", ReadContent="false")))
    assert outputs["ResponseContent"] is None
    assert outputs["Response"]["StatusCode"] == 200


def test_post_sends_text_content_with_its_media_type_and_utf8(server: str) -> None:
    """SendHttpRequest.cs ``CreateRequest``: a non-blank string body becomes ``StringContent(body,
    Encoding.UTF8, ContentType)`` (``application/json; charset=utf-8``); the Authorization header is
    ``AuthenticationHeaderValue.Parse(value)``; each RequestHeaders value is split at commas."""
    builder = _request(
        server + "/api",
        "post",
        Content=("Liquid", '{"user": {{ Variables.user | json | raw }}}'),
        ContentType="application/json",
        Authorization=("Liquid", "Bearer   {{ Variables.token }}"),
        RequestHeaders=(
            "Json",
            '{"X-Trace": "t-1", "X-List": "a,b", "Accept": "text/plain,application/json"}',
        ),
    ).variables(user="ada ✓", token="secret-token-123456")
    instance = _run(builder)
    sent = _Handler.received[-1]
    assert sent["method"] == "POST" and json.loads(sent["body"]) == {"user": "ada ✓"}
    assert sent["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert sent["headers"]["Authorization"] == "Bearer secret-token-123456"
    assert sent["headers"]["X-Trace"] == "t-1"
    assert sent["headers"]["X-List"] == "a, b"
    assert sent["headers"]["Accept"] == "text/plain, application/json"
    record = instance.journal[0]
    assert record.inputs["Authorization"] == "Bearer ****"
    assert "secret-token" not in json.dumps(record.data)


def test_only_what_httpclient_sends_is_sent(server: str) -> None:
    """HttpClient (no default headers) sends no User-Agent, Accept or Accept-Encoding; text content without
    a ContentType is ``text/plain; charset=utf-8`` (StringContent); GET sends no body."""
    _run(_request(server + "/api", "PUT", Content="hello"))
    put = _Handler.received[-1]
    assert put["body"] == "hello" and put["headers"]["Content-Type"] == "text/plain; charset=utf-8"
    assert not {"user-agent", "accept", "accept-encoding"} & set(put["header_names"])
    _run(_request(server + "/api", "GET", Content="ignored", ContentType="application/json"))
    get = _Handler.received[-1]
    assert get["body"] == "" and "content-type" not in get["header_names"]


def test_non_text_content_sends_no_body_and_warns(server: str) -> None:
    """SendHttpRequest.cs sends ``Content as string`` (non-blank) or ``as byte[]``; an object is neither,
    so Elsa sends no body. The log says so."""
    events: list = []
    _run(_request(server + "/api", "POST", Content=("JavaScript", "({ a: 1 })")), events)
    assert _Handler.received[-1]["body"] == ""
    warnings = [e.message for e in events if e.kind is EventKind.LOG and e.level == "warning"]
    assert any("no body is sent" in message for message in warnings)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"Content": "x", "ContentType": "application/json; charset=utf-8"}, "property ContentType"),
        ({"RequestHeaders": ("Json", '{"Content-Type": "text/plain"}')}, "set it with ContentType"),
        ({"RequestHeaders": ("Json", '{"Location": "/x"}')}, "it is a response header"),
        ({"RequestHeaders": ("Json", '{"Bad Name": "x"}')}, "'Bad Name' is not a header name"),
        (
            {"Authorization": "Bearer x", "RequestHeaders": ("Json", '{"authorization": "Basic y"}')},
            "Authorization is set twice",
        ),
        ({"Authorization": "{bad}"}, "property Authorization"),
        ({"Method": "GE T"}, "property Method"),
    ],
)
def test_requests_httpclient_refuses_fault_naming_the_property(
    server: str, extra: dict, message: str
) -> None:
    """What ``CreateRequest`` in SendHttpRequest.cs would throw on: a media type with parameters
    (``new MediaTypeHeaderValue``), content or response headers in ``request.Headers``, a bad header name, a
    second Authorization value, an unparsable Authorization, a method that is not a token."""
    properties = {"Method": "POST", **extra}
    instance = _run(_request(server + "/api", **properties))
    assert instance.status is InstanceStatus.FAULTED
    assert '"Call"' in str(instance.fault) and message in str(instance.fault)
    assert not _Handler.received


def test_redirects_are_followed_as_httpclient_follows_them(server: str) -> None:
    """The SendHttpRequest client (AddHttpClient in Extensions/ServiceCollectionExtensions.cs) follows
    redirects: a POST answered 302 goes on as a GET, without the Authorization header."""
    outputs = _outputs(_run(_request(server + "/redirect", "POST", Content="x", Authorization="Bearer t")))
    assert outputs["Response"]["StatusCode"] == 200
    first, second = _Handler.received
    assert (first["method"], first["headers"]["Authorization"]) == ("POST", "Bearer t")
    assert (second["method"], second["path"], second["body"]) == ("GET", "/api", "")
    assert "authorization" not in second["header_names"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_refused_connection_faults_naming_url_and_cause() -> None:
    url = f"http://127.0.0.1:{_free_port()}/auth"
    instance = _run(_request(url))
    assert instance.status is InstanceStatus.FAULTED
    assert url in str(instance.fault) and "connection refused" in str(instance.fault)
    assert '"Call"' in str(instance.fault)


def test_timeout_faults_naming_the_limit(server: str) -> None:
    runner = WorkflowRunner(RuntimeServices(settings=EngineSettings(http_timeout=0.3)))
    instance = runner.run_sync(_request(server + "/slow").build())
    assert instance.status is InstanceStatus.FAULTED
    assert "timed out after 0.3 s" in str(instance.fault)


def test_unknown_host_faults_with_dns_cause() -> None:
    instance = _run(_request("http://no-such-host.invalid/x"))
    assert instance.status is InstanceStatus.FAULTED
    assert "no-such-host.invalid" in str(instance.fault)


def test_empty_or_relative_url_faults_naming_the_property() -> None:
    for url in ("", "/relative"):
        instance = _run(_request(url))
        assert instance.status is InstanceStatus.FAULTED
        assert "property Url" in str(instance.fault)


def test_response_content_not_read_again_keeps_the_previous_value(server: str) -> None:
    """SendHttpRequest.cs leaves ResponseContent alone when ``ReadContent`` is false, and Elsa restores an
    activity's stored outputs before running it again (src/core/Elsa.Core/Services/Workflows/
    ActivityActivator.cs ``ApplyStoredValuesAsync``): the second run still shows the first run's content."""
    builder = (
        WorkflowBuilder("Twice")
        .add(
            "req",
            "SendHttpRequest",
            name="req",
            Url=server + "/api",
            ReadContent=("JavaScript", 'getVariable("seen") == null'),
        )
        .add("again", "If", Condition=("JavaScript", 'getVariable("seen") == null'))
        .add("mark", "SetVariable", VariableName="seen", Value="yes")
        .connect("req", "again")
        .connect("again", "mark", "True")
        .connect("mark", "req")
    )
    instance = _run(builder)
    assert len(_Handler.received) == 2
    assert _outputs(instance)["ResponseContent"] == {"echo": "", "authToken": "abc"}
