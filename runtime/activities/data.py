"""World of Workflows data activities over the embedded object store (its "Tables").

Outcomes are WoW's own: List → ``Done`` / ``Object type not found``; Get → ``Success`` /
``Object instance not found``; Update and Delete → ``Done`` / ``Object instance not found``;
Create → ``Done`` / ``Object type not found``.
"""

from __future__ import annotations

from typing import Any

from runtime.catalog.data import OBJECT_INSTANCE_NOT_FOUND as INSTANCE_NOT_FOUND
from runtime.catalog.data import OBJECT_TYPE_NOT_FOUND as TYPE_NOT_FOUND
from runtime.engine.context import ActivityExecutionContext
from runtime.engine.handlers import ActivityResult, activity_handler
from runtime.errors import FlowdeskError
from runtime.masking import remember_secrets_in
from runtime.store.errors import ObjectTypeNotFound


@activity_handler("ObjectInstanceList")
def run_list(ctx: ActivityExecutionContext) -> ActivityResult:
    type_name = _required_text(ctx, "ObjectType")
    try:
        records = ctx.services.store.list_instances(
            type_name,
            filter=_optional_text(ctx, "Filter"),
            order_by=_optional_text(ctx, "OrderBy"),
            skip=_optional_int(ctx, "Skip"),
            limit=_optional_int(ctx, "Limit"),
        )
    except ObjectTypeNotFound:
        ctx.log(f'object type "{type_name}" not found', level="warning")
        return ActivityResult((TYPE_NOT_FOUND,))
    except FlowdeskError as error:
        raise ctx.fail(f"{error}", "Filter") from None
    ctx.journal_data["Count"] = len(records)
    remember_secrets_in(records)
    return ActivityResult(output=records)


@activity_handler("ObjectInstanceGet")
def run_get(ctx: ActivityExecutionContext) -> ActivityResult:
    object_id = _instance_id(ctx)
    record = ctx.services.store.get_instance(object_id)
    if record is None:
        return ActivityResult((INSTANCE_NOT_FOUND,))
    remember_secrets_in(record)
    _store_in_variable(ctx, record)
    return ActivityResult(("Success",), outputs={"Instance": record})


@activity_handler("ObjectInstanceUpdate")
def run_update(ctx: ActivityExecutionContext) -> ActivityResult:
    object_id = _instance_id(ctx)
    values = _values(ctx)
    try:
        record = ctx.services.store.update_instance(
            object_id, values, clear_omitted_fields=bool(ctx.get("ClearOmittedFields", False))
        )
    except FlowdeskError as error:
        raise ctx.fail(f"{error}", "Values") from None
    if record is None:
        return ActivityResult((INSTANCE_NOT_FOUND,))
    remember_secrets_in(record)
    _store_in_variable(ctx, record)
    return ActivityResult(outputs={"Instance": record})


@activity_handler("ObjectInstanceCreate")
def run_create(ctx: ActivityExecutionContext) -> ActivityResult:
    type_name = _required_text(ctx, "ObjectType")
    values = _values(ctx)
    title = values.pop("Title", None)
    try:
        record = ctx.services.store.create_instance(type_name, values, title=title)
    except ObjectTypeNotFound:
        return ActivityResult((TYPE_NOT_FOUND,))
    except FlowdeskError as error:
        raise ctx.fail(f"{error}", "Values") from None
    remember_secrets_in(record)
    _store_in_variable(ctx, record)
    return ActivityResult(outputs={"Instance": record, "InstanceId": record["ObjectId"]})


@activity_handler("DeleteObjectInstance")
def run_delete(ctx: ActivityExecutionContext) -> ActivityResult:
    object_id = _instance_id(ctx, "ObjectInstanceId" if ctx.has("ObjectInstanceId") else "InstanceId")
    if not ctx.services.store.delete_instance(object_id):
        return ActivityResult((INSTANCE_NOT_FOUND,))
    return ActivityResult()


def _store_in_variable(ctx: ActivityExecutionContext, record: dict[str, Any]) -> None:
    name = _optional_text(ctx, "VariableName")
    if name:
        ctx.set_variable(name, record)


def _instance_id(ctx: ActivityExecutionContext, name: str = "InstanceId") -> int:
    value = ctx.get(name)
    if value is None or value == "":
        raise ctx.fail("no instance id", name)
    try:
        return int(str(value).strip())
    except ValueError:
        raise ctx.fail(f"{value!r} is not an instance id (a whole number)", name) from None


def _values(ctx: ActivityExecutionContext) -> dict[str, Any]:
    values = ctx.get("Values") or {}
    if not isinstance(values, dict):
        raise ctx.fail(f"expected an object of field values, got {type(values).__name__}", "Values")
    return dict(values)


def _required_text(ctx: ActivityExecutionContext, name: str) -> str:
    text = _optional_text(ctx, name)
    if not text:
        raise ctx.fail("is empty", name)
    return text


def _optional_text(ctx: ActivityExecutionContext, name: str) -> str | None:
    value = ctx.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _optional_int(ctx: ActivityExecutionContext, name: str) -> int | None:
    value = ctx.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ctx.fail(f"{value!r} is not a whole number", name) from None
