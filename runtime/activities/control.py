"""Control flow: If, Switch, ForEach, For, While, Break, Fork, Join (Elsa 2 semantics).

The handlers of the "Control Flow" family (descriptors: :mod:`runtime.catalog.control`). Each follows its
Elsa 2.15 class in ``src/core/Elsa.Core/Activities/ControlFlow``. If, Switch, ForEach, For and While open a
*scope*: when the work started by their outcome runs out, the engine runs them again, and they then emit
``Done`` (If, Switch) or iterate once more (the loops). Their state (``EnteredScope``, ``CurrentIndex``,
``Break``...) lives in the instance's activity state under Elsa's own names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from runtime.engine.context import ActivityExecutionContext, ActivityFault
from runtime.engine.handlers import ActivityResult, activity_handler
from runtime.engine.instance import ActivityScope
from runtime.jsonlimits import loads_bounded

_DONE = ActivityResult()
_NOOP = ActivityResult(())
_LOOP_TYPES = frozenset({"For", "ForEach", "While"})
"""The scopes Break can end (``Break.cs``)."""


def _enter_or_unwind(ctx: ActivityExecutionContext) -> bool:
    """If's and Switch's scope dance: True to evaluate (scope opened or already open), False to unwind."""
    if ctx.in_scope:
        return True
    state = ctx.state
    if not state.get("EnteredScope"):
        ctx.create_scope()
        state["EnteredScope"] = True
        return True
    state["EnteredScope"] = False
    ctx.journal_data["Unwinding"] = True
    return False


@activity_handler("If")
def run_if(ctx: ActivityExecutionContext) -> ActivityResult:
    unwinding = ctx.state.pop("Unwinding", False)
    if not _enter_or_unwind(ctx):
        return _DONE
    condition = False if unwinding else bool(ctx.get("Condition"))
    return ActivityResult(("True",) if condition else ("False",))


@activity_handler("Switch")
def run_switch(ctx: ActivityExecutionContext) -> ActivityResult:
    unwinding = ctx.state.pop("Unwinding", False)
    if not _enter_or_unwind(ctx):
        return _DONE
    cases = [] if unwinding else _evaluate_cases(ctx)
    mode = "MatchFirst" if unwinding else str(ctx.get("Mode") or "MatchFirst")
    matches = [name for name, matched in cases if matched]
    ctx.journal_data["Matches"] = matches
    if not matches:
        return ActivityResult(("Default",))
    return ActivityResult((matches[0],) if mode.lower() == "matchfirst" else tuple(matches))


def _evaluate_cases(ctx: ActivityExecutionContext) -> list[tuple[str, bool]]:
    """Every case evaluated in order; one whose expression fails counts as false (``SwitchHandler.cs``
    with ``ExpressionEvaluator.TryEvaluateAsync``), and Cases that are not a JSON list mean no case."""
    plan = ctx.node.properties.get("cases")
    text = None
    if plan is not None:
        prop = ctx.node.activity.get_property("Cases")
        text = plan.text or (prop.expressions.get("Switch") if prop is not None else None)
    if not text:
        return []
    try:
        models = loads_bounded(text)
    except json.JSONDecodeError:
        ctx.log("Cases is not valid JSON: no case can match", level="warning")
        return []
    if isinstance(models, dict):
        models = models.get("$values", [])
    if not isinstance(models, list):
        return []
    results: list[tuple[str, bool]] = []
    for model in models:
        if not isinstance(model, dict):
            continue
        syntax = model.get("syntax")
        expressions = model.get("expressions")
        if not isinstance(expressions, dict) or not isinstance(syntax, str) or not syntax.strip():
            continue
        if syntax not in expressions:
            continue
        name = str(model.get("name") or "")
        try:
            matched = (
                ctx.evaluate_text(syntax, str(expressions[syntax]), "bool", what=f"Cases[{name}]") is True
            )
        except ActivityFault as fault:
            ctx.log(f"{fault} (the case counts as false)", level="warning")
            matched = False
        results.append((name, matched))
    return results


@activity_handler("ForEach")
def run_for_each(ctx: ActivityExecutionContext) -> ActivityResult:
    state = ctx.state
    if state.pop("Break", False):
        state["CurrentIndex"] = None
        ctx.journal_data["Break Condition"] = True
        return ActivityResult(output=ctx.previous_output())
    items = as_list(ctx.get_shared("Items"), ctx, "Items")
    index = state.get("CurrentIndex") or 0
    if index < len(items):
        item = items[index]
        scope = ctx.create_scope()
        scope.variables["CurrentIndex"] = index
        scope.variables["CurrentValue"] = item
        state["CurrentIndex"] = index + 1
        ctx.journal_data["Current Index"] = index
        return ActivityResult(("Iterate",), output=item, scheduled_input=item)
    state["CurrentIndex"] = None
    return ActivityResult(output=ctx.previous_output())


_FOR_OPERATORS = {
    "lessthan": lambda a, b: a < b,
    "lessthanorequal": lambda a, b: a <= b,
    "greaterthan": lambda a, b: a > b,
    "greaterthanorequal": lambda a, b: a >= b,
}


@activity_handler("For")
def run_for(ctx: ActivityExecutionContext) -> ActivityResult:
    state = ctx.state
    if state.pop("Break", False):
        state["CurrentValue"] = None
        ctx.journal_data["Break Condition"] = True
        return ActivityResult(output=ctx.previous_output())
    current = state.get("CurrentValue")
    if current is None:
        current = int(ctx.get("Start") or 0)
    operator = str(ctx.get("Operator") or "LessThan")
    compare = _FOR_OPERATORS.get(operator.replace(" ", "").lower())
    if compare is None:
        raise ctx.fail(
            f"unknown operator {operator!r} (expected one of LessThan, LessThanOrEqual, "
            "GreaterThan, GreaterThanOrEqual)",
            "Operator",
        )
    if compare(current, int(ctx.get("End") or 0)):
        step = ctx.get("Step")
        state["CurrentValue"] = current + (1 if step is None else int(step))
        scope = ctx.create_scope()
        scope.variables["CurrentValue"] = current
        ctx.journal_data["Current Index"] = current
        return ActivityResult(("Iterate",), output=current)
    state["CurrentValue"] = None
    return ActivityResult(output=ctx.previous_output())


@activity_handler("While")
def run_while(ctx: ActivityExecutionContext) -> ActivityResult:
    if ctx.state.pop("Break", False):
        ctx.journal_data["Break Condition"] = True
        return _DONE
    if not ctx.get("Condition"):
        return _DONE
    ctx.create_scope()
    return ActivityResult(("Iterate",))


@activity_handler("Break")
def run_break(ctx: ActivityExecutionContext) -> ActivityResult:
    """Mark the newest open loop to end when it next runs; the rest of the body still runs (``Break.cs``)."""
    nodes = ctx.blueprint.nodes
    for scope in reversed(ctx.instance.scopes):
        node = nodes.get(scope.activity_id)
        if node is not None and node.activity.type in _LOOP_TYPES:
            ctx.instance.state_of(scope.activity_id)["Break"] = True
            break
    return _DONE


@activity_handler("Fork")
def run_fork(ctx: ActivityExecutionContext) -> ActivityResult:
    """The branches as outcomes in reverse, so the first branch runs first (``Fork.cs``)."""
    branches = list(dict.fromkeys(str(b) for b in as_list(ctx.get("Branches"), ctx, "Branches")))
    return ActivityResult(tuple(reversed(branches)))


@activity_handler("Join")
def run_join(ctx: ActivityExecutionContext) -> ActivityResult:
    """Done once its inbound connections have arrived (``Join.cs``): WaitAll needs every one, WaitAny one;
    a source still scheduled has not arrived. Only EagerJoin drops the other branches' scheduled work."""
    state = ctx.state
    recorded: list[str] = state.get("InboundTransitions") or []
    scheduled = ctx.run.scheduled_ids()
    arrived = [key in recorded and source not in scheduled for source, key in ctx.node.inbound_transitions]
    mode = str(ctx.get("Mode") or "WaitAll").replace(" ", "").lower()
    done = any(arrived) if mode == "waitany" else all(arrived)
    ctx.journal_data["Completed"] = done
    ctx.journal_data["Current Inbound Transitions"] = list(recorded)
    if not done:
        return _NOOP
    blueprint = ctx.blueprint
    path = blueprint.inbound_path(ctx.activity_id)
    fork = next((a for a in path if blueprint.nodes[a].activity.type == "Fork"), None)
    _evict_scopes_within(ctx, path, fork)
    if ctx.get("EagerJoin"):
        ctx.run.unschedule({a for a in scheduled if fork is None or fork in blueprint.in_scope_of(a)})
    state["InboundTransitions"] = []
    return _DONE


def _evict_scopes_within(ctx: ActivityExecutionContext, path: tuple[str, ...], fork: str | None) -> None:
    """Close the oldest scope opened on the way to this Join, and every newer one.

    Elsa narrows the ancestors "until the fork" with its ``TakeUntil``, which keeps at most the first one
    (``EnumerableExtensions.cs``); that is followed here as written.
    """
    ancestors: Iterable[str] = path
    if fork is not None:
        ancestors = path[:1] if path and path[0] != fork else ()
    wanted = set(ancestors)
    scopes = ctx.instance.scopes
    for index, scope in enumerate(scopes):
        if scope.activity_id not in wanted:
            continue
        if fork is not None and fork not in ctx.blueprint.inbound_path(scope.activity_id):
            continue
        evicted = scopes[index:]
        del scopes[index:]
        for gone in evicted:
            _scope_evicted(ctx, gone)
        return


def _scope_evicted(ctx: ActivityExecutionContext, scope: ActivityScope) -> None:
    """If and Switch forget they entered their scope (their ``ScopeEvicted`` handlers)."""
    node = ctx.blueprint.nodes.get(scope.activity_id)
    if node is None or node.activity.type not in ("If", "Switch"):
        return
    state = ctx.instance.state_of(scope.activity_id)
    state["EnteredScope"] = False
    if node.activity.type == "Switch":
        state["Unwinding"] = False


def as_list(value: Any, ctx: ActivityExecutionContext, name: str) -> list[Any]:
    """The value as a list to read (a list is returned as it is, never copied: loops read it per step)."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return list(value.get("$values", [value]))
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = loads_bounded(text)
            except json.JSONDecodeError:
                parsed = None
            if isinstance(parsed, list):
                return parsed
        return [part.strip() for part in text.split(",") if part.strip()]
    raise ctx.fail(f"expected a list, got {type(value).__name__}", name)
