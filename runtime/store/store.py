"""The embedded object store (WoW "Tables"): typed object types and their instances in one SQLite file.

Schema (``PRAGMA user_version`` 1)::

    object_types(type_id INTEGER PRIMARY KEY, name TEXT UNIQUE COLLATE NOCASE, fields JSON)
    object_instances(object_id INTEGER PRIMARY KEY AUTOINCREMENT, type_id → object_types,
                     title TEXT, data JSON)   -- index on type_id

Why one instances table with a JSON ``data`` column rather than a table per type: types gain fields at
run time (imports, users) without ``ALTER TABLE``; WoW's Get/Update/Delete address an instance by its
``ObjectId`` alone, which is then one primary-key lookup across all types; and field names never become
SQL identifiers, so a filter's field is a bound JSON path (``json_extract(data, ?)``) checked against the
type's declared fields. Values keep their JSON type (numbers, booleans, canonical UTC datetimes, see
:mod:`runtime.store.fields`), so ``json_extract`` returns INTEGER/REAL/0-1/ISO text and filters compare
typed values correctly. A list reads only its type's rows through the ``type_id`` index. ``AUTOINCREMENT``
keeps a deleted ``ObjectId`` from being reused, since workflows hold ids.

Concurrency: one connection per thread (WAL, so readers never wait for a writer); every write is a
``BEGIN IMMEDIATE`` transaction, taken under an in-process lock and SQLite's busy timeout (other
processes), so a read-modify-write inside :meth:`ObjectStore.transaction` never loses an update. The
methods block; asyncio code may call them directly or through ``asyncio.to_thread``, but must not
``await`` inside ``transaction()`` (another task of the same thread touching the store then gets a
:class:`StoreError` instead of a deadlock).
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from runtime.store.errors import ObjectTypeNotFound, StoreError
from runtime.store.fields import (
    OBJECT_ID,
    TITLE,
    FieldDef,
    FieldValueError,
    ObjectType,
    check_type_name,
    describe,
    field_defs_from_specs,
    stored_value,
)
from runtime.store.odata import Column, SqlFragment, compile_filter, compile_order_by
from runtime.store.seed import ImportSummary, SeedDocument, read_seed

SCHEMA_VERSION = 1
_SCHEMA = (
    """CREATE TABLE object_types (
        type_id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        fields TEXT NOT NULL CHECK (json_valid(fields))
    )""",
    """CREATE TABLE object_instances (
        object_id INTEGER PRIMARY KEY AUTOINCREMENT,
        type_id INTEGER NOT NULL REFERENCES object_types (type_id) ON DELETE RESTRICT,
        title TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL CHECK (json_valid(data))
    )""",
    "CREATE INDEX object_instances_by_type ON object_instances (type_id)",
)
_INSTANCE_WITH_TYPE = (
    "SELECT i.object_id, i.title, i.data, t.type_id, t.name, t.fields "
    "FROM object_instances AS i JOIN object_types AS t ON t.type_id = i.type_id "
)

Record = dict[str, Any]


def default_store_path() -> Path:
    """``store.sqlite3`` in the user data directory, where ``--store`` points unless told otherwise."""
    return Path(platformdirs.user_data_dir("flowdesk", appauthor=False)) / "store.sqlite3"


@dataclass
class _ThreadState:
    connection: sqlite3.Connection | None = None
    depth: int = 0  # open transaction() levels on this thread
    owner: object = None  # the asyncio task (or None) that opened the outermost level


class ObjectStore:
    """Object types and instances in one SQLite file; safe to share between threads."""

    def __init__(self, path: str | os.PathLike[str], busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"{self.path}: cannot create its folder ({error.strerror or error})") from None
        try:
            self._create_schema()
        except BaseException:
            self.close()
            raise

    # -- lifetime ---------------------------------------------------------------------------------------

    def close(self) -> None:
        """Closes every thread's connection; call it once no thread is using the store."""
        with self._connections_lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()

    def __enter__(self) -> ObjectStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ObjectStore({str(self.path)!r})"

    # -- transactions -----------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[ObjectStore]:
        """One atomic unit: every store call on this thread inside it joins it; an exception undoes it all.

        The outermost level is ``BEGIN IMMEDIATE``, so what is read inside cannot change before the commit
        (read-modify-write is safe). Nested levels are savepoints.
        """
        with self._transaction():
            yield self

    def _state(self) -> _ThreadState:
        state = getattr(self._local, "state", None)
        if state is None:
            state = self._local.state = _ThreadState()
        return state

    def _connection(self, state: _ThreadState) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"{self.path}: the store is closed")
        if state.connection is None:
            state.connection = self._open()
        return state.connection

    def _open(self) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(
                self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot open the store ({error})") from None
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            if connection.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as error:
            connection.close()
            raise StoreError(f"{self.path}: cannot open the store ({error})") from None
        with self._connections_lock:
            if self._closed:
                connection.close()
                raise StoreError(f"{self.path}: the store is closed")
            self._connections.append(connection)
        return connection

    def _check_owner(self, state: _ThreadState) -> None:
        if state.owner is not _current_task():
            raise StoreError(
                f"{self.path}: another task of this thread has a store transaction open "
                "(do not await inside ObjectStore.transaction())"
            )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        state = self._state()
        connection = self._connection(state)
        if state.depth:
            self._check_owner(state)
            yield from self._nested(connection, state)
            return
        if not self._write_lock.acquire(timeout=self.busy_timeout):
            raise StoreError(f"{self.path}: the store stayed busy for {self.busy_timeout:g} s")
        try:
            _run(connection, "BEGIN IMMEDIATE", self.path)
            state.depth, state.owner = 1, _current_task()
            try:
                yield connection
            except BaseException as error:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise StoreError(f"{self.path}: {error}") from error
                raise
            else:
                try:
                    connection.execute("COMMIT")
                except sqlite3.Error as error:
                    if connection.in_transaction:
                        connection.execute("ROLLBACK")
                    raise StoreError(f"{self.path}: the change could not be saved ({error})") from None
            finally:
                state.depth, state.owner = 0, None
        finally:
            self._write_lock.release()

    def _nested(self, connection: sqlite3.Connection, state: _ThreadState) -> Iterator[sqlite3.Connection]:
        savepoint = f"flowdesk_level_{state.depth}"
        connection.execute(f"SAVEPOINT {savepoint}")
        state.depth += 1
        try:
            yield connection
        except BaseException:
            connection.execute(f"ROLLBACK TO {savepoint}")
            connection.execute(f"RELEASE {savepoint}")
            raise
        else:
            connection.execute(f"RELEASE {savepoint}")
        finally:
            state.depth -= 1

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for a read; inside a transaction, that transaction's view."""
        state = self._state()
        connection = self._connection(state)
        if state.depth:
            self._check_owner(state)
            yield connection
            return
        try:
            _run(connection, "BEGIN", self.path)
            yield connection
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: {error}") from error
        finally:
            if connection.in_transaction:
                connection.execute("COMMIT")

    def _create_schema(self) -> None:
        with self._transaction() as connection:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                return
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path}: made by a newer Flowdesk (store schema {version})")
            if connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(f"{self.path}: is an SQLite database but not a Flowdesk store")
            for statement in _SCHEMA:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # -- types ------------------------------------------------------------------------------------------

    def create_type(self, name: str, fields: list[str | dict[str, str]] | list[Any]) -> None:
        """A new type; fields as in a seed (``"Key"`` or ``{"name": "Expires", "type": "datetime"}``)."""
        try:
            name = check_type_name(name)
            field_defs = field_defs_from_specs(fields)
        except FieldValueError as error:
            raise StoreError(f"type {describe(name)}: {error}") from None
        with self._transaction() as connection:
            existing = _load_type(connection, name)
            if existing is not None:
                raise StoreError(f'type "{existing[1].name}" already exists')
            _insert_type(connection, ObjectType(name, field_defs))

    def add_fields(self, type_name: str, fields: list[Any]) -> list[FieldDef]:
        """Adds the fields a type lacks (existing ones must keep their type); returns those added."""
        with self._transaction() as connection:
            type_id, object_type = self._require_type(connection, type_name)
            try:
                wanted = field_defs_from_specs(fields)
            except FieldValueError as error:
                raise StoreError(f"type {object_type.name}: {error}") from None
            added: list[FieldDef] = []
            for field_def in wanted:
                current = _field_ignoring_case(object_type, field_def.name)
                if current is None:
                    object_type.fields.append(field_def)
                    added.append(field_def)
                elif current != field_def:
                    raise StoreError(
                        f'type {object_type.name}: field "{current.name}" is already a {current.type}; '
                        f'cannot redeclare it as "{field_def.name}" ({field_def.type})'
                    )
            if added:
                _save_fields(connection, type_id, object_type)
            return added

    def get_type(self, name: str) -> ObjectType | None:
        """The type of that name (case-insensitive, as WoW finds types), or None."""
        with self._reading() as connection:
            found = _load_type(connection, name)
        return found[1] if found else None

    def list_types(self) -> list[ObjectType]:
        with self._reading() as connection:
            rows = connection.execute("SELECT name, fields FROM object_types ORDER BY type_id").fetchall()
        return [_object_type(name, fields) for name, fields in rows]

    def count_instances(self, type_name: str) -> int:
        """How many instances a type has (raises :class:`ObjectTypeNotFound`)."""
        with self._reading() as connection:
            type_id, _ = self._require_type(connection, type_name)
            row = connection.execute(
                "SELECT count(*) FROM object_instances WHERE type_id = ?", (type_id,)
            ).fetchone()
        return int(row[0])

    def drop_type(self, type_name: str) -> int:
        """Deletes a type and every instance of it in one transaction; returns how many instances went.

        Raises :class:`ObjectTypeNotFound`. Their ObjectIds are never reused (``AUTOINCREMENT``).
        """
        with self._transaction() as connection:
            type_id, _ = self._require_type(connection, type_name)
            cursor = connection.execute("DELETE FROM object_instances WHERE type_id = ?", (type_id,))
            connection.execute("DELETE FROM object_types WHERE type_id = ?", (type_id,))
            return cursor.rowcount

    def drop_field(self, type_name: str, field_name: str) -> int:
        """Removes a field from a type and its value from every instance, in one transaction; returns how
        many instances had a value for it. The name matches ignoring case, as values do.

        Raises :class:`ObjectTypeNotFound`, or :class:`StoreError` when the type has no such field.
        """
        with self._transaction() as connection:
            type_id, object_type = self._require_type(connection, type_name)
            field_def = _field_ignoring_case(object_type, str(field_name))
            if field_def is None:
                raise StoreError(_unknown_field(object_type, str(field_name)))
            path = f'$."{field_def.name}"'  # field names are identifiers (checked when declared)
            valued = connection.execute(
                "SELECT count(*) FROM object_instances WHERE type_id = ? AND json_type(data, ?) != 'null'",
                (type_id, path),
            ).fetchone()[0]
            connection.execute(
                "UPDATE object_instances SET data = json_remove(data, ?) "
                "WHERE type_id = ? AND json_type(data, ?) IS NOT NULL",
                (path, type_id, path),
            )
            object_type.fields = [item for item in object_type.fields if item is not field_def]
            _save_fields(connection, type_id, object_type)
            return int(valued)

    def _require_type(self, connection: sqlite3.Connection, name: str) -> tuple[int, ObjectType]:
        found = _load_type(connection, name)
        if found is None:
            raise ObjectTypeNotFound(str(name), str(self.path))
        return found

    # -- instances --------------------------------------------------------------------------------------

    def list_instances(
        self,
        type_name: str,
        filter: str | None = None,
        order_by: str | None = None,
        skip: int | None = None,
        limit: int | None = None,
    ) -> list[Record]:
        """Records ``{ObjectId, Title, <fields>}`` of a type, filtered, ordered (then by ObjectId), paged.

        ``skip`` applies after filter and order, as in WoW. Raises :class:`ObjectTypeNotFound`, or
        :class:`~runtime.store.odata.ODataError` for a filter or order-by that cannot be used.
        """
        skip = _count_argument("skip", skip)
        limit = _count_argument("limit", limit)
        with self._reading() as connection:
            type_id, object_type = self._require_type(connection, type_name)
            columns = _columns(object_type)
            where = compile_filter(filter, columns, object_type.name)
            query = SqlFragment(
                "SELECT i.object_id, i.title, i.data FROM object_instances AS i WHERE i.type_id = ?",
                (type_id,),
            )
            if where is not None:
                query += SqlFragment(" AND ") + where
            query += SqlFragment(" ORDER BY ")
            for term in compile_order_by(order_by, columns, object_type.name):
                query += term + SqlFragment(", ")
            query += SqlFragment("i.object_id ASC")
            if limit is not None or skip:
                query += SqlFragment(" LIMIT ? OFFSET ?", (-1 if limit is None else limit, skip or 0))
            rows = connection.execute(query.sql, query.params).fetchall()
        return [_record(object_type, *row) for row in rows]

    def get_instance(self, object_id: int | str | None) -> Record | None:
        """The record with that ObjectId, whatever its type (WoW's Get by InstanceId), or None."""
        if object_id is None:
            return None
        with self._reading() as connection:
            row = _load_instance(connection, _object_id(object_id))
        return None if row is None else _record(_object_type(row[4], row[5]), *row[:3])

    def get_instance_type(self, object_id: int | str) -> str | None:
        """The type name of the instance with that ObjectId, or None."""
        with self._reading() as connection:
            row = _load_instance(connection, _object_id(object_id))
        return None if row is None else row[4]

    def create_instance(self, type_name: str, values: Mapping[str, Any], title: str | None = None) -> Record:
        """A new instance; ``values`` may also carry ``Title``. Text is converted for typed fields."""
        with self._transaction() as connection:
            type_id, object_type = self._require_type(connection, type_name)
            if OBJECT_ID in values:
                raise StoreError(f"type {object_type.name}: ObjectId is given by the store; do not set it")
            data, values_title = _checked_values(object_type, values)
            title = _title(object_type, title) if title is not None else values_title
            cursor = connection.execute(
                "INSERT INTO object_instances (type_id, title, data) VALUES (?, ?, ?)",
                (type_id, title or "", _dump(data)),
            )
            object_id = cursor.lastrowid
            assert object_id is not None
            return _record(object_type, object_id, title or "", _dump(data))

    def update_instance(
        self, object_id: int | str, values: Mapping[str, Any], clear_omitted_fields: bool = False
    ) -> Record | None:
        """Sets the given fields (and ``Title`` if given); None when there is no such instance.

        ``clear_omitted_fields`` empties every field ``values`` does not name (the Title stays).
        """
        object_id = _object_id(object_id)
        with self._transaction() as connection:
            row = _load_instance(connection, object_id)
            if row is None:
                return None
            _, old_title, old_data, _, type_name, fields = row
            object_type = _object_type(type_name, fields)
            if OBJECT_ID in values and _object_id(values[OBJECT_ID]) != object_id:
                raise StoreError(f"type {object_type.name}: cannot change ObjectId {object_id}")
            changes, new_title = _checked_values(object_type, values)
            data = _merged({} if clear_omitted_fields else json.loads(old_data), changes)
            title = old_title if new_title is None else new_title
            connection.execute(
                "UPDATE object_instances SET title = ?, data = ? WHERE object_id = ?",
                (title, _dump(data), object_id),
            )
            return _record(object_type, object_id, title, _dump(data))

    def update_instance_with(
        self,
        object_id: int | str,
        change: Callable[[Record], Mapping[str, Any] | None],
        clear_omitted_fields: bool = False,
    ) -> Record | None:
        """Atomic read-modify-write: ``change(current record)`` returns the values to set (None: no change).

        Runs in one ``BEGIN IMMEDIATE`` transaction, so concurrent callers never lose an update.
        """
        with self._transaction():
            current = self.get_instance(object_id)
            if current is None:
                return None
            values = change(dict(current))
            if values is None:
                return current
            return self.update_instance(object_id, values, clear_omitted_fields)

    def delete_instance(self, object_id: int | str) -> bool:
        """Deletes the instance; False when there was none."""
        object_id = _object_id(object_id)
        with self._transaction() as connection:
            cursor = connection.execute("DELETE FROM object_instances WHERE object_id = ?", (object_id,))
            return cursor.rowcount > 0

    # -- seeds ------------------------------------------------------------------------------------------

    def import_seed(self, seed: Mapping[str, Any] | str | os.PathLike[str]) -> ImportSummary:
        """Imports a seed (a dict or a JSON file) in one transaction: all of it, or nothing.

        Missing types are created and new fields added to existing types. An instance whose ObjectId
        exists is updated (fields it names; Title if given); any other is inserted, keeping its ObjectId.
        Raises :class:`SeedError` naming the file and the place.
        """
        document = read_seed(seed)
        with self._transaction() as connection:
            return _apply_seed(connection, document)

    def export_seed(self) -> dict[str, Any]:
        """Every type and instance as a seed (instances carry ObjectId and Title, so re-import updates)."""
        with self._reading() as connection:
            type_rows = connection.execute(
                "SELECT name, fields FROM object_types ORDER BY type_id"
            ).fetchall()
            instance_rows = connection.execute(_INSTANCE_WITH_TYPE + "ORDER BY i.object_id").fetchall()
        types = [_object_type(name, fields) for name, fields in type_rows]
        instances: dict[str, list[Record]] = {object_type.name: [] for object_type in types}
        by_name = {object_type.name: object_type for object_type in types}
        for object_id, title, data, _, type_name, _ in instance_rows:
            instances[type_name].append(_record(by_name[type_name], object_id, title, data))
        return {
            "types": [
                {"name": object_type.name, "fields": [item.to_seed() for item in object_type.fields]}
                for object_type in types
            ],
            "instances": instances,
        }


# -- helpers ----------------------------------------------------------------------------------------------


def _current_task() -> object:
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


def _run(connection: sqlite3.Connection, statement: str, path: Path) -> None:
    try:
        connection.execute(statement)
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise StoreError(f"{path}: the store is busy (locked by another process)") from None
        raise StoreError(f"{path}: {error}") from None
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: cannot use the store ({error})") from None


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _merged(data: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Field values after ``changes``; a field set to None is dropped (absent and null read the same)."""
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def _object_type(name: str, fields_json: str) -> ObjectType:
    return ObjectType(name, [FieldDef(item["name"], item["type"]) for item in json.loads(fields_json)])


def _fields_json(object_type: ObjectType) -> str:
    return _dump([{"name": item.name, "type": item.type} for item in object_type.fields])


def _load_type(connection: sqlite3.Connection, name: str) -> tuple[int, ObjectType] | None:
    if not isinstance(name, str):
        return None
    row = connection.execute(
        "SELECT type_id, name, fields FROM object_types WHERE name = ?", (name,)
    ).fetchone()
    return None if row is None else (row[0], _object_type(row[1], row[2]))


def _insert_type(connection: sqlite3.Connection, object_type: ObjectType) -> int:
    cursor = connection.execute(
        "INSERT INTO object_types (name, fields) VALUES (?, ?)", (object_type.name, _fields_json(object_type))
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _save_fields(connection: sqlite3.Connection, type_id: int, object_type: ObjectType) -> None:
    connection.execute(
        "UPDATE object_types SET fields = ? WHERE type_id = ?", (_fields_json(object_type), type_id)
    )


def _load_instance(connection: sqlite3.Connection, object_id: int) -> tuple[Any, ...] | None:
    return connection.execute(_INSTANCE_WITH_TYPE + "WHERE i.object_id = ?", (object_id,)).fetchone()


def _record(object_type: ObjectType, object_id: int, title: str, data_json: str) -> Record:
    data = json.loads(data_json)
    record: Record = {OBJECT_ID: object_id, TITLE: title}
    for field_def in object_type.fields:
        record[field_def.name] = data.get(field_def.name)
    return record


def _columns(object_type: ObjectType) -> dict[str, Column]:
    """The names a filter may use, each mapped to a SQL expression whose only input is a bound JSON path."""
    columns = {
        OBJECT_ID: Column(OBJECT_ID, "number", SqlFragment("i.object_id")),
        TITLE: Column(TITLE, "string", SqlFragment("i.title")),
    }
    for field_def in object_type.fields:
        path = f'$."{field_def.name}"'  # field names are identifiers (checked when declared)
        columns[field_def.name] = Column(
            field_def.name, field_def.type, SqlFragment("json_extract(i.data, ?)", (path,))
        )
    return columns


def _field_ignoring_case(object_type: ObjectType, name: str) -> FieldDef | None:
    exact = object_type.field(name)
    if exact is not None:
        return exact
    return next((item for item in object_type.fields if item.name.lower() == name.lower()), None)


def _unknown_field(object_type: ObjectType, name: str) -> str:
    known = ", ".join(object_type.field_names) or "none"
    return f'type {object_type.name} has no field "{name}" (fields: {known})'


def _title(object_type: ObjectType, value: Any) -> str:
    try:
        return stored_value(FieldDef(TITLE), value, strict=False) or ""
    except FieldValueError as error:
        raise StoreError(f"type {object_type.name}: {error}") from None


def _checked_values(object_type: ObjectType, values: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Values from a workflow or caller, converted per field type; returns (field values, Title or None).

    Field names match ignoring case (fields of a type never differ only in case), as WoW's JavaScript
    objects often arrive camelCased.
    """
    if not isinstance(values, Mapping):
        raise StoreError(f"type {object_type.name}: values must be an object, got {describe(values)}")
    data: dict[str, Any] = {}
    title: str | None = None
    for name, value in values.items():
        if name == OBJECT_ID:
            continue
        if name == TITLE:
            title = None if value is None else _title(object_type, value)
            continue
        field_def = _field_ignoring_case(object_type, str(name))
        if field_def is None:
            raise StoreError(_unknown_field(object_type, str(name)))
        try:
            data[field_def.name] = stored_value(field_def, value, strict=False)
        except FieldValueError as error:
            raise StoreError(f"type {object_type.name}: {error}") from None
    return data, title


def _object_id(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise StoreError(f"an ObjectId is a whole number, got {describe(value)}")


def _count_argument(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StoreError(f"{name} must be a whole number of 0 or more, got {describe(value)}")
    return value


def _apply_seed(connection: sqlite3.Connection, document: SeedDocument) -> ImportSummary:
    """Writes a shape-checked seed inside the caller's transaction; any SeedError rolls all of it back."""
    types: dict[str, tuple[int, ObjectType]] = {}
    for type_id, name, fields in connection.execute("SELECT type_id, name, fields FROM object_types"):
        types[name.lower()] = (type_id, _object_type(name, fields))
    types_created = fields_added = 0
    for seed_type in document.types:
        found = types.get(seed_type.name.lower())
        if found is None:
            object_type = ObjectType(seed_type.name, list(seed_type.fields))
            types[seed_type.name.lower()] = (_insert_type(connection, object_type), object_type)
            types_created += 1
            continue
        type_id, object_type = found
        added = 0
        for index, field_def in enumerate(seed_type.fields):
            current = _field_ignoring_case(object_type, field_def.name)
            if current is None:
                object_type.fields.append(field_def)
                added += 1
            elif current != field_def:
                raise document.error(
                    f'the store has field "{current.name}" of type {object_type.name} as a {current.type}; '
                    f'the seed declares "{field_def.name}" as a {field_def.type}',
                    f"{seed_type.place}.fields[{index}]",
                )
        if added:
            _save_fields(connection, type_id, object_type)
            fields_added += added
    created = updated = 0
    for instance in document.instances:
        found = types.get(instance.type_name.lower())
        if found is None:
            raise document.error(
                f'type "{instance.type_name}" is neither declared in "types" nor in the store', instance.place
            )
        type_id, object_type = found
        data = _seed_values(document, object_type, instance.values, instance.place)
        existing = None
        if instance.object_id is not None:
            existing = connection.execute(
                "SELECT type_id, title, data FROM object_instances WHERE object_id = ?", (instance.object_id,)
            ).fetchone()
        if existing is None:
            connection.execute(
                "INSERT INTO object_instances (object_id, type_id, title, data) VALUES (?, ?, ?, ?)",
                (instance.object_id, type_id, instance.title or "", _dump(data)),
            )
            created += 1
            continue
        if existing[0] != type_id:
            other = next(item.name for tid, item in types.values() if tid == existing[0])
            raise document.error(
                f"ObjectId {instance.object_id} is an instance of type {other}, not {object_type.name}",
                instance.place,
            )
        merged = _merged(json.loads(existing[2]), data)
        title = existing[1] if instance.title is None else instance.title
        connection.execute(
            "UPDATE object_instances SET title = ?, data = ? WHERE object_id = ?",
            (title, _dump(merged), instance.object_id),
        )
        updated += 1
    return ImportSummary(document.source, types_created, fields_added, created, updated)


def _seed_values(
    document: SeedDocument, object_type: ObjectType, values: Mapping[str, Any], place: str
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in values.items():
        field_def = object_type.field(name)
        if field_def is None:
            near = _field_ignoring_case(object_type, name)
            hint = f'; did you mean "{near.name}"?' if near else ""
            raise document.error(_unknown_field(object_type, name) + hint, place)
        try:
            data[name] = stored_value(field_def, value, strict=True)
        except FieldValueError as error:
            raise document.error(str(error), place) from None
    return data
