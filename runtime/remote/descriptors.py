"""A server's activity descriptors as runtime catalog descriptors, so its own types (WoW's TaskCreate, a
host's custom activities...) are drawn with their names, categories, inputs and outcomes, and validation
no longer calls them unknown.

Types Flowdesk's catalog already describes keep Flowdesk's descriptor (it knows more: value types, secret
properties, summaries); the others are added to the catalog (:func:`runtime.catalog.add_descriptors`).
They still cannot run locally: running one faults with "not supported locally" unless its output is pinned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, cast

from runtime.catalog import ActivityDescriptor, PropertyDescriptor, add_descriptors, get_descriptor
from runtime.remote.models import InputPropertyInfo, ServerActivityDescriptor

_UI_HINTS = {
    "single-line": "single-line",
    "multi-line": "multi-line",
    "checkbox": "checkbox",
    "check-list": "check-list",
    "radio-list": "radio-list",
    "dropdown": "dropdown",
    "multi-text": "multi-text",
    "code-editor": "code-editor",
    "dictionary": "dictionary",
    "json": "json",
    "switch-case-builder": "switch-case",
}
_VALUE_TYPES = (
    (re.compile(r"^System\.(String|Guid|Uri)\b"), "string"),
    (re.compile(r"^System\.Boolean\b"), "bool"),
    (re.compile(r"^System\.(U?Int(16|32|64)|Byte)\b"), "int"),
    (re.compile(r"^System\.(Decimal|Double|Single)\b"), "number"),
    (re.compile(r"^NodaTime\.Duration\b"), "duration"),
    (re.compile(r"^System\.(Object|Dynamic\.ExpandoObject)\b|Newtonsoft\.Json\.Linq\.JObject"), "object"),
    (re.compile(r"\[\]|IEnumerable|ICollection|IList|List`1|HashSet|JArray"), "array"),
)
_WORDS = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def value_type(dotnet_type: Any) -> str:
    """The catalog value type of a .NET type name (``System.Int32, System.Private.CoreLib, ...``)."""
    name = dotnet_type if isinstance(dotnet_type, str) else ""
    nullable = re.match(r"^System\.Nullable`1\[\[(.+?),", name)
    if nullable:
        name = nullable.group(1)
    for pattern, kind in _VALUE_TYPES:
        if pattern.search(name):
            return kind
    return "any"


def _options(raw: Any) -> tuple[str, ...]:
    """Dropdown choices: ``{"items": [{"text", "value"}]}`` or a plain list."""
    items = raw.get("items") if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        return ()
    values: list[str] = []
    for item in items:
        if isinstance(item, dict):
            value = item.get("value", item.get("text"))
            if value is not None:
                values.append(str(value))
        elif item is not None:
            values.append(str(item))
    return tuple(values)


def _default_value(raw: Any) -> Any:
    if isinstance(raw, list):
        return tuple(raw)
    if isinstance(raw, dict):
        return None  # descriptors are immutable; an object default stays the server's business
    return raw


def property_descriptor(info: InputPropertyInfo) -> PropertyDescriptor:
    ui_hint = _UI_HINTS.get((info.ui_hint or "").lower(), "single-line")
    return PropertyDescriptor(
        name=info.name,
        value_type=cast(Any, value_type(info.type)),
        ui_hint=cast(Any, ui_hint),
        label=info.label or "",
        hint=info.hint or "",
        default_syntax=info.default_syntax or "Literal",
        supported_syntaxes=tuple(info.supported_syntaxes),
        default_value=_default_value(info.default_value),
        options=_options(info.options),
        category=info.category or "Properties",
        considers_values_as_outcomes=info.consider_values_as_outcomes,
    )


def catalog_descriptor(server: ServerActivityDescriptor, source: str = "") -> ActivityDescriptor:
    """The catalog descriptor of one server descriptor (``source``: the server, for the description)."""
    inputs = sorted((p for p in server.input_properties if p.is_browsable), key=lambda p: p.order)
    description = server.description or ""
    where = f"Known to the server {source}" if source else "Known to the server"
    return ActivityDescriptor(
        type=server.type,
        category=server.category or "Miscellaneous",
        display_name=server.display_name or _WORDS.sub(" ", server.type),
        description=f"{description} ({where}; cannot run locally.)".strip(),
        properties=tuple(property_descriptor(p) for p in inputs),
        outcomes=tuple(server.outcomes),
        outputs=tuple(p.name for p in server.output_properties),
        is_trigger=server.is_trigger,
        extra={"server": source, "traits": server.traits},
    )


def learn_server_activities(descriptors: Iterable[ServerActivityDescriptor], source: str = "") -> list[str]:
    """Add the server's types the catalog does not describe; returns the types now known through it."""
    new = [catalog_descriptor(d, source) for d in descriptors if _not_builtin(d.type)]
    return add_descriptors(new)


def _not_builtin(type_name: str) -> bool:
    known = get_descriptor(type_name)
    return known is None or "server" in known.extra


def server_only_types(descriptors: Iterable[ServerActivityDescriptor]) -> set[str]:
    """The types of these descriptors that Flowdesk's own catalog does not describe."""
    return {d.type for d in descriptors if _not_builtin(d.type)}
