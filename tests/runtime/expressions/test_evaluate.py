"""evaluate(): syntax dispatch, Literal, Json and Variable, and conversion after every syntax."""

from __future__ import annotations

import pytest

from runtime.expressions import ExpressionError, ScriptScope, evaluate


@pytest.fixture
def scope() -> ScriptScope:
    return ScriptScope(variables={"api": "/state", "Count": 3, "record": {"Data1": "x"}})


@pytest.mark.parametrize("syntax", ["Literal", "literal", "LITERAL", " Literal "])
def test_syntax_names_are_case_insensitive(syntax: str, scope: ScriptScope) -> None:
    assert evaluate(syntax, "42", scope, "int") == 42


def test_unknown_syntax_is_an_expression_error(scope: ScriptScope) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate("Secret", "empty", scope)
    assert caught.value.syntax == "Secret"
    assert "unknown expression syntax 'Secret'" in str(caught.value)


@pytest.mark.parametrize("syntax", ["Literal", "Json", "JavaScript", "Liquid", "Variable"])
def test_missing_text_is_no_value(syntax: str, scope: ScriptScope) -> None:
    assert evaluate(syntax, None, scope, "string") is None
    assert evaluate(syntax, "", scope, "string") is None


@pytest.mark.parametrize(
    ("text", "value_type", "expected"),
    [
        ("true", "bool", True),
        ("False", "bool", False),
        ("3", "int", 3),
        ("2.5", "number", 2.5),
        ('{"Data1":"","Data2":""}', "object", {"Data1": "", "Data2": ""}),
        ('["200"]', "array", ["200"]),
        ("GET,POST", "array", ["GET", "POST"]),
        ("00:00:10", "duration", 10.0),
        ("PT1M", "duration", 60.0),
        ("45", "duration", 45.0),
        ("Key eq 'AccessToken'", "string", "Key eq 'AccessToken'"),
        ("Blocking", "enum", "Blocking"),
        ("   ", "string", None),
    ],
)
def test_literal_is_parsed_to_the_value_type(
    text: str, value_type: str, expected: object, scope: ScriptScope
) -> None:
    assert evaluate("Literal", text, scope, value_type) == expected


def test_literal_that_does_not_fit_names_the_syntax(scope: ScriptScope) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate("Literal", "soon", scope, "int")
    assert caught.value.syntax == "Literal"
    assert str(caught.value).startswith("Literal error: cannot convert 'soon' to an integer")


@pytest.mark.parametrize(
    ("text", "value_type", "expected"),
    [
        ('["200"]', "array", ["200"]),
        ('["success","error"]', "array", ["success", "error"]),
        ('{"Data1":"","Data2":""}', "object", {"Data1": "", "Data2": ""}),
        ('"200"', "int", 200),
        ("5", "string", "5"),
        ('{"a": 1}', "string", '{"a":1}'),
        ("[1, 2]", "any", [1, 2]),
    ],
)
def test_json_is_parsed_then_converted(
    text: str, value_type: str, expected: object, scope: ScriptScope
) -> None:
    assert evaluate("Json", text, scope, value_type) == expected


def test_invalid_json_reports_its_line(scope: ScriptScope) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate("Json", '[\n  "a",\n  oops\n]', scope, "array")
    assert caught.value.syntax == "Json"
    assert caught.value.line == 3
    assert str(caught.value).startswith("Json error at line 3: Expecting value")


def test_variable_syntax_reads_the_variable(scope: ScriptScope) -> None:
    assert evaluate("Variable", "api", scope, "string") == "/state"
    assert evaluate("Variable", " Count ", scope, "string") == "3"
    assert evaluate("Variable", "record", scope, "object") == {"Data1": "x"}
    assert evaluate("Variable", "missing", scope, "any") is None


def test_javascript_result_is_converted(scope: ScriptScope) -> None:
    assert evaluate("JavaScript", "'7'", scope, "int") == 7
    assert evaluate("JavaScript", "({a: 1})", scope, "string") == '{"a":1}'
    assert evaluate("JavaScript", "200", scope, "string") == "200"
    assert evaluate("JavaScript", "'GET,PUT'", scope, "array") == ["GET", "PUT"]


def test_javascript_value_that_does_not_fit_is_an_expression_error(scope: ScriptScope) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate("JavaScript", "'not a flag'", scope, "bool")
    assert caught.value.syntax == "JavaScript"
    assert "cannot convert 'not a flag' to a boolean" in str(caught.value)


def test_liquid_output_is_parsed_to_the_value_type(scope: ScriptScope) -> None:
    assert evaluate("Liquid", "{{ Variables.Count }}", scope, "int") == 3
    assert evaluate("Liquid", "{{ Variables.Count | plus: 1 }}", scope, "number") == 4
    assert (
        evaluate("Liquid", "{% if Variables.Count > 2 %}true{% else %}false{% endif %}", scope, "bool")
        is True
    )
    assert evaluate("Liquid", "{{ Variables.nothing }}", scope, "string") is None
