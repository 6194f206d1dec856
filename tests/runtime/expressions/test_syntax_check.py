"""Expressions checked without running them: JavaScript compiled by QuickJS, Liquid parsed; validation
reports what does not compile as errors naming the activity, the property, the line and the column."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.cli import main
from runtime.elsa_json import load_workflow
from runtime.expressions.syntax_check import (
    SyntaxIssue,
    check_expression,
    check_javascript,
    check_liquid,
    is_plainly_valid_liquid,
)
from runtime.model import Activity, ActivityProperty, Connection, WorkflowDefinition
from runtime.validation import EXPRESSION_SYNTAX, validate
from tests.conftest import PROJECT_ROOT, corpus_files

SAMPLES = sorted((PROJECT_ROOT / "samples").glob("*.json"))


@pytest.mark.parametrize(
    "script",
    [
        "return 1",  # Elsa 2 allows a top-level return
        "let parameters = input;\nsetVariable('api', parameters.api)\nreturn parameters;",
        '{"api": "/x", "n": [1, 2]}',  # an object literal, as Elsa's engine retries it
        "// the settings\n{ Key: 'APIBaseURL' }",
        "activities.getToken.Output().authToken",
        "new Date() > new Date(getVariable('expires'))",
        "",
    ],
)
def test_what_elsa_runs_compiles(script: str) -> None:
    assert check_expression("JavaScript", script) is None


def test_a_javascript_syntax_error_has_its_line_column_and_message() -> None:
    issue = check_javascript("let a = 1;\n\nvar b = a ; && ((")
    assert issue == SyntaxIssue(3, 13, "unexpected token in expression: '&&'")
    assert str(issue) == "line 3, column 13: unexpected token in expression: '&&'"


def test_an_unfinished_script_is_placed_at_its_end() -> None:
    issue = check_javascript("if (x) {\n  y(1);\n\n")
    assert issue is not None and issue.line == 2 and "ends too early" in issue.message


def test_compiling_never_runs_the_script(tmp_path: Path) -> None:
    """Even a text that closes the compile wrapper early runs nothing (here: no endless loop)."""
    code = (
        "from runtime.expressions.syntax_check import check_javascript;"
        "print(check_javascript('}); while (true) {} (function () {'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=30
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("template", "line", "column"),
    [
        ("{% if x %", 1, 1),
        ("Hello\n{% if Variables.x %}yes", 2, 24),
        ("x {% nosuchtag %}", 1, 6),
    ],
)
def test_liquid_that_does_not_parse(template: str, line: int, column: int) -> None:
    issue = check_liquid(template)
    assert issue is not None and (issue.line, issue.column) == (line, column), issue


@pytest.mark.parametrize(
    "template",
    [
        "{{ Variables.api }}",
        "Bearer {{ Variables.access_token | raw }}",
        "{% if Input.x == 'y' %}a{% elsif Input.z %}b{% else %}c{% endif %}",
        "{{ Activities.getToken.Output | json }}",
        "{{ 'x' | workflow_definition_id: 'name' }}",
    ],
)
def test_liquid_as_elsa_writes_it_parses(template: str) -> None:
    assert check_expression("Liquid", template) is None


def _workflow(*activities: Activity) -> WorkflowDefinition:
    connections = [
        Connection(source_activity_id=a.activity_id, target_activity_id=b.activity_id)
        for a, b in zip(activities, activities[1:], strict=False)
    ]
    return WorkflowDefinition(name="Checked", activities=list(activities), connections=connections)


def test_validation_reports_expressions_that_cannot_run_as_errors() -> None:
    condition = Activity(
        activity_id="if",
        type="If",
        display_name="Token expired?",
        properties=[
            ActivityProperty(
                name="Condition", syntax="JavaScript", expressions={"JavaScript": "x = 1;\n ; && (("}
            )
        ],
    )
    body = Activity(
        activity_id="say",
        type="WriteLine",
        properties=[ActivityProperty(name="Text", syntax="Liquid", expressions={"Liquid": "{% if x %"})],
    )
    script = Activity(
        activity_id="js",
        type="RunJavaScript",
        properties=[ActivityProperty(name="Script", expressions={"Literal": "return (1"})],
    )
    problems = [p for p in validate(_workflow(condition, body, script)) if p.code == EXPRESSION_SYNTAX]
    assert [(p.activity_id, p.property_name, p.line, p.column, p.severity) for p in problems] == [
        ("if", "Condition", 2, 4, "error"),
        ("say", "Text", 1, 1, "error"),
        ("js", "Script", 1, 10, "error"),
    ]
    assert str(problems[0]) == (
        "error: Token expired?: the JavaScript of Condition does not compile (line 2, column 4): "
        "unexpected token in expression: '&&'"
    )


def test_an_expression_kept_under_another_syntax_is_not_checked() -> None:
    kept = Activity(
        activity_id="if",
        type="If",
        properties=[
            ActivityProperty(
                name="Condition", syntax="Literal", expressions={"Literal": "true", "JavaScript": "((("}
            )
        ],
    )
    assert not [p for p in validate(_workflow(kept)) if p.code == EXPRESSION_SYNTAX]


@pytest.mark.parametrize("path", [*corpus_files(), *[p for p in SAMPLES if p.name != "store.json"]], ids=str)
def test_the_corpus_and_the_samples_have_no_expression_errors(path: Path) -> None:
    problems = [p for p in validate(load_workflow(path)) if p.code == EXPRESSION_SYNTAX]
    assert problems == []


def test_flowdesk_validate_reports_them_and_exits_1(tmp_path: Path, capsys) -> None:
    document = {
        "activities": [
            {
                "activityId": "if",
                "type": "If",
                "displayName": "Token expired?",
                "properties": [
                    {"name": "Condition", "syntax": "JavaScript", "expressions": {"JavaScript": "a ; && (("}}
                ],
            },
            {
                "activityId": "say",
                "type": "WriteLine",
                "displayName": "Say",
                "properties": [{"name": "Text", "syntax": "Liquid", "expressions": {"Liquid": "{% if x %"}}],
            },
        ],
        "connections": [{"sourceActivityId": "if", "targetActivityId": "say", "outcome": "True"}],
    }
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        f"{path}: error: Token expired?: the JavaScript of Condition does not compile (line 1, column 5): "
        "unexpected token in expression: '&&'"
    ) in lines
    liquid = f"{path}: error: Say: the Liquid of Text does not parse (line 1"
    assert any(line.startswith(liquid) for line in lines)


# --- the plain-template shortcut: validate need not import python-liquid for `{{ Variables.x }}` ----------

_PIECES = st.sampled_from(
    [
        "Bearer ",
        "{{ Variables.access_token }}",
        "{{a}}",
        "{{- a.b -}}",
        "{{ a | upcase }}",
        "{{",
        "}}",
        "{%",
        "%}",
        "{% if x %}",
        "{% endif %}",
        "{{ a.1 }}",
        "{{ a[0] }}",
        "{{ }}",
        "{{-a-}}",
        "{",
        "{{ Variables.offset }}",
        "{{ x.limit }}",
        "{{ nil }}",
        "{{ a.with.b }}",
        "x",
        "\n",
        " ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=8).map("".join))
def test_a_template_taken_as_plainly_valid_is_one_the_parser_accepts(template: str) -> None:
    from runtime.expressions.liquid import parse_template

    if is_plainly_valid_liquid(template):
        parse_template(template)


def test_validating_plain_liquid_does_not_load_python_liquid() -> None:
    code = (
        "import sys; from runtime.expressions.syntax_check import check_liquid;"
        "assert check_liquid('Bearer {{ Variables.access_token }}') is None;"
        "assert check_liquid('{% if x %') is not None;"
        "print('liquid' in sys.modules)"
    )
    before = "import sys; from runtime.expressions.syntax_check import check_liquid;"
    plain = before + "check_liquid('Bearer {{ Variables.token }}'); print('liquid' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", plain], capture_output=True, text=True).stdout.strip()
        == "False"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "True"
    )
