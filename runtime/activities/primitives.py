"""Primitives: SetVariable and Fault, with RunJavaScript (Scripting), Timer (Timers) and WriteLine (Console).

The handlers of the small families Elsa keeps in one folder each (``Activities/Primitives``,
``Elsa.Scripting.JavaScript``, ``Elsa.Activities.Temporal``, ``Elsa.Activities.Console``); descriptors:
:mod:`runtime.catalog.primitives`.
"""

from __future__ import annotations

import asyncio

from runtime.engine.context import ActivityExecutionContext, ActivityFault
from runtime.engine.handlers import ActivityResult, activity_handler

_DONE = ActivityResult()


@activity_handler("SetVariable")
def run_set_variable(ctx: ActivityExecutionContext) -> ActivityResult:
    name = ctx.get("VariableName")
    if not name:
        raise ctx.fail("VariableName is empty", "VariableName")
    ctx.set_variable(str(name), ctx.get("Value"))
    return _DONE


@activity_handler("Fault")
def run_fault(ctx: ActivityExecutionContext) -> ActivityResult:
    """Fault the workflow with the Message as it is, "Custom fault" when there is none (``Fault.cs``)."""
    message = ctx.get("Message")
    text = "Custom fault" if message is None else str(message)
    ctx.journal_data["Error"] = text
    raise ActivityFault(text, where=ctx.where())


@activity_handler("RunJavaScript")
def run_javascript(ctx: ActivityExecutionContext) -> ActivityResult:
    plan = ctx.node.properties.get("script")
    if plan is None or not plan.text:
        return ActivityResult(output=ctx.previous_output())
    code = plan.text if plan.syntax.lower() in ("literal", "javascript") else ctx.get("Script")
    outcomes: list[str] = []
    result = ctx.evaluate_text("JavaScript", str(code or ""), "any", what="Script", outcomes=outcomes)
    return ActivityResult(tuple(outcomes) or ("Done",), output=result)


@activity_handler("WriteLine")
def run_write_line(ctx: ActivityExecutionContext) -> ActivityResult:
    text = ctx.get("Text")
    ctx.log("" if text is None else str(text), kind="console")
    return _DONE


@activity_handler("Timer", is_async=True)
async def run_timer(ctx: ActivityExecutionContext) -> ActivityResult:
    seconds = ctx.get("Timeout")
    if seconds is None:
        return _DONE
    try:
        delay = float(seconds)
    except (TypeError, ValueError):
        raise ctx.fail(f"not a duration: {seconds!r}", "Timeout") from None
    if delay < 0:
        raise ctx.fail(f"negative duration {delay}", "Timeout")
    ctx.journal_data["Delay (s)"] = delay
    await asyncio.sleep(delay)
    return _DONE
