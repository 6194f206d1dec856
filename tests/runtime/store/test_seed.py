"""Seed import (one transaction, upsert by ObjectId) and export, and the one-line errors for bad seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runtime.store import ObjectStore, SeedError

SEED = {
    "types": [
        {"name": "Settings", "fields": ["Key", "Data1", "Data2"]},
        {
            "name": "Tokens",
            "fields": ["Key", {"name": "Expires", "type": "datetime"}, {"name": "Uses", "type": "number"}],
        },
    ],
    "instances": {
        "Settings": [
            {"Key": "APIBaseURL", "Data1": "http://127.0.0.1:5080", "Data2": ""},
            {"ObjectId": 10, "Title": "token", "Key": "AccessToken", "Data1": "", "Data2": ""},
            {"Key": "AccessTokenCreds", "Data1": "analyst", "Data2": "s3cret"},
        ],
        "Tokens": [{"Key": "t", "Expires": "2024-07-22T07:05:40Z", "Uses": 2}],
    },
}


def write_seed(folder: Path, document: object, name: str = "seed.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(document) if not isinstance(document, str) else document, encoding="utf-8")
    return path


def test_import_creates_types_and_instances(store: ObjectStore, tmp_path: Path) -> None:
    summary = store.import_seed(write_seed(tmp_path, SEED))
    assert (
        summary.types_created,
        summary.fields_added,
        summary.instances_created,
        summary.instances_updated,
    ) == (
        2,
        0,
        4,
        0,
    )
    assert str(summary).endswith("seed.json: 2 types created, 0 fields added, 4 instances created, 0 updated")
    settings = store.list_instances("Settings")
    assert [record["ObjectId"] for record in settings] == [1, 10, 11]  # the given id is kept
    assert store.list_instances("Settings", filter="Key eq 'AccessToken'")[0]["Title"] == "token"
    assert store.list_instances("Tokens")[0]["Expires"] == "2024-07-22T07:05:40.000Z"


def test_import_updates_instances_whose_object_id_exists(store: ObjectStore) -> None:
    store.import_seed(SEED)
    again = {
        "types": [{"name": "Settings", "fields": ["Key", "Data3"]}],
        "instances": {
            "Settings": [{"ObjectId": 10, "Data1": "abc", "Data3": "new field"}, {"ObjectId": 50, "Key": "K"}]
        },
    }
    summary = store.import_seed(again)
    assert (
        summary.types_created,
        summary.fields_added,
        summary.instances_created,
        summary.instances_updated,
    ) == (
        0,
        1,
        1,
        1,
    )
    token = store.get_instance(10)
    assert token == {
        "ObjectId": 10,
        "Title": "token",
        "Key": "AccessToken",
        "Data1": "abc",
        "Data2": "",
        "Data3": "new field",
    }
    assert store.get_instance(50)["Key"] == "K"  # type: ignore[index]
    assert str(summary) == "<seed>: 0 types created, 1 field added, 1 instance created, 1 updated"


def test_export_then_import_round_trips(store: ObjectStore, tmp_path: Path) -> None:
    store.import_seed(SEED)
    store.update_instance(1, {"Data2": "changed"})
    exported = store.export_seed()
    assert exported["types"][1] == {
        "name": "Tokens",
        "fields": ["Key", {"name": "Expires", "type": "datetime"}, {"name": "Uses", "type": "number"}],
    }
    assert exported["instances"]["Settings"][0] == {
        "ObjectId": 1,
        "Title": "",
        "Key": "APIBaseURL",
        "Data1": "http://127.0.0.1:5080",
        "Data2": "changed",
    }
    with ObjectStore(tmp_path / "copy.sqlite3") as copy:
        summary = copy.import_seed(write_seed(tmp_path, exported, "export.json"))
        assert summary.instances_created == 4
        assert copy.export_seed() == exported
        assert copy.create_instance("Settings", {"Key": "next"})["ObjectId"] == 13  # after Tokens 12
        # importing the export again only updates
        summary = copy.import_seed(exported)
        assert (summary.instances_created, summary.instances_updated) == (0, 4)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            "{not json",
            "seed.json: not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)",
        ),
        ("[]", 'seed.json: a seed is a JSON object with "types" and "instances", got []'),
        ({"types": [], "rows": {}}, 'seed.json: unknown key "rows" (a seed has "types" and "instances")'),
        ({"types": {}}, "seed.json: types: expected a list of types, got {}"),
        ({"types": ["Settings"]}, 'seed.json: types[0]: expected {"name", "fields"}, got "Settings"'),
        (
            {"types": [{"name": "", "fields": []}]},
            'seed.json: types[0].name: a type name must be non-empty text, got ""',
        ),
        (
            {"types": [{"name": "S", "fields": ["Key", {"name": "N", "type": "int"}]}]},
            'seed.json: types[0].fields[1]: field "N" has type "int"; '
            "expected one of string, number, boolean, datetime, json",
        ),
        (
            {"types": [{"name": "S", "fields": ["Key"]}, {"name": "s", "fields": []}]},
            'seed.json: types[1]: type "s" is declared twice (also at types[0])',
        ),
        ({"instances": []}, "seed.json: instances: expected an object of type name → list, got []"),
        (
            {"instances": {"Settings": {}}},
            "seed.json: instances.Settings: expected a list of instances, got {}",
        ),
        (
            {"instances": {"Planets": [{"Name": "Mars"}]}},
            'seed.json: instances.Planets[0]: type "Planets" is neither declared in "types" nor in the store',
        ),
        (
            {
                "types": SEED["types"],
                "instances": {"Tokens": [{"Key": "a"}, {"Key": "b"}, {"Expires": "soon"}]},
            },
            'seed.json: instances.Tokens[2]: field "Expires" expects a datetime, got "soon"',
        ),
        (
            {"types": SEED["types"], "instances": {"Tokens": [{"Uses": "3"}]}},
            'seed.json: instances.Tokens[0]: field "Uses" expects a number, got "3"',
        ),
        (
            {"types": SEED["types"], "instances": {"Settings": [{"Key": 5}]}},
            'seed.json: instances.Settings[0]: field "Key" expects a string, got 5',
        ),
        (
            {"types": SEED["types"], "instances": {"Settings": [{"key": "x"}]}},
            'seed.json: instances.Settings[0]: type Settings has no field "key" (fields: Key, Data1, Data2); '
            'did you mean "Key"?',
        ),
        (
            {"types": SEED["types"], "instances": {"Settings": [{"ObjectId": "7"}]}},
            'seed.json: instances.Settings[0]: ObjectId must be a positive integer, got "7"',
        ),
        (
            {
                "types": SEED["types"],
                "instances": {"Settings": [{"ObjectId": 7}], "Tokens": [{"ObjectId": 7}]},
            },
            "seed.json: instances.Tokens[0]: ObjectId 7 is used twice (also at instances.Settings[0])",
        ),
        (
            {"types": SEED["types"], "instances": {"Settings": [{"Title": 3}]}},
            "seed.json: instances.Settings[0]: Title must be text, got 3",
        ),
    ],
)
def test_bad_seeds_give_one_line_and_write_nothing(
    store: ObjectStore, tmp_path: Path, document: object, message: str
) -> None:
    with pytest.raises(SeedError) as caught:
        store.import_seed(write_seed(tmp_path, document))
    assert str(caught.value) == str(tmp_path / "seed.json").replace("seed.json", "") + message
    assert "\n" not in str(caught.value)
    assert store.list_types() == []


def test_a_failing_instance_undoes_the_types_and_instances_before_it(store: ObjectStore) -> None:
    store.import_seed(
        {"types": [{"name": "Settings", "fields": ["Key"]}], "instances": {"Settings": [{"Key": "a"}]}}
    )
    before = store.export_seed()
    bad = {
        "types": [{"name": "Settings", "fields": ["Key", "Extra"]}, {"name": "New", "fields": ["A"]}],
        "instances": {"New": [{"A": "x"}], "Settings": [{"ObjectId": 1, "Key": "changed"}, {"Nope": 1}]},
    }
    with pytest.raises(
        SeedError, match=r'^<seed>: instances\.Settings\[1\]: type Settings has no field "Nope"'
    ):
        store.import_seed(bad)
    assert store.export_seed() == before


def test_conflicts_with_the_store_are_seed_errors(store: ObjectStore) -> None:
    store.import_seed(SEED)
    with pytest.raises(
        SeedError, match=r'types\[0\]\.fields\[0\]: the store has field "Key" of type Settings as a string'
    ):
        store.import_seed({"types": [{"name": "Settings", "fields": [{"name": "Key", "type": "number"}]}]})
    with pytest.raises(
        SeedError, match=r"instances\.Tokens\[0\]: ObjectId 10 is an instance of type Settings, not Tokens"
    ):
        store.import_seed({"instances": {"Tokens": [{"ObjectId": 10, "Key": "x"}]}})


def test_unreadable_seed_files(store: ObjectStore, tmp_path: Path) -> None:
    with pytest.raises(SeedError, match=r"missing\.json: cannot be read \(No such file or directory\)$"):
        store.import_seed(tmp_path / "missing.json")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"types": [{"name": "Caf\xe9"}]}')
    with pytest.raises(SeedError, match=r"latin\.json: is not UTF-8 text \(byte 24\)$"):
        store.import_seed(latin)


def test_a_seed_with_a_byte_order_mark_imports(store: ObjectStore, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(SEED).encode())
    assert store.import_seed(path).instances_created == 4
