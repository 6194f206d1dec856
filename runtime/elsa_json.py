"""Read and write Elsa 2 workflow definition JSON, losslessly.

Reading is lenient the way Newtonsoft's output needs: ``$id`` is dropped, ``$ref`` is resolved,
``{"$values": [...]}`` wrappers are unwrapped, a UTF-8 BOM is accepted and every unknown key is kept.
Writing is what Newtonsoft writes with Elsa's settings: camelCase, nulls omitted, ``$id`` numbered in
document order on every object except the free-form ``data`` of variables and custom attributes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

from runtime.errors import WorkflowFormatError, describe_json_error
from runtime.jsonlimits import (
    MAX_NESTING,
    JsonLimitError,
    escape_surrogates,
    loads_bounded,
    nesting_exceeds,
)
from runtime.model import Activity, VariableBag, WorkflowDefinition
from runtime.modelbase import ElsaObject, ModelValidationError

MAX_REF_EXPANSION = 100_000
"""JSON values that resolving ``$ref`` may add to a file (each reference is a copy of the object it names,
so a few kilobytes of references to references can stand for billions of values)."""

# --------------------------------------------------------------------------------------------------
# reading


def load_workflow(path: str | os.PathLike[str]) -> WorkflowDefinition:
    """Read a workflow file; any fault raises :class:`WorkflowFormatError` naming the file."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise WorkflowFormatError(source, "no such file") from None
    except IsADirectoryError:
        raise WorkflowFormatError(source, "is a folder, not a workflow file") from None
    except OSError as error:
        raise WorkflowFormatError(source, f"cannot be read ({error.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise WorkflowFormatError(source, f"is not UTF-8 text (byte {error.start})") from None
    return loads_workflow(text, source)


def file_identity(
    path: str | os.PathLike[str] | None, text: bytes | None = None
) -> tuple[str | None, str | None]:
    """A workflow file's absolute path and the SHA-256 of its content (``text``, else the file as it is):
    what a run's history and a recorded test name the workflow by, to tell when it changed since."""
    import hashlib  # only recorded runs name a file by its digest: reading and validating need none

    if text is None and path is not None:
        try:
            text = Path(path).read_bytes()
        except OSError:
            text = None
    digest = hashlib.sha256(text).hexdigest() if text is not None else None
    return (str(Path(path).resolve()) if path is not None else None), digest


def loads_workflow(text: str, source: str = "<string>") -> WorkflowDefinition:
    """Parse workflow JSON text; ``source`` names it in errors."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise WorkflowFormatError(source, "is empty, expected a workflow definition (JSON)")
    try:
        document = loads_bounded(text)
    except JsonLimitError as error:
        raise WorkflowFormatError(
            source, f"cannot be read: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except json.JSONDecodeError as error:
        raise WorkflowFormatError(source, f"is {describe_json_error(error)}") from None
    return workflow_from_elsa(document, source, nesting_checked=True)


def workflow_from_elsa(
    document: Any, source: str = "<data>", nesting_checked: bool = False
) -> WorkflowDefinition:
    """Build the model from already parsed Elsa 2 JSON (``nesting_checked``: its nesting is known to be
    within :data:`~runtime.jsonlimits.MAX_NESTING`, as :func:`loads_bounded` leaves it)."""
    cleaned = clean_newtonsoft(document, source, nesting_checked)
    _check_is_workflow(cleaned, source)
    try:
        workflow = WorkflowDefinition.model_validate(cleaned)
    except ModelValidationError as error:
        raise WorkflowFormatError(source, error.summary()) from None
    _check_references(workflow, source)
    return workflow


def clean_newtonsoft(document: Any, source: str = "<data>", nesting_checked: bool = False) -> Any:
    """Drop ``$id``, resolve ``$ref`` and unwrap ``$values`` everywhere, keeping key order.

    Data nested deeper than :data:`~runtime.jsonlimits.MAX_NESTING` levels (before or after resolving),
    a reference cycle, or references that would add more than :data:`MAX_REF_EXPANSION` values raise a
    one-line :class:`WorkflowFormatError`.
    """
    if not nesting_checked and nesting_exceeds(document, MAX_NESTING):
        raise WorkflowFormatError(source, f"cannot be read: nested deeper than {MAX_NESTING} levels")
    by_id: dict[str, Any] = {}
    has_refs = False

    def collect(node: Any) -> None:
        nonlocal has_refs
        if isinstance(node, dict):
            ref_id = node.get("$id")
            if isinstance(ref_id, str | int):
                by_id[str(ref_id)] = node
            has_refs = has_refs or "$ref" in node
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(document)
    if has_refs:
        _check_expansion(document, by_id, source)

    def clean(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return clean(by_id[str(node["$ref"])])
            if "$values" in node:
                return clean(node["$values"])
            return {key: clean(value) for key, value in node.items() if key not in ("$id", "$type")}
        if isinstance(node, list):
            return [clean(value) for value in node]
        return node

    return clean(document)


def _check_expansion(document: Any, by_id: dict[str, Any], source: str) -> None:
    """Every ``$ref`` names an object, none contains itself, and the resolved document stays within
    :data:`MAX_NESTING` levels and :data:`MAX_REF_EXPANSION` added values.

    Each referenced object is measured once (its resolved size and height are remembered), so shared
    objects cost nothing more however often they are referenced, and this is linear in the file.
    """
    measured: dict[int, tuple[int, int]] = {}  # id() of a referenced object -> (values, levels) resolved
    resolving: set[str] = set()
    own_values = 0

    def too_deep() -> WorkflowFormatError:
        return WorkflowFormatError(
            source, f"cannot be read: nested deeper than {MAX_NESTING} levels once '$ref's are resolved"
        )

    def measure(node: Any, depth: int) -> tuple[int, int]:
        """(values, levels) of ``node`` once resolved; ``depth`` is the level it sits at."""
        if depth > MAX_NESTING:
            raise too_deep()
        if isinstance(node, dict):
            if "$ref" in node:
                ref = str(node["$ref"])
                target = by_id.get(ref)
                if target is None:
                    raise WorkflowFormatError(source, f"'$ref': {ref!r} refers to no object with that '$id'")
                if ref in resolving:
                    raise WorkflowFormatError(source, f"'$ref': {ref!r} refers to itself")
                known = measured.get(id(target))
                if known is None:
                    resolving.add(ref)
                    try:
                        known = measured[id(target)] = measure(target, depth)
                    finally:
                        resolving.discard(ref)
                elif depth + known[1] - 1 > MAX_NESTING:
                    raise too_deep()
                return known
            children: Any = node.values()
            if "$values" in node:
                children = [node["$values"]]
        elif isinstance(node, list):
            children = node
        else:
            return 1, 0
        values, levels = 1, 1
        for child in children:
            child_values, child_levels = measure(child, depth + 1)
            values += child_values
            levels = max(levels, child_levels + 1)
            if values - own_values > MAX_REF_EXPANSION:
                break
        return values, levels

    own_values = _count_values(document)
    total, _ = measure(document, 1)
    if total - own_values > MAX_REF_EXPANSION:
        raise WorkflowFormatError(
            source,
            f"cannot be read: its '$ref's would add more than {MAX_REF_EXPANSION:,} values "
            "(objects referenced too many times)",
        )


def _count_values(document: Any) -> int:
    count, stack = 0, [document]
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count


def _check_is_workflow(document: Any, source: str) -> None:
    if not isinstance(document, dict):
        kind = _JSON_KINDS.get(type(document), f"a {type(document).__name__}")
        raise WorkflowFormatError(source, f"is {kind}, not a workflow definition (expected a JSON object)")
    if "activities" not in document:
        hint = (
            "a workflow instance" if "workflowStatus" in document or "definitionVersionId" in document else ""
        )
        what = hint or "a workflow definition"
        raise WorkflowFormatError(
            source,
            f"is not {what}: it has no 'activities' list"
            if not hint
            else f"is {hint}, not a workflow definition",
        )
    activities = document["activities"]
    if isinstance(activities, list):
        for index, activity in enumerate(activities):
            if not isinstance(activity, dict):
                continue
            elsa1_sign = _elsa1_activity_sign(activity)
            if elsa1_sign:
                raise WorkflowFormatError(
                    source,
                    f"activities[{index}] is in the older Elsa 1 layout ({elsa1_sign}); "
                    "only the Elsa 2 format is supported",
                )
    connections = document.get("connections")
    if isinstance(connections, list):
        for index, connection in enumerate(connections):
            if isinstance(connection, dict) and "destinationActivityId" in connection:
                raise WorkflowFormatError(
                    source,
                    f"connections[{index}] is in the older Elsa 1 layout (destinationActivityId); "
                    "only the Elsa 2 format is supported",
                )


_JSON_KINDS: dict[type, str] = {
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def _elsa1_activity_sign(activity: dict[str, Any]) -> str:
    """What marks an activity object as Elsa 1 (empty when it looks like Elsa 2)."""
    if isinstance(activity.get("properties"), dict):
        return "properties as an object"
    if "workflowDefinitionId" in activity:
        return "a workflowDefinitionId on the activity"
    if "state" in activity and "activityId" not in activity:
        return "'state' instead of 'properties'"
    return ""


def _check_references(workflow: WorkflowDefinition, source: str) -> None:
    seen: dict[str, int] = {}
    for index, activity in enumerate(workflow.activities):
        if activity.activity_id in seen:
            raise WorkflowFormatError(
                source,
                f"duplicate activity id {activity.activity_id!r} "
                f"(activities[{seen[activity.activity_id]}] and activities[{index}])",
            )
        seen[activity.activity_id] = index
    for index, connection in enumerate(workflow.connections):
        for role, end in (
            ("source", connection.source_activity_id),
            ("target", connection.target_activity_id),
        ):
            if end not in seen:
                raise WorkflowFormatError(
                    source, f"connections[{index}] has {role} activity {end!r}, which does not exist"
                )


# --------------------------------------------------------------------------------------------------
# writing


def workflow_to_elsa(workflow: WorkflowDefinition) -> dict[str, Any]:
    """The Elsa 2 JSON object for ``workflow``, with ``$id`` numbered as Newtonsoft numbers it."""
    return _dump(workflow, count(1))


def dumps_workflow(workflow: WorkflowDefinition, indent: int | None = None) -> str:
    """Serialise as Elsa 2 JSON text (compact like WoW's exports unless ``indent`` is given)."""
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(workflow_to_elsa(workflow), ensure_ascii=False, indent=indent, separators=separators)
    return escape_surrogates(text)  # a "\\ud800" read from JSON stays a lone surrogate: write it escaped


def save_workflow(
    workflow: WorkflowDefinition, path: str | os.PathLike[str], indent: int | None = None
) -> None:
    """Write atomically: a temporary file beside the target, flushed, then renamed over it."""
    from runtime.files import write_text_atomically  # its locks and sockets only when a file is written

    text = dumps_workflow(workflow, indent)
    write_text_atomically(Path(path), text)


def _dump(value: Any, ids: Iterator[int], with_ids: bool = True) -> Any:
    if isinstance(value, ElsaObject):
        return _dump_model(value, ids)
    if isinstance(value, dict):
        out: dict[str, Any] = {"$id": str(next(ids))} if with_ids else {}
        for key, item in value.items():
            out[key] = _dump(item, ids, with_ids)
        return out
    if isinstance(value, list | tuple):
        return [_dump(item, ids, with_ids) for item in value]
    return value


def _dump_model(model: ElsaObject, ids: Iterator[int]) -> dict[str, Any]:
    out: dict[str, Any] = {"$id": str(next(ids))}
    present: dict[str, tuple[Any, bool]] = {}
    for field_name, info in type(model).model_fields.items():
        if field_name not in model.model_fields_set:
            continue
        value = getattr(model, field_name)
        if value is None:
            continue
        present[info.alias or field_name] = (
            value,
            not (isinstance(model, VariableBag) and field_name == "data"),
        )
    for key, value in (model.model_extra or {}).items():
        present[key] = (value, True)
    ordered = [key for key in model.key_order if key in present]
    ordered += [key for key in present if key not in ordered]
    for key in ordered:
        value, with_ids = present[key]
        out[key] = _dump(value, ids, with_ids)
    return out


def new_activity_id() -> str:
    """A fresh activity id in the form Elsa Studio uses (a GUID)."""
    import uuid

    return str(uuid.uuid4())


__all__ = [
    "Activity",
    "clean_newtonsoft",
    "dumps_workflow",
    "file_identity",
    "load_workflow",
    "loads_workflow",
    "new_activity_id",
    "save_workflow",
    "workflow_from_elsa",
    "workflow_to_elsa",
]
