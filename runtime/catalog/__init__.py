"""The activity catalog: one descriptor per activity type Flowdesk knows, and lookups over it.

Covers the Elsa 2 core set and World of Workflows' data activities (see the modules beside this one).
A type the catalog does not know still gets a descriptor from :func:`descriptor_for`: a generic one built
from the activity itself, so it can be drawn, edited, validated and exported unchanged.

Conventions: ``supported_syntaxes`` lists the syntaxes Elsa's editor offers besides "Default" (the
``default_syntax``); list-valued defaults and options are tuples (descriptors are immutable).
"""

from __future__ import annotations

from runtime.catalog.control_flow import CONTROL_FLOW_DESCRIPTORS
from runtime.catalog.descriptors import ALL_SYNTAXES, ActivityDescriptor, PropertyDescriptor
from runtime.catalog.http import HTTP_DESCRIPTORS
from runtime.catalog.outcomes import dedupe_outcomes, effective_syntax, known_outcome_ports
from runtime.catalog.primitives import (
    CORRELATE,
    FAULT,
    FINISH,
    RUN_JAVASCRIPT,
    RUN_WORKFLOW,
    SET_VARIABLE,
    TIMER,
    WRITE_LINE,
)
from runtime.catalog.wow_data import WOW_DATA_DESCRIPTORS
from runtime.model import Activity, ActivityProperty, WorkflowDefinition

UNKNOWN_CATEGORY = "Other"

_REGISTRY: dict[str, ActivityDescriptor] = {
    descriptor.type: descriptor
    for descriptor in (
        *HTTP_DESCRIPTORS,
        *CONTROL_FLOW_DESCRIPTORS,
        SET_VARIABLE,
        FAULT,
        RUN_JAVASCRIPT,
        CORRELATE,
        RUN_WORKFLOW,
        FINISH,
        *WOW_DATA_DESCRIPTORS,
        TIMER,
        WRITE_LINE,
    )
}
"""Palette order: HTTP, Control Flow, Primitives, Scripting, Workflows, Data, Timers, Console."""


def get_descriptor(type_name: str) -> ActivityDescriptor | None:
    """The descriptor of a catalogued type (exact type name, as Elsa matches it), else None."""
    return _REGISTRY.get(type_name)


def all_descriptors() -> list[ActivityDescriptor]:
    """Every catalogued type, in palette order."""
    return list(_REGISTRY.values())


def categories() -> list[str]:
    """The palette's categories, in the order their first type appears."""
    return list(dict.fromkeys(descriptor.category for descriptor in _REGISTRY.values()))


def descriptor_for(activity: Activity, workflow: WorkflowDefinition | None = None) -> ActivityDescriptor:
    """The catalogued descriptor of ``activity``'s type, or a generic one for a type nobody knows."""
    known = _REGISTRY.get(activity.type)
    if known is not None:
        return known
    outcomes = [c.effective_outcome for c in workflow.outgoing(activity.activity_id)] if workflow else []
    return generic_descriptor(activity, outcomes)


def generic_descriptor(activity: Activity, connected_outcomes: list[str]) -> ActivityDescriptor:
    """A descriptor for an unknown type: its properties as found, its outcomes those it is wired by.

    With no outgoing connection it offers ``Done``, the outcome Elsa gives a type that declares none.
    """
    outcomes = dedupe_outcomes(connected_outcomes) or ("Done",)
    return ActivityDescriptor(
        type=activity.type,
        category=UNKNOWN_CATEGORY,
        display_name=activity.type,
        description=f"{activity.type} is not known to Flowdesk: it is kept as is but cannot run locally.",
        properties=tuple(_generic_property(prop) for prop in activity.properties),
        outcomes=outcomes,
        is_known=False,
        icon="unknown",
    )


def _generic_property(prop: ActivityProperty) -> PropertyDescriptor:
    """Editable as any syntax; the default is the one key the editor stored its text under, if only one."""
    stored = [syntax for syntax, text in prop.expressions.items() if text is not None]
    default_syntax = prop.syntax or (stored[0] if len(stored) == 1 else "Literal")
    multi_line = any("\n" in (text or "") for text in prop.expressions.values())
    return PropertyDescriptor(
        name=prop.name,
        value_type="any",
        ui_hint="multi-line" if multi_line else "single-line",
        default_syntax=default_syntax,
        supported_syntaxes=ALL_SYNTAXES,
    )


def outcome_ports(activity: Activity, workflow: WorkflowDefinition | None = None) -> list[str]:
    """The outcome ports ``activity`` shows from its current property values (order: see ``outcomes``)."""
    known = _REGISTRY.get(activity.type)
    if known is None:
        return list(descriptor_for(activity, workflow).outcomes)
    return list(known_outcome_ports(activity, known).ports)


__all__ = [
    "UNKNOWN_CATEGORY",
    "ActivityDescriptor",
    "PropertyDescriptor",
    "all_descriptors",
    "categories",
    "descriptor_for",
    "effective_syntax",
    "generic_descriptor",
    "get_descriptor",
    "outcome_ports",
]
