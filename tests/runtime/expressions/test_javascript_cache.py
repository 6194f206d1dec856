"""Warm evaluations: scripts compiled once per context, tagged replies, and the same results as the first run.

The first evaluation of a text runs through ``eval`` (its mode is not known yet); later ones run the
function each context compiled. Every test here compares the two, or checks what the cache must not
change: fresh state per evaluation, error lines, the with-scope, limits on what a context keeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from runtime.expressions import ExpressionError, ScriptScope, evaluate, shutdown
from runtime.expressions import javascript as javascript_module
from runtime.expressions.javascript import compiled_scripts
from runtime.expressions.js_prelude import MAX_COMPILED


@pytest.fixture(autouse=True)
def one_fresh_context() -> Iterator[None]:
    """Start from an empty pool: a single-threaded test then uses one context throughout."""
    shutdown()
    yield
    shutdown()


def new_scope(**variables: Any) -> ScriptScope:
    return ScriptScope(
        variables={"api": "/state", "method": "GET", "count": 2, **variables},
        input={"api": "/path"},
        activities={"auth": {"Response": {"StatusCode": 200}}},
        workflow_instance_id="instance-1",
        outcomes=[],
    )


def js(text: str, scope: ScriptScope | None = None) -> Any:
    return evaluate("JavaScript", text, scope if scope is not None else new_scope())


def outcome(text: str, scope: ScriptScope) -> tuple[Any, ...]:
    """Everything an evaluation produces: its value or error (message and line), variables, outcomes."""
    try:
        result: tuple[Any, ...] = ("value", evaluate("JavaScript", text, scope))
    except ExpressionError as error:
        result = ("error", error.message, error.line)
    return (*result, dict(scope.variables), list(scope.outcomes or []))


SCRIPTS = [
    'getVariable("api")',
    'setVariable("api", "/orders"); setVariable("method", "GET");',
    'getVariable("method") == "GET"',
    '({api: getVariable("api"), method: getVariable("method")})',
    '// the new values\n{"Data1": getVariable("api"), "Data2": "y"}',
    "return !isNullOrEmpty(activities.auth.Response().StatusCode)",
    "let parameters = input;\nsetVariable('api', parameters.api);\nparameters.api",
    "var api = api + '/v'; api",
    "let a = 2;\nlet b = 3;\nif (a < b) { a * b } else { 0 }",
    "var t = 1; t\n(2)",
    "var q = [1, 2]; q\n[0]",
    "1;\n// done;",
    "function twice(v) { return v * 2 }\ntwice(count)",
    "const f = v => v + 1; f(count)",
    "setVariable('gone', undefined); setOutcome('ok'); 'done'",
    "setOutcomes(['a', 'b']);",
    "count\n/ 2",
    "`t-${count};${api}`",
    "label: { 5 }",
    "new Date(0)",
    "'a\\u0000b'",
    "'x\\ud800y'",
    "2 ** 60",
    "-0",
    "0.1 + 0.2",
    "[1, 'two', {three: null}, undefined]",
    "undefined",
    "typeof api + typeof leaked",
    '["\U00010000"] == true',
    "const s = '\U0001f600\U0001f600'; s + api",
    "leaked = 41; leaked + 1",
    "this === globalThis",
    "eval('count + 1')",
    "typeof arguments",
]


@pytest.mark.parametrize("script", SCRIPTS)
def test_warm_evaluations_give_what_the_first_one_gave(script: str) -> None:
    first = outcome(script, new_scope())
    for _ in range(3):
        assert outcome(script, new_scope()) == first


def test_the_same_compiled_script_sees_each_evaluations_own_variables() -> None:
    script = 'getVariable("token") + "/" + method'
    results = [js(script, new_scope(token=f"t{index}", method=f"m{index}")) for index in range(5)]
    assert results == [f"t{index}/m{index}" for index in range(5)]
    assert compiled_scripts()[-1] == 1  # the context used (a spare one may wait before it)


def test_let_declarations_can_be_repeated_in_the_same_context() -> None:
    script = "let parameters = getVariable('count');\nconst twice = parameters * 2;\ntwice"
    for count in range(4):
        assert js(script, new_scope(count=count)) == count * 2


def test_a_changed_script_text_is_a_new_script() -> None:
    scope = new_scope()
    assert js("count + 1", scope) == 3
    assert js("count + 1", scope) == 3
    assert js("count + 2", scope) == 4
    assert js("count + 1", scope) == 3
    assert js("return count + 10", scope) == 12
    assert js("return count + 10", scope) == 12


def test_variables_are_still_globals_and_writes_to_them_stay_local() -> None:
    scope = new_scope()
    for _ in range(3):
        assert js("api = api + '/v'; api", scope) == "/state/v"
        assert scope.variables["api"] == "/state"


def test_implicit_globals_do_not_outlive_a_warm_evaluation() -> None:
    for _ in range(3):
        assert js("leaked = 41; leaked + 1") == 42
        assert js("typeof leaked") == "undefined"


def test_set_variable_and_outcomes_are_reported_from_warm_evaluations() -> None:
    script = "setVariable('api', input.api); setVariable('nothing', undefined); setOutcome('Done'); 7"
    for _ in range(3):
        events: list[tuple[str, Any]] = []
        scope = new_scope()
        scope.on_variable_set = lambda name, value, events=events: events.append((name, value))
        assert js(script, scope) == 7
        assert scope.variables["api"] == "/path" and scope.variables["nothing"] is None
        assert events == [("api", "/path"), ("nothing", None)]
        assert scope.outcomes == ["Done"]


def test_results_of_every_kind_come_back_unchanged() -> None:
    cases = {
        "'plain text'": "plain text",
        "'a\\u0000b'": "a\x00b",
        "'x\\ud800y'": "x\ud800y",
        "'héllo € 𝄞'": "héllo € 𝄞",
        "true": True,
        "false": False,
        "null": None,
        "undefined": None,
        "() => 1": None,
        "42": 42,
        "-7": -7,
        "2 ** 53": 9007199254740992,
        "1e21": 1e21,
        "1.5": 1.5,
        "0 / 0": None,
        "10n ** 3n": 1000,
        "({a: [1, {b: 'c'}]})": {"a": [1, {"b": "c"}]},
    }
    for _ in range(2):
        for script, expected in cases.items():
            value = js(script)
            assert value == expected and type(value) is type(expected), script


def test_values_sent_to_the_script_arrive_intact() -> None:
    scope = new_scope(text="a\x00b\ud800 é", big=2**40, ratio=float("inf"), flag=True, nested={"k": [1.5]})
    for _ in range(2):
        assert js("[getVariable('text'), big, ratio, flag, nested.K]", scope) == [
            "a\x00b\ud800 é",
            2**40,
            None,
            True,
            [1.5],
        ]


def test_runtime_errors_of_a_compiled_script_keep_their_lines() -> None:
    script = 'const api2 = getVariable("api");\nconst record = getVariable("record");\nrecord.Data1 + api2'
    assert js(script, new_scope(record={"Data1": "x"})) == "x/state"
    assert js(script, new_scope(record={"Data1": "y"})) == "y/state"
    with pytest.raises(ExpressionError) as caught:
        js(script, new_scope(record=None))
    assert (caught.value.line, caught.value.message) == (3, "TypeError: cannot read property 'Data1' of null")
    assert js(script, new_scope(record={"Data1": "z"})) == "z/state"


def test_thrown_errors_of_a_compiled_script_keep_their_lines() -> None:
    script = "const limit = getVariable('count');\nif (limit > 5)\n  throw new Error('too many');\nlimit"
    assert js(script) == 2
    with pytest.raises(ExpressionError) as caught:
        js(script, new_scope(count=9))
    assert (caught.value.line, caught.value.message) == (3, "Error: too many")


def test_variables_set_before_an_error_in_a_compiled_script_are_kept() -> None:
    script = "setVariable('progress', 'half');\ngetVariable('record').Data1"
    assert js(script, new_scope(record={"Data1": 1})) == 1
    scope = new_scope(record=None)
    with pytest.raises(ExpressionError) as caught:
        js(script, scope)
    assert caught.value.line == 2
    assert scope.variables["progress"] == "half"


def test_each_context_keeps_a_bounded_number_of_compiled_scripts() -> None:
    scope = new_scope()
    total = MAX_COMPILED * 2 + 10
    for number in range(total):
        assert js(f"count + {number}", scope) == 2 + number  # first run: eval, mode learnt
        assert js(f"count + {number}", scope) == 2 + number  # compiled
    kept = compiled_scripts()[-1]
    assert 0 < kept <= MAX_COMPILED
    assert all(js(f"count + {number}", scope) == 2 + number for number in range(total))


def test_python_forgets_script_texts_beyond_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(javascript_module, "_MAX_REMEMBERED_SCRIPTS", 5)
    for number in range(12):
        assert js(f"count * {number}") == 2 * number
        assert js(f"count * {number}") == 2 * number
    assert len(javascript_module._scripts) <= 5


def test_variables_with_names_that_are_not_text_reach_a_script_by_their_json_name() -> None:
    scope = ScriptScope(variables={1: "one", 2.5: "two and a half", None: "none", "a": "x"})
    assert js("[getVariable('1'), getVariable('2.5'), eval('getVariable(\"null\")'), a]", scope) == [
        "one", "two and a half", "none", "x"
    ]  # fmt: skip
