"""Workflows: RunWorkflow, Correlate and Finish (Elsa 2's "Workflows" category).

Descriptors: :mod:`runtime.catalog.workflows`. RunWorkflow runs another workflow of the library, as
Elsa 2's ``RunWorkflow.cs`` does. Blocking runs the child to its end and emits ``Done`` then the child's
Finish outcomes (so, LIFO, the outcome branch runs before ``Done``); its ``Output`` is
``{WorkflowOutput, WorkflowInstanceId}``.
FireAndForget runs the child at once and goes on whatever became of it, with no ``Output``.
DispatchAndForget (the default, as the enum's first value) queues the child and goes on at once.
A definition that is not found, or is the running workflow itself, takes ``Not Found``. Finish
(``ControlFlow/Finish/Finish.cs``) ends the workflow with its output and the outcomes a parent sees.
"""

from __future__ import annotations

import asyncio

from runtime.activities.control import as_list
from runtime.catalog.workflows import NOT_FOUND
from runtime.engine.context import ActivityExecutionContext
from runtime.engine.handlers import ActivityResult, activity_handler
from runtime.engine.instance import InstanceStatus, WorkflowInstance

_MODES = {"dispatchandforget": "DispatchAndForget", "fireandforget": "FireAndForget", "blocking": "Blocking"}


@activity_handler("RunWorkflow", is_async=True)
async def run_workflow(ctx: ActivityExecutionContext) -> ActivityResult:
    wanted = ctx.get("WorkflowDefinitionId")
    wanted_text = "" if wanted is None else str(wanted).strip()
    workflow = ctx.services.library.find(wanted_text) if wanted_text else None
    if workflow is None:
        ctx.log(f"no workflow {wanted_text!r} in the library", level="warning")
        return ActivityResult((NOT_FOUND,))
    if workflow.definition_id and workflow.definition_id == ctx.instance.definition_id:
        ctx.log(f"{wanted_text!r} is the running workflow itself: Elsa 2 does not run it", level="warning")
        return ActivityResult((NOT_FOUND,))
    if workflow.definition_id != wanted_text:
        ctx.log(
            f'found {wanted_text!r} by name ("{workflow.definition_id}"): an Elsa 2 server looks it up by '
            "definition id only and would take Not Found",
            level="warning",
        )
    limit = ctx.services.settings.max_depth
    if ctx.instance.depth + 1 > limit:
        raise ctx.fail(
            f'sub-workflows nested deeper than {limit} levels (recursion through "{workflow.name}"?)'
        )
    mode_text = str(ctx.get("Mode") or "DispatchAndForget")
    mode = _MODES.get(mode_text.replace(" ", "").lower())
    if mode is None:
        raise ctx.fail(f"unknown mode {mode_text!r} (expected one of {', '.join(_MODES.values())})", "Mode")
    child_input = ctx.get("Input")
    correlation_id = ctx.get("CorrelationId")
    correlation = None if correlation_id in (None, "") else str(correlation_id)
    ctx.journal_data["Workflow Blueprint ID"] = workflow.definition_id
    if mode == "DispatchAndForget":
        child = WorkflowInstance(
            workflow_name=workflow.name or workflow.label, definition_id=workflow.definition_id
        )
        child.parent_id = ctx.instance.id
        child.depth = ctx.instance.depth + 1
        ctx.run.runner.spawn(workflow, child_input, instance=child, correlation_id=correlation)
        return ActivityResult(output=ctx.previous_output())
    child = await ctx.run.run_child(workflow, child_input, correlation)
    if child.status is InstanceStatus.CANCELLED:
        raise asyncio.CancelledError
    ctx.journal_data["Workflow Instance ID"] = child.id
    ctx.journal_data["Workflow Instance Status"] = str(child.status)
    if mode == "FireAndForget":
        return ActivityResult(output=ctx.previous_output())
    if child.status is InstanceStatus.FAULTED:
        raise ctx.fail(f'Workflow {child.id} faulted (sub-workflow "{workflow.name}": {child.fault})')
    output = {"WorkflowOutput": child.output, "WorkflowInstanceId": child.id}
    if child.finished_by is None:
        return ActivityResult(output=output)
    outcomes = tuple(dict.fromkeys(o for o in child.finish_outcomes if o != "Done"))
    return ActivityResult(("Done", *outcomes), output=output, outcome_groups=(("Done",), outcomes))


@activity_handler("Correlate")
def run_correlate(ctx: ActivityExecutionContext) -> ActivityResult:
    """Set the correlation id; the value is also the activity's ``Output`` (``Correlate.cs``)."""
    value = ctx.get("Value")
    text = None if value is None else str(value)
    ctx.journal_data["Correlation ID"] = text
    ctx.correlate("" if text is None else text)
    return ActivityResult(output=text)


@activity_handler("Finish")
def run_finish(ctx: ActivityExecutionContext) -> ActivityResult:
    output = ctx.get("ActivityOutput")
    outcomes = tuple(str(o) for o in as_list(ctx.get("OutcomeNames"), ctx, "OutcomeNames"))
    instance = ctx.instance
    instance.output = output
    instance.finish_outcomes = outcomes
    return ActivityResult((), output=output, finish=True)
