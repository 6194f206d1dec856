"""SetVariable, RunJavaScript outcomes, Correlate, WriteLine, Timer and WriteHttpResponse in a direct run."""

from __future__ import annotations

from runtime.builder import WorkflowBuilder
from runtime.engine import EventKind, InstanceStatus, WorkflowRunner


def test_run_javascript_set_outcomes_choose_the_connections() -> None:
    workflow = (
        WorkflowBuilder("Outcomes")
        .add(
            "js",
            "RunJavaScript",
            Script='setOutcomes(["Left", "Right"]); return 1',
            PossibleOutcomes=("Json", '["Left","Right","Other"]'),
        )
        .add("left", "SetVariable", VariableName="left", Value="y")
        .add("right", "SetVariable", VariableName="right", Value="y")
        .add("other", "SetVariable", VariableName="other", Value="y")
        .connect("js", "left", "Left")
        .connect("js", "right", "Right")
        .connect("js", "other", "Other")
        .build()
    )
    instance = WorkflowRunner().run_sync(workflow)
    assert instance.variables == {"left": "y", "right": "y"}
    assert instance.journal[0].outcomes == ("Left", "Right")


def test_set_variable_without_a_name_faults() -> None:
    workflow = WorkflowBuilder("NoName").add("set", "SetVariable", Value="x").build()
    instance = WorkflowRunner().run_sync(workflow)
    assert instance.status is InstanceStatus.FAULTED and "VariableName is empty" in str(instance.fault)


def test_write_line_and_correlate_reach_observers() -> None:
    events = []
    workflow = (
        WorkflowBuilder("Lines")
        .add("line", "WriteLine", Text=("Liquid", "hello {{ Input.who }}"))
        .add("corr", "Correlate", Value="abc-1")
        .chain("line", "corr")
        .build()
    )
    WorkflowRunner(observers=[events.append]).run_sync(workflow, {"who": "you"})
    assert [e.message for e in events if e.kind is EventKind.LOG] == ["hello you"]
    assert [e.message for e in events if e.kind is EventKind.CORRELATED] == ["abc-1"]


def test_timer_waits_for_its_timeout() -> None:
    workflow = WorkflowBuilder("Wait").add("t", "Timer", Timeout="00:00:00.2").build()
    instance = WorkflowRunner().run_sync(workflow)
    assert instance.status is InstanceStatus.FINISHED
    assert instance.journal[0].data["Delay (s)"] == 0.2
    assert instance.journal[0].duration_ms >= 200


def test_write_http_response_in_a_direct_run_is_kept_on_the_instance() -> None:
    workflow = (
        WorkflowBuilder("Respond")
        .add(
            "r",
            "WriteHttpResponse",
            StatusCode="NotFound",
            Content=("JavaScript", "({missing: true})"),
            ContentType="application/json",
        )
        .add("again", "WriteHttpResponse", StatusCode="OK", Content="twice")
        .chain("r", "again")
        .build()
    )
    instance = WorkflowRunner().run_sync(workflow)
    assert instance.http_response.status_code == 404
    assert instance.http_response.content == {"missing": True}
    assert instance.status is InstanceStatus.FAULTED
    assert "already been written" in str(instance.fault)


def test_an_unknown_status_name_faults_naming_the_property() -> None:
    workflow = WorkflowBuilder("Bad").add("r", "WriteHttpResponse", StatusCode="Nope").build()
    instance = WorkflowRunner().run_sync(workflow)
    assert "property StatusCode" in str(instance.fault) and "'Nope'" in str(instance.fault)


def test_a_blank_literal_falls_back_to_the_property_default() -> None:
    workflow = WorkflowBuilder("Blank").add("r", "WriteHttpResponse", StatusCode="  ", Content="x").build()
    instance = WorkflowRunner().run_sync(workflow)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.http_response.status_code == 200
