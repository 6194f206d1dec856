"""Scripts answered without the engine (``js_fast``) give exactly what the engine gives.

Every case runs twice on copies of the same state: once as evaluations run (the fast path, checked to
have answered), once with the fast path switched off (the engine). Results, errors, the variables set
(their order and types too) and the variable events must be the same.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runtime.expressions import ExpressionError, ScriptScope, evaluate
from runtime.expressions import javascript as javascript_module
from runtime.expressions.js_fast import DECLINE


class Unwritable:
    """A value JSON cannot hold: the engine path fails to send it."""


def typed(value: Any) -> Any:
    """``value`` with every type and every key order visible (so 1 != 1.0, {"a", "b"} != {"b", "a"})."""
    if isinstance(value, dict):
        return ("dict", [(typed(key), typed(item)) for key, item in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [typed(item) for item in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    if isinstance(value, Unwritable):
        return ("Unwritable",)
    return (type(value).__name__, value)


def run(source: str, variables: dict[str, Any], value_type: str, **scope: Any) -> Any:
    events: list[tuple[str, Any]] = []
    state = ScriptScope(
        variables=copy.deepcopy(variables),
        on_variable_set=lambda name, value: events.append((name, value)),
        **scope,
    )
    try:
        result: tuple[Any, ...] = ("value", evaluate("JavaScript", source, state, value_type))
    except ExpressionError as error:
        result = ("error", error.message, error.line)
    return typed((result, state.variables, events))


def fast_and_engine(
    source: str, variables: dict[str, Any], value_type: str = "any", **scope: Any
) -> tuple[Any, Any, bool]:
    """(what the evaluation gave, what the engine gives, whether the fast path answered)."""
    javascript_module._scripts.pop(source, None)
    script = javascript_module._remember_script(source)
    answered = False
    if script.fast is not None:
        probe = ScriptScope(variables=copy.deepcopy(variables), **scope)
        try:
            answered = script.fast(probe) is not DECLINE
        except ExpressionError:
            answered = True
    fast = run(source, variables, value_type, **scope)
    saved, script.fast = script.fast, None
    try:
        engine = run(source, variables, value_type, **scope)
    finally:
        script.fast = saved
    return fast, engine, answered


VARIABLES: dict[str, Any] = {
    "token": {"token": "abc"},
    "method": "GET",
    "api": "/orders",
    "count": 3,
    "ratio": 2.5,
    "whole": 3.0,
    "negative_zero": -0.0,
    "big": 2**60,
    "huge": 10**400,
    "inexact": 2**53 + 1,
    "nan": math.nan,
    "flag": True,
    "nothing": None,
    "list": [1, 2.0, "x", None, {"b": 1, "a": 2}],
    "ordered": {"b": 1, "10": 2, "2": 3, "a": 4, "01": 5, "4294967295": 6, "4294967294": 7},
    "keys": {1: "one", "1": "uno", None: "null", 2.5: "f"},
    "tuple": (1, "two"),
    "when": dt.datetime(2024, 1, 31, 10, 0, tzinfo=dt.UTC),
    "text": "a\x00b\ud800c",
    "nested": {"deep": {"n": [1e21, 1e-7, 123456789012345678901234, 0.1]}},
    "__proto__": "own",
    "getVariable": "shadow?",
    "1": "numeric name",
}

SUPPORTED = [
    'getVariable("token")',
    "getVariable('method')",
    'getVariable("missing")',
    'getVariable("method") == "GET"',
    'getVariable("method") === "GET"',
    'getVariable("method") != "POST"',
    '"GET" !== getVariable("method")',
    'getVariable("count") === 3',
    'getVariable("count") == 3.0',
    'getVariable("whole") === 3',
    'getVariable("negative_zero") === 0',
    'getVariable("flag") == true',
    'getVariable("nothing") == null',
    'getVariable("missing") === null',
    'getVariable("nan") == null',
    'getVariable("token") == null',
    'getVariable("token") === "x"',
    'getVariable("huge") === getVariable("huge")',
    'getVariable("big") === getVariable("inexact")',
    'setVariable("api", "/orders"); setVariable("method", "GET");',
    'setVariable("a", 1); setVariable("b", getVariable("token")); setVariable("a", 2)',
    'setVariable("copy", getVariable("list")); getVariable("copy")',
    'setVariable("n", -0); setVariable("m", 1e21); setVariable("k", 123456789012345678901234)',
    '({api: getVariable("api"), method: getVariable("method")})',
    "({b: 1, 10: 2})".replace("10", '"10"'),
    '({"2": getVariable("count"), a: [getVariable("flag"), null, -1.5], "1": {x: getVariable("ordered")}})',
    "({a: 1, b: 2, a: 3})",
    "[getVariable('list'), getVariable('keys'), getVariable('tuple'), getVariable('when')]",
    '  getVariable( "nested" ) ;  ',
    'getVariable("text")',
    'getVariable("__proto__")',
    'getVariable("1")',
    'getVariable("ratio")',
    'getVariable("big")',
    'getVariable("huge")',
    'getVariable("inexact")',
    'getVariable("ordered")',
    'getVariable("keys")',
    "1; 2; 'three'",
    "-0",
    "5.",
    ".5e1",
    "(getVariable('count') === 3)",
    "[1,]",
    '({default: 1, if: 2, "": 3,})',
]


@pytest.mark.parametrize("source", SUPPORTED)
def test_fast_scripts_give_what_the_engine_gives(source: str) -> None:
    fast, engine, answered = fast_and_engine(source, VARIABLES)
    assert answered, "the fast path should answer this script"
    assert fast == engine


@pytest.mark.parametrize("value_type", ["bool", "string", "int", "object", "any"])
def test_conversions_to_the_property_type_are_the_same(value_type: str) -> None:
    for source in ['getVariable("method") == "GET"', 'getVariable("count")', 'getVariable("token")']:
        fast, engine, answered = fast_and_engine(source, VARIABLES, value_type)
        assert answered and fast == engine


@pytest.mark.parametrize(
    "source",
    [
        'getVariable("count") == "3"',  # == converts between types: the engine answers
        'getVariable("token") == getVariable("token")',
        'getVariable("token") == "[object Object]"',
        'getVariable("flag") == 1',
        'getVariable("getVariable")',  # the name in the text makes every variable reachable
    ],
)
def test_comparisons_that_convert_are_left_to_the_engine(source: str) -> None:
    fast, engine, answered = fast_and_engine(source, VARIABLES)
    assert not answered
    assert fast == engine


@pytest.mark.parametrize(
    "source",
    [
        'getVariable("a").b',
        'getVariable("a")\n(1)',
        "{a: 1}",
        '({__proto__: getVariable("a")})',
        '({"__proto__": 1})',
        "getVariable(name)",
        'getVariable("a") // a comment',
        "'a\\nb'",
        "0x10",
        "1n",
        "010",
        "1_000",
        "[1,,2]",
        'getVariable("a");;',
        'getVariable("a") == "b" == true',
        "NaN",
        "undefined",
        '({input: getVariable("a")})',
        'getVariable("a") + 1',
    ],
)
def test_other_scripts_are_not_compiled(source: str) -> None:
    javascript_module._scripts.pop(source, None)
    assert javascript_module._remember_script(source).fast is None


def test_a_value_json_cannot_hold_fails_the_same_way() -> None:
    variables = {"bad": Unwritable(), "good": "x"}
    for source in ['getVariable("bad")', 'getVariable("good")', 'setVariable("bad", 1)', "({bad: 1})"]:
        fast, engine, answered = fast_and_engine(source, variables)
        assert fast == engine, source
    fast, _engine, _answered = fast_and_engine('getVariable("bad")', variables)
    assert "cannot be passed to the script" in str(fast)


def test_transient_variables_and_named_activities_go_to_the_engine() -> None:
    fast, engine, answered = fast_and_engine(
        'getVariable("method")', VARIABLES, transient_variables={"method": "POST"}
    )
    assert not answered
    assert fast == engine


# --- generated scripts and values ----------------------------------------------------------------------

NAMES = ["a", "b", "token", "missing", "1", "__proto__", "getVariable"]
LITERAL_TEXT = st.text(
    st.characters(blacklist_characters="\"'\\\n\r\u2028\u2029\x00", blacklist_categories=("Cs",)), max_size=6
)
NUMBER_TEXT = st.sampled_from(
    [
        "0",
        "7",
        "-0",
        "1.5",
        "-2.25",
        "1e3",
        ".5",
        "5.",
        "1e21",
        "1e-7",
        "9007199254740993",
        "123456789012345678901",
    ]
)


def string_literal(text: str) -> str:
    return f'"{text}"' if '"' not in text else f"'{text}'"


def operands() -> st.SearchStrategy[str]:
    leaves = st.one_of(
        st.sampled_from(NAMES).map(lambda name: f'getVariable("{name}")'),
        LITERAL_TEXT.map(string_literal),
        NUMBER_TEXT,
        st.sampled_from(["true", "false", "null"]),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(st.tuples(st.sampled_from(["k", "b", "a", '"2"', '"10"', '""']), inner), max_size=3).map(
                lambda members: "({" + ", ".join(f"{key}: {value}" for key, value in members) + "})"
            ),
            st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        ),
        max_leaves=4,
    )


def statements() -> st.SearchStrategy[str]:
    operand = operands()
    return st.one_of(
        operand,
        st.tuples(operand, st.sampled_from(["==", "!=", "===", "!=="]), operand).map(" ".join),
        st.tuples(st.sampled_from(NAMES), operand).map(lambda pair: f'setVariable("{pair[0]}", {pair[1]})'),
    )


SCRIPTS = st.tuples(st.lists(statements(), min_size=1, max_size=3), st.booleans()).map(
    lambda parts: "; ".join(parts[0]) + (";" if parts[1] else "")
)
JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.sampled_from(["GET", "", "a\x00", "\ud800"]),
)
VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "2", "10", "01", "__proto__", "A"]), inner, max_size=3),
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=SCRIPTS, variables=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=4))
def test_generated_scripts_give_what_the_engine_gives(source: str, variables: dict[str, Any]) -> None:
    fast, engine, _answered = fast_and_engine(source, variables)
    assert fast == engine


@pytest.fixture(autouse=True)
def forget_scripts() -> Iterator[None]:
    yield
    javascript_module._scripts.clear()
