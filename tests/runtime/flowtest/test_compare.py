"""Comparing a replay: JSON differences with JSONPaths ignored or accepting any value, and the path."""

from __future__ import annotations

import pytest

from runtime.flowtest.compare import JsonPathError, Loosening, format_path, json_differences, parse_path
from runtime.flowtest.runner import path_difference
from runtime.flowtest.testfile import PathStep


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("$.token", ("token",), True),
        ("$.token", ("other",), False),
        ("$.a.b", ("a", "b"), True),
        ("$['a b'].c", ("a b", "c"), True),
        ('$["x"][0]', ("x", 0), True),
        ("$.items[*].id", ("items", 3, "id"), True),
        ("$.items[*].id", ("items", 3, "name"), False),
        ("$..id", ("deep", 1, "id"), True),
        ("$..id", ("id",), True),
        ("$.*", ("anything",), True),
        ("$[0]", ("0",), False),
    ],
)
def test_jsonpath_subset(pattern: str, path: tuple, matches: bool) -> None:
    assert Loosening(ignore=[pattern]).ignored(path) is matches


@pytest.mark.parametrize("bad", ["token", "$.", "$[", "$.a[?(@.b)]", "$..[0"])
def test_a_path_outside_the_subset_is_refused(bad: str) -> None:
    with pytest.raises(JsonPathError):
        parse_path(bad)


def test_differences_name_the_json_path() -> None:
    expected = {"orders": [{"item": "coffee", "qty": 2}], "ok": True, "n": 1}
    actual = {"orders": [{"item": "tea", "qty": 2}, {"item": "cake"}], "ok": 1, "n": 1.0, "new": None}
    assert json_differences(expected, actual) == [
        '$.orders[0].item: expected "coffee", got "tea"',
        '$.orders[1]: not expected, got {"item": "cake"}',
        "$.ok: expected true, got 1",
        "$.new: not expected, got null",
    ]


def test_loosened_paths() -> None:
    expected = {"token": "abc", "id": "1", "keep": 1}
    loose = Loosening(ignore=["$.id"], any_value=["$.token"])
    assert json_differences(expected, {"token": "xyz", "id": "2", "keep": 1}, loose) == []
    assert json_differences(expected, {"id": "2", "keep": 2}, loose) == [
        "$.token: missing (any value is accepted, but one must be there)",
        "$.keep: expected 1, got 2",
    ]


def test_format_path() -> None:
    assert format_path(("a", 0, "b c", "d'e")) == "$.a[0]['b c']['d\\'e']"


def test_the_path_difference_is_the_first_step_that_went_otherwise() -> None:
    a = PathStep("W", "a", "A", ("Done",))
    b = PathStep("W", "b", "B", ("True",))
    c = PathStep("W", "b", "B", ("False",))
    assert path_difference([a, b], [a, b]) is None
    assert (
        path_difference([a, b], [a, c])
        == 'path: step 2 (after W / "A" (a) → Done): expected W / "B" (b) → True, got W / "B" (b) → False'
    )
    assert (
        path_difference([a, b], [a])
        == 'path: step 2 (after W / "A" (a) → Done): expected W / "B" (b) → True, but the run ended'
    )
    assert path_difference([a], [a, b]).endswith('expected the run to end, got W / "B" (b) → True')  # type: ignore[union-attr]


def test_a_value_nested_too_deeply_to_show_is_a_difference_not_a_crash() -> None:
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    [line] = json_differences(deep, 1)
    assert line.startswith("$: expected … (nested too deeply to show), got 1")


def test_the_differing_paths_follow_the_listed_differences() -> None:
    from runtime.flowtest.compare import differing_paths

    expected = {"a": 1, "b": {"c": [1, 2]}, "gone": True}
    actual = {"a": 2, "b": {"c": [1, 3]}, "new": 0}
    lines = json_differences(expected, actual)
    assert differing_paths(expected, actual) == [line.split(": ", 1)[0] for line in lines]
    assert differing_paths(expected, actual) == ["$.a", "$.b.c[1]", "$.gone", "$.new"]
