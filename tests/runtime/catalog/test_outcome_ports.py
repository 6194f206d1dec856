"""Outcome ports come from property values in Elsa Studio's order: dynamic values first, then static."""

from __future__ import annotations

import json

import pytest

from runtime.catalog import get_descriptor, outcome_ports
from runtime.catalog.outcomes import parse_list_text, read_list_property
from runtime.model import Activity, ActivityProperty, Connection, WorkflowDefinition


def activity(type_name: str, **properties: dict[str, str] | tuple[str, dict[str, str]]) -> Activity:
    """An activity; each property is ``{syntax: text}`` or ``(chosen syntax, {syntax: text})``."""
    props = []
    for name, spec in properties.items():
        syntax, expressions = spec if isinstance(spec, tuple) else (None, spec)
        props.append(ActivityProperty(name=name, syntax=syntax, expressions=expressions))
    return Activity(activity_id=f"{type_name}-1", type=type_name, properties=props)


def test_send_http_request_status_codes_come_first() -> None:
    send = activity("SendHttpRequest", SupportedStatusCodes={"Json": '["200"]'})
    assert outcome_ports(send) == ["200", "Done", "Unsupported Status Code"]


def test_send_http_request_numbers_and_several_codes() -> None:
    send = activity("SendHttpRequest", SupportedStatusCodes={"Json": "[200, 404.0, 500]"})
    assert outcome_ports(send) == ["200", "404", "500", "Done", "Unsupported Status Code"]


def test_send_http_request_without_codes_shows_the_default_200() -> None:
    assert outcome_ports(activity("SendHttpRequest")) == ["200", "Done", "Unsupported Status Code"]
    empty = activity("SendHttpRequest", SupportedStatusCodes={})
    assert outcome_ports(empty) == ["200", "Done", "Unsupported Status Code"]
    none = activity("SendHttpRequest", SupportedStatusCodes={"Json": "[]"})
    assert outcome_ports(none) == ["Done", "Unsupported Status Code"]


def test_values_wrapped_by_newtonsoft_are_unwrapped() -> None:
    wrapped = json.dumps({"$type": "System.Int32[]", "$values": [201, 202]})
    send = activity("SendHttpRequest", SupportedStatusCodes={"Json": wrapped})
    assert outcome_ports(send) == ["201", "202", "Done", "Unsupported Status Code"]


def test_run_workflow_possible_outcomes_then_done_and_not_found() -> None:
    run = activity("RunWorkflow", PossibleOutcomes={"Json": '["success","error"]'})
    assert outcome_ports(run) == ["success", "error", "Done", "Not Found"]
    assert outcome_ports(activity("RunWorkflow")) == ["Done", "Not Found"]


def test_run_javascript_possible_outcomes_then_done() -> None:
    script = activity("RunJavaScript", PossibleOutcomes={"Json": '["ok","fail"]'})
    assert outcome_ports(script) == ["ok", "fail", "Done"]
    assert outcome_ports(activity("RunJavaScript")) == ["Done"]


def test_duplicates_are_dropped_case_insensitively_first_spelling_wins() -> None:
    script = activity("RunJavaScript", PossibleOutcomes={"Json": '["OK","done","ok"]'})
    assert outcome_ports(script) == ["OK", "done"]


def test_fork_ports_are_its_branches() -> None:
    fork = activity("Fork", Branches={"Json": '["Timeout","Extinguish"]'})
    assert outcome_ports(fork) == ["Timeout", "Extinguish"]
    assert outcome_ports(activity("Fork")) == []


def test_static_outcomes() -> None:
    assert outcome_ports(activity("If")) == ["True", "False", "Done"]
    assert outcome_ports(activity("While")) == ["Iterate", "Done"]
    assert outcome_ports(activity("ForEach")) == ["Iterate", "Done"]
    assert outcome_ports(activity("ObjectInstanceGet")) == ["Success", "Object instance not found"]
    assert outcome_ports(activity("ObjectInstanceList")) == ["Done", "Object type not found"]


def test_finish_and_fault_have_no_ports() -> None:
    finish = activity("Finish", OutcomeNames={"Json": '["success"]'}, OutputValue={"Literal": "x"})
    assert outcome_ports(finish) == []
    assert outcome_ports(activity("Fault")) == []


def test_switch_case_names_then_default_and_done() -> None:
    cases = [
        {"name": "Small", "syntax": "JavaScript", "expressions": {"JavaScript": "input < 10"}},
        {"name": "Large", "syntax": "Literal", "expressions": {"Literal": "true"}},
    ]
    switch = activity("Switch", Cases={"Switch": json.dumps(cases)}, Mode={"Literal": "MatchFirst"})
    assert outcome_ports(switch) == ["Small", "Large", "Default", "Done"]
    assert outcome_ports(activity("Switch")) == ["Default", "Done"]


def test_literal_values_are_a_json_array_or_comma_separated() -> None:
    script = activity("RunJavaScript", PossibleOutcomes=("Literal", {"Literal": "ok, bad response ,fault"}))
    assert outcome_ports(script) == ["ok", "bad response", "fault", "Done"]
    listed = activity("RunJavaScript", PossibleOutcomes=("Literal", {"Literal": '["a", "b"]'}))
    assert outcome_ports(listed) == ["a", "b", "Done"]


def test_script_syntaxes_fall_back_to_the_text_the_editor_kept() -> None:
    kept = activity(
        "SendHttpRequest",
        SupportedStatusCodes=("JavaScript", {"JavaScript": "[200, 201]", "Json": '["204"]'}),
    )
    assert outcome_ports(kept) == ["204", "Done", "Unsupported Status Code"]
    nothing_kept = activity("SendHttpRequest", SupportedStatusCodes=("Liquid", {"Liquid": "[{{x}}]"}))
    assert outcome_ports(nothing_kept) == ["Done", "Unsupported Status Code"]
    descriptor = get_descriptor("SendHttpRequest").get_property("SupportedStatusCodes")
    assert not read_list_property(kept, descriptor).certain
    assert read_list_property(activity("SendHttpRequest"), descriptor).certain


def test_unknown_type_ports_are_its_connected_outcomes() -> None:
    remove = Activity(activity_id="r", type="RemoveWorkflowInstances")
    fault = Activity(activity_id="f", type="Fault")
    next_one = Activity(activity_id="n", type="Correlate")
    workflow = WorkflowDefinition(
        activities=[remove, fault, next_one],
        connections=[
            Connection(source_activity_id="r", target_activity_id="f", outcome="Faulted"),
            Connection(source_activity_id="r", target_activity_id="n", outcome="Success"),
        ],
    )
    assert outcome_ports(remove, workflow) == ["Faulted", "Success"]
    assert outcome_ports(remove) == ["Done"]


@pytest.mark.parametrize(
    ("text", "comma", "expected"),
    [
        ('["a", 1]', False, ["a", 1]),
        ('{"$values": ["x"]}', False, ["x"]),
        ("not json", False, None),
        ("not json", True, ["not json"]),
        ('{"a": 1}', True, None),
        ("7", True, [7]),
    ],
)
def test_parse_list_text(text: str, comma: bool, expected: list | None) -> None:
    assert parse_list_text(text, allow_comma_separated=comma) == expected
