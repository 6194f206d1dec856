"""A real store file in tmp_path, with the seed's Settings type and a typed People type."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from runtime.store import ObjectStore

PEOPLE_FIELDS = [
    "Name",
    "City",
    {"name": "Age", "type": "number"},
    {"name": "Active", "type": "boolean"},
    {"name": "Born", "type": "datetime"},
    {"name": "Tags", "type": "json"},
]
PEOPLE = [
    {
        "Name": "Ann",
        "City": "Paris",
        "Age": 34,
        "Active": True,
        "Born": "1990-05-01T00:00:00Z",
        "Tags": ["a"],
    },
    {"Name": "Bob", "City": "Lyon", "Age": 5, "Active": False, "Born": "2019-01-02T12:00:00+02:00"},
    {"Name": "Cid", "City": "Paris", "Age": 3, "Active": True, "Born": "2021-03-04T05:06:07.5Z"},
    {"Name": "Dee", "City": None, "Age": 12.5, "Active": None, "Born": None},
    {"Name": "O'Neil", "City": "Nice", "Age": 40, "Active": False, "Born": "1984-12-31T23:59:59Z"},
]


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite3"


@pytest.fixture
def store(store_path: Path) -> Iterator[ObjectStore]:
    with ObjectStore(store_path) as opened:
        yield opened


@pytest.fixture
def people(store: ObjectStore) -> ObjectStore:
    store.create_type("People", PEOPLE_FIELDS)
    for person in PEOPLE:
        store.create_instance("People", person, title=person["Name"])
    return store


def names(records: list[dict]) -> list[str]:
    return [record["Name"] for record in records]
