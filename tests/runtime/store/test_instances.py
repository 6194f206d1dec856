"""Types, instances and the store file: create, read, update, delete, and what is refused."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from runtime.store import (
    FieldDef,
    ObjectStore,
    ObjectType,
    ObjectTypeNotFound,
    StoreError,
    default_store_path,
)


@pytest.fixture
def settings(store: ObjectStore) -> ObjectStore:
    store.create_type("Settings", ["Key", "Data1", "Data2"])
    return store


def test_types_keep_their_fields_and_order(store: ObjectStore) -> None:
    store.create_type("Settings", ["Key", "Data1", "Data2"])
    store.create_type(
        "Tokens", ["Key", {"name": "Expires", "type": "datetime"}, {"name": "Uses", "type": "number"}]
    )
    assert store.get_type("Tokens") == ObjectType(
        "Tokens", [FieldDef("Key"), FieldDef("Expires", "datetime"), FieldDef("Uses", "number")]
    )
    assert [item.name for item in store.list_types()] == ["Settings", "Tokens"]
    assert store.get_type("Missing") is None


@pytest.mark.parametrize(
    ("name", "fields", "message"),
    [
        ("", ["Key"], "a type name must be non-empty text"),
        ("Settings ", ["Key"], "has leading or trailing spaces"),
        ("T", ["Key", "key"], 'field "key" is declared twice (also as "Key")'),
        ("T", ["Title"], '"Title" is built in to every type; do not declare it'),
        ("T", ["ObjectId"], '"ObjectId" is built in'),
        ("T", ["First Name"], 'field name "First Name" must start with a letter or _'),
        ("T", ["eq"], 'field name "eq" is an OData keyword'),
        (
            "T",
            [{"name": "Age", "type": "integer"}],
            'field "Age" has type "integer"; expected one of string, number',
        ),
        ("T", [{"name": "Age", "kind": "number"}], 'unknown key "kind" in a field'),
        ("T", [42], 'a field is a name or {"name", "type"}, got 42'),
        ("T", "Key", 'fields are a list of names or {"name", "type"}, got "Key"'),
    ],
)
def test_bad_type_declarations(store: ObjectStore, name: str, fields: list, message: str) -> None:
    with pytest.raises(StoreError) as caught:
        store.create_type(name, fields)
    assert message in str(caught.value)
    assert store.list_types() == []


def test_a_type_is_created_once(settings: ObjectStore) -> None:
    with pytest.raises(StoreError, match='type "Settings" already exists'):
        settings.create_type("settings", ["Key"])


def test_add_fields_keeps_existing_ones(settings: ObjectStore) -> None:
    added = settings.add_fields("Settings", ["Key", {"name": "Expires", "type": "datetime"}])
    assert added == [FieldDef("Expires", "datetime")]
    assert settings.get_type("Settings").field_names == ["Key", "Data1", "Data2", "Expires"]  # type: ignore[union-attr]
    with pytest.raises(StoreError, match='field "Key" is already a string'):
        settings.add_fields("Settings", [{"name": "Key", "type": "number"}])
    with pytest.raises(ObjectTypeNotFound):
        settings.add_fields("Nope", ["A"])


def test_create_get_and_type_of_an_instance(settings: ObjectStore) -> None:
    created = settings.create_instance("Settings", {"Key": "APIBaseURL", "Data1": "http://127.0.0.1:5080"})
    assert created == {
        "ObjectId": 1,
        "Title": "",
        "Key": "APIBaseURL",
        "Data1": "http://127.0.0.1:5080",
        "Data2": None,
    }
    assert settings.get_instance(1) == created
    assert settings.get_instance("1") == created  # Liquid gives ids as text
    assert settings.get_instance(2) is None
    assert settings.get_instance(None) is None
    assert settings.get_instance_type(1) == "Settings"
    assert settings.get_instance_type(99) is None


def test_title_comes_from_the_argument_or_the_values(settings: ObjectStore) -> None:
    first = settings.create_instance("Settings", {"Key": "A"}, title="Alpha")
    second = settings.create_instance("Settings", {"Key": "B", "Title": "Beta"})
    assert (first["Title"], second["Title"]) == ("Alpha", "Beta")


def test_values_from_workflows_are_converted_to_the_field_type(store: ObjectStore) -> None:
    store.create_type(
        "Token",
        [
            "Key",
            {"name": "Uses", "type": "number"},
            {"name": "Valid", "type": "boolean"},
            {"name": "Expires", "type": "datetime"},
            {"name": "Extra", "type": "json"},
        ],
    )
    record = store.create_instance(
        "Token",
        {"key": 7, "Uses": "3", "Valid": "TRUE", "Expires": "2024-07-22T09:00:00+02:00", "Extra": {"a": [1]}},
    )
    assert record["Key"] == "7"
    assert record["Uses"] == 3 and record["Valid"] is True
    assert record["Expires"] == "2024-07-22T07:00:00.000Z"
    assert record["Extra"] == {"a": [1]}
    cleared = store.update_instance(record["ObjectId"], {"Uses": "", "Valid": "", "Expires": ""})
    assert cleared is not None
    assert (cleared["Uses"], cleared["Valid"], cleared["Expires"]) == (None, None, None)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"Uses": "three"}, 'type Token: field "Uses" expects a number, got "three"'),
        ({"Uses": True}, 'field "Uses" expects a number, got true'),
        ({"Valid": "yes"}, 'field "Valid" expects a boolean, got "yes"'),
        ({"Expires": "soon"}, 'field "Expires" expects a datetime, got "soon"'),
        ({"Colour": "red"}, 'type Token has no field "Colour" (fields: Key, Uses, Valid, Expires)'),
        ({"ObjectId": 5}, "ObjectId is given by the store"),
    ],
)
def test_values_that_do_not_fit_are_refused(store: ObjectStore, values: dict, message: str) -> None:
    store.create_type(
        "Token",
        [
            "Key",
            {"name": "Uses", "type": "number"},
            {"name": "Valid", "type": "boolean"},
            {"name": "Expires", "type": "datetime"},
        ],
    )
    with pytest.raises(StoreError) as caught:
        store.create_instance("Token", values)
    assert message in str(caught.value)
    assert store.list_instances("Token") == []


def test_update_merges_or_clears_omitted_fields(settings: ObjectStore) -> None:
    settings.create_instance(
        "Settings", {"Key": "AccessToken", "Data1": "old", "Data2": "2020-01-01"}, title="t"
    )
    updated = settings.update_instance(1, {"Data1": "new"})
    assert updated == {
        "ObjectId": 1,
        "Title": "t",
        "Key": "AccessToken",
        "Data1": "new",
        "Data2": "2020-01-01",
    }
    cleared = settings.update_instance(1, {"Data2": "2030-01-01"}, clear_omitted_fields=True)
    assert cleared == {"ObjectId": 1, "Title": "t", "Key": None, "Data1": None, "Data2": "2030-01-01"}
    assert settings.get_instance(1) == cleared
    assert settings.update_instance(1, {"ObjectId": 1, "Title": "renamed"})["Title"] == "renamed"  # type: ignore[index]


def test_update_refuses_unknown_fields_and_id_changes(settings: ObjectStore) -> None:
    settings.create_instance("Settings", {"Key": "A"})
    with pytest.raises(
        StoreError, match=r'^type Settings has no field "Data3" \(fields: Key, Data1, Data2\)$'
    ):
        settings.update_instance(1, {"Data1": "x", "Data3": "y"})
    with pytest.raises(StoreError, match="cannot change ObjectId 1"):
        settings.update_instance(1, {"ObjectId": 2})
    assert settings.get_instance(1)["Data1"] is None  # type: ignore[index]
    assert settings.update_instance(42, {"Data1": "x"}) is None


def test_delete_and_ids_are_never_reused(settings: ObjectStore) -> None:
    for key in ("A", "B", "C"):
        settings.create_instance("Settings", {"Key": key})
    assert settings.delete_instance(3) is True
    assert settings.delete_instance(3) is False
    assert settings.get_instance(3) is None
    assert settings.create_instance("Settings", {"Key": "D"})["ObjectId"] == 4


def test_object_ids_must_be_whole_numbers(settings: ObjectStore) -> None:
    with pytest.raises(StoreError, match='an ObjectId is a whole number, got "abc"'):
        settings.get_instance("abc")
    with pytest.raises(StoreError, match="got true"):
        settings.delete_instance(True)  # type: ignore[arg-type]


def test_unknown_type_for_create(settings: ObjectStore) -> None:
    with pytest.raises(ObjectTypeNotFound, match='object type "Setting" not found'):
        settings.create_instance("Setting", {"Key": "A"})


def test_data_survives_reopening(store_path: Path) -> None:
    with ObjectStore(store_path) as store:
        store.create_type("Settings", ["Key"])
        store.create_instance("Settings", {"Key": "kept"})
    with ObjectStore(store_path) as store:
        assert store.list_instances("Settings")[0]["Key"] == "kept"
    connection = sqlite3.connect(store_path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    connection.close()


def test_files_that_are_not_a_store_are_refused(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match=r"notes\.sqlite3: cannot open the store \(file is not a database\)"):
        ObjectStore(text_file)
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE invoices (id INTEGER)")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="is an SQLite database but not a Flowdesk store"):
        ObjectStore(other)
    newer = tmp_path / "newer.db"
    connection = sqlite3.connect(newer)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    with pytest.raises(StoreError, match=r"made by a newer Flowdesk \(store schema 99\)"):
        ObjectStore(newer)


def test_parent_folders_are_created(tmp_path: Path) -> None:
    with ObjectStore(tmp_path / "a" / "b" / "store.sqlite3") as store:
        store.create_type("T", ["A"])
    assert (tmp_path / "a" / "b" / "store.sqlite3").is_file()


def test_a_closed_store_says_so(store_path: Path) -> None:
    store = ObjectStore(store_path)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="the store is closed"):
        store.list_types()


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_DATA_HOME only steers platformdirs on Linux")
def test_default_store_path_is_in_the_user_data_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_store_path() == tmp_path / "data" / "flowdesk" / "store.sqlite3"
