"""Undoable changes to the object store, executed against the store itself.

Each command's redo/undo calls the :class:`runtime.store.store.ObjectStore` API. A deleted instance comes
back with its own ObjectId (workflows hold ids) through :meth:`ObjectStore.import_seed`, which keeps the
ObjectId a seed gives. When the store refuses (the instance was removed meanwhile by a workflow, another
process...), the command reports the one-line reason and drops out of the undo history.

Undoing an import removes, in one transaction, the instances it created, restores the values of the ones
it changed, and drops the fields and types it added (:meth:`ObjectStore.drop_field`,
:meth:`ObjectStore.drop_type`), so the store is as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtGui import QUndoCommand

from runtime.errors import FlowdeskError
from runtime.store.errors import StoreError
from runtime.store.fields import OBJECT_ID, TITLE
from runtime.store.store import ObjectStore

Record = dict[str, Any]


@dataclass
class CommandHooks:
    """What a command tells the browser: ``changed(type name)`` after it ran, ``failed(message)``."""

    changed: Callable[[str | None], None]
    failed: Callable[[str], None]


def seed_record(record: Record) -> Record:
    """A record as a seed instance (empty fields left out, ObjectId and Title kept)."""
    return {key: value for key, value in record.items() if value is not None}


class StoreCommand(QUndoCommand):
    """Base of the browser's undo commands: ``apply``/``revert`` write the store; a refusal is reported
    through the hooks and the command leaves the history instead of raising."""

    def __init__(self, store: ObjectStore, hooks: CommandHooks, type_name: str | None, text: str) -> None:
        super().__init__(text)
        self.store = store
        self.hooks = hooks
        self.type_name = type_name
        self.failed = False
        """Set when the store refused (the command then leaves the undo history)."""

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        self._attempt(self.apply)

    def undo(self) -> None:
        self._attempt(self.revert)

    def _attempt(self, action: Callable[[], None]) -> None:
        try:
            action()
        except FlowdeskError as error:
            self.failed = True
            self.setObsolete(True)
            self.hooks.failed(str(error))
            self.hooks.changed(self.type_name)
        else:
            self.hooks.changed(self.type_name)


class EditValueCommand(StoreCommand):
    """One cell: a field (or the Title) of one instance."""

    def __init__(
        self,
        store: ObjectStore,
        hooks: CommandHooks,
        type_name: str,
        object_id: int,
        field_name: str,
        old_value: Any,
        new_value: Any,
    ) -> None:
        super().__init__(store, hooks, type_name, f"Edit {field_name} of ObjectId {object_id}")
        self.object_id = object_id
        self.field_name = field_name
        self.old_value = old_value
        self.new_value = new_value

    def _set(self, value: Any) -> None:
        if self.field_name == TITLE and value is None:
            value = ""
        if self.store.update_instance(self.object_id, {self.field_name: value}) is None:
            raise StoreError(f"ObjectId {self.object_id} is no longer in the store")

    def apply(self) -> None:
        self._set(self.new_value)

    def revert(self) -> None:
        self._set(self.old_value)


class AddInstanceCommand(StoreCommand):
    """A new, empty instance; redo after undo brings back the same ObjectId."""

    def __init__(self, store: ObjectStore, hooks: CommandHooks, type_name: str) -> None:
        super().__init__(store, hooks, type_name, f"Add {type_name} instance")
        self.record: Record | None = None

    @property
    def object_id(self) -> int | None:
        return self.record[OBJECT_ID] if self.record is not None else None

    def apply(self) -> None:
        if self.record is None:
            self.record = self.store.create_instance(self.type_name or "", {})
        else:
            self.store.import_seed({"instances": {self.type_name: [seed_record(self.record)]}})

    def revert(self) -> None:
        if self.record is not None:
            self.store.delete_instance(self.record[OBJECT_ID])


class DeleteInstancesCommand(StoreCommand):
    """Instances of one type; undo recreates them with their ObjectIds and values."""

    def __init__(
        self, store: ObjectStore, hooks: CommandHooks, type_name: str, records: list[Record]
    ) -> None:
        count = len(records)
        text = f"Delete ObjectId {records[0][OBJECT_ID]}" if count == 1 else f"Delete {count} instances"
        super().__init__(store, hooks, type_name, text)
        self.records = [dict(record) for record in records]

    def apply(self) -> None:
        with self.store.transaction():
            for record in self.records:
                if not self.store.delete_instance(record[OBJECT_ID]):
                    raise StoreError(f"ObjectId {record[OBJECT_ID]} is no longer in the store")

    def revert(self) -> None:
        self.store.import_seed({"instances": {self.type_name: [seed_record(r) for r in self.records]}})


class ImportSeedCommand(StoreCommand):
    """A seed file imported; undo deletes what it created (instances, fields, types) and restores what it
    changed, all in one transaction."""

    def __init__(self, store: ObjectStore, hooks: CommandHooks, path: Path) -> None:
        super().__init__(store, hooks, None, f"Import {path.name}")
        self.path = path
        self.summary = ""
        self._before: dict[int, Record] = {}
        self._created: list[int] = []
        self.created_types: list[str] = []
        """The types the import created (undo drops them)."""
        self.added_fields: list[tuple[str, str]] = []
        """(type, field) the import added to types that were there before (undo drops them)."""

    def apply(self) -> None:
        types_before = {t.name.lower(): t for t in self.store.list_types()}
        self._before = _instances_by_id(self.store)
        self.summary = str(self.store.import_seed(self.path))
        self._created = [oid for oid in _instances_by_id(self.store) if oid not in self._before]
        self.created_types = []
        self.added_fields = []
        for object_type in self.store.list_types():
            old = types_before.get(object_type.name.lower())
            if old is None:
                self.created_types.append(object_type.name)
                continue
            known = {name.lower() for name in old.field_names}
            self.added_fields += [
                (object_type.name, f) for f in object_type.field_names if f.lower() not in known
            ]

    def revert(self) -> None:
        after = _instances_by_id(self.store)
        with self.store.transaction():
            for object_id in self._created:
                self.store.delete_instance(object_id)
            for object_id, record in self._before.items():
                if after.get(object_id) != record:
                    values = {k: v for k, v in record.items() if k != OBJECT_ID and v is not None}
                    values.setdefault(TITLE, "")
                    self.store.update_instance(object_id, values, clear_omitted_fields=True)
            for type_name, field_name in self.added_fields:
                self.store.drop_field(type_name, field_name)
            for type_name in self.created_types:
                self.store.drop_type(type_name)


def _instances_by_id(store: ObjectStore) -> dict[int, Record]:
    seed = store.export_seed()
    return {record[OBJECT_ID]: record for records in seed["instances"].values() for record in records}
