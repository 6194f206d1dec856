"""Liquid templates: the Elsa 2 model (Variables, Input, Activities, ids), filters and errors."""

from __future__ import annotations

import base64
import json

import pytest

from runtime.expressions import ExpressionError, ScriptScope, evaluate


@pytest.fixture
def scope() -> ScriptScope:
    return ScriptScope(
        variables={
            "Creds": {"ObjectId": 3, "Title": "", "Key": "AccessTokenCreds", "Data1": "wow", "Data2": 'p"w'},
            "access_token": "tok-123",
            "Content2": {"PortId": 1, "Name": "Über"},
            "Items": [{"Name": "a"}, {"Name": "b"}],
        },
        input={"api": "/state", "Nested": {"Value": 5}},
        activities={"auth": {"ResponseContent": {"authToken": "abc"}, "Response": {"StatusCode": 200}}},
        workflow_instance_id="inst-1",
        correlation_id="corr-1",
        workflow_definition_id="def-1",
        workflow_definition_version=2,
    )


def liquid(text: str, scope: ScriptScope, value_type: str = "string") -> object:
    return evaluate("Liquid", text, scope, value_type)


def test_variables_input_activities_and_ids(scope: ScriptScope) -> None:
    assert liquid("Bearer {{Variables.access_token}}", scope) == "Bearer tok-123"
    assert liquid("{{ Input.api }}|{{ Input.Nested.Value }}", scope) == "/state|5"
    assert liquid("{{ Activities.auth.ResponseContent.authToken }}", scope) == "abc"
    assert liquid("{{ Activities.auth.Response.StatusCode }}", scope, "int") == 200
    assert (
        liquid(
            "{{ CorrelationId }} {{ WorkflowInstanceId }} {{ WorkflowDefinitionId }} "
            "{{ WorkflowDefinitionVersion }}",
            scope,
        )
        == "corr-1 inst-1 def-1 2"
    )
    assert liquid("{{ variables.access_token }} {{ input.api }}", scope) == "tok-123 /state"


def test_member_access_is_case_insensitive(scope: ScriptScope) -> None:
    assert liquid("{{ Variables.creds.data1 }}/{{ Variables.CREDS.Key }}", scope) == "wow/AccessTokenCreds"
    assert liquid("{{ Activities.Auth.responseContent.AuthToken }}", scope) == "abc"
    assert liquid("{% for item in Variables.Items %}{{ item.name }}{% endfor %}", scope) == "ab"


def test_undefined_names_render_as_nothing(scope: ScriptScope) -> None:
    assert liquid("[{{ Variables.Nope.Deeper }}]", scope) == "[]"


def test_json_filter(scope: ScriptScope) -> None:
    assert liquid("{{Variables.Content2 | json  | raw }}", scope) == '{"PortId":1,"Name":"Über"}'
    assert json.loads(liquid("{{ Variables.Items | json }}", scope)) == [{"Name": "a"}, {"Name": "b"}]
    assert liquid("{{ Variables.Creds.Data2 | json }}", scope) == '"p\\"w"'
    assert liquid("{{ Variables.Nope | json }}", scope) == "null"


def test_json_filter_writes_valid_json_or_a_clear_error(scope: ScriptScope) -> None:
    scope.variables["ratio"] = [1.5, float("nan")]
    assert liquid("{{ Variables.ratio | json }}", scope) == "[1.5,null]"
    scope.variables["opaque"] = object()
    with pytest.raises(ExpressionError) as caught:
        liquid("{{ Variables.opaque | json }}", scope)
    assert "a value of type object cannot be written as JSON" in str(caught.value)


def test_base64_filter_encodes_utf8(scope: ScriptScope) -> None:
    expected = base64.b64encode("wow:Über".encode()).decode()
    assert (
        liquid("{{ Variables.Creds.Data1 | append: ':' | append: Variables.Content2.Name | base64 }}", scope)
        == expected
    )


def test_raw_filter_leaves_the_value_unchanged(scope: ScriptScope) -> None:
    assert liquid("{{ '<b>x</b>' | raw }}", scope) == "<b>x</b>"


def test_standard_filters_work(scope: ScriptScope) -> None:
    assert liquid("{{ Variables.access_token | upcase | replace: '-', '_' }}", scope) == "TOK_123"
    assert liquid("{{ Variables.Items | map: 'Name' | join: ',' }}", scope) == "a,b"
    assert liquid("{{ Variables.Items | size }}", scope, "int") == 2


def test_objects_render_as_json(scope: ScriptScope) -> None:
    assert json.loads(liquid("{{ Input.Nested }}", scope)) == {"Value": 5}


def test_syntax_error_has_its_line(scope: ScriptScope) -> None:
    with pytest.raises(ExpressionError) as caught:
        liquid("first line\nsecond\n{% if %}x{% endif %}", scope)
    assert caught.value.syntax == "Liquid"
    assert caught.value.line == 3
    assert str(caught.value).startswith("Liquid error at line 3:")


def test_unknown_filter_is_an_error_with_its_line(scope: ScriptScope) -> None:
    with pytest.raises(ExpressionError) as caught:
        liquid("ok\n{{ Variables.access_token | shout }}", scope)
    assert caught.value.line == 2
    assert "unknown filter 'shout'" in str(caught.value)


def test_rendering_sees_the_current_variables(scope: ScriptScope) -> None:
    template = "Bearer {{Variables.access_token}}"
    assert liquid(template, scope) == "Bearer tok-123"
    scope.variables["access_token"] = "tok-456"
    assert liquid(template, scope) == "Bearer tok-456"
