"""Filters, ordering and paging compiled to SQL and run on real SQLite data."""

from __future__ import annotations

import sqlite3

import pytest

from runtime.store import ObjectStore, ObjectTypeNotFound, ODataError, StoreError
from runtime.store.odata import Column, SqlFragment, compile_filter, compile_order_by

from .conftest import names


@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        ("City eq 'Paris'", ["Ann", "Cid"]),
        ("City ne 'Paris'", ["Bob", "Dee", "O'Neil"]),  # OData ne: an absent City is "not Paris"
        ("Age gt 5", ["Ann", "Dee", "O'Neil"]),
        ("Age ge 5", ["Ann", "Bob", "Dee", "O'Neil"]),
        ("Age lt 5", ["Cid"]),
        ("Age le 5", ["Bob", "Cid"]),
        ("Age eq 12.5", ["Dee"]),
        ("Age gt 4.99", ["Ann", "Bob", "Dee", "O'Neil"]),
        ("5 lt Age", ["Ann", "Dee", "O'Neil"]),
        ("Active eq true", ["Ann", "Cid"]),
        ("Active eq false", ["Bob", "O'Neil"]),
        ("Active ne true", ["Bob", "Dee", "O'Neil"]),
        ("Active", ["Ann", "Cid"]),
        ("not Active", ["Bob", "Dee", "O'Neil"]),
        ("City eq null", ["Dee"]),
        ("City ne null", ["Ann", "Bob", "Cid", "O'Neil"]),
        ("Tags ne null", ["Ann"]),
        ("Born lt 2000-01-01T00:00:00Z", ["Ann", "O'Neil"]),
        ("Born gt 2019-01-02T09:00:00Z", ["Bob", "Cid"]),  # Bob was born 10:00 UTC
        ("Born eq 2019-01-02T10:00:00Z", ["Bob"]),
        ("Born eq '2019-01-02T11:00:00+01:00'", ["Bob"]),
        ("Born ge 2021-03-04T05:06:07.500Z", ["Cid"]),
        ("Born gt 2021-03-04T05:06:07.499Z and Born lt 2021-03-04T05:06:07.501Z", ["Cid"]),
        ("Name eq 'O''Neil'", ["O'Neil"]),
        ("City eq 'Paris' or Age gt 5 or City eq 'Paris' and Age le 5", ["Ann", "Cid", "Dee", "O'Neil"]),
        ("City eq 'Paris' and (Age gt 30 or Age lt 4)", ["Ann", "Cid"]),
        ("(City eq 'Paris' and Age gt 30) or Age lt 4", ["Ann", "Cid"]),
        ("not (City eq 'Paris' or City eq 'Lyon')", ["Dee", "O'Neil"]),
        ("not Age gt 5", ["Bob", "Cid"]),  # a null Age is not greater than 5, so Dee is excluded only here
        ("Title eq 'Bob'", ["Bob"]),
        ("ObjectId ge 4", ["Dee", "O'Neil"]),
        ("Name eq City", []),
        ("Age gt Age", []),
        ("", ["Ann", "Bob", "Cid", "Dee", "O'Neil"]),
    ],
)
def test_filters_on_typed_fields(people: ObjectStore, filter_text: str, expected: list[str]) -> None:
    assert names(people.list_instances("People", filter=filter_text)) == expected


def test_not_of_a_comparison_with_null_side_is_two_valued(people: ObjectStore) -> None:
    # Dee has no Active: "Active eq true" is false for her, so its negation keeps her.
    assert names(people.list_instances("People", filter="not (Active eq true)")) == ["Bob", "Dee", "O'Neil"]


def test_string_field_holding_iso_text_compares_as_datetime(store: ObjectStore) -> None:
    store.create_type("Settings", ["Key", "Data1", "Data2"])
    store.create_instance("Settings", {"Key": "AccessToken", "Data2": "2024-07-22T07:05:40.7624871Z"})
    store.create_instance("Settings", {"Key": "Old", "Data2": "2024-07-22T08:00:00+02:00"})
    store.create_instance("Settings", {"Key": "Junk", "Data2": "soon"})
    found = store.list_instances("Settings", filter="Data2 gt 2024-07-22T07:00:00Z")
    assert [record["Key"] for record in found] == ["AccessToken"]
    found = store.list_instances("Settings", filter="Data2 lt 2024-07-22T07:00:00Z")
    assert [record["Key"] for record in found] == ["Old"]


def test_injection_attempt_matches_nothing_and_leaves_data_intact(people: ObjectStore) -> None:
    assert people.list_instances("People", filter="Name eq 'x'' or 1=1 --'") == []
    assert people.list_instances("People", filter="Name eq 'x''); DROP TABLE object_instances; --'") == []
    assert len(people.list_instances("People")) == 5


def test_compiled_sql_binds_every_value() -> None:
    columns = {
        "Key": Column("Key", "string", SqlFragment("json_extract(i.data, ?)", ('$."Key"',))),
        "Age": Column("Age", "number", SqlFragment("json_extract(i.data, ?)", ('$."Age"',))),
    }
    fragment = compile_filter("Key eq 'x'' or 1=1 --' or not Age gt 3", columns)
    assert fragment is not None
    assert "'" not in fragment.sql and "1=1" not in fragment.sql and "Key" not in fragment.sql
    assert fragment.sql.count("?") == len(fragment.params)
    assert fragment.params == ('$."Key"', "x' or 1=1 --", '$."Age"', 3)
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (data TEXT)")
    connection.execute(
        """INSERT INTO t VALUES ('{"Key": "x'' or 1=1 --", "Age": 9}'), ('{"Key": "y", "Age": 1}')"""
    )
    rows = connection.execute(
        f"SELECT json_extract(data, '$.Key') FROM t AS i WHERE {fragment.sql}", fragment.params
    )
    assert [row[0] for row in rows] == ["x' or 1=1 --", "y"]


def test_order_by_skip_and_limit(people: ObjectStore) -> None:
    assert names(people.list_instances("People", order_by="Age desc")) == [
        "O'Neil",
        "Ann",
        "Dee",
        "Bob",
        "Cid",
    ]
    assert names(people.list_instances("People", order_by="City, Age desc")) == [
        "Dee",  # null City sorts first
        "Bob",
        "O'Neil",
        "Ann",
        "Cid",
    ]
    assert names(people.list_instances("People", order_by="Born asc")) == [
        "Dee",
        "O'Neil",
        "Ann",
        "Bob",
        "Cid",
    ]
    assert names(people.list_instances("People", order_by="Active desc, Name desc")) == [
        "Cid",
        "Ann",
        "O'Neil",
        "Bob",
        "Dee",
    ]
    by_age = people.list_instances("People", order_by="Age", skip=1, limit=2)
    assert names(by_age) == ["Bob", "Dee"]
    assert names(people.list_instances("People", filter="City eq 'Paris'", skip=1)) == ["Cid"]
    assert names(people.list_instances("People", limit=0)) == []
    assert names(people.list_instances("People", skip=10)) == []


def test_records_have_object_id_title_and_every_field(people: ObjectStore) -> None:
    dee = people.list_instances("People", filter="Name eq 'Dee'")[0]
    assert dee == {
        "ObjectId": 4,
        "Title": "Dee",
        "Name": "Dee",
        "City": None,
        "Age": 12.5,
        "Active": None,
        "Born": None,
        "Tags": None,
    }
    bob = people.list_instances("People", filter="Name eq 'Bob'")[0]
    assert bob["Born"] == "2019-01-02T10:00:00.000Z"
    assert bob["Active"] is False and bob["Age"] == 5


@pytest.mark.parametrize(
    ("filter_text", "message"),
    [
        ("Nmae eq 'Ann'", 'unknown field "Nmae" in type People (fields: ObjectId, Title, Name, City, Age'),
        ("name eq 'Ann'", 'unknown field "name" in type People; did you mean "Name"? at position 0'),
        ("Age eq 'old'", "field \"Age\" is a number and cannot be compared with 'old' at position 7"),
        ("Name gt 5", 'field "Name" is a string and cannot be compared with 5 at position 8'),
        ("Active gt true", "booleans can only be compared with eq or ne, not 'gt' at position 7"),
        ("Born lt 'soon'", "field \"Born\" is a datetime and 'soon' is not one at position 8"),
        ("Tags eq 'a'", 'field "Tags" holds JSON and can only be compared with null at position 5'),
        ("Age gt null", "null can only be compared with eq or ne, not 'gt' at position 4"),
        ("Name", "expected an operator (eq, ne, gt, ge, lt, le) after 'Name' at position 4"),
        ("Name eq Age", 'fields "Name" (string) and "Age" (number) cannot be compared at position 5'),
    ],
)
def test_filters_that_do_not_fit_the_type(people: ObjectStore, filter_text: str, message: str) -> None:
    with pytest.raises(ODataError) as caught:
        people.list_instances("People", filter=filter_text)
    assert str(caught.value).startswith(f'filter "{filter_text}" : ')
    assert message in str(caught.value)


def test_unknown_order_by_field(people: ObjectStore) -> None:
    with pytest.raises(
        ODataError, match=r'^order by "Age, Height desc" : unknown field "Height" .* at position 5$'
    ):
        people.list_instances("People", order_by="Age, Height desc")
    assert compile_order_by("", {}) == []


def test_unknown_type_and_bad_paging(people: ObjectStore) -> None:
    with pytest.raises(ObjectTypeNotFound) as caught:
        people.list_instances("Planets")
    assert caught.value.type_name == "Planets"
    assert str(caught.value).startswith('object type "Planets" not found in store ')
    with pytest.raises(StoreError, match="skip must be a whole number of 0 or more, got -1"):
        people.list_instances("People", skip=-1)
    with pytest.raises(StoreError, match="limit must be a whole number"):
        people.list_instances("People", limit="3")  # type: ignore[arg-type]


def test_type_lookup_ignores_case(people: ObjectStore) -> None:
    assert len(people.list_instances("people", filter="Age gt 30")) == 2
    found = people.get_type("PEOPLE")
    assert found is not None and found.name == "People"
