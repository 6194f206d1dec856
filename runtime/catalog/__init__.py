"""The activity catalog: one descriptor per activity type Flowdesk knows, and lookups over it.

Covers the Elsa 2 core set and World of Workflows' data activities, one module per family (``control``,
``primitives``, ``workflows``, ``http``, ``data``), each beside the module of the same name in
:mod:`runtime.activities` that runs those types. Type names match exactly, as Elsa's ``ActivityTypeService``
matches them (see :mod:`runtime.engine.handlers`).
A type the catalog does not know still gets a descriptor from :func:`descriptor_for`: a generic one built
from the activity itself, so it can be drawn, edited, validated and exported unchanged.

Conventions: ``supported_syntaxes`` lists the syntaxes Elsa's editor offers besides "Default" (the
``default_syntax``); list-valued defaults and options are tuples (descriptors are immutable).
"""

from __future__ import annotations

from collections.abc import Iterable

from runtime.catalog import control, data, http, primitives, workflows
from runtime.catalog.descriptors import ALL_SYNTAXES, ActivityDescriptor, PropertyDescriptor
from runtime.catalog.outcomes import dedupe_outcomes, effective_syntax, known_outcome_ports
from runtime.model import Activity, ActivityProperty, WorkflowDefinition

UNKNOWN_CATEGORY = "Other"

FAMILIES: tuple[str, ...] = ("control", "primitives", "workflows", "http", "data")
"""The family modules, each paired with the module of the same name in :mod:`runtime.activities`."""

_REGISTRY: dict[str, ActivityDescriptor] = {
    descriptor.type: descriptor
    for descriptor in (
        *http.DESCRIPTORS,
        *control.DESCRIPTORS,
        primitives.SET_VARIABLE,
        primitives.FAULT,
        primitives.RUN_JAVASCRIPT,
        workflows.CORRELATE,
        workflows.RUN_WORKFLOW,
        workflows.FINISH,
        *data.DESCRIPTORS,
        primitives.TIMER,
        primitives.WRITE_LINE,
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


_ADDED: set[str] = set()
"""Types added with :func:`add_descriptors` (an Elsa server's own activities), not Flowdesk's own."""


def add_descriptors(descriptors: Iterable[ActivityDescriptor]) -> list[str]:
    """Know more types, e.g. the activities an Elsa server describes (``GET v1/activities``).

    A type the catalog has of its own keeps its own descriptor; one added before is replaced. Added types
    come after the catalog's own in palette order. Returns the types added or replaced.
    """
    added: list[str] = []
    for descriptor in descriptors:
        if descriptor.type in _REGISTRY and descriptor.type not in _ADDED:
            continue
        _REGISTRY[descriptor.type] = descriptor
        _ADDED.add(descriptor.type)
        added.append(descriptor.type)
    return added


def remove_added_descriptors(types: Iterable[str] | None = None) -> None:
    """Forget types added with :func:`add_descriptors` (every one of them when ``types`` is None)."""
    for type_name in list(_ADDED) if types is None else list(types):
        if type_name in _ADDED:
            _ADDED.discard(type_name)
            _REGISTRY.pop(type_name, None)


def added_types() -> set[str]:
    """The types known through :func:`add_descriptors`."""
    return set(_ADDED)


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
    "FAMILIES",
    "UNKNOWN_CATEGORY",
    "ActivityDescriptor",
    "PropertyDescriptor",
    "add_descriptors",
    "added_types",
    "all_descriptors",
    "categories",
    "descriptor_for",
    "effective_syntax",
    "generic_descriptor",
    "get_descriptor",
    "outcome_ports",
    "remove_added_descriptors",
]
