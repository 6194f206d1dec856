"""Seed files: the JSON that ``flowdesk store import`` reads and ``flowdesk store export`` writes.

    {"types": [{"name": "Settings", "fields": ["Key", {"name": "Expires", "type": "datetime"}]}],
     "instances": {"Settings": [{"ObjectId": 1, "Title": "", "Key": "APIBaseURL", "Expires": null}]}}

This module checks the shape and names every place by its path in the document (``types[0].fields[1]``,
``instances.Settings[2]``); whether values fit their fields is checked by the store against the types as
they will be after the import.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runtime.errors import describe_json_error
from runtime.store.errors import SeedError
from runtime.store.fields import (
    OBJECT_ID,
    TITLE,
    FieldDef,
    FieldValueError,
    check_type_name,
    describe,
    field_defs_from_specs,
)


@dataclass(frozen=True)
class SeedType:
    """A type read from a seed file, with where it was (``place``) for error messages."""

    name: str
    fields: list[FieldDef]
    place: str


@dataclass(frozen=True)
class SeedInstance:
    """An instance read from a seed file; ``object_id`` and ``title`` when the file gives them."""

    type_name: str
    values: dict[str, Any]
    object_id: int | None
    title: str | None
    place: str


@dataclass(frozen=True)
class SeedDocument:
    """A whole seed file, checked before anything is written, so a bad file changes nothing."""

    source: str
    types: list[SeedType] = field(default_factory=list)
    instances: list[SeedInstance] = field(default_factory=list)

    def error(self, message: str, place: str | None = None) -> SeedError:
        return SeedError(self.source, message, place)


@dataclass(frozen=True)
class ImportSummary:
    """What ``store import`` did, counted, for the one line the command prints."""

    source: str
    types_created: int = 0
    fields_added: int = 0
    instances_created: int = 0
    instances_updated: int = 0

    def __str__(self) -> str:
        types = _count(self.types_created, "type")
        fields = _count(self.fields_added, "field")
        instances = _count(self.instances_created, "instance")
        updated = self.instances_updated
        return f"{self.source}: {types} created, {fields} added, {instances} created, {updated} updated"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def read_seed(seed: Mapping[str, Any] | str | os.PathLike[str]) -> SeedDocument:
    """A seed from a dict or a file path (UTF-8, BOM accepted), shape-checked."""
    if isinstance(seed, Mapping):
        return parse_seed(seed, "<seed>")
    source = os.fspath(seed)
    try:
        text = Path(source).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise SeedError(source, f"cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError as error:
        raise SeedError(source, f"is not UTF-8 text (byte {error.start})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise SeedError(source, describe_json_error(error)) from None
    return parse_seed(document, source)


def parse_seed(document: Any, source: str) -> SeedDocument:
    """Checks the seed's shape; raises :class:`SeedError` naming the first wrong place."""
    if not isinstance(document, Mapping):
        raise SeedError(
            source, f'a seed is a JSON object with "types" and "instances", got {describe(document)}'
        )
    unknown = sorted(set(document) - {"types", "instances"})
    if unknown:
        raise SeedError(source, f'unknown key "{unknown[0]}" (a seed has "types" and "instances")')
    types = _parse_types(document.get("types", []), source)
    instances = _parse_instances(document.get("instances", {}), source)
    return SeedDocument(source, types, instances)


def _parse_types(raw: Any, source: str) -> list[SeedType]:
    if not isinstance(raw, list):
        raise SeedError(source, f"expected a list of types, got {describe(raw)}", "types")
    result: list[SeedType] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(raw):
        place = f"types[{index}]"
        if not isinstance(entry, Mapping):
            raise SeedError(source, f'expected {{"name", "fields"}}, got {describe(entry)}', place)
        unknown = sorted(set(entry) - {"name", "fields"})
        if unknown:
            raise SeedError(source, f'unknown key "{unknown[0]}" (a type has "name" and "fields")', place)
        try:
            name = check_type_name(entry.get("name"))
        except FieldValueError as error:
            raise SeedError(source, str(error), f"{place}.name") from None
        if name.lower() in seen:
            raise SeedError(source, f'type "{name}" is declared twice (also at {seen[name.lower()]})', place)
        seen[name.lower()] = place
        specs = entry.get("fields", [])
        if not isinstance(specs, list):
            raise SeedError(source, f"expected a list of fields, got {describe(specs)}", f"{place}.fields")
        for field_index, spec in enumerate(specs):
            try:
                field_defs_from_specs([spec])
            except FieldValueError as error:
                raise SeedError(source, str(error), f"{place}.fields[{field_index}]") from None
        try:
            fields = field_defs_from_specs(specs)
        except FieldValueError as error:
            raise SeedError(source, str(error), f"{place}.fields") from None
        result.append(SeedType(name, fields, place))
    return result


def _parse_instances(raw: Any, source: str) -> list[SeedInstance]:
    if not isinstance(raw, Mapping):
        raise SeedError(source, f"expected an object of type name → list, got {describe(raw)}", "instances")
    result: list[SeedInstance] = []
    ids: dict[int, str] = {}
    for type_name, entries in raw.items():
        if not isinstance(entries, list):
            raise SeedError(
                source, f"expected a list of instances, got {describe(entries)}", f"instances.{type_name}"
            )
        for index, entry in enumerate(entries):
            place = f"instances.{type_name}[{index}]"
            if not isinstance(entry, Mapping):
                raise SeedError(source, f"expected an object of field values, got {describe(entry)}", place)
            values = dict(entry)
            object_id = values.pop(OBJECT_ID, None)
            if object_id is not None:
                if isinstance(object_id, bool) or not isinstance(object_id, int) or object_id < 1:
                    raise SeedError(
                        source, f"ObjectId must be a positive integer, got {describe(object_id)}", place
                    )
                if object_id in ids:
                    raise SeedError(
                        source, f"ObjectId {object_id} is used twice (also at {ids[object_id]})", place
                    )
                ids[object_id] = place
            title = values.pop(TITLE, None)
            if title is not None and not isinstance(title, str):
                raise SeedError(source, f"Title must be text, got {describe(title)}", place)
            result.append(SeedInstance(type_name, values, object_id, title, place))
    return result
