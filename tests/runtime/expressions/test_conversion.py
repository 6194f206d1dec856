"""convert(): Elsa's parsing of Literal text / Liquid output, and coercion of JS and JSON values."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from runtime.expressions import ValueConversionError, convert


@pytest.mark.parametrize(
    "value_type", ["string", "bool", "int", "number", "object", "array", "any", "enum", "duration"]
)
@pytest.mark.parametrize("blank", [None, "", "   ", "\n\t"])
def test_no_value_and_blank_text_are_none_for_every_type(value_type: str, blank: str | None) -> None:
    assert convert(blank, value_type) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  keep spaces ", "  keep spaces "),
        (True, "true"),
        (False, "false"),
        (200, "200"),
        (200.0, "200"),
        (0.5, "0.5"),
        (math.nan, "NaN"),
        ({"a": 1, "b": [1, "é"]}, '{"a":1,"b":[1,"é"]}'),
        (["x", 2], '["x",2]'),
    ],
)
def test_string(value: object, expected: str) -> None:
    assert convert(value, "string") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("True", True),
        (" TRUE ", True),
        ("false", False),
        ("False", False),
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        (0.0, False),
        ({"a": 1}, True),
        ([], True),
    ],
)
def test_bool(value: object, expected: bool) -> None:
    assert convert(value, "bool") is expected


def test_bool_rejects_other_text() -> None:
    with pytest.raises(ValueConversionError, match="boolean"):
        convert("yes please", "bool")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42", 42), (" -7 ", -7), ("+3", 3), ("1e3", 1000), ("200.0", 200), (5, 5), (5.0, 5), (True, 1)],
)
def test_int(value: object, expected: int) -> None:
    result = convert(value, "int")
    assert result == expected and isinstance(result, int)


@pytest.mark.parametrize("value", ["abc", "2.5", 2.5, {"a": 1}, [1]])
def test_int_rejects_what_is_not_a_whole_number(value: object) -> None:
    with pytest.raises(ValueConversionError, match="integer"):
        convert(value, "int")


@pytest.mark.parametrize(
    ("value", "expected"), [("42", 42), ("2.5", 2.5), ("-1e-3", -0.001), (7, 7), (1.25, 1.25)]
)
def test_number(value: object, expected: float) -> None:
    assert convert(value, "number") == expected


def test_number_rejects_text() -> None:
    with pytest.raises(ValueConversionError, match="number"):
        convert("twelve", "number")


def test_object_parses_json_text_and_keeps_structures() -> None:
    assert convert('{"Data1": "", "Data2": ""}', "object") == {"Data1": "", "Data2": ""}
    assert convert({"a": 1}, "object") == {"a": 1}
    assert convert([{"a": 1}], "object") == [{"a": 1}]


@pytest.mark.parametrize("value", ["not json", '{"broken": ', 12])
def test_object_rejects_non_json(value: object) -> None:
    with pytest.raises(ValueConversionError, match="object"):
        convert(value, "object")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('["200"]', ["200"]),
        ("[200, 404]", [200, 404]),
        ("GET, POST ,", ["GET", "POST"]),
        ("single", ["single"]),
        (["a"], ["a"]),
        (("a", "b"), ["a", "b"]),
        (200, [200]),
    ],
)
def test_array(value: object, expected: list[object]) -> None:
    assert convert(value, "array") == expected


@pytest.mark.parametrize("value", ['{"a": 1}', {"a": 1}, "[1, 2"])
def test_array_rejects_objects_and_bad_json(value: object) -> None:
    with pytest.raises(ValueConversionError, match="array"):
        convert(value, "array")


def test_enum_and_any() -> None:
    assert convert(" Blocking ", "enum") == "Blocking"
    assert convert(3, "enum") == 3
    assert convert("  text stays text  ", "any") == "  text stays text  "
    assert convert({"a": [1]}, "any") == {"a": [1]}
    assert convert("123", "any") == "123"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("00:00:10", 10.0),
        ("01:02:03", 3723.0),
        ("00:10", 600.0),
        ("1.02:00:00", 93600.0),
        ("0:00:00:10", 10.0),
        ("00:00:01.5", 1.5),
        ("-00:00:05", -5.0),
        ("PT10S", 10.0),
        ("pt1m30s", 90.0),
        ("P1DT2H", 93600.0),
        ("PT0.5S", 0.5),
        ("P1W", 604800.0),
        ("10", 10.0),
        ("2.5", 2.5),
        (30, 30.0),
        (dt.timedelta(minutes=2), 120.0),
    ],
)
def test_duration(value: object, seconds: float) -> None:
    assert convert(value, "duration") == seconds


@pytest.mark.parametrize("value", ["soon", "P", "PT", "P1Y", "00:61:00", True, {"s": 1}])
def test_duration_rejects_unreadable_values(value: object) -> None:
    with pytest.raises(ValueConversionError, match="duration"):
        convert(value, "duration")


def test_unknown_value_type_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown value type"):
        convert("x", "colour")


def test_values_json_cannot_hold_are_conversion_errors() -> None:
    looped: dict[str, object] = {}
    looped["self"] = looped
    with pytest.raises(ValueConversionError, match="contains itself"):
        convert(looped, "string")
    with pytest.raises(ValueConversionError, match="type object cannot be written as JSON"):
        convert([object()], "string")


def test_workflow_data_types_are_written_as_json_text() -> None:
    when = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert convert({"when": when, "n": math.inf, "tags": ("a",)}, "string") == (
        '{"when":"2024-01-02T03:04:05+00:00","n":null,"tags":["a"]}'
    )
