"""Only the state a script can reach is injected; anything the analysis cannot rule out still is."""

from __future__ import annotations

import pytest

from runtime.expressions import ExpressionError, ScriptScope, evaluate
from runtime.expressions.js_analysis import analyse_script


class Opaque:
    """A value that cannot be written as JSON: injecting it would fail the evaluation."""


def test_literal_get_variable_names_and_identifiers_are_collected() -> None:
    needs = analyse_script('const t = getVariable("AccessToken");\nreturn t.Data1 + api')
    assert not needs.every_variable
    assert needs.wants_variable("AccessToken") and needs.wants_variable("accesstoken")
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


def test_a_mentioned_value_that_cannot_be_written_as_json_is_a_clear_error() -> None:
    scope = ScriptScope(variables={"unrelated": Opaque()})
    with pytest.raises(ExpressionError) as caught:
        evaluate("JavaScript", "getVariable('unrelated')", scope)
    assert "the workflow state cannot be passed to the script" in str(caught.value)
    assert "Opaque" in str(caught.value)


def test_non_finite_numbers_reach_the_script_as_null() -> None:
    scope = ScriptScope(variables={"ratio": float("nan"), "values": [1.0, float("inf")]})
    assert evaluate("JavaScript", "[ratio, values]", scope) == [None, [1, None]]
