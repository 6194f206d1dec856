"""Between the Elsa 2 REST API's shapes and the runtime's workflow model.

The API's quirks (``elsa2-server-api.md`` §2, §5) are handled here and nowhere else:

- on definition endpoints ``variables`` and ``customAttributes`` are JSON *strings* of the dictionary (both
  ways); the model and export files hold ``{"data": {...}}``;
- ``x``/``y`` must be integers; connections with an empty outcome are dropped by the server (sent as
  ``Done``, which is what they mean);
- a save replaces every field, so everything is sent, ``customAttributes`` included (Elsa Studio omits it
  and so wipes it);
- the server keeps only the fields of its own model: keys it does not know are reported, not silently lost;
- API responses carry no ``$id``; the file a pull writes is the export form (:func:`runtime.elsa_json.
  dumps_workflow`), the shape ``flowdesk export`` writes and Elsa's own export gives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from runtime.errors import WorkflowFormatError
from runtime.model import Activity, ActivityProperty, WorkflowDefinition

STRING_BAGS = ("variables", "customAttributes")
"""Definition fields the API writes and reads as JSON text."""


# --------------------------------------------------------------------------------------------------
# API -> model


def workflow_from_api(document: Any, source: str = "<server>") -> WorkflowDefinition:
    """The model of a definition as ``GET v1/workflow-definitions/...`` answers it.

    ``variables``/``customAttributes`` given as JSON text become ``{"data": {...}}`` in place (so the key
    order of the answer, which is Elsa's export order, is kept). Raises :class:`WorkflowFormatError`.
    """
    from runtime.elsa_json import workflow_from_elsa

    if not isinstance(document, dict):
        raise WorkflowFormatError(source, "the server did not answer with a workflow definition")
    converted: dict[str, Any] = {}
    for key, value in document.items():
        if key in STRING_BAGS and isinstance(value, str):
            converted[key] = {"data": _parse_bag(value, key, source)}
        else:
            converted[key] = value
    return workflow_from_elsa(converted, source)


def _parse_bag(text: str, key: str, source: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        parsed = json.loads(text)
    except ValueError:
        raise WorkflowFormatError(source, f"{key} is not JSON text as Elsa writes it") from None
    if parsed is None:
        return {}
    if not isinstance(parsed, dict):
        raise WorkflowFormatError(source, f"{key} holds a {type(parsed).__name__}, not an object")
    return parsed


# --------------------------------------------------------------------------------------------------
# model -> API


@dataclass
class SaveRequest:
    """The body of ``POST v1/workflow-definitions`` and what of the workflow the server will not keep."""

    body: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    """One line per kind of change or loss: keys Elsa does not store, rounded positions, connections
    without an outcome sent as ``Done``."""


def bag_text(data: dict[str, Any] | None) -> str:
    """``variables``/``customAttributes`` as the API's JSON text (indented as Elsa writes it)."""
    return json.dumps(data or {}, ensure_ascii=False, indent=2)


def save_request(workflow: WorkflowDefinition, publish: bool = False) -> SaveRequest:
    """The save request for ``workflow`` (a full replace: every field the server keeps is sent)."""
    notes: list[str] = []
    body: dict[str, Any] = {}
    if workflow.definition_id:
        body["workflowDefinitionId"] = workflow.definition_id
    for key, value in (
        ("name", workflow.name),
        ("displayName", workflow.display_name),
        ("description", workflow.description),
        ("tag", workflow.tag),
        ("channel", workflow.channel),
    ):
        if value is not None:
            body[key] = value
    body["variables"] = bag_text(workflow.variables.data if workflow.variables else None)
    attributes = workflow.custom_attributes
    body["customAttributes"] = bag_text(attributes.data if attributes else None)
    if workflow.context_options is not None:
        body["contextOptions"] = workflow.context_options
    body["isSingleton"] = bool(workflow.is_singleton)
    if workflow.persistence_behavior:
        body["persistenceBehavior"] = workflow.persistence_behavior
    body["deleteCompletedInstances"] = bool(workflow.delete_completed_instances)
    body["publish"] = publish
    dropped: dict[str, int] = {}
    rounded = 0
    activities = []
    for activity in workflow.activities:
        item, was_rounded = _activity_body(activity, dropped)
        rounded += was_rounded
        activities.append(item)
    body["activities"] = activities
    connections = []
    no_outcome = 0
    for connection in workflow.connections:
        if not connection.outcome:
            no_outcome += 1
        connections.append(
            {
                "sourceActivityId": connection.source_activity_id,
                "targetActivityId": connection.target_activity_id,
                "outcome": connection.effective_outcome,
            }
        )
        for key in connection.model_extra or {}:
            dropped[f"connections[].{key}"] = dropped.get(f"connections[].{key}", 0) + 1
    body["connections"] = connections
    for key in workflow.model_extra or {}:
        dropped[key] = 1
    if dropped:
        kept_off = ", ".join(
            f"{key} ({count} times)" if count > 1 else key for key, count in sorted(dropped.items())
        )
        notes.append(f"Elsa 2 does not store {kept_off}: not sent")
    if rounded:
        notes.append(f"{rounded} activity position(s) rounded to whole numbers (Elsa stores integers)")
    if no_outcome:
        notes.append(f"{no_outcome} connection(s) without an outcome sent as Done (what they mean)")
    return SaveRequest(body, notes)


def _activity_body(activity: Activity, dropped: dict[str, int]) -> tuple[dict[str, Any], bool]:
    item: dict[str, Any] = {"activityId": activity.activity_id, "type": activity.type}
    for key, value in (
        ("name", activity.name),
        ("displayName", activity.display_name),
        ("description", activity.description),
    ):
        if value is not None:
            item[key] = value
    rounded = False
    for key, position in (("x", activity.x), ("y", activity.y)):
        if position is not None:
            whole = round(position)
            rounded = rounded or whole != position
            item[key] = int(whole)
    item["persistWorkflow"] = activity.persist_workflow
    item["loadWorkflowContext"] = activity.load_workflow_context
    item["saveWorkflowContext"] = activity.save_workflow_context
    item["properties"] = [_property_body(prop, dropped) for prop in activity.properties]
    item["propertyStorageProviders"] = dict(activity.property_storage_providers)
    for key in activity.model_extra or {}:
        name = f"activities[].{key}"
        dropped[name] = dropped.get(name, 0) + 1
    return item, rounded


def _property_body(prop: ActivityProperty, dropped: dict[str, int]) -> dict[str, Any]:
    item: dict[str, Any] = {"name": prop.name}
    if prop.syntax is not None:
        item["syntax"] = prop.syntax
    item["expressions"] = dict(prop.expressions)
    for key in prop.model_extra or {}:
        name = f"properties[].{key}"
        dropped[name] = dropped.get(name, 0) + 1
    return item


# --------------------------------------------------------------------------------------------------
# comparing definitions


def content_fingerprint(workflow: WorkflowDefinition) -> str:
    """What a save would store, without the server-managed fields: equal fingerprints, same definition.

    The designer keeps the fingerprint of what it pulled, and warns when the server's latest version no
    longer has it (someone else saved meanwhile, even a draft updated in place under the same version)."""
    import hashlib

    body = dict(save_request(workflow).body)
    body.pop("publish", None)
    for key in STRING_BAGS:
        body[key] = json.loads(body[key])
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------------
# time


def parse_timestamp(text: str | None) -> datetime | None:
    """An Elsa timestamp (``2024-07-22T07:40:37.0999696Z``, up to 7 fraction digits) as an aware datetime."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
