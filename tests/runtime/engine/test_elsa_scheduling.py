"""The engine against Elsa 2.15 (``rc/2.15.1``): scheduling order, scopes, loops, Join, values.

Each test names the Elsa source file whose behaviour it pins (paths under ``src/``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from runtime.builder import WorkflowBuilder
from runtime.cli import main
from runtime.elsa_json import save_workflow
from runtime.engine import InstanceStatus, WorkflowRunner


def run(workflow, input=None, **options):
    return WorkflowRunner().run_sync(workflow, input, **options)


def order(instance) -> list[str]:
    return [record.activity_id for record in instance.journal]


def _mark(activity_id: str) -> tuple[str, str, dict[str, str]]:
    """A step that appends its id to the ``trail`` variable."""
    return (
        activity_id,
        "RunJavaScript",
        {"Script": f'setVariable("trail", (getVariable("trail") || []).concat(["{activity_id}"]))'},
    )


def _add_marks(builder: WorkflowBuilder, *ids: str) -> WorkflowBuilder:
    for activity_id in ids:
        mark_id, type_name, properties = _mark(activity_id)
        builder.add(mark_id, type_name, **properties)
    return builder


# --- scheduling ------------------------------------------------------------------------------------


def test_several_targets_of_one_outcome_run_last_connection_first() -> None:
    """core/Elsa.Abstractions/ActivityResults/OutcomeResult.cs pushes the targets in connection order on
    core/Elsa.Abstractions/Models/SimpleStack.cs (``Push`` inserts at the front): the last runs first."""
    builder = _add_marks(WorkflowBuilder("Fan"), "start", "a", "a2", "b")
    workflow = builder.connect("start", "a").connect("start", "b").connect("a", "a2").build()
    assert order(run(workflow)) == ["start", "b", "a", "a2"]


def test_switch_match_any_runs_the_last_matching_case_first() -> None:
    """core/Elsa.Core/Activities/ControlFlow/Switch/Switch.cs returns ``Outcomes(matches)``; each outcome's
    targets are pushed in outcome order, so the last match runs first."""
    cases = (
        '[{"name": "Small", "syntax": "JavaScript", "expressions": {"JavaScript": "input < 10"}},'
        ' {"name": "Even", "syntax": "JavaScript", "expressions": {"JavaScript": "input % 2 == 0"}}]'
    )
    builder = WorkflowBuilder("Switch").add("switch", "Switch", Cases=("Switch", cases), Mode="MatchAny")
    workflow = (
        _add_marks(builder, "small", "even")
        .connect("switch", "small", "Small")
        .connect("switch", "even", "Even")
        .build()
    )
    instance = run(workflow, 4)
    assert instance.variables["trail"] == ["even", "small"]
    assert instance.journal[0].data["Matches"] == ["Small", "Even"]


def test_fork_alone_reverses_its_branches_so_the_first_runs_first() -> None:
    """core/Elsa.Core/Activities/ControlFlow/Fork/Fork.cs: ``Outcomes(Branches.Reverse())``."""
    builder = WorkflowBuilder("Fork").add("fork", "Fork", Branches=("Json", '["A", "B", "C"]'))
    workflow = (
        _add_marks(builder, "a", "b", "c")
        .connect("fork", "a", "A")
        .connect("fork", "b", "B")
        .connect("fork", "c", "C")
        .build()
    )
    assert run(workflow).variables["trail"] == ["a", "b", "c"]


def test_a_target_wired_twice_by_one_result_runs_once() -> None:
    """OutcomeResult.cs takes the target ids ``Distinct()`` before scheduling them."""
    builder = WorkflowBuilder("Twice").add("if", "If", Condition=("JavaScript", "true"))
    workflow = _add_marks(builder, "x").connect("if", "x", "True").connect("if", "x", "True").build()
    assert run(workflow).variables["trail"] == ["x"]


def test_only_the_first_start_activity_runs() -> None:
    """core/Elsa.Core/Services/Workflows/WorkflowRunner.cs (``BeginWorkflow``) schedules
    ``GetStartActivities(...).FirstOrDefault()``: other activities without inbound connections never run."""
    workflow = _add_marks(WorkflowBuilder("Two starts"), "first", "second").build()
    instance = run(workflow)
    assert instance.variables["trail"] == ["first"]


def test_scopes_close_newest_first_along_the_path() -> None:
    """core/Elsa.Core/Handlers/RescheduleBranchingActivitiesAndContainers.cs: when the stack is empty the
    newest scope on the last activity's inbound path is closed and its owner runs again."""
    builder = (
        WorkflowBuilder("Nested")
        .add("outer", "If", Condition=("JavaScript", "true"))
        .add("inner", "If", Condition=("JavaScript", "false"))
    )
    workflow = (
        _add_marks(builder, "no", "innerDone", "outerDone")
        .connect("outer", "inner", "True")
        .connect("inner", "no", "False")
        .connect("inner", "innerDone", "Done")
        .connect("outer", "outerDone", "Done")
        .build()
    )
    instance = run(workflow)
    assert order(instance) == ["outer", "inner", "no", "inner", "innerDone", "outer", "outerDone"]
    assert instance.journal[3].data.get("Unwinding") is True


# --- loops and Break -------------------------------------------------------------------------------


def test_break_ends_a_while_after_the_rest_of_its_body() -> None:
    """core/Elsa.Core/Activities/ControlFlow/Break/Break.cs marks the newest loop scope; While.cs then
    returns ``Done`` when it runs again. Break itself emits ``Done``: what follows it in the body runs."""
    workflow = (
        WorkflowBuilder("Break")
        .add("init", "SetVariable", VariableName="i", Value=("JavaScript", "0"))
        .add("loop", "While", Condition=("JavaScript", "true"))
        .add("inc", "SetVariable", VariableName="i", Value=("JavaScript", 'getVariable("i") + 1'))
        .add("check", "If", Condition=("JavaScript", 'getVariable("i") >= 3'))
        .add("break", "Break")
        .add("after", "SetVariable", VariableName="afterBreak", Value="ran")
        .add("end", "SetVariable", VariableName="end", Value=("JavaScript", 'getVariable("i")'))
        .chain("init", "loop")
        .connect("loop", "inc", "Iterate")
        .connect("inc", "check")
        .connect("check", "break", "True")
        .connect("break", "after")
        .connect("loop", "end", "Done")
        .build()
    )
    instance = run(workflow)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.variables == {"i": 3, "afterBreak": "ran", "end": 3}
    assert instance.journal[-2].data["Break Condition"] is True


def test_break_ends_a_for_each_and_resets_its_index() -> None:
    """ForEach.cs: on ``Break`` it sets ``CurrentIndex`` to null and returns ``Done``; run again, it
    starts from the first item."""
    workflow = (
        WorkflowBuilder("BreakEach")
        .add("each", "ForEach", Items=("Json", "[1, 2, 3, 4]"))
        .add(
            "collect",
            "RunJavaScript",
            Script='setVariable("seen", (getVariable("seen") || []).concat([input]))',
        )
        .add("check", "If", Condition=("JavaScript", 'getVariable("seen").length == 2'))
        .add("break", "Break")
        .connect("each", "collect", "Iterate")
        .connect("collect", "check")
        .connect("check", "break", "True")
        .build()
    )
    instance = run(workflow)
    assert instance.variables["seen"] == [1, 2]
    assert instance.activity_state["each"]["CurrentIndex"] is None


def test_for_each_reads_its_items_at_every_iteration() -> None:
    """core/Elsa.Core/Services/Workflows/ActivityActivator.cs sets every input at each activation, so a
    ForEach over a variable sees items added by its own body."""
    workflow = (
        WorkflowBuilder("Growing")
        .add("each", "ForEach", Items=("JavaScript", 'getVariable("list")'))
        .add(
            "grow",
            "RunJavaScript",
            Script=(
                'var l = getVariable("list"); if (l.length < 3) { l.push(l.length + 1); } '
                'setVariable("list", l);'
            ),
        )
        .connect("each", "grow", "Iterate")
        .variables(list=[1])
        .build()
    )
    instance = run(workflow)
    assert instance.variables["list"] == [1, 2, 3]
    assert instance.visits["grow"] == 3


def test_for_each_item_variables_live_in_its_scope_only() -> None:
    """ForEach.cs sets ``CurrentIndex``/``CurrentValue`` on the scope it creates; expressions read merged
    variables (core/Elsa.Abstractions/Services/Models/WorkflowExecutionContext.cs ``GetMergedVariables``),
    so they are gone once the loop is done."""
    workflow = (
        WorkflowBuilder("Scoped")
        .add("each", "ForEach", Items=("Json", '["a", "b"]'))
        .add(
            "collect",
            "RunJavaScript",
            Script=(
                'setVariable("seen", (getVariable("seen") || "") '
                '+ getVariable("CurrentIndex") + CurrentValue)'
            ),
        )
        .add(
            "after", "SetVariable", VariableName="after", Value=("JavaScript", 'getVariable("CurrentValue")')
        )
        .connect("each", "collect", "Iterate")
        .connect("each", "after", "Done")
        .build()
    )
    instance = run(workflow)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.variables == {"seen": "0a1b", "after": None}


def test_for_counts_with_its_operator_and_step() -> None:
    """core/Elsa.Core/Activities/ControlFlow/For/For.cs: Start, End, Step, Operator; Output is the value."""
    workflow = (
        WorkflowBuilder("For")
        .add(
            "for",
            "For",
            Start=("JavaScript", "1"),
            End=("JavaScript", "7"),
            Step=("JavaScript", "3"),
            Operator="LessThanOrEqual",
        )
        .add(
            "collect",
            "RunJavaScript",
            Script='setVariable("seen", (getVariable("seen") || []).concat([input]))',
        )
        .connect("for", "collect", "Iterate")
        .build()
    )
    assert run(workflow).variables["seen"] == [1, 4, 7]


# --- Join ------------------------------------------------------------------------------------------


def _fork_join(mode: str, eager: bool = False) -> WorkflowBuilder:
    builder = (
        WorkflowBuilder("ForkJoin")
        .add("fork", "Fork", Branches=("Json", '["Left", "Right"]'))
        .add("left", "SetVariable", VariableName="left", Value="L")
        .add("right", "SetVariable", VariableName="right", Value="R")
        .add("join", "Join", Mode=mode, EagerJoin=("JavaScript", "true" if eager else "false"))
        .add("after", "RunJavaScript", Script='setVariable("joined", (getVariable("joined") || 0) + 1)')
        .connect("fork", "left", "Left")
        .connect("fork", "right", "Right")
        .connect("left", "join")
        .connect("right", "join")
        .connect("join", "after")
    )
    return builder


def test_join_wait_any_without_eager_join_completes_once_per_arriving_branch() -> None:
    """core/Elsa.Core/Activities/ControlFlow/Join/Join.cs removes scheduled work only when ``EagerJoin``;
    the other branch goes on, arrives, and the Join is done again."""
    instance = run(_fork_join("WaitAny").build())
    assert order(instance) == ["fork", "left", "join", "after", "right", "join", "after"]
    assert instance.variables == {"left": "L", "right": "R", "joined": 2}


def test_join_wait_any_with_eager_join_drops_the_other_branch() -> None:
    """Join.cs ``RemoveScheduledActivitiesAsync``: with EagerJoin, work scheduled after the fork goes."""
    instance = run(_fork_join("WaitAny", eager=True).build())
    assert order(instance) == ["fork", "left", "join", "after"]
    assert "right" not in instance.variables


def test_join_wait_all_counts_inbound_connections() -> None:
    """Join.cs ``IsDone``: WaitAll needs a recorded transition for every inbound connection."""
    builder = _fork_join("WaitAll")
    workflow = (
        builder.add("middle", "SetVariable", VariableName="middle", Value="M")
        .connect("fork", "middle", "Right")
        .connect("middle", "join")
        .build()
    )
    instance = run(workflow)
    assert instance.variables["joined"] == 1
    assert order(instance)[-1] == "after"
    assert [r.outcomes for r in instance.journal if r.activity_id == "join"] == [(), (), ("Done",)]


def test_join_records_every_connection_of_a_source_whatever_its_outcome() -> None:
    """Join.cs ``RecordInboundTransitionsAsync`` records all outbound connections of the executed
    activity that lead to the Join, not only those of the outcome it took: an If wired to a WaitAll
    Join by both True and False completes it alone."""
    workflow = (
        WorkflowBuilder("IfJoin")
        .add("if", "If", Condition=("JavaScript", "true"))
        .add("join", "Join", Mode="WaitAll")
        .add("after", "SetVariable", VariableName="after", Value="ran")
        .connect("if", "join", "True")
        .connect("if", "join", "False")
        .connect("join", "after")
        .build()
    )
    instance = run(workflow)
    assert instance.variables == {"after": "ran"}


# --- Switch, Fault, outputs ------------------------------------------------------------------------


def test_a_switch_case_whose_expression_throws_counts_as_false() -> None:
    """core/Elsa.Core/Activities/ControlFlow/Switch/SwitchHandler.cs evaluates each case with
    ``TryEvaluateAsync`` (core/Elsa.Core/Expressions/ExpressionEvaluator.cs): a failure is a false case."""
    cases = (
        '[{"name": "Broken", "syntax": "JavaScript", "expressions": {"JavaScript": "nothing.here"}},'
        ' {"name": "Fine", "syntax": "JavaScript", "expressions": {"JavaScript": "true"}}]'
    )
    builder = WorkflowBuilder("Switch").add("switch", "Switch", Cases=("Switch", cases))
    workflow = _add_marks(builder, "broken", "fine").connect("switch", "broken", "Broken")
    workflow = workflow.connect("switch", "fine", "Fine").build()
    instance = run(workflow)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.variables["trail"] == ["fine"]


def test_switch_cases_that_are_not_json_match_nothing() -> None:
    """SwitchHandler.cs ``TryDeserializeExpression``: unreadable cases are an empty list → ``Default``."""
    builder = WorkflowBuilder("Switch").add("switch", "Switch", Cases=("Switch", "[{oops"))
    workflow = _add_marks(builder, "default").connect("switch", "default", "Default").build()
    assert run(workflow).variables["trail"] == ["default"]


def test_fault_reports_its_message_as_written_default_custom_fault(tmp_path: Path, capsys) -> None:
    """core/Elsa.Core/Activities/Primitives/Fault.cs: ``Message ?? "Custom fault"`` is the fault's message."""
    plain = WorkflowBuilder("Faulty").add("boom", "Fault", display_name="Boom").build()
    instance = run(plain)
    assert instance.status is InstanceStatus.FAULTED
    assert instance.fault.message == "Custom fault"
    assert instance.fault.activity_label == "Boom"
    path = tmp_path / "faulty.json"
    save_workflow(
        WorkflowBuilder("Faulty").add("boom", "Fault", display_name="Boom", Message="it broke").build(), path
    )
    assert main(["run", str(path), "--store", str(tmp_path / "s.db")]) == 1
    err = capsys.readouterr().err
    assert 'flowdesk: faulted: workflow "Faulty", activity "Boom": it broke' in err


def test_without_finish_the_workflow_output_is_the_last_activity_output() -> None:
    """core/Elsa.Core/Handlers/PersistActivityPropertyState.cs: saving a property named ``Output`` makes
    it the workflow instance's output; activities without one (SetVariable) leave it."""
    workflow = (
        WorkflowBuilder("NoFinish")
        .add("js", "RunJavaScript", Script="return {total: 3}")
        .add("set", "SetVariable", VariableName="x", Value="1")
        .chain("js", "set")
        .build()
    )
    assert run(workflow).output == {"total": 3}


def test_input_is_the_workflow_input_first_then_the_last_output() -> None:
    """WorkflowRunner.cs ``RunCoreAsync``: the first activity gets the workflow input, the others
    ``scheduledActivity.Input ?? output`` where output is the last saved ``Output`` (none yet: null)."""
    workflow = (
        WorkflowBuilder("Input")
        .add("first", "SetVariable", VariableName="seen", Value=("JavaScript", "input.value"))
        .add("second", "SetVariable", VariableName="second", Value=("JavaScript", "input"))
        .add("js", "RunJavaScript", Script="return 42")
        .add("third", "SetVariable", VariableName="third", Value=("JavaScript", "input"))
        .chain("first", "second", "js", "third")
        .build()
    )
    instance = run(workflow, {"value": 21})
    assert instance.variables == {"seen": 21, "second": None, "third": 42}


def test_correlate_has_an_output_that_becomes_the_next_input() -> None:
    """core/Elsa.Core/Activities/Workflows/Correlate/Correlate.cs: ``Output = Value``."""
    workflow = (
        WorkflowBuilder("Correlate")
        .add("corr", "Correlate", Value=("JavaScript", '"order-" + input'))
        .add("set", "SetVariable", VariableName="next", Value=("JavaScript", "input"))
        .chain("corr", "set")
        .build()
    )
    instance = run(workflow, 7)
    assert instance.variables == {"next": "order-7"}
    assert instance.outputs_by_id["corr"]["Output"] == "order-7"


def test_a_new_instance_has_a_fresh_guid_correlation_id() -> None:
    """core/Elsa.Core/Services/Workflows/WorkflowFactory.cs: ``correlationId ?? Guid.NewGuid()``."""
    workflow = (
        WorkflowBuilder("Corr")
        .add("x", "SetVariable", VariableName="c", Value=("JavaScript", "correlationId"))
        .build()
    )
    first, second = run(workflow), run(workflow)
    assert re.fullmatch(r"[0-9a-f]{32}", first.correlation_id)
    assert first.variables["c"] == first.correlation_id != second.correlation_id


@pytest.mark.parametrize(
    ("type_name", "prop", "expected"),
    [("SetVariable", "Value", ""), ("WriteLine", "Text", "")],
)
def test_a_blank_literal_into_a_text_property_stays_blank(type_name: str, prop: str, expected: str) -> None:
    """core/Elsa.Core/Extensions/StringExtensions.cs ``Parse``: string and object targets get the text as it
    is, blank included; only other types read blank as null (and so keep their default)."""
    workflow = WorkflowBuilder("Blank").add("a", type_name, VariableName="v", **{prop: ""}).build()
    instance = run(workflow)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.journal[0].inputs[prop] == expected


def test_every_declared_input_is_evaluated_even_when_unused() -> None:
    """core/Elsa.Abstractions/Services/Workflows/ActivityPropertyProviders.cs sets every input before the
    activity runs: a failing expression in a property the activity does not read still faults it."""
    workflow = (
        WorkflowBuilder("Eager")
        .add("call", "RunWorkflow", WorkflowDefinitionId="missing", ContextId=("JavaScript", "nothing.here"))
        .build()
    )
    instance = run(workflow)
    assert instance.status is InstanceStatus.FAULTED
    assert instance.fault.property_name == "ContextId"
