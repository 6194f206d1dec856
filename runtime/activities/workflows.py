"""RunWorkflow: run another workflow of the library, blocking or fire-and-forget."""

from __future__ import annotations

import asyncio

from runtime.activities.registry import ActivityResult, activity_handler
from runtime.engine.context import ActivityExecutionContext
from runtime.engine.instance import InstanceStatus, WorkflowInstance

NOT_FOUND = "Not Found"


@activity_handler("RunWorkflow", is_async=True)
async def run_workflow(ctx: ActivityExecutionContext) -> ActivityResult:
    wanted = ctx.get("WorkflowDefinitionId")
    workflow = ctx.services.library.find(str(wanted)) if wanted else None
    if workflow is None and wanted:
        current = ctx.blueprint.workflow
        if str(wanted) in (current.definition_id, current.name):
            workflow = current
    if workflow is None:
        ctx.log(f"no workflow {wanted!r} in the library", level="warning")
        return ActivityResult((NOT_FOUND,))
    limit = ctx.services.settings.max_depth
    if ctx.instance.depth + 1 > limit:
        raise ctx.fail(
            f'sub-workflows nested deeper than {limit} levels (recursion through "{workflow.name}"?)'
        )
    child_input = ctx.get("Input")
    mode = str(ctx.get("Mode") or "Blocking").replace(" ", "").lower()
    if mode != "blocking":
        child = WorkflowInstance(
            workflow_name=workflow.name or workflow.label, definition_id=workflow.definition_id
        )
        child.parent_id = ctx.instance.id
        child.depth = ctx.instance.depth + 1
        ctx.run.runner.spawn(workflow, child_input, instance=child)
        return ActivityResult(output={"WorkflowInstanceId": child.id})
    child = await ctx.run.run_child(workflow, child_input)
    if child.status is InstanceStatus.CANCELLED:
        raise asyncio.CancelledError
    if child.status is InstanceStatus.FAULTED:
        raise ctx.fail(f'sub-workflow "{workflow.name}" faulted: {child.fault}')
    outcomes = ("Done", *(o for o in child.finish_outcomes if o.lower() != "done"))
    ctx.journal_data["Child Instance"] = child.id
    return ActivityResult(outcomes, output={"WorkflowInstanceId": child.id, "WorkflowOutput": child.output})
