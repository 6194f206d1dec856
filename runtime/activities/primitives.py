"""Primitives: SetVariable, RunJavaScript, Correlate, WriteLine, Timer."""

from __future__ import annotations

import asyncio

from runtime.activities.registry import ActivityResult, activity_handler
from runtime.engine.context import ActivityExecutionContext

_DONE = ActivityResult()


@activity_handler("SetVariable")
def run_set_variable(ctx: ActivityExecutionContext) -> ActivityResult:
    name = ctx.get("VariableName")
    if not name:
        raise ctx.fail("VariableName is empty", "VariableName")
    ctx.set_variable(str(name), ctx.get("Value"))
    return _DONE


@activity_handler("RunJavaScript")
def run_javascript(ctx: ActivityExecutionContext) -> ActivityResult:
    plan = ctx.node.properties.get("script")
    if plan is None or not plan.text:
        return ActivityResult(output=ctx.previous_output())
    code = plan.text if plan.syntax.lower() in ("literal", "javascript") else ctx.get("Script")
    outcomes: list[str] = []
    result = ctx.evaluate_text("JavaScript", str(code or ""), "any", what="Script", outcomes=outcomes)
    return ActivityResult(tuple(outcomes) or ("Done",), output=result)


@activity_handler("Correlate")
def run_correlate(ctx: ActivityExecutionContext) -> ActivityResult:
    """Set the correlation id; the value is also the activity's ``Output`` (``Correlate.cs``)."""
    value = ctx.get("Value")
    text = None if value is None else str(value)
    ctx.journal_data["Correlation ID"] = text
    ctx.correlate("" if text is None else text)
    return ActivityResult(output=text)


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
