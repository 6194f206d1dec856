"""RunWorkflow: blocking children by id and by name, outcomes, output, Not Found, recursion, faults."""

from __future__ import annotations

from runtime.builder import WorkflowBuilder
from runtime.engine import InstanceStatus, RuntimeServices, WorkflowLibrary, WorkflowRunner


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
    looping = (
        WorkflowBuilder("Recurse", definition_id="recurse")
        .add("again", "RunWorkflow", WorkflowDefinitionId="Recurse", Mode="Blocking")
        .build()
    )
    instance = _runner(looping).run_sync(looping)
    assert instance.status is InstanceStatus.FAULTED
    assert "nested deeper than 16" in str(instance.fault)


def test_fire_and_forget_returns_at_once_and_the_child_still_runs() -> None:
    seen = []
    child = (
        WorkflowBuilder("Child", definition_id="child-def")
        .add("corr", "Correlate", Value="child ran")
        .build()
    )
    parent = _parent(("Literal", "Child"), mode="FireAndForget")
    runner = _runner(parent, child)
    runner.add_observer(lambda e: seen.append(e.message) if e.kind.value == "correlated" else None)
    instance = runner.run_sync(parent)
    assert instance.variables == {"done": "yes"}
    assert instance.outputs_by_name["callChild"]["Output"]["WorkflowInstanceId"]
    assert seen == ["child ran"]
