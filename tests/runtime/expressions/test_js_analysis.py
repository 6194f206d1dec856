"""Only the state a script can reach is injected; anything the analysis cannot rule out still is."""

from __future__ import annotations

import pytest

from runtime.expressions import ExpressionError, ScriptScope, evaluate
from runtime.expressions.js_analysis import analyse_script, may_create_globals


class Opaque:
    """A value that cannot be written as JSON: injecting it would fail the evaluation."""


def test_literal_get_variable_names_and_identifiers_are_collected() -> None:
    needs = analyse_script('const t = getVariable("AccessToken");\nreturn t.Data1 + api')
    assert not needs.every_variable
    assert needs.wants_variable("AccessToken") and not needs.wants_variable("accesstoken")
    assert needs.wants_variable("api")
    assert not needs.wants_variable("Creds")
    assert not needs.uses_input and not needs.uses_activities and not needs.uses_workflow_ids


@pytest.mark.parametrize(
    "script",
    [
        "getVariable(name)",
        "getVariable('a' + 'b')",
        "getVariable(`x`)",
        "const g = getVariable; g('x')",
        "getVariable('it\\'s')",
        "eval('x')",
        "new Function('return x')()",
    ],
)
def test_dynamic_variable_access_needs_every_variable(script: str) -> None:
    assert analyse_script(script).every_variable


def test_activity_members_are_narrowed_to_the_outputs_used() -> None:
    needs = analyse_script("activities.auth.ResponseContent().authToken + activities.Other.Output()[0]")
    assert needs.uses_activities
    assert needs.activity_outputs == {"auth": frozenset({"responsecontent"}), "other": frozenset({"output"})}


@pytest.mark.parametrize(
    "script",
    ["activities[name].Output()", "const a = activities; a.x.Output()", "activities?.auth.Response()"],
)
def test_computed_activity_access_needs_every_activity(script: str) -> None:
    assert analyse_script(script).activity_outputs is None


def test_a_whole_activity_is_needed_when_one_use_names_no_output() -> None:
    needs = analyse_script("const a = activities.auth; activities.auth.Response(); a['ResponseContent']()")
    assert needs.activity_outputs == {"auth": None}


def test_unmentioned_values_are_not_serialised() -> None:
    scope = ScriptScope(
        variables={"api": "/x", "unrelated": Opaque()},
        input=Opaque(),
        activities={
            "auth": {"Response": {"StatusCode": 200}, "Huge": Opaque()},
            "other": {"Output": Opaque()},
        },
    )
    assert evaluate("JavaScript", "api + activities.auth.Response().StatusCode", scope) == "/x200"


def test_stateful_elsa_globals_and_literal_activity_look_ups_are_collected() -> None:
    needs = analyse_script("getActivity('auth').Url + getActivityProperty(\"call\", 'Url') + queryString()")
    assert needs.stateful_globals == {"getActivity", "getActivityProperty", "queryString"}
    assert needs.activity_lookups == {"auth", "call"}
    assert analyse_script("getActivity(name)").activity_lookups is None
    assert analyse_script("eval('x')").stateful_globals >= {"addJournal", "workflowInstance"}
    assert analyse_script("activityExecutionContext.GetVariable(n)").every_variable


def test_transient_variables_are_sent_whole_and_override_variables() -> None:
    scope = ScriptScope(variables={"a": 1, "unrelated": Opaque()}, transient_variables={"a": 2})
    assert evaluate("JavaScript", "[a, getVariable('a')]", scope) == [2, 2]


def test_a_mentioned_value_that_cannot_be_written_as_json_is_a_clear_error() -> None:
    scope = ScriptScope(variables={"unrelated": Opaque()})
    with pytest.raises(ExpressionError) as caught:
        evaluate("JavaScript", "getVariable('unrelated')", scope)
    assert "the workflow state cannot be passed to the script" in str(caught.value)
    assert "Opaque" in str(caught.value)


def test_non_finite_numbers_reach_the_script_as_null() -> None:
    scope = ScriptScope(variables={"ratio": float("nan"), "values": [1.0, float("inf")]})
    assert evaluate("JavaScript", "[ratio, values]", scope) == [None, [1, None]]


def test_names_inside_strings_and_comments_are_not_injected() -> None:
    scope = ScriptScope(variables={"api": Opaque(), "method": Opaque()}, input=Opaque(), outcomes=[])
    script = 'setVariable("api", "/orders"); // method, input\nsetVariable("method", "GET");'
    assert evaluate("JavaScript", script, scope) is None
    assert scope.variables == {"api": "/orders", "method": "GET"}


def test_code_run_from_text_still_sees_names_inside_strings() -> None:
    scope = ScriptScope(variables={"count": 2}, input={"api": "/x"}, activities={"auth": {"Code": 200}})
    assert evaluate("JavaScript", 'eval("input.api + count")', scope) == "/x2"
    assert evaluate("JavaScript", 'eval("activities.auth.Code()")', scope) == 200


@pytest.mark.parametrize(
    "script",
    [
        'getVariable("token")',
        'setVariable("api", "/orders"); setVariable("method", "GET");',
        'getVariable("method") == "GET" && count >= 2 || x !== y',
        '({api: getVariable("api"), method: getVariable("method")})',
        "activities.getSettingToken.Output()[0].ObjectId",
        "(a, b) => a <= b",
    ],
)
def test_scripts_that_cannot_create_a_global(script: str) -> None:
    assert not may_create_globals(script)


@pytest.mark.parametrize(
    "script",
    [
        "leaked = 1",
        "count += 1",
        "count++",
        "x <<= 2",
        "for (key in {a: 1}) {}",
        "this.x = 1",
        "globalThis.x = 1",
        "Object.assign(globalThis, {x: 1})",
        "Reflect.set(g, 'x', 1)",
        "getVariable('f')[getVariable('k')]",
        "[].constructor",
        "eval(code)",
        "new Function(code)",
        "Promise.resolve().then(f)",
        "\\u0065val(code)",
    ],
)
def test_scripts_that_may_create_a_global(script: str) -> None:
    assert may_create_globals(script)
