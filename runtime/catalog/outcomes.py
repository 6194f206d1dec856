"""Outcome ports read statically from property values, the way Elsa Studio 2 draws them.

Studio's ``dynamic-outcomes-plugin`` shows the values of every "consider values as outcomes" property
*before* the descriptor's outcomes (``[...dynamicOutcomes, ...context.outcomes]``), and its Switch plugin
shows the case names before ``Default``. Flowdesk keeps that order for every type, so the ports are:

- SendHttpRequest: the SupportedStatusCodes (``["200"]``), then ``Done``, ``Unsupported Status Code``
- RunWorkflow: the PossibleOutcomes, then ``Done``, ``Not Found``
- RunJavaScript: the PossibleOutcomes, then ``Done``
- Fork: the Branches
- Switch: the case names, then ``Default``, ``Done``
- If: ``True``, ``False``, ``Done``; Finish and Fault: none

Duplicates are dropped case-insensitively (outcomes match case-insensitively), the first spelling wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from runtime.catalog.descriptors import ActivityDescriptor, PropertyDescriptor
from runtime.jsonlimits import loads_bounded
from runtime.model import Activity, ActivityProperty

STATIC_SYNTAXES: tuple[str, ...] = ("Json", "Literal")
"""Syntaxes whose text can be read without running anything."""


@dataclass(frozen=True)
class PropertyValues:
    """A list-valued property read without running it; ``certain`` is False when an expression decides."""

    values: tuple[Any, ...]
    certain: bool


@dataclass(frozen=True)
class OutcomePorts:
    """The ports an activity shows; ``certain`` is False when some port values come from an expression."""

    ports: tuple[str, ...]
    certain: bool


def effective_syntax(prop: ActivityProperty | None, descriptor: PropertyDescriptor | None) -> str:
    """The syntax Elsa evaluates: ``property.syntax ?? descriptor.DefaultSyntax ?? "Literal"``."""
    if prop is not None and prop.syntax:
        return prop.syntax
    if descriptor is not None and descriptor.default_syntax:
        return descriptor.default_syntax
    return "Literal"


def read_list_property(activity: Activity, descriptor: PropertyDescriptor) -> PropertyValues:
    """The items of a list property (status codes, branch names, switch cases...) from its text.

    Json text is parsed; Literal text is a JSON array or a comma-separated list. Under JavaScript or
    Liquid the real value is only known when it runs, so any Json or Literal text the editor kept is used
    as a best guess (``certain`` False). A missing or empty property has the descriptor's default value.
    """
    prop = activity.get_property(descriptor.name)
    default = tuple(descriptor.default_value or ())
    if prop is None:
        return PropertyValues(default, True)
    syntax = effective_syntax(prop, descriptor)
    text = prop.expression(syntax)
    if syntax in (*STATIC_SYNTAXES, "Switch"):
        if text is None or not text.strip():
            return PropertyValues(default, True)
        items = parse_list_text(text, allow_comma_separated=syntax == "Literal")
        return PropertyValues(tuple(items), True) if items is not None else PropertyValues((), False)
    for fallback in STATIC_SYNTAXES:
        kept = prop.expression(fallback)
        if kept and kept.strip():
            items = parse_list_text(kept, allow_comma_separated=fallback == "Literal")
            if items is not None:
                return PropertyValues(tuple(items), False)
    return PropertyValues((), False)


def parse_list_text(text: str, allow_comma_separated: bool) -> list[Any] | None:
    """A JSON array (or ``{"$values": [...]}``) as a list; None when the text is not one."""
    try:
        parsed = loads_bounded(text)
    except ValueError:
        if not allow_comma_separated:
            return None
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(parsed, dict) and isinstance(parsed.get("$values"), list):
        parsed = parsed["$values"]
    if isinstance(parsed, list):
        return parsed
    if allow_comma_separated and isinstance(parsed, str | int | float):
        return [parsed]
    return None


def outcome_name(value: Any) -> str | None:
    """The port name of one value: ``200`` -> ``"200"``; a switch case -> its ``name``; else None."""
    if isinstance(value, dict):
        value = value.get("name", value.get("Name"))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str | int | float):
        text = str(value)
        return text if text.strip() else None
    return None


def dedupe_outcomes(outcomes: Iterable[str]) -> tuple[str, ...]:
    """Drop later case-insensitive repeats, keeping the first spelling and the order."""
    seen: set[str] = set()
    kept: list[str] = []
    for outcome in outcomes:
        key = outcome.lower()
        if key not in seen:
            seen.add(key)
            kept.append(outcome)
    return tuple(kept)


def known_outcome_ports(activity: Activity, descriptor: ActivityDescriptor) -> OutcomePorts:
    """Ports of an activity of a catalogued type: dynamic values first, then the static outcomes."""
    dynamic: list[str] = []
    certain = True
    for prop_descriptor in descriptor.properties:
        if not prop_descriptor.considers_values_as_outcomes:
            continue
        read = read_list_property(activity, prop_descriptor)
        certain = certain and read.certain
        dynamic.extend(name for name in map(outcome_name, read.values) if name is not None)
    return OutcomePorts(dedupe_outcomes([*dynamic, *descriptor.outcomes]), certain)
