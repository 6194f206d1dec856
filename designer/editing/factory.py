"""New activities as Elsa Studio 2 creates them: fresh id, unique name, display name and default values."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from runtime.catalog import get_descriptor
from runtime.catalog.descriptors import ActivityDescriptor, PropertyDescriptor
from runtime.elsa_json import new_activity_id
from runtime.model import Activity, ActivityProperty, WorkflowDefinition


def unique_name(base: str, taken: Iterable[str | None]) -> str:
    """``base`` as a JavaScript identifier not in ``taken``: ``sendHttpRequest1``, then ``...2``..."""
    cleaned = re.sub(r"[^A-Za-z0-9_$]", "", base) or "activity"
    if cleaned[0].isdigit():
        cleaned = f"a{cleaned}"
    stem = re.sub(r"\d+$", "", cleaned) or cleaned
    used = {name for name in taken if name}
    index = 1
    while f"{stem}{index}" in used:
        index += 1
    return f"{stem}{index}"


def default_text(prop: PropertyDescriptor) -> str | None:
    """A descriptor default value as the text Elsa stores for the default syntax."""
    value: Any = prop.default_value
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list | dict):
        return json.dumps(list(value) if isinstance(value, tuple) else value)
    return str(value)


def new_activity(type_name: str, workflow: WorkflowDefinition, position: tuple[float, float]) -> Activity:
    """A new activity of ``type_name`` at ``position`` with every catalogued property and its default."""
    descriptor = get_descriptor(type_name)
    if descriptor is None:
        raise KeyError(f"activity type {type_name!r} is not in the catalog")
    return _from_descriptor(descriptor, workflow, position)


def _from_descriptor(
    descriptor: ActivityDescriptor, workflow: WorkflowDefinition, position: tuple[float, float]
) -> Activity:
    base = descriptor.type[0].lower() + descriptor.type[1:]
    properties = []
    for prop in descriptor.properties:
        text = default_text(prop)
        expressions: dict[str, str | None] = {prop.default_syntax: text} if text is not None else {}
        properties.append(ActivityProperty(name=prop.name, expressions=expressions))
    return Activity(
        activity_id=new_activity_id(),
        type=descriptor.type,
        name=unique_name(base, (a.name for a in workflow.activities)),
        display_name=descriptor.display_name,
        x=round(position[0]),
        y=round(position[1]),
        persist_workflow=False,
        load_workflow_context=False,
        save_workflow_context=False,
        properties=properties,
        property_storage_providers={},
    )
