"""The engine's walk: start activities, LIFO order, outcomes, input, variables, scopes, guards, events."""

from __future__ import annotations

import asyncio

import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import (
    EngineSettings,
    EventKind,
    InstanceStatus,
    PinnedOutput,
    RuntimeServices,
    WorkflowRunner,
)


def run(workflow, input=None, runner: WorkflowRunner | None = None, **options):
    return (runner or WorkflowRunner()).run_sync(workflow, input, **options)


def order(instance) -> list[str]:
    return [record.activity_id for record in instance.journal]


def test_linear_chain_sets_variable_and_finishes_with_output() -> None:
    workflow = (
        WorkflowBuilder("Chain")
        .add("set", "SetVariable", VariableName="greeting", Value="hello")
        .add("finish", "Finish", ActivityOutput=("JavaScript", 'getVariable("greeting") + " world"'))
        .chain("set", "finish")
        .build()
    )
    instance = run(workflow)
    assert instance.status is InstanceStatus.FINISHED
    assert instance.output == "hello world"
    assert instance.variables["greeting"] == "hello"


def test_if_runs_its_branch_then_emits_done() -> None:
    workflow = (
        WorkflowBuilder("Branches")
        .add("if", "If", Condition=("JavaScript", "input.n > 1"))
        .add("yes", "SetVariable", VariableName="branch", Value="yes")
        .add("no", "SetVariable", VariableName="branch", Value="no")
        .add("after", "SetVariable", VariableName="after", Value="ran")
        .connect("if", "yes", "True")
        .connect("if", "no", "False")
        .connect("if", "after", "Done")
        .build()
    )
    instance = run(workflow, {"n": 5})
    assert instance.variables == {"branch": "yes", "after": "ran"}
    assert order(instance) == ["if", "yes", "if", "after"]
    assert instance.journal[2].outcomes == ("Done",)
    assert run(workflow, {"n": 0}).variables["branch"] == "no"


def test_outcomes_match_case_insensitively_and_a_missing_outcome_means_done() -> None:
    workflow = (
        WorkflowBuilder("Case")
        .add("if", "If", Condition=("JavaScript", "true"))
        .add("a", "SetVariable", VariableName="a", Value="1")
        .add("b", "SetVariable", VariableName="b", Value="2")
        .connect("if", "a", "true")
        .build()
    )
    workflow.connections.append(
        workflow.connections[0].model_copy(
            update={"outcome": None, "source_activity_id": "a", "target_activity_id": "b"}
        )
    )
    instance = run(workflow)
    assert instance.variables == {"a": "1", "b": "2"}


def test_workflow_variables_start_from_variables_data_and_instances_do_not_share_them() -> None:
    workflow = (
        WorkflowBuilder("Vars")
        .add(
            "js",
            "RunJavaScript",
            Script='var list = getVariable("items"); list.push(3); setVariable("items", list);',
        )
        .variables(items=[1, 2])
        .build()
    )
    assert run(workflow).variables["items"] == [1, 2, 3]
    assert run(workflow).variables["items"] == [1, 2, 3]
    assert workflow.variable_data()["items"] == [1, 2]


def test_named_activity_outputs_are_visible_to_later_expressions() -> None:
    workflow = (
        WorkflowBuilder("Named")
        .add("js", "RunJavaScript", name="compute", Script="return {Total: 7}")
        .add("finish", "Finish", ActivityOutput=("JavaScript", "activities.compute.Output().total"))
        .chain("js", "finish")
        .build()
    )
    assert run(workflow).output == 7


def test_for_each_iterates_with_the_item_as_input_then_done() -> None:
    workflow = (
        WorkflowBuilder("Loop")
        .add("each", "ForEach", Items=("Json", '["a", "b", "c"]'))
        .add("collect", "RunJavaScript", Script='setVariable("seen", (getVariable("seen") || "") + input)')
        .add("finish", "Finish", ActivityOutput=("JavaScript", 'getVariable("seen")'))
        .connect("each", "collect", "Iterate")
        .connect("each", "finish", "Done")
        .build()
    )
    instance = run(workflow)
    assert instance.output == "abc"
    assert instance.visits["each"] == 4


def test_while_loops_until_its_condition_is_false() -> None:
    workflow = (
        WorkflowBuilder("While")
        .add("init", "SetVariable", VariableName="i", Value=("JavaScript", "0"))
        .add("loop", "While", Condition=("JavaScript", 'getVariable("i") < 5'))
        .add("inc", "SetVariable", VariableName="i", Value=("JavaScript", 'getVariable("i") + 1'))
        .add("finish", "Finish", ActivityOutput=("JavaScript", 'getVariable("i")'))
        .chain("init", "loop")
        .connect("loop", "inc", "Iterate")
        .connect("loop", "finish", "Done")
        .build()
    )
    assert run(workflow).output == 5


def _switch(mode: str, value: int):
    cases = (
        '[{"name": "Small", "syntax": "JavaScript", "expressions": {"JavaScript": "input < 10"}},'
        ' {"name": "Even", "syntax": "JavaScript", "expressions": {"JavaScript": "input % 2 == 0"}}]'
    )
    return (
        WorkflowBuilder("Switch")
        .add("switch", "Switch", Cases=("Switch", cases), Mode=mode)
        .add(
            "small",
            "RunJavaScript",
            Script='setVariable("hits", (getVariable("hits") || []).concat(["small"]))',
        )
        .add(
            "even",
            "RunJavaScript",
            Script='setVariable("hits", (getVariable("hits") || []).concat(["even"]))',
        )
        .add("default", "SetVariable", VariableName="hits", Value=("Json", '["default"]'))
        .connect("switch", "small", "Small")
        .connect("switch", "even", "Even")
        .connect("switch", "default", "Default")
        .build()
    ), value


@pytest.mark.parametrize(
    ("mode", "value", "hits"),
    [("MatchFirst", 4, ["small"]), ("MatchAny", 4, ["even", "small"]), ("MatchAny", 13, ["default"])],
)
def test_switch_matches_first_or_any_or_default(mode: str, value: int, hits: list[str]) -> None:
    workflow, value = _switch(mode, value)
    assert run(workflow, value).variables["hits"] == hits


def _fork_join(mode: str):
    return (
        WorkflowBuilder("ForkJoin")
        .add("fork", "Fork", Branches=("Json", '["Left", "Right"]'))
        .add("left", "SetVariable", VariableName="left", Value="L")
        .add("right", "SetVariable", VariableName="right", Value="R")
        .add("join", "Join", Mode=mode)
        .add("after", "RunJavaScript", Script='setVariable("joined", (getVariable("joined") || 0) + 1)')
        .connect("fork", "left", "Left")
        .connect("fork", "right", "Right")
        .connect("left", "join")
        .connect("right", "join")
        .connect("join", "after")
        .build()
    )


def test_fork_runs_branches_in_order_and_join_wait_all_fires_once_both_arrived() -> None:
    instance = run(_fork_join("WaitAll"))
    assert order(instance) == ["fork", "left", "join", "right", "join", "after"]
    assert instance.variables["joined"] == 1
    assert instance.journal[2].outcomes == ()


def test_finish_ends_the_workflow_with_output_and_outcome_names() -> None:
    workflow = (
        WorkflowBuilder("Finish")
        .add("start", "WriteLine", Text="x")
        .add("finish", "Finish", ActivityOutput="done!", OutcomeNames=("Json", '["success"]'))
        .add("never", "SetVariable", VariableName="never", Value="ran")
        .connect("start", "never")
        .connect("start", "finish")
        .build()
    )
    instance = run(workflow)
    assert (instance.output, instance.finish_outcomes) == ("done!", ("success",))
    assert "never" not in instance.variables


def test_fault_activity_faults_the_instance_with_its_message() -> None:
    workflow = WorkflowBuilder("Faulty").add("boom", "Fault", display_name="Boom", Message="it broke").build()
    instance = run(workflow)
    assert instance.status is InstanceStatus.FAULTED
    assert "it broke" in str(instance.fault)
    assert instance.fault.activity_id == "boom"


def test_a_cycle_without_exit_faults_with_possible_infinite_loop() -> None:
    workflow = (
        WorkflowBuilder("Spin")
        .add("a", "SetVariable", display_name="Spin A", VariableName="x", Value="1")
        .add("b", "SetVariable", VariableName="y", Value="2")
        .chain("a", "b", "a")
        .build()
    )
    workflow.connections.insert(0, workflow.connections.pop())
    services = RuntimeServices(settings=EngineSettings(visit_cap=50))
    instance = run(workflow, runner=WorkflowRunner(services))
    assert instance.status is InstanceStatus.FAULTED
    assert "possible infinite loop at" in str(instance.fault)


def test_when_every_activity_has_an_inbound_connection_the_first_one_starts() -> None:
    workflow = (
        WorkflowBuilder("Ring")
        .add("a", "If", Condition=("JavaScript", '!getVariable("seen")'))
        .add("b", "SetVariable", VariableName="seen", Value="yes")
        .connect("a", "b", "True")
        .connect("b", "a")
        .build()
    )
    instance = run(workflow)
    assert order(instance)[:2] == ["a", "b"]
    assert instance.status is InstanceStatus.FINISHED


def test_trigger_at_the_start_passes_at_once_with_the_workflow_input() -> None:
    workflow = (
        WorkflowBuilder("Endpoint")
        .add("http", "HttpEndpoint", Path="/hello", Methods=("Json", '["GET"]'))
        .add("finish", "Finish", ActivityOutput=("JavaScript", "input.name"))
        .chain("http", "finish")
        .build()
    )
    assert run(workflow, {"name": "Ada"}).output == "Ada"


def test_unknown_type_faults_unless_its_output_is_pinned() -> None:
    workflow = (
        WorkflowBuilder("Unknown")
        .add("remote", "TaskCreate", display_name="Create task", Title="x")
        .add("finish", "Finish", ActivityOutput=("JavaScript", "input.id"))
        .connect("remote", "finish", "Created")
        .build()
    )
    faulted = run(workflow)
    assert faulted.status is InstanceStatus.FAULTED
    assert "activity type TaskCreate is not supported locally" in str(faulted.fault)
    pinned = run(workflow, pinned={"remote": PinnedOutput({"id": 9}, ("Created",))})
    assert pinned.output == 9


def test_many_instances_run_concurrently_without_sharing_state() -> None:
    workflow = (
        WorkflowBuilder("Concurrent")
        .add("set", "SetVariable", VariableName="mine", Value=("JavaScript", "input"))
        .add("wait", "Timer", Timeout=("JavaScript", "0.01"))
        .add("finish", "Finish", ActivityOutput=("JavaScript", 'getVariable("mine")'))
        .chain("set", "wait", "finish")
        .build()
    )
    runner = WorkflowRunner()

    async def main():
        return await asyncio.gather(*(runner.run(workflow, n) for n in range(25)))

    instances = asyncio.run(main())
    assert [i.output for i in instances] == list(range(25))
    assert len({i.id for i in instances}) == 25


def test_events_stream_in_order_and_the_journal_records_each_activity() -> None:
    events = []
    workflow = (
        WorkflowBuilder("Events")
        .add("corr", "Correlate", display_name="Correlate", Value=("JavaScript", '"order-" + input'))
        .add("set", "SetVariable", VariableName="x", Value="1")
        .chain("corr", "set")
        .build()
    )
    instance = WorkflowRunner(observers=[events.append]).run_sync(workflow, 42)
    kinds = [e.kind for e in events]
    assert kinds[0] is EventKind.INSTANCE_STARTED and kinds[-1] is EventKind.INSTANCE_FINISHED
    correlated = [e for e in events if e.kind is EventKind.CORRELATED]
    assert correlated[0].message == "order-42" and correlated[0].activity_label == "Correlate"
    assert instance.correlation_id == "order-42"
    assert any(e.kind is EventKind.VARIABLE_CHANGED and e.data == {"name": "x", "value": "1"} for e in events)
    assert [r.activity_id for r in instance.journal] == ["corr", "set"]
    assert instance.journal[1].inputs == {"VariableName": "x", "Value": "1"}
    assert instance.journal[0].duration_ms >= 0


def test_expression_errors_name_workflow_activity_property_syntax_line_and_missing_variable() -> None:
    workflow = (
        WorkflowBuilder("Broken")
        .add(
            "set",
            "SetVariable",
            display_name="Set url",
            VariableName="url",
            Value=("JavaScript", 'var a = 1;\ngetVariable("BaseURL").Data1'),
        )
        .build()
    )
    instance = run(workflow)
    message = str(instance.fault)
    assert instance.status is InstanceStatus.FAULTED
    for part in ('"Broken"', '"Set url"', "Value", "JavaScript", "line 2", '"BaseURL"'):
        assert part in message, (part, message)
    assert instance.fault.property_name == "Value"


def test_the_journal_keeps_the_last_records_up_to_its_limit() -> None:
    """Trimmed a quarter at a time while the run goes (no shift per step), exact when it ends."""
    workflow = (
        WorkflowBuilder("Loop")
        .add("each", "ForEach", Items=("Json", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]"))
        .add("set", "SetVariable", VariableName="x", Value=("JavaScript", "input"))
        .add("end", "Finish")
        .connect("each", "set", "Iterate")
        .connect("each", "end", "Done")
        .build()
    )
    runner = WorkflowRunner(RuntimeServices(settings=EngineSettings(journal_limit=8)))
    instance = run(workflow, runner=runner)
    assert len(instance.journal) == 8
    assert order(instance)[-2:] == ["each", "end"]
    assert [r.inputs.get("Value") for r in instance.journal if r.activity_id == "set"][-1] == 15
