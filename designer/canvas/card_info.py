"""What a card shows, read from the activity and the runtime's catalog (the designer has no catalog).

Ports are the catalog's outcome ports (dynamic ones included, e.g. SendHttpRequest's status codes),
plus any outcome a connection uses that the catalog does not offer, so every wire has a port to leave.
"""

from __future__ import annotations

from designer.canvas.card import CardContent
from designer.icons import initials
from runtime.catalog import (
    ActivityDescriptor,
    effective_syntax,
    generic_descriptor,
    get_descriptor,
    outcome_ports,
)
from runtime.catalog.outcomes import dedupe_outcomes
from runtime.model import Activity, WorkflowDefinition

SYNTAX_MARKS = {"JavaScript": "js", "Liquid": "liquid", "Json": "json"}


def card_content(
    activity: Activity, workflow: WorkflowDefinition | None, connected: list[str] | None = None
) -> CardContent:
    """``connected``: the outcomes of the activity's outgoing connections, when the caller knows them
    already (building a scene computes them for all activities in one pass)."""
    if connected is None:
        connected = [c.effective_outcome for c in workflow.outgoing(activity.activity_id)] if workflow else []
    known = get_descriptor(activity.type)
    descriptor = known if known is not None else generic_descriptor(activity, connected)
    ports = outcome_ports(activity) if known is not None else list(descriptor.outcomes)
    title = activity.display_name or activity.name or descriptor.display_name
    type_label = descriptor.display_name if descriptor.display_name != title else ""
    if activity.name and activity.name != title:
        type_label = f"{descriptor.display_name} · {activity.name}"
    return CardContent(
        title=title,
        type_label=type_label,
        summary=summary_text(activity, descriptor.summary_property, descriptor),
        category=descriptor.category,
        icon=descriptor.icon,
        outcomes=dedupe_outcomes([*ports, *connected]),
        known=descriptor.is_known,
        description=activity.description or descriptor.description,
        icon_text=initials(activity.type),
    )


def summary_text(activity: Activity, property_name: str | None, descriptor: ActivityDescriptor) -> str:
    """The one-line summary: the summary property's text in its effective syntax, else the description."""
    if property_name:
        prop = activity.get_property(property_name)
        if prop is not None:
            syntax = effective_syntax(prop, descriptor.get_property(property_name))
            text = (prop.expression(syntax) or "").strip()
            if text:
                mark = SYNTAX_MARKS.get(syntax)
                first_line = first_code_line(text) if syntax != "Json" else " ".join(text.split())
                return f"{mark}: {first_line}" if mark and syntax != "Json" else first_line
    return (activity.description or "").strip()


def first_code_line(text: str) -> str:
    """The first line that says something: comments and blank lines are skipped (else the first line)."""
    in_block = False
    for line in text.splitlines():
        stripped = line.strip()
        if in_block:
            in_block = "*/" not in stripped
            continue
        if stripped.startswith("/*"):
            in_block = "*/" not in stripped
            continue
        if stripped and not stripped.startswith("//"):
            return stripped
    return text.strip().splitlines()[0].strip()
