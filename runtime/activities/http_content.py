"""How SendHttpRequest reads a response, as Elsa 2.15's HTTP module does.

Elsa's response content readers (``src/activities/Elsa.Activities.Http/Parsers/Response``), by priority:
``.NET Type`` (JSON or XML into an object or an array of objects), ``JToken`` (any JSON, or the text when
it is not JSON), ``File`` (the bytes) and ``Plain Text`` (the text). "Auto Select" takes the first that
accepts the response's media type. XML becomes JSON the way Newtonsoft's ``XmlNodeConverter`` writes it.
"""

from __future__ import annotations

import codecs
import json
import xml.parsers.expat
from collections.abc import Callable
from typing import Any

PLAIN_TEXT = "Plain Text"
DOTNET_TYPE = ".NET Type"
JTOKEN = "JToken"
FILE = "File"

PARSER_NAMES = (PLAIN_TEXT, DOTNET_TYPE, JTOKEN, FILE)
"""The names Elsa registers (``AddHttpServices``); "Auto Select" is the empty name."""

OBSOLETE_NAMES = {"Expando Object": DOTNET_TYPE, "JSON": PLAIN_TEXT}
"""Names of parsers Elsa dropped, mapped as its ``ResponseContentParserName`` setter maps them."""


class ContentError(Exception):
    """The response cannot be read the way the chosen parser reads it (the message says why)."""


def parser_name(value: Any) -> str:
    """The parser a ``ResponseContentParserName`` value selects ('' is Auto Select); raises ContentError."""
    if value is None or not str(value).strip():
        return ""
    name = OBSOLETE_NAMES.get(str(value), str(value))
    if name not in PARSER_NAMES:
        choices = ", ".join(f'"{n}"' for n in PARSER_NAMES)
        raise ContentError(f'there is no parser named "{value}" (expected {choices} or empty: Auto Select)')
    return name


def _has(media_type: str, kind: str) -> bool:
    return f"/{kind}" in media_type.lower()


def auto_select(media_type: str) -> str:
    """The parser Elsa's Auto Select picks for a media type (``SendHttpRequest.SelectContentParser``)."""
    if _has(media_type, "json") or _has(media_type, "xml"):
        return DOTNET_TYPE
    lowered = media_type.lower()
    if any(kind in lowered for kind in ("audio", "video", "application", "pdf")):
        return FILE
    return PLAIN_TEXT


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
)


def response_text(body: bytes, charset: str | None) -> str:
    """The body as ``HttpContent.ReadAsStringAsync`` decodes it: the charset, else a BOM, else UTF-8."""
    if charset:
        name = charset.strip().strip('"')
        try:
            codec = codecs.lookup(name)
        except LookupError:
            raise ContentError(f'the response\'s character set "{name}" is not known') from None
        for bom, encoding in _BOMS:
            if body.startswith(bom) and codecs.lookup(encoding).name == codec.name:
                body = body[len(bom) :]
                break
        return body.decode(codec.name, errors="replace")
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    return body.decode("utf-8", errors="replace")


def read_content(parser: str, media_type: str, body: bytes, charset: str | None) -> Any:
    """The ``ResponseContent`` of a successful response read by ``parser`` ('' is Auto Select)."""
    return _READERS[parser or auto_select(media_type)](media_type, body, charset)


def _read_plain_text(_media_type: str, body: bytes, charset: str | None) -> str:
    return response_text(body, charset)


def _read_file(_media_type: str, body: bytes, _charset: str | None) -> bytes:
    return body


def _read_jtoken(media_type: str, body: bytes, charset: str | None) -> Any:
    """Any JSON value; text that is not JSON stays text (trimmed)."""
    text = response_text(body, charset).strip()
    if _has(media_type, "xml"):
        return xml_to_json(text)
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested past what Python reads
        return text


_JSON_KINDS = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}


def _read_dotnet_type(media_type: str, body: bytes, charset: str | None) -> Any:
    """An object, or an array of objects (``ExpandoObject``/``ExpandoObject[]``); other JSON fails."""
    if not (_has(media_type, "json") or _has(media_type, "xml")):
        raise ContentError(
            f'the ".NET Type" parser reads JSON or XML only, and the response is "{media_type or "untyped"}"'
        )
    text = response_text(body, charset).strip()
    if _has(media_type, "xml"):
        return xml_to_json(text)
    if not text:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ContentError(f"the response is not valid JSON ({error})") from None
    items = value if isinstance(value, list) else [value]
    for item in items:
        if item is not None and not isinstance(item, dict):
            kind = _JSON_KINDS.get(type(item), "an array")
            where = "an item of the array" if isinstance(value, list) else "the response"
            raise ContentError(
                f'the ".NET Type" parser reads objects, and {where} is {kind} (use "JToken" or "Plain Text")'
            )
    return value


_READERS: dict[str, Callable[[str, bytes, str | None], Any]] = {
    PLAIN_TEXT: _read_plain_text,
    DOTNET_TYPE: _read_dotnet_type,
    JTOKEN: _read_jtoken,
    FILE: _read_file,
}


# --- XML as Newtonsoft's XmlNodeConverter writes it (JsonConvert.SerializeXmlNode) -------------------


class _XmlNode:
    """One node of the document as ``XmlDocument`` keeps it (``kind`` is element, text, cdata, ...)."""

    __slots__ = ("kind", "name", "value", "attributes", "children", "empty_tag")

    def __init__(self, kind: str, name: str, value: Any = None) -> None:
        self.kind = kind
        self.name = name
        self.value = value
        self.attributes: list[tuple[str, str]] = []
        self.children: list[_XmlNode] = []
        self.empty_tag = False


def _parse_xml(text: str) -> _XmlNode:
    """Build the tree with expat: it tells ``<a/>`` from ``<a></a>``, which Newtonsoft writes differently."""
    document = _XmlNode("document", "")
    stack = [document]
    source = text.encode("utf-8")
    parser = xml.parsers.expat.ParserCreate()
    parser.ordered_attributes = True
    cdata = [False]

    def add(node: _XmlNode) -> None:
        stack[-1].children.append(node)

    def start(name: str, attributes: list[str]) -> None:
        node = _XmlNode("element", name)
        node.attributes = list(zip(attributes[::2], attributes[1::2], strict=True))
        add(node)
        stack.append(node)

    def end(_name: str) -> None:
        at = parser.CurrentByteIndex  # after "<a/>", at "</a>" otherwise
        stack.pop().empty_tag = source[at - 2 : at] == b"/>"

    def characters(data: str) -> None:
        kind = "cdata" if cdata[0] else "text"
        siblings = stack[-1].children
        if siblings and siblings[-1].kind == kind and (kind == "text" or cdata[0]):
            siblings[-1].value += data
        else:
            add(_XmlNode(kind, "#cdata-section" if cdata[0] else "#text", data))

    def start_cdata() -> None:
        cdata[0] = True
        add(_XmlNode("cdata", "#cdata-section", ""))

    def end_cdata() -> None:
        cdata[0] = False

    def declaration(version: str | None, encoding: str | None, standalone: int) -> None:
        value = {"@version": version or "1.0"}
        if encoding:
            value["@encoding"] = encoding
        if standalone != -1:
            value["@standalone"] = "yes" if standalone else "no"
        add(_XmlNode("declaration", "?xml", value))

    def doctype(name: str, system: str | None, public: str | None, _internal: int) -> None:
        value = {"@name": name}
        if public:
            value["@public"] = public
        if system:
            value["@system"] = system
        add(_XmlNode("doctype", "!DOCTYPE", value))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartCdataSectionHandler = start_cdata
    parser.EndCdataSectionHandler = end_cdata
    parser.CommentHandler = lambda data: add(_XmlNode("comment", "#comment", data))
    parser.ProcessingInstructionHandler = lambda target, data: add(_XmlNode("pi", "?" + target, data))
    parser.XmlDeclHandler = declaration
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(source, True)
    except xml.parsers.expat.ExpatError as error:
        raise ContentError(f"the response is not valid XML ({error})") from None
    return document


def xml_to_json(text: str) -> dict[str, Any]:
    """An XML document as JSON: elements by name, ``@attributes``, ``#text``, repeated names as arrays."""
    result: dict[str, Any] = {}
    _write_children(result, _children(_parse_xml(text.lstrip("\ufeff"))))
    return result


def _children(node: _XmlNode) -> list[_XmlNode]:
    """Whitespace-only text is dropped, as ``XmlDocument.LoadXml`` drops insignificant whitespace."""
    return [child for child in node.children if not (child.kind == "text" and not child.value.strip())]


def _write_children(target: dict[str, Any], children: list[_XmlNode]) -> None:
    """Children grouped by name in first-seen order; a name seen more than once becomes an array."""
    groups: dict[str, list[_XmlNode]] = {}
    for child in children:
        groups.setdefault(child.name, []).append(child)
    for name, nodes in groups.items():
        values = [_value(node) for node in nodes if node.kind != "comment"]  # written as JSON comments
        if len(nodes) > 1:
            target[name] = values
        elif values:
            target[name] = values[0]


def _value(node: _XmlNode) -> Any:
    if node.kind != "element":
        return node.value
    children = _children(node)
    if not node.attributes and len(children) == 1 and children[0].kind == "text":
        return children[0].value
    if not node.attributes and not children:
        return None if node.empty_tag else ""
    element: dict[str, Any] = {f"@{name}": value for name, value in node.attributes}
    _write_children(element, children)
    return element
