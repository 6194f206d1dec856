"""RunWorkflow: blocking children by id and by name, outcomes, output, Not Found, recursion, faults.

Elsa 2.15's ``src/core/Elsa.Core/Activities/Workflows/RunWorkflow/RunWorkflow.cs`` is the reference.
"""

from __future__ import annotations

from runtime.builder import WorkflowBuilder
from runtime.engine import EventKind, InstanceStatus, RuntimeServices, WorkflowLibrary, WorkflowRunner


def _child():
    return (
        WorkflowBuilder("Child", definition_id="child-def")
        .add(
            "finish",
            "Finish",
            ActivityOutput=("JavaScript", '"got " + input.x'),
            OutcomeNames=("Json", '["success"]'),
        )
        .build()
    )


def _parent(definition: tuple[str, str], mode: str = "Blocking"):
    return (
        WorkflowBuilder("Parent")
        .add(
            "call",
            "RunWorkflow",
            name="callChild",
            WorkflowDefinitionId=definition,
            Input=("Json", '{"x": 5}'),
            Mode=mode,
            PossibleOutcomes=("Json", '["success","error"]'),
        )
        .add(
            "ok",
            "SetVariable",
            VariableName="result",
            Value=("JavaScript", "activities.callChild.Output().workflowOutput"),
        )
        .add("missing", "SetVariable", VariableName="result", Value="not found")
        .add("done", "SetVariable", VariableName="done", Value="yes")
        .connect("call", "ok", "success")
        .connect("call", "missing", "Not Found")
        .connect("call", "done", "Done")
        .build()
    )


def _runner(*workflows) -> WorkflowRunner:
    return WorkflowRunner(RuntimeServices(library=WorkflowLibrary(workflows=list(workflows))))


def test_blocking_child_found_by_name_gives_its_output_and_finish_outcomes() -> None:
    parent = _parent(("JavaScript", 'return getWorkflowDefinitionIdByName("Child")'))
    instance = _runner(parent, _child()).run_sync(parent)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.variables == {"done": "yes", "result": "got 5"}
    output = instance.outputs_by_name["callChild"]["Output"]
    assert output["WorkflowOutput"] == "got 5" and output["WorkflowInstanceId"]
    assert instance.journal[0].outcomes == ("Done", "success")


def test_child_found_by_definition_id() -> None:
    parent = _parent(("Literal", "child-def"))
    assert _runner(parent, _child()).run_sync(parent).variables["result"] == "got 5"


def test_missing_child_takes_not_found() -> None:
    parent = _parent(("Literal", "NoSuchWorkflow"))
    instance = _runner(parent).run_sync(parent)
    assert instance.variables == {"result": "not found"}


def test_faulted_child_faults_the_parent_naming_both() -> None:
    child = (
        WorkflowBuilder("Child", definition_id="child-def").add("f", "Fault", Message="child broke").build()
    )
    parent = _parent(("Literal", "Child"))
    instance = _runner(parent, child).run_sync(parent)
    assert instance.status is InstanceStatus.FAULTED
    assert "child broke" in str(instance.fault) and 'sub-workflow "Child"' in str(instance.fault)


def test_recursion_past_the_depth_limit_faults() -> None:
    ping = (
        WorkflowBuilder("Ping", definition_id="ping")
        .add("again", "RunWorkflow", WorkflowDefinitionId="pong", Mode="Blocking")
        .build()
    )
    pong = (
        WorkflowBuilder("Pong", definition_id="pong")
        .add("again", "RunWorkflow", WorkflowDefinitionId="ping", Mode="Blocking")
        .build()
    )
    instance = _runner(ping, pong).run_sync(ping)
    assert instance.status is InstanceStatus.FAULTED
    assert "nested deeper than 16" in str(instance.fault)


def test_a_workflow_that_runs_itself_takes_not_found() -> None:
    """RunWorkflow.cs: ``workflowBlueprint.Id == context.WorkflowInstance.DefinitionId`` → "Not Found"."""
    looping = (
        WorkflowBuilder("Recurse", definition_id="recurse")
        .add("again", "RunWorkflow", WorkflowDefinitionId="recurse", Mode="Blocking")
        .add("missing", "SetVariable", VariableName="result", Value="not found")
        .connect("again", "missing", "Not Found")
        .build()
    )
    instance = _runner(looping).run_sync(looping)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.variables == {"result": "not found"}


def test_the_finish_outcome_branch_runs_before_done() -> None:
    """RunWorkflow.cs combines ``Done()`` then ``Outcomes(finish outcomes)``: pushed last, runs first."""
    parent = _parent(("Literal", "child-def"))
    instance = _runner(parent, _child()).run_sync(parent)
    assert [r.activity_id for r in instance.journal] == ["call", "ok", "done"]


def test_a_child_without_finish_yields_the_output_of_its_last_activity() -> None:
    """The child's output is its ``Output`` reference: the last activity that has an ``Output``
    (``PersistActivityPropertyState.cs``), and only ``Done`` is emitted (no FinishOutput to unpack)."""
    child = (
        WorkflowBuilder("Child", definition_id="child-def")
        .add("js", "RunJavaScript", Script='return "computed " + input.x')
        .add("set", "SetVariable", VariableName="ignored", Value="1")
        .chain("js", "set")
        .build()
    )
    parent = _parent(("Literal", "child-def"))
    instance = _runner(parent, child).run_sync(parent)
    assert instance.outputs_by_name["callChild"]["Output"]["WorkflowOutput"] == "computed 5"
    assert instance.journal[0].outcomes == ("Done",)
    assert instance.variables == {"done": "yes"}


def test_fire_and_forget_runs_the_child_at_once_and_has_no_output() -> None:
    """FireAndForget starts the child with ``StartWorkflowAsync`` before going on, and sets no Output."""
    seen: list[str] = []
    child = (
        WorkflowBuilder("Child", definition_id="child-def")
        .add("corr", "Correlate", Value="child ran")
        .build()
    )
    parent = _parent(("Literal", "Child"), mode="FireAndForget")
    runner = _runner(parent, child)

    def watch(event) -> None:
        if event.kind in (EventKind.CORRELATED, EventKind.VARIABLE_CHANGED):
            seen.append(event.message)

    runner.add_observer(watch)
    instance = runner.run_sync(parent)
    assert instance.variables == {"done": "yes"}
    assert instance.outputs_by_name["callChild"]["Output"] is None
    assert seen.index("child ran") < seen.index("done")


def test_fire_and_forget_ignores_a_faulted_child() -> None:
    child = WorkflowBuilder("Child", definition_id="child-def").add("f", "Fault", Message="nope").build()
    parent = _parent(("Literal", "child-def"), mode="FireAndForget")
    instance = _runner(parent, child).run_sync(parent)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.variables == {"done": "yes"}


def test_without_a_mode_the_child_is_dispatched_and_the_parent_goes_on() -> None:
    """``RunWorkflowMode``'s first value, DispatchAndForget, is the default: queued, not awaited."""
    order: list[str] = []
    child = (
        WorkflowBuilder("Child", definition_id="child-def")
        .add("corr", "Correlate", Value="child ran")
        .build()
    )
    parent = (
        WorkflowBuilder("Parent")
        .add("call", "RunWorkflow", WorkflowDefinitionId="child-def")
        .add("corr", "Correlate", Value="parent went on")
        .chain("call", "corr")
        .build()
    )
    runner = _runner(parent, child)
    runner.add_observer(lambda e: order.append(e.message) if e.kind is EventKind.CORRELATED else None)
    instance = runner.run_sync(parent)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert order == ["parent went on", "child ran"]
