"""Object types, their fields, and how a value is checked and stored for a field's type.

Values are kept as JSON. Numbers stay JSON numbers and booleans JSON booleans, so SQLite's ``json_extract``
gives back INTEGER/REAL and 0/1 and comparisons are typed. Datetimes are stored in one canonical form,
UTC with milliseconds (``2024-01-01T00:00:00.000Z``, what JavaScript's ``toISOString()`` writes), so
comparing the text compares the instants.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

FIELD_TYPES: tuple[str, ...] = ("string", "number", "boolean", "datetime", "json")
OBJECT_ID = "ObjectId"
TITLE = "Title"
BUILT_IN_FIELDS: tuple[str, ...] = (OBJECT_ID, TITLE)
# Lowercase words of the OData grammar: a field with such a name could not be written in a filter.
RESERVED_FIELD_NAMES = frozenset(
    {"and", "or", "not", "eq", "ne", "gt", "ge", "lt", "le", "true", "false", "null", "asc", "desc"}
)
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class FieldValueError(ValueError):
    """A value that does not fit its field; the caller adds where it came from."""


@dataclass(frozen=True)
class FieldDef:
    """One field of an object type: its name and value type (``string`` unless declared otherwise)."""

    name: str
    type: str = "string"

    def to_seed(self) -> str | dict[str, str]:
        """The seed spelling: a bare name for a string field, else ``{"name", "type"}``."""
        return self.name if self.type == "string" else {"name": self.name, "type": self.type}


@dataclass
class ObjectType:
    """A WoW object type (a "Table"): its name and fields; every instance also has ObjectId and Title."""

    name: str
    fields: list[FieldDef] = field(default_factory=list)

    def field(self, name: str) -> FieldDef | None:
        return next((item for item in self.fields if item.name == name), None)

    @property
    def field_names(self) -> list[str]:
        return [item.name for item in self.fields]


def check_type_name(name: object) -> str:
    """A type name is any non-empty text without surrounding spaces (WoW allows spaces inside)."""
    if not isinstance(name, str) or not name.strip():
        raise FieldValueError(f"a type name must be non-empty text, got {describe(name)}")
    if name != name.strip():
        raise FieldValueError(f"type name {describe(name)} has leading or trailing spaces")
    return name


def field_def_from_spec(spec: object) -> FieldDef:
    """``"Key"`` or ``{"name": "Expires", "type": "datetime"}`` (the seed spelling) → a checked FieldDef."""
    name: object
    type_name: object
    if isinstance(spec, FieldDef):
        name, type_name = spec.name, spec.type
    elif isinstance(spec, str):
        name, type_name = spec, "string"
    elif isinstance(spec, Mapping):
        unknown = sorted(set(spec) - {"name", "type"})
        if unknown:
            raise FieldValueError(f'unknown key "{unknown[0]}" in a field (expected "name" and "type")')
        name, type_name = spec.get("name"), spec.get("type", "string")
    else:
        raise FieldValueError(f'a field is a name or {{"name", "type"}}, got {describe(spec)}')
    if not isinstance(name, str) or not _FIELD_NAME.match(name):
        raise FieldValueError(
            f"field name {describe(name)} must start with a letter or _ and hold only letters, digits and _"
        )
    if name in BUILT_IN_FIELDS:
        raise FieldValueError(f'"{name}" is built in to every type; do not declare it')
    if name in RESERVED_FIELD_NAMES:
        raise FieldValueError(f'field name "{name}" is an OData keyword; choose another name')
    if not isinstance(type_name, str) or type_name not in FIELD_TYPES:
        raise FieldValueError(
            f'field "{name}" has type {describe(type_name)}; expected one of {", ".join(FIELD_TYPES)}'
        )
    return FieldDef(name, type_name)


def field_defs_from_specs(specs: Iterable[object]) -> list[FieldDef]:
    """Checks each spec and rejects two fields whose names differ only in case (lookups tolerate case)."""
    if isinstance(specs, str | bytes | Mapping):
        raise FieldValueError(f'fields are a list of names or {{"name", "type"}}, got {describe(specs)}')
    result: list[FieldDef] = []
    for spec in specs:
        item = field_def_from_spec(spec)
        clash = next((other for other in result if other.name.lower() == item.name.lower()), None)
        if clash is not None:
            raise FieldValueError(f'field "{item.name}" is declared twice (also as "{clash.name}")')
        result.append(item)
    return result


def canonical_datetime(value: object) -> str:
    """ISO-8601 text or a datetime → UTC, rounded to the millisecond, ``YYYY-MM-DDTHH:MM:SS.mmmZ``.

    A value without an offset is taken as UTC. Rounding matches SQLite's, so a filter comparing a string
    field through ``strftime`` agrees with values stored here.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise FieldValueError(f"{describe(value)} is not an ISO-8601 date or datetime") from None
    else:
        raise FieldValueError(f"{describe(value)} is not an ISO-8601 date or datetime")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    with contextlib.suppress(OverflowError):  # 9999-12-31T23:59:59.9995 stays as it is
        moment = moment + timedelta(microseconds=500)
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000, tzinfo=None)
    return moment.isoformat(timespec="milliseconds") + "Z"


def stored_value(field_def: FieldDef, value: Any, *, strict: bool) -> Any:
    """The JSON value kept for ``value`` in ``field_def``; ``None`` clears the field.

    ``strict`` (seed files) wants the JSON type the field declares. Otherwise (workflows, whose Literal
    and Liquid expressions produce text) text is converted: ``"5"`` for a number, ``"true"`` for a boolean,
    ``""`` for an empty number/boolean/datetime, and scalars are written as text into string fields.
    """
    if value is None:
        return None
    expected = field_def.type
    if expected == "json":
        return _json_value(field_def, value)
    if expected == "string":
        return _string_value(field_def, value, strict)
    if expected == "number":
        return _number_value(field_def, value, strict)
    if expected == "boolean":
        return _boolean_value(field_def, value, strict)
    return _datetime_value(field_def, value, strict)


def _mismatch(field_def: FieldDef, value: Any) -> FieldValueError:
    article = "an" if field_def.type[0] in "aeiou" else "a"
    return FieldValueError(
        f'field "{field_def.name}" expects {article} {field_def.type}, got {describe(value)}'
    )


def _json_value(field_def: FieldDef, value: Any) -> Any:
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        raise FieldValueError(f'field "{field_def.name}" expects JSON data, got {describe(value)}') from None


def _string_value(field_def: FieldDef, value: Any, strict: bool) -> str:
    if isinstance(value, str):
        return value
    if strict:
        raise _mismatch(field_def, value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(_json_value(field_def, value), ensure_ascii=False, separators=(",", ":"))
    raise _mismatch(field_def, value)


def _number_value(field_def: FieldDef, value: Any, strict: bool) -> int | float | None:
    if isinstance(value, bool):
        raise _mismatch(field_def, value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _mismatch(field_def, value)
        return value
    if isinstance(value, str) and not strict:
        text = value.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            raise _mismatch(field_def, value) from None
        if math.isfinite(number):
            return number
    raise _mismatch(field_def, value)


def _boolean_value(field_def: FieldDef, value: Any, strict: bool) -> bool | None:
    if isinstance(value, bool):
        return value
    if not strict:
        if isinstance(value, str):
            text = value.strip().lower()
            if not text:
                return None
            if text in ("true", "false"):
                return text == "true"
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
    raise _mismatch(field_def, value)


def _datetime_value(field_def: FieldDef, value: Any, strict: bool) -> str | None:
    if isinstance(value, str) and not value.strip() and not strict:
        return None
    if isinstance(value, str) or (not strict and isinstance(value, datetime | date)):
        try:
            return canonical_datetime(value)
        except FieldValueError:
            pass
    raise _mismatch(field_def, value)


def describe(value: object) -> str:
    """A value as it would appear in JSON, cut short, for error messages."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=repr)
    except ValueError:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
