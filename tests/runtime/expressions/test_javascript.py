"""JavaScript expressions: Elsa 2 globals, the program/function-body rule, pooling, state, errors."""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

import pytest

from runtime.expressions import ExpressionError, ScriptScope, evaluate


def js(text: str, scope: ScriptScope | None = None, value_type: str = "any") -> Any:
    return evaluate("JavaScript", text, scope if scope is not None else ScriptScope(variables={}), value_type)


@pytest.fixture
def scope() -> ScriptScope:
    return ScriptScope(
        variables={
            "AccessToken": {"ObjectId": 1, "Title": "", "Key": "AccessToken", "Data1": "tok", "Data2": ""},
            "api": "/state",
            "count": 2,
        },
        input={"api": "/path", "method2": "GET", "content2": {"PortId": 1}},
        activities={
            "auth": {
                "ResponseContent": {"authToken": "abc", "expiresInMinutes": 60},
                "Response": {"statusCode": 200, "headers": {"Content-Type": "application/json"}},
            },
            "getAuthToken": {"Output": {"WorkflowInstanceId": "child-1", "WorkflowOutput": "new-token"}},
            "getSettingToken": {"Output": [{"ObjectId": 7, "Title": "", "Key": "AccessToken"}]},
        },
        workflow_instance_id="instance-1",
        correlation_id="corr-9",
        workflow_definition_id="def-1",
        workflow_definition_version=3,
        workflow_ids_by_name={"GetChangingAccessTokenAuthentication": "9d2a31a3de5e434ebda637578c535e4a"},
    )


# --- results and the program/function-body rule ------------------------------------------------------


def test_bare_expression_returns_its_value(scope: ScriptScope) -> None:
    assert js('getVariable("AccessToken").Data1', scope) == "tok"
    assert js('"not found"', scope) == "not found"


def test_top_level_return_works(scope: ScriptScope) -> None:
    assert js("return !isNullOrEmpty(activities.auth.ResponseContent().authToken)", scope) is True


def test_multi_line_script_with_a_function_declaration_and_return(scope: ScriptScope) -> None:
    script = """
        function double(value) {
            return value * 2;
        }
        const base = getVariable("count");
        return double(base) + 1;
    """
    assert js(script, scope) == 5


def test_completion_value_of_a_multi_statement_program(scope: ScriptScope) -> None:
    assert js("let a = 2;\nlet b = 3;\nif (a < b) { a * b } else { 0 }", scope) == 6


def test_object_literal_script_is_read_as_an_object(scope: ScriptScope) -> None:
    script = '// the new values\n{"Data1": getVariable("api"), "Data2": "y"}'
    assert js(script, scope) == {"Data1": "/state", "Data2": "y"}


def test_declarations_are_local_to_each_evaluation_in_a_pooled_context(scope: ScriptScope) -> None:
    for value in range(5):
        script = (
            f"let parameters = {value};\nconst twice = parameters * 2;\nfunction f() {{ return twice }}\nf()"
        )
        assert js(script, scope) == value * 2
    for value in range(3):
        assert js(f"let parameters = {value};\nreturn parameters", scope) == value


def test_implicit_globals_do_not_leak_into_later_evaluations() -> None:
    assert js("leaked = 41; leaked + 1") == 42
    assert js("typeof leaked") == "undefined"


def test_results_become_plain_python_data(scope: ScriptScope) -> None:
    assert js("({a: [1, 2.5, 'x', null, true], b: {c: undefined}})") == {
        "a": [1, 2.5, "x", None, True],
        "b": {},
    }
    assert js("undefined") is None
    assert js("null") is None
    assert js("new Date(Date.UTC(2024, 0, 2, 3, 4, 5))") == "2024-01-02T03:04:05.000Z"
    assert js("[1, undefined, () => 1]") == [1, None, None]
    assert js("10n ** 3n") == 1000
    assert js("activities.auth.Response()", scope) == {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
    }


def test_rope_string_result_is_returned_whole() -> None:
    result = js("'a'.repeat(1000) + 'b'")
    assert result == "a" * 1000 + "b"
    assert js("let s = ''; for (let i = 0; i < 500; i++) { s += 'xy' + i; } s") == "".join(
        f"xy{i}" for i in range(500)
    )


def test_modern_syntax_is_supported() -> None:
    assert js("const {a, ...rest} = {a: 1, b: 2, c: 3}; [a, Object.keys(rest)]") == [1, ["b", "c"]]
    assert js("null ?? 'fallback'") == "fallback"
    assert js("({x: {y: 1}})?.x?.z?.w") is None
    assert js("[3, 1, 2].toSorted()") == [1, 2, 3]
    assert js("`t-${1 + 1}`") == "t-2"
    assert js("class A { #v = 5; get v() { return this.#v } }; new A().v") == 5


def test_no_file_process_or_network_access() -> None:
    assert (
        js("[typeof require, typeof process, typeof fetch, typeof std, typeof os, typeof XMLHttpRequest]")
        == ["undefined"] * 6
    )
    with pytest.raises(ExpressionError, match="SyntaxError"):
        js("import * as os from 'os'")


# --- Elsa 2 globals ----------------------------------------------------------------------------------


def test_input_and_workflow_values(scope: ScriptScope) -> None:
    assert js("input.api", scope) == "/path"
    assert js(
        "[workflowInstanceId, workflowDefinitionId, workflowDefinitionVersion, correlationId]", scope
    ) == ["instance-1", "def-1", 3, "corr-9"]
    assert js("input") is None


def test_variables_are_globals(scope: ScriptScope) -> None:
    assert js("api + '?' + count", scope) == "/state?2"
    assert js("AccessToken.Data1", scope) == "tok"


def test_get_variable_of_a_missing_variable_is_null(scope: ScriptScope) -> None:
    assert js('getVariable("nope") === null', scope) is True


def test_set_variable_is_visible_to_get_variable_and_written_back(scope: ScriptScope) -> None:
    events: list[tuple[str, Any]] = []
    scope.on_variable_set = lambda name, value: events.append((name, value))
    script = """
        let parameters = input;
        setVariable("api", parameters.api);
        setVariable("Method", parameters.method2);
        setVariable("when", new Date(Date.UTC(2020, 0, 1)));
        setVariable("gone", undefined);
        [getVariable("api"), getVariable("Method"), api]
    """
    assert js(script, scope) == ["/path", "GET", "/state"]
    assert scope.variables["api"] == "/path"
    assert scope.variables["Method"] == "GET"
    assert scope.variables["when"] == "2020-01-01T00:00:00.000Z"
    assert "gone" in scope.variables and scope.variables["gone"] is None
    assert events == [
        ("api", "/path"),
        ("Method", "GET"),
        ("when", "2020-01-01T00:00:00.000Z"),
        ("gone", None),
    ]


def test_set_variable_before_an_error_is_kept(scope: ScriptScope) -> None:
    with pytest.raises(ExpressionError):
        js('setVariable("progress", "half"); null.boom', scope)
    assert scope.variables["progress"] == "half"


def test_activity_outputs_are_callable(scope: ScriptScope) -> None:
    assert js("activities.auth.ResponseContent().authToken", scope) == "abc"
    assert js("activities.getSettingToken.Output()[0].ObjectId", scope) == 7
    assert js("activities.getSettingToken.Output().length", scope) == 1


def test_member_access_tolerates_pascal_and_camel_case(scope: ScriptScope) -> None:
    assert js("activities.getAuthToken.Output().workflowOutput", scope) == "new-token"
    assert js("activities.getAuthToken.Output().WorkflowOutput", scope) == "new-token"
    assert js("activities.auth.Response().StatusCode", scope) == 200
    assert js("activities.auth.response().statusCode", scope) == 200
    assert js("activities.Auth.Response().Headers['content-type']", scope) == "application/json"
    assert js('getVariable("AccessToken").data1 + AccessToken.DATA1', scope) == "toktok"
    assert js("activities.getSettingToken.Output().map(r => r.objectId)", scope) == [7]
    assert js("'workflowOutput' in activities.getAuthToken.Output()", scope) is True


def test_case_tolerant_objects_still_behave_as_plain_data(scope: ScriptScope) -> None:
    assert js("JSON.stringify(activities.getAuthToken.Output())", scope) == (
        '{"WorkflowInstanceId":"child-1","WorkflowOutput":"new-token"}'
    )
    assert js("Object.keys(getVariable('AccessToken'))", scope) == [
        "ObjectId",
        "Title",
        "Key",
        "Data1",
        "Data2",
    ]
    assert js("Array.isArray(activities.getSettingToken.Output())", scope) is True
    assert js("getVariable('AccessToken') === getVariable('AccessToken')", scope) is True
    assert js("activities.auth.Response().missing", scope) is None


def test_variable_names_are_case_sensitive(scope: ScriptScope) -> None:
    """``Variables.Get`` is a plain dictionary lookup (src/core/Elsa.Abstractions/Models/Variables.cs)."""
    assert js('getVariable("accesstoken")', scope) is None
    assert js("typeof accesstoken", scope) == "undefined"
    scope.variables["a"], scope.variables["A"] = "lower", "upper"
    assert js('[getVariable("a"), getVariable("A"), a, A]', scope) == ["lower", "upper", "lower", "upper"]


def test_string_helpers() -> None:
    assert js(
        "[isNullOrEmpty(null), isNullOrEmpty(undefined), isNullOrEmpty(''), isNullOrEmpty(' '), "
        "isNullOrEmpty('x')]"
    ) == [True, True, True, False, False]
    assert js("[isNullOrWhiteSpace(null), isNullOrWhiteSpace(' \\t\\n'), isNullOrWhiteSpace('x')]") == [
        True,
        True,
        False,
    ]


def test_guid_and_parse_guid() -> None:
    first, second = js("[guid(), guid()]")
    assert first != second
    assert uuid.UUID(first).version == 4 and str(uuid.UUID(first)) == first
    assert js("parseGuid('{0F8FAD5B-D9CB-469F-A165-70867728950E}')") == "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert js("parseGuid('0f8fad5bd9cb469fa16570867728950e')") == "0f8fad5b-d9cb-469f-a165-70867728950e"
    with pytest.raises(ExpressionError, match="not a valid GUID"):
        js("parseGuid('nope')")


def test_json_helpers() -> None:
    assert js("jsonEncode({a: [1, 'x']})") == '{"a":[1,"x"]}'
    assert js('jsonDecode(\'{"a": {"b": 2}}\').a.b') == 2


def test_base64_helpers_use_utf8() -> None:
    text = "héllo € 𝄞 wörld"
    encoded = js(f"base64Encode('{text}')")
    assert encoded == base64.b64encode(text.encode()).decode()
    assert js(f"base64Decode('{encoded}')") == text
    assert js("base64Decode('aGk=')") == "hi"
    with pytest.raises(ExpressionError, match="not valid base64"):
        js("base64Decode('***')")


def test_get_workflow_definition_id_by_name(scope: ScriptScope) -> None:
    assert js('return getWorkflowDefinitionIdByName("GetChangingAccessTokenAuthentication")', scope) == (
        "9d2a31a3de5e434ebda637578c535e4a"
    )
    assert js('getWorkflowDefinitionIdByName("Unknown")', scope) is None


def test_set_outcome_and_set_outcomes_append_to_the_scope_outcomes() -> None:
    scope = ScriptScope(variables={}, outcomes=[])
    assert js("setOutcome('ok'); setOutcomes(['fault', 'bad response']); 1", scope) == 1
    assert scope.outcomes == ["ok", "fault", "bad response"]


def test_set_outcome_outside_run_javascript_is_not_defined() -> None:
    """Only RunJavaScript adds setOutcome and setOutcomes to its engine
    (src/scripting/Elsa.Scripting.JavaScript/Activities/RunJavaScript/RunJavaScript.cs)."""
    scope = ScriptScope(variables={})
    for script in ("setOutcome('ok'); 'done'", "setOutcomes(['ok'])"):
        with pytest.raises(ExpressionError, match="is not defined .Elsa defines it only in a RunJavaScript"):
            js(script, scope)
    assert scope.outcomes is None
    assert js("typeof setOutcome", scope) == "function"


def test_prelude_functions_cannot_be_clobbered_for_later_evaluations() -> None:
    js("getVariable = null; delete setVariable; 1")
    assert js("typeof getVariable + typeof setVariable") == "functionfunction"


# --- state injection only sends what the script can reach -------------------------------------------


def test_computed_get_variable_names_still_work(scope: ScriptScope) -> None:
    assert js("const name = 'Access' + 'Token'; getVariable(name).Data1", scope) == "tok"
    assert js("['api', 'count'].map(getVariable)", scope) == ["/state", 2]
    assert js("eval('co' + 'unt') + 1", scope) == 3


def test_computed_activity_access_still_works(scope: ScriptScope) -> None:
    assert js("const name = 'auth'; activities[name].ResponseContent().authToken", scope) == "abc"
    assert js("activities.auth['Response']().StatusCode", scope) == 200


# --- errors -----------------------------------------------------------------------------------------


def _error(text: str, scope: ScriptScope | None = None) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        js(text, scope)
    assert caught.value.syntax == "JavaScript"
    return caught.value


def test_syntax_error_in_program_mode_has_its_line() -> None:
    error = _error("let a = 1;\nlet b = ;\n a + b")
    assert error.line == 2
    assert str(error) == "JavaScript error at line 2: SyntaxError: unexpected token in expression: ';'"


def test_syntax_error_in_function_body_mode_has_the_users_line() -> None:
    error = _error("const a = 1;\nif (a) {\n  return a +;\n}\nreturn 2;")
    assert error.line == 3
    assert error.message.startswith("SyntaxError:")


def test_runtime_errors_in_program_mode_have_their_line() -> None:
    assert _error("var t = null;\n\nt.Data1").line == 3
    error = _error("let a = 1;\nundefinedName + a")
    assert (error.line, error.message) == (2, "ReferenceError: undefinedName is not defined")


def test_runtime_errors_in_function_body_mode_have_the_users_line() -> None:
    error = _error('var t = getVariable("Missing")\n// t.Data2 in a comment\nconst d = t.Data2;\nreturn d;')
    assert error.line == 3
    assert error.message == "TypeError: cannot read property 'Data2' of null"
    assert _error("const a = 1;\n\nreturn missingName;").line == 3


def test_errors_inside_user_functions_have_the_failing_line() -> None:
    script = "function check(record) {\n  const x = 1;\n  return record.Data2.length;\n}\ncheck({})"
    error = _error(script)
    assert error.line == 3
    assert error.message == "TypeError: cannot read property 'length' of undefined"


def test_thrown_errors_become_expression_errors() -> None:
    error = _error("const a = 1;\nthrow new Error('token expired');")
    assert (error.line, error.message) == (2, "Error: token expired")
    assert _error("throw 'plain text'").message == "Error: plain text"
    assert _error("throw new RangeError('too far')").message == "RangeError: too far"


def test_errors_raised_inside_helpers_point_at_the_users_call() -> None:
    error = _error("const x = 1;\n\njsonDecode('{oops')")
    assert error.line == 3
    assert error.message.startswith("SyntaxError:")


def test_errors_inside_json_stringify_point_at_the_users_call() -> None:
    error = _error("const a = {};\na.self = a;\nJSON.stringify(a)")
    assert error.line == 3
    assert "circular" in error.message


def test_user_functions_named_like_prelude_helpers_report_their_own_lines() -> None:
    script = "function wrap(v) {\n  return v;\n}\nfunction encode(v) {\n  throw new Error('mine');\n}\n"
    script += "encode(wrap(1))"
    assert _error(script).line == 5


def test_calling_a_missing_activity_output_is_a_clear_type_error(scope: ScriptScope) -> None:
    error = _error("activities.nope.Output()", scope)
    assert error.message == "TypeError: cannot read property 'Output' of undefined"


def test_result_that_cannot_be_converted_is_reported() -> None:
    error = _error("const a = {}; a.self = a; a")
    assert re.search("circular", error.message)


def test_a_context_stays_usable_after_errors() -> None:
    for _ in range(3):
        _error("null.x")
        assert js("1 + 1") == 2
