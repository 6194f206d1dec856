"""Every validation finding, on small workflows built in code and on the real exports."""

from __future__ import annotations

import json

import pytest

from runtime.elsa_json import load_workflow
from runtime.model import Activity, ActivityProperty, Connection, VariableBag, WorkflowDefinition
from runtime.validation import (
    Problem,
    is_javascript_identifier,
    javascript_variable_reads,
    javascript_variable_sets,
    liquid_variable_reads,
    strip_javascript_comments,
    validate,
)
from tests.conftest import corpus_files

PropertySpec = str | tuple[str, str] | dict[str, str]


def act(activity_id: str, type_name: str, name: str | None = None, **properties: PropertySpec) -> Activity:
    """An activity shown as its id; a property is Literal text, ``(syntax, text)`` or ``{syntax: text}``."""
    props = []
    for prop_name, spec in properties.items():
        if isinstance(spec, str):
            props.append(ActivityProperty(name=prop_name, expressions={"Literal": spec}))
        elif isinstance(spec, tuple):
            props.append(ActivityProperty(name=prop_name, syntax=spec[0], expressions={spec[0]: spec[1]}))
        else:
            props.append(ActivityProperty(name=prop_name, expressions=dict(spec)))
    return Activity(
        activity_id=activity_id, type=type_name, name=name, display_name=activity_id, properties=props
    )


def flow(
    *activities: Activity, wires: tuple[tuple[str, str, str | None], ...] = (), variables: dict | None = None
) -> WorkflowDefinition:
    return WorkflowDefinition(
        activities=list(activities),
        connections=[Connection(source_activity_id=s, target_activity_id=t, outcome=o) for s, t, o in wires],
        variables=VariableBag(data=variables or {}),
    )


def codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


def only(problems: list[Problem], code: str) -> list[Problem]:
    return [problem for problem in problems if problem.code == code]


def test_a_sound_workflow_has_no_problems() -> None:
    workflow = flow(
        act("start", "HttpEndpoint", Path="/hello", Methods={"Json": '["GET"]'}),
        act("set", "SetVariable", VariableName="Greeting", Value=("JavaScript", "'hi'")),
        act("check", "If", Condition=("JavaScript", 'getVariable("Greeting") == "hi"')),
        act("done", "Finish", ActivityOutput=("Liquid", "{{ Variables.Greeting }}")),
        act("log", "WriteLine", Text="nope"),
        wires=(
            ("start", "set", "Done"),
            ("set", "check", None),
            ("check", "done", "True"),
            ("check", "log", "False"),
        ),
    )
    assert validate(workflow) == []


# --- unknown types -------------------------------------------------------------------------------


def test_unknown_type_is_a_warning_naming_the_type() -> None:
    problems = validate(flow(act("x", "TaskCreate")))
    assert problems == [
        Problem(
            "warning",
            "x",
            "activity type TaskCreate is not known; it will be kept as is but cannot run locally",
            "unknown-type",
            label="x",
        )
    ]


# --- required properties --------------------------------------------------------------------------


def test_required_property_missing_is_an_error() -> None:
    (problem,) = validate(flow(act("send", "SendHttpRequest")))
    assert (problem.severity, problem.code, problem.activity_id) == ("error", "required-property", "send")
    assert problem.message == "required property Url is missing"


def test_required_property_empty_under_its_effective_syntax() -> None:
    empty_literal = act("set", "SetVariable", VariableName="  ", Value="x")
    (problem,) = validate(flow(empty_literal))
    assert problem.message == "required property VariableName is empty under its Literal syntax"


def test_required_property_text_under_an_unused_syntax_does_not_count() -> None:
    url = ActivityProperty(
        name="Url", syntax="JavaScript", expressions={"Literal": "http://x", "JavaScript": ""}
    )
    send = Activity(activity_id="send", type="SendHttpRequest", properties=[url])
    (problem,) = validate(flow(send))
    assert problem.code == "required-property"
    assert "empty under its JavaScript syntax" in problem.message
    assert "its Literal text is kept but not used" in problem.message


def test_syntax_naming_a_missing_key_is_empty() -> None:
    condition = ActivityProperty(name="Condition", syntax="Liquid", expressions={"JavaScript": "true"})
    (problem,) = validate(flow(Activity(activity_id="if", type="If", properties=[condition])))
    assert problem.code == "required-property" and "Condition" in problem.message


@pytest.mark.parametrize(
    ("type_name", "prop"),
    [
        ("HttpEndpoint", "Path"),
        ("SendHttpRequest", "Url"),
        ("SetVariable", "VariableName"),
        ("If", "Condition"),
        ("ObjectInstanceList", "ObjectType"),
        ("ObjectInstanceGet", "InstanceId"),
    ],
)
def test_required_properties_of_the_catalog(type_name: str, prop: str) -> None:
    problems = only(validate(flow(act("a", type_name))), "required-property")
    assert [p.message for p in problems] == [f"required property {prop} is missing"]


# --- outcomes -------------------------------------------------------------------------------------


def test_connection_from_an_outcome_the_activity_never_emits() -> None:
    workflow = flow(
        act("set", "SetVariable", VariableName="A", Value="1"),
        act("next", "WriteLine", Text="t"),
        wires=(("set", "next", "True"),),
    )
    (problem,) = validate(workflow)
    assert (problem.severity, problem.code, problem.activity_id) == ("warning", "unknown-outcome", "set")
    assert '"True"' in problem.message and "Done" in problem.message and '"next"' in problem.message


def test_outcomes_compare_case_insensitively() -> None:
    workflow = flow(
        act("get", "ObjectInstanceGet", InstanceId="1"),
        act("next", "WriteLine", Text="t"),
        wires=(("get", "next", "success"), ("get", "next", "OBJECT INSTANCE NOT FOUND")),
    )
    assert validate(workflow) == []


def test_finish_has_no_outcomes_to_connect_from() -> None:
    workflow = flow(
        act("end", "Finish"), act("after", "WriteLine", Text="t"), wires=(("end", "after", None),)
    )
    (problem,) = validate(workflow)
    assert problem.code == "unknown-outcome" and "Finish has no outcomes" in problem.message


def test_dynamic_outcomes_name_the_property_to_edit() -> None:
    workflow = flow(
        act("js", "RunJavaScript", Script="setOutcome('odd')", PossibleOutcomes={"Json": '["ok"]'}),
        act("next", "WriteLine", Text="t"),
        wires=(("js", "next", "odd"), ("js", "next", "ok")),
    )
    (problem,) = validate(workflow)
    assert (
        problem.code == "unknown-outcome"
        and "PossibleOutcomes" in problem.message
        and '"odd"' in problem.message
    )


def test_outcomes_computed_by_an_expression_are_not_flagged() -> None:
    workflow = flow(
        act("send", "SendHttpRequest", Url="http://x", SupportedStatusCodes=("JavaScript", "[404]")),
        act("next", "WriteLine", Text="t"),
        wires=(("send", "next", "404"),),
    )
    assert validate(workflow) == []


def test_unknown_types_never_get_outcome_warnings() -> None:
    workflow = flow(
        act("odd", "Custom"), act("next", "WriteLine", Text="t"), wires=(("odd", "next", "Whatever"),)
    )
    assert codes(validate(workflow)) == ["unknown-type"]


def test_dangling_connection_is_an_error() -> None:
    workflow = flow(act("a", "WriteLine", Text="t"))
    workflow.connections.append(Connection(source_activity_id="a", target_activity_id="ghost"))
    (problem,) = validate(workflow)
    assert (problem.severity, problem.code, problem.activity_id) == ("error", "dangling-connection", "a")
    assert "'ghost'" in problem.message


# --- flow -----------------------------------------------------------------------------------------


def test_empty_workflow_has_no_start() -> None:
    (problem,) = validate(flow())
    assert (problem.severity, problem.code, problem.activity_id, problem.subject) == (
        "error",
        "no-start",
        None,
        "workflow",
    )


def test_activities_no_path_reaches_are_unreachable() -> None:
    workflow = flow(
        act("start", "WriteLine", Text="1"),
        act("island1", "WriteLine", Text="2"),
        act("island2", "WriteLine", Text="3"),
        act("end", "Finish"),
        wires=(("start", "end", None), ("island1", "island2", None), ("island2", "island1", None)),
    )
    problems = only(validate(workflow), "unreachable")
    assert [p.activity_id for p in problems] == ["island1", "island2"]
    assert all(p.severity == "warning" and '"start"' in p.message for p in problems)


def test_start_activities_after_the_first_never_run_unless_they_are_triggers() -> None:
    """Elsa 2 starts a run at ``GetStartActivities(...).FirstOrDefault()``
    (src/core/Elsa.Core/Services/Workflows/WorkflowRunner.cs); other triggers start their own runs."""
    workflow = flow(
        act("first", "WriteLine", Text="1"),
        act("second", "WriteLine", Text="2"),
        act("after", "WriteLine", Text="3"),
        act("hook", "HttpEndpoint", Path="/hook"),
        act("served", "WriteLine", Text="4"),
        wires=(("second", "after", None), ("hook", "served", None)),
    )
    problems = validate(workflow)
    (never,) = only(problems, "never-starts")
    assert never.activity_id == "second" and '"first"' in never.message
    assert [p.activity_id for p in only(problems, "unreachable")] == ["after"]


def test_variables_differing_only_in_case_are_reported() -> None:
    """Elsa 2's ``Variables`` is a case-sensitive dictionary
    (src/core/Elsa.Abstractions/Models/Variables.cs)."""
    workflow = flow(
        act("a", "SetVariable", VariableName="AccessToken", Value="x"),
        act("b", "SetVariable", VariableName="accessToken", Value="y"),
        act("c", "WriteLine", Text=("JavaScript", 'getVariable("ACCESSTOKEN")')),
        wires=(("a", "b", None), ("b", "c", None)),
    )
    problems = validate(workflow)
    (clash,) = only(problems, "variable-case")
    assert clash.activity_id == "b" and '"AccessToken" and "accessToken"' in clash.message
    (read,) = only(problems, "undefined-variable")
    assert "case-sensitively" in read.message


def test_loop_nothing_leaves_is_reported_once() -> None:
    workflow = flow(
        act("a", "SetVariable", VariableName="n", Value="1"),
        act("b", "WriteLine", Text="again"),
        wires=(("a", "b", None), ("b", "a", None)),
    )
    (problem,) = validate(workflow)
    assert (problem.severity, problem.code, problem.activity_id) == ("warning", "endless-loop", "a")
    assert '"a"' in problem.message and '"b"' in problem.message


def test_self_loop_without_exit_is_endless() -> None:
    workflow = flow(
        act("start", "WriteLine", Text="go"),
        act("spin", "WriteLine", Text="x"),
        wires=(("start", "spin", None), ("spin", "spin", None)),
    )
    assert codes(validate(workflow)) == ["endless-loop"]


@pytest.mark.parametrize(
    "exit_kind",
    ["edge-out", "finish-inside", "unwired-false", "while-done"],
)
def test_loops_with_a_way_out_are_fine(exit_kind: str) -> None:
    activities = [
        act("start", "WriteLine", Text="go"),
        act("check", "If", Condition=("JavaScript", "true")),
        act("body", "WriteLine", Text="again"),
        act("end", "Finish"),
        act("loop", "While", Condition=("JavaScript", "true")),
    ]
    wires = [("start", "check", None), ("check", "body", "True"), ("body", "check", None)]
    if exit_kind == "edge-out":
        wires += [("check", "end", "False")]
    elif exit_kind == "finish-inside":
        wires += [("check", "end", "False"), ("end", "check", "Done")]
    elif exit_kind == "while-done":
        wires = [("start", "loop", None), ("loop", "body", "Iterate"), ("body", "loop", None)]
    workflow = flow(*activities, wires=tuple(wires))
    assert "endless-loop" not in codes(validate(workflow))


def test_if_with_both_branches_looping_back_is_endless() -> None:
    workflow = flow(
        act("check", "If", Condition=("JavaScript", "true")),
        act("yes", "WriteLine", Text="y"),
        act("no", "WriteLine", Text="n"),
        wires=(
            ("check", "yes", "True"),
            ("check", "no", "False"),
            ("yes", "check", None),
            ("no", "check", None),
        ),
    )
    assert codes(validate(workflow)) == ["endless-loop"]


def test_loop_through_an_unknown_type_is_not_judged() -> None:
    workflow = flow(
        act("a", "WriteLine", Text="1"), act("b", "Custom"), wires=(("a", "b", None), ("b", "a", None))
    )
    assert codes(validate(workflow)) == ["unknown-type"]


# --- names ----------------------------------------------------------------------------------------


def test_duplicate_names_are_errors_on_the_later_activities() -> None:
    workflow = flow(
        act("a", "WriteLine", name="log", Text="1"),
        act("b", "WriteLine", name="log", Text="2"),
        act("c", "WriteLine", name="Log", Text="3"),
        wires=(("a", "b", None), ("b", "c", None)),
    )
    (problem,) = validate(workflow)
    assert (problem.severity, problem.code, problem.activity_id) == ("error", "duplicate-name", "b")
    assert 'name "log"' in problem.message


@pytest.mark.parametrize("name", ["get token", "1st", "a-b", "x.y", " "])
def test_names_must_be_javascript_identifiers(name: str) -> None:
    (problem,) = validate(flow(act("a", "WriteLine", name=name, Text="t")))
    assert (problem.severity, problem.code) == ("error", "invalid-name")
    assert json.dumps(name) in problem.message


@pytest.mark.parametrize("name", ["auth", "_x", "$y", "getAPIBaseURL", "naïve", "a1"])
def test_valid_identifiers(name: str) -> None:
    assert is_javascript_identifier(name)
    assert validate(flow(act("a", "WriteLine", name=name, Text="t"))) == []


# --- variables ------------------------------------------------------------------------------------


def test_variable_read_but_never_set_names_it_and_suggests_a_close_one() -> None:
    workflow = flow(
        act("get", "ObjectInstanceGet", InstanceId="1", VariableName="APIBaseURL"),
        act("send", "SendHttpRequest", Url=("JavaScript", 'getVariable("BaseURL").Data1 + "/x"')),
        wires=(("get", "send", "Success"),),
    )
    (problem,) = validate(workflow)
    assert (problem.severity, problem.code, problem.activity_id) == ("warning", "undefined-variable", "send")
    assert problem.message == 'variable "BaseURL" is read in Url but never set (did you mean "APIBaseURL"?)'


def test_a_name_differing_only_in_case_is_suggested() -> None:
    workflow = flow(
        act("set", "SetVariable", VariableName="accessToken", Value="x"),
        act("use", "WriteLine", Text=("Liquid", "{{ Variables.AccessToken }}")),
        wires=(("set", "use", None),),
    )
    (problem,) = validate(workflow)
    assert 'did you mean "accessToken"' in problem.message


@pytest.mark.parametrize(
    "setter",
    [
        act("set", "SetVariable", VariableName="Token", Value="x"),
        act("set", "RunJavaScript", Script="setVariable(\"Token\", 1); setVariable('Other', 2)"),
        act("set", "Correlate", Value=("JavaScript", "setVariable(`Token`, 1); 'v'")),
        act("set", "ObjectInstanceGet", InstanceId="1", VariableName="Token"),
        act("set", "ObjectInstanceUpdate", InstanceId="1", VariableName="Token"),
        act("set", "ObjectInstanceCreate", ObjectType="Settings", VariableName="Token"),
        act("set", "TaskCreate", VariableName="Token"),
    ],
    ids=lambda a: a.type,
)
def test_what_sets_a_variable(setter: Activity) -> None:
    reader = act("read", "WriteLine", Text=("JavaScript", "getVariable('Token')"))
    problems = only(validate(flow(setter, reader, wires=(("set", "read", None),))), "undefined-variable")
    assert problems == []


def test_workflow_variables_data_sets_variables() -> None:
    reader = act("read", "WriteLine", Text=("Liquid", "{{Variables.Token | json}}"))
    assert validate(flow(reader, variables={"Token": "abc"})) == []
    assert codes(validate(flow(reader))) == ["undefined-variable"]


def test_only_the_effective_syntax_is_read() -> None:
    leftovers = ActivityProperty(
        name="Content",
        syntax="Liquid",
        expressions={"JavaScript": 'getVariable("Old")', "Liquid": "{{Variables.New}}"},
    )
    send = Activity(
        activity_id="send",
        type="SendHttpRequest",
        properties=[ActivityProperty(name="Url", expressions={"Literal": 'getVariable("NotJs")'}), leftovers],
    )
    (problem,) = validate(flow(send))
    assert problem.message == 'variable "New" is read in Content but never set'


def test_reads_in_comments_and_outside_liquid_tags_do_not_count() -> None:
    workflow = flow(
        act("js", "WriteLine", Text=("JavaScript", '// getVariable("A")\n/* getVariable("B") */ "ok"')),
        act("liquid", "Correlate", Value=("Liquid", "Variables.C is not read here {{ 'x' }}")),
        wires=(("js", "liquid", None),),
    )
    assert validate(workflow) == []


def test_the_script_of_run_javascript_is_javascript() -> None:
    script = act("js", "RunJavaScript", Script='const v = getVariable("Missing");')
    (problem,) = validate(flow(script))
    assert problem.message == 'variable "Missing" is read in Script but never set'


def test_the_variable_syntax_reads_a_variable() -> None:
    (problem,) = validate(flow(act("w", "WriteLine", Text=("Variable", " Greeting "))))
    assert problem.message == 'variable "Greeting" is read in Text but never set'


def test_switch_case_expressions_are_read() -> None:
    cases = [
        {"name": "Big", "syntax": "JavaScript", "expressions": {"JavaScript": 'getVariable("Size") > 5'}}
    ]
    switch = act("s", "Switch", Cases={"Switch": json.dumps(cases)})
    (problem,) = validate(flow(switch))
    assert (
        problem.code == "undefined-variable"
        and '"Size"' in problem.message
        and "Cases (Big)" in problem.message
    )


def test_for_each_provides_its_loop_variables() -> None:
    workflow = flow(
        act("each", "ForEach", Items={"Json": "[1, 2]"}),
        act("body", "WriteLine", Text=("JavaScript", 'getVariable("CurrentValue")')),
        wires=(("each", "body", "Iterate"), ("body", "each", None)),
    )
    assert validate(workflow) == []


def test_a_variable_set_under_a_computed_name_silences_the_check() -> None:
    workflow = flow(
        act("js", "RunJavaScript", Script="for (const k of keys) setVariable(k, 1);"),
        act("read", "WriteLine", Text=("JavaScript", 'getVariable("Anything")')),
        wires=(("js", "read", None),),
    )
    assert validate(workflow) == []


def test_one_warning_per_activity_and_variable_listing_the_properties() -> None:
    send = act(
        "send",
        "SendHttpRequest",
        Url=("JavaScript", 'getVariable("api") + getVariable("api")'),
        Content=("JavaScript", 'getVariable("api")'),
    )
    (problem,) = validate(flow(send))
    assert problem.message == 'variable "api" is read in Url, Content but never set'


def test_scanners() -> None:
    assert strip_javascript_comments('a // x\n"//not" /* y */ b') == 'a  \n"//not"   b'
    assert list(javascript_variable_reads("getVariable( 'a' ) + getVariable(\"b\") + getVariable(c)")) == [
        "a",
        "b",
    ]
    assert list(javascript_variable_sets('setVariable("a", 1); setVariable(name, 2)')) == ["a", None]
    assert list(
        liquid_variable_reads('{{ Variables.a }} {% if Variables["b c"] %}{% endif %} Variables.d')
    ) == [
        "a",
        "b c",
    ]


# --- ordering -------------------------------------------------------------------------------------


def test_errors_first_then_document_order() -> None:
    workflow = flow(
        act("w1", "Mystery"),
        act("e1", "SetVariable", name="dup", VariableName="x", Value="1"),
        act("e2", "SetVariable", name="dup", VariableName="y", Value="2"),
        wires=(("w1", "e1", None), ("e1", "e2", None)),
    )
    workflow.connections.append(Connection(source_activity_id="ghost", target_activity_id="w1"))
    problems = validate(workflow)
    assert [(p.severity, p.code, p.activity_id) for p in problems] == [
        ("error", "dangling-connection", None),
        ("error", "duplicate-name", "e2"),
        ("warning", "unknown-type", "w1"),
    ]
    assert problems[0].subject == "workflow" and problems[1].label == "e2"
    assert str(problems[2]).startswith("warning: w1: activity type Mystery is not known")


# --- the real exports -----------------------------------------------------------------------------


def test_call_my_api_reports_its_known_defects(corpus_dir) -> None:
    problems = validate(load_workflow(corpus_dir / "wow-call-my-api.json"))
    undefined = only(problems, "undefined-variable")
    messages = [f"{p.subject}: {p.message}" for p in undefined]
    expected = 'variable "BaseURL" is read in Url but never set (did you mean "APIBaseURL"?)'
    assert f"Send HTTP Request - api: {expected}" in messages
    method2 = [p for p in undefined if '"Method2"' in p.message]
    assert {p.subject for p in method2} == {"Correlate - finished", "Correlate - finished - bad"}
    assert not [p for p in problems if p.severity == "error"]


def test_get_access_token_has_no_errors_and_reads_only_variables_it_sets(corpus_dir) -> None:
    problems = validate(load_workflow(corpus_dir / "wow-get-changing-access-token-authentication.json"))
    assert problems == []


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_no_real_export_has_errors(path) -> None:
    problems = validate(load_workflow(path))
    assert [p for p in problems if p.severity == "error"] == []
    assert all(p.code in {"unknown-type", "undefined-variable"} for p in problems)
