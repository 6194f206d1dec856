"""Dropping a type (with its instances) or a field (from the type and every instance), transactionally, and
``flowdesk store drop TYPE [--field NAME] --yes``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runtime import cli
from runtime.store import ObjectStore, ObjectTypeNotFound, StoreError
from tests.runtime.store.conftest import names


def test_drop_type_removes_it_and_its_instances_only(people: ObjectStore) -> None:
    people.create_type("Settings", ["Key"])
    kept = people.create_instance("Settings", {"Key": "APIBaseURL"})
    assert people.count_instances("people") == 5
    assert people.drop_type("people") == 5
    assert [t.name for t in people.list_types()] == ["Settings"]
    assert people.get_instance(1) is None
    assert people.get_instance(kept["ObjectId"]) == kept
    with pytest.raises(ObjectTypeNotFound):
        people.list_instances("People")
    people.create_type("People", ["Name"])
    again = people.create_instance("People", {"Name": "Eve"})
    assert again["ObjectId"] > kept["ObjectId"], "ObjectIds of dropped instances are never reused"
    with pytest.raises(ObjectTypeNotFound, match='"Nope" not found'):
        people.drop_type("Nope")


def test_drop_field_removes_it_from_the_type_and_every_instance(people: ObjectStore) -> None:
    assert people.drop_field("People", "city") == 4, "Dee had no City"
    assert people.get_type("People").field_names == ["Name", "Age", "Active", "Born", "Tags"]
    ann = people.list_instances("People", filter="Name eq 'Ann'")[0]
    assert "City" not in ann and ann["Age"] == 34 and ann["Tags"] == ["a"]
    older = people.list_instances("People", filter="Age gt 10", order_by="Name")
    assert names(older) == ["Ann", "Dee", "O'Neil"]
    people.add_fields("People", ["City"])
    ann = people.list_instances("People", filter="Name eq 'Ann'")[0]
    assert ann["City"] is None, "no old value comes back"
    with pytest.raises(StoreError, match='has no field "Nope"'):
        people.drop_field("People", "Nope")
    with pytest.raises(ObjectTypeNotFound):
        people.drop_field("Ghosts", "Name")


def test_drops_inside_a_failed_transaction_change_nothing(people: ObjectStore) -> None:
    before = people.export_seed()
    with pytest.raises(RuntimeError), people.transaction():
        people.drop_field("People", "Age")
        people.drop_type("People")
        assert people.list_types() == []
        raise RuntimeError("changed my mind")
    assert people.export_seed() == before


@pytest.fixture
def db(people: ObjectStore, store_path: Path) -> Path:
    people.close()
    return store_path


def test_cli_drop_needs_yes_and_says_what_would_go(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["store", "drop", "people", "--store", str(db)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f'flowdesk store drop: would drop type "People" and its 5 instances in {db}; add --yes to drop it\n'
    )
    assert cli.main(["store", "drop", "People", "--field", "age", "--store", str(db)]) == 1
    err = capsys.readouterr().err
    assert 'would drop field "Age" of type "People" from the type and every instance' in err
    with ObjectStore(db) as store:
        assert store.count_instances("People") == 5 and "Age" in store.get_type("People").field_names


def test_cli_drop_a_field_then_the_type(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["store", "drop", "People", "--field", "Age", "--yes", "--store", str(db)]) == 0
    assert capsys.readouterr().err == 'dropped field "Age" of type "People" (5 instances had a value)\n'
    assert cli.main(["store", "export", "--store", str(db)]) == 0
    seed = json.loads(capsys.readouterr().out)
    assert all("Age" not in record for record in seed["instances"]["People"])
    assert cli.main(["store", "drop", "People", "--yes", "--store", str(db)]) == 0
    assert capsys.readouterr().err == 'dropped type "People" and 5 instances\n'
    with ObjectStore(db) as store:
        assert store.list_types() == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["Ghosts"], 'object type "Ghosts" not found'),
        (["People", "--field", "Nope"], 'type People has no field "Nope"'),
    ],
)
def test_cli_drop_of_what_is_not_there_is_a_one_line_error(
    db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert cli.main(["store", "drop", *argv, "--yes", "--store", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("flowdesk: ") and message in err and err.count("\n") == 1


def test_cli_drop_never_creates_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.sqlite3"
    assert cli.main(["store", "drop", "People", "--yes", "--store", str(missing)]) == 2
    assert "no store here" in capsys.readouterr().err and not missing.exists()
