"""Control flow: If, Switch, ForEach, While, Fork, Join, Finish, Fault (Elsa 2 semantics).

If, Switch, ForEach and While open a *scope*: when the work started by their outcome runs out, the engine
runs them again, and they then emit ``Done`` (If, Switch) or iterate once more (ForEach, While).
"""

from __future__ import annotations

import json
from typing import Any

from runtime.activities.registry import ActivityResult, activity_handler
from runtime.engine.context import ActivityExecutionContext

_DONE = ("Done",)


def _first_or_unwind(ctx: ActivityExecutionContext) -> bool:
    """Elsa's scope dance: True on the first pass (scope opened), False when unwinding (emit Done)."""
    if ctx.in_scope:
        return True
    state = ctx.state
    if not state.get("entered"):
        ctx.create_scope()
        state["entered"] = True
        return True
    state["entered"] = False
    ctx.journal_data["Unwinding"] = True
    return False


@activity_handler("If")
def run_if(ctx: ActivityExecutionContext) -> ActivityResult:
    if not _first_or_unwind(ctx):
        return ActivityResult(_DONE)
    return ActivityResult(("True",) if _truthy(ctx.get("Condition")) else ("False",))


@activity_handler("Switch")
def run_switch(ctx: ActivityExecutionContext) -> ActivityResult:
    if not _first_or_unwind(ctx):
        return ActivityResult(_DONE)
    matches = [case_name for case_name, matched in _switch_cases(ctx) if matched]
    mode = str(ctx.get("Mode") or "MatchFirst")
    if not matches:
        return ActivityResult(("Default",))
    return ActivityResult((matches[0],) if mode.lower() == "matchfirst" else tuple(matches))


def _switch_cases(ctx: ActivityExecutionContext) -> list[tuple[str, bool]]:
    plan = ctx.node.properties.get("cases")
    text = None
    if plan is not None:
        prop = ctx.node.activity.get_property("Cases")
        text = plan.text or (prop.expressions.get("Switch") if prop is not None else None)
    if not text:
        return []
    try:
        cases = json.loads(text)
    except json.JSONDecodeError as error:
        raise ctx.fail(f"not valid JSON ({error.msg}, column {error.colno})", "Cases") from None
    if isinstance(cases, dict):
        cases = cases.get("$values", [])
    results: list[tuple[str, bool]] = []
    for index, case in enumerate(cases):
        name = str(case.get("name") or f"Case {index + 1}")
        expressions = case.get("expressions") or {}
        syntax = case.get("syntax") or next((k for k in expressions if k != "$id"), "JavaScript")
        text = expressions.get(syntax)
        matched = bool(text) and _truthy(ctx.evaluate_text(syntax, text, "bool", what=f"Cases[{name}]"))
        results.append((name, matched))
    return results


@activity_handler("ForEach")
def run_for_each(ctx: ActivityExecutionContext) -> ActivityResult:
    state = ctx.state
    items = state.get("items")
    if items is None:
        items = _as_list(ctx.get("Items"), ctx, "Items")
        state["items"] = items
        state["index"] = 0
    index = state["index"]
    if index < len(items):
        item = items[index]
        state["index"] = index + 1
        if not ctx.in_scope:
            ctx.create_scope()
        ctx.set_variable("CurrentIndex", index)
        ctx.set_variable("CurrentValue", item)
        ctx.journal_data["Current Index"] = index
        return ActivityResult(("Iterate",), output=item)
    state.pop("items", None)
    state.pop("index", None)
    _close_own_scope(ctx)
    return ActivityResult(_DONE)


@activity_handler("While")
def run_while(ctx: ActivityExecutionContext) -> ActivityResult:
    if _truthy(ctx.get("Condition")):
        if not ctx.in_scope:
            ctx.create_scope()
        return ActivityResult(("Iterate",))
    _close_own_scope(ctx)
    return ActivityResult(_DONE)


@activity_handler("Fork")
def run_fork(ctx: ActivityExecutionContext) -> ActivityResult:
    branches = [str(b) for b in _as_list(ctx.get("Branches"), ctx, "Branches")]
    return ActivityResult(tuple(branches))


@activity_handler("Join")
def run_join(ctx: ActivityExecutionContext) -> ActivityResult:
    inbound: list[str] = ctx.state.setdefault("inbound", [])
    required = ctx.node.is_join_target_of
    mode = str(ctx.get("Mode") or "WaitAll").lower()
    done = any(s in inbound for s in required) if mode == "waitany" else all(s in inbound for s in required)
    ctx.journal_data["Inbound"] = list(inbound)
    if not done:
        return ActivityResult(())
    inbound.clear()
    ctx.run.unschedule(ctx.blueprint.inbound_path(ctx.activity_id) - {ctx.activity_id})
    return ActivityResult(_DONE)


@activity_handler("Finish")
def run_finish(ctx: ActivityExecutionContext) -> ActivityResult:
    output = ctx.get("ActivityOutput")
    outcomes = tuple(str(o) for o in _as_list(ctx.get("OutcomeNames"), ctx, "OutcomeNames"))
    instance = ctx.instance
    instance.output = output
    instance.finish_outcomes = outcomes
    return ActivityResult((), output=output, finish=True)


@activity_handler("Fault")
def run_fault(ctx: ActivityExecutionContext) -> ActivityResult:
    message = ctx.get("Message") or "the workflow faulted"
    raise ctx.fail(str(message))


def _close_own_scope(ctx: ActivityExecutionContext) -> None:
    scopes = ctx.instance.scopes
    if ctx.activity_id in scopes:
        scopes.remove(ctx.activity_id)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false", "0", "no", "null", "undefined")
    return bool(value)


def _as_list(value: Any, ctx: ActivityExecutionContext, name: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, dict):
        return list(value.get("$values", [value]))
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError:
                parsed = None
            if isinstance(parsed, list):
                return parsed
        return [part.strip() for part in text.split(",") if part.strip()]
    raise ctx.fail(f"expected a list, got {type(value).__name__}", name)
