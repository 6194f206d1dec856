"""What an activity sees while it runs: its evaluated properties, the instance, the services."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from runtime.engine.blueprint import NOT_CONSTANT
from runtime.engine.events import EventKind
from runtime.engine.handlers import NO_OUTPUT
from runtime.engine.instance import ActivityScope, WorkflowInstance, copy_json
from runtime.errors import FlowdeskError
from runtime.expressions import ExpressionError, ScriptScope, evaluate
from runtime.expressions.scope import LazyMapping

if TYPE_CHECKING:
    from runtime.engine.blueprint import ActivityNode, Blueprint, PropertyPlan
    from runtime.engine.runner import InstanceRun
    from runtime.engine.services import RuntimeServices


class ActivityFault(FlowdeskError):
    """An activity failed: the instance faults with this message (activity and property already named)."""

    def __init__(self, message: str, property_name: str | None = None, *, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message
        self.property_name = property_name
        self.where = where


_SCRIPTED = frozenset({"JavaScript", "Liquid"})
"""Syntaxes (as the blueprint spells them) that see ``input`` and the correlation id."""
_GET_VARIABLE = re.compile(r"""getVariable\(\s*(["'])([^"']+)\1\s*\)""")
_LIQUID_VARIABLE = re.compile(r"Variables\.([A-Za-z_$][\w$]*)")


class ActivityExecutionContext:
    """Built once per activity execution; properties are evaluated lazily, once each."""

    __slots__ = ("_run", "node", "input", "values", "journal_data", "_outcomes", "instance", "activity_id")

    def __init__(self, run: InstanceRun, node: ActivityNode, input: Any) -> None:
        self._run = run
        self.node = node
        self.input = input
        self.instance: WorkflowInstance = run.instance
        """The instance this activity runs in (read several times a step: an attribute, not a property)."""
        self.activity_id: str = node.activity.activity_id
        self.values: dict[str, Any] = {}
        """The property values evaluated so far, by lower-case property name (the journal keeps them)."""
        self.journal_data: dict[str, Any] = {}

    # --- identity ----------------------------------------------------------------------------------

    @property
    def blueprint(self) -> Blueprint:
        return self._run.blueprint

    @property
    def services(self) -> RuntimeServices:
        return self._run.services

    @property
    def label(self) -> str:
        return self.node.label

    @property
    def run(self) -> InstanceRun:
        return self._run

    # --- properties --------------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        """Whether the property has an expression (text under its effective syntax)."""
        plan = self.node.properties.get(name.lower())
        return plan is not None and plan.text is not None and plan.text != ""

    def get(self, name: str, default: Any = None) -> Any:
        """The evaluated value of property ``name`` (``default`` when it has no expression)."""
        key = name.lower()
        if key in self.values:
            return self.values[key]
        plan = self.node.properties.get(key)
        fallback = default if default is not None or plan is None else plan.default
        if plan is None or plan.text is None:
            value = fallback
        else:
            value = plan.constant if plan.constant is not NOT_CONSTANT else self._evaluate(plan)
            if value is None:
                value = fallback
            elif isinstance(value, dict | list) and plan.constant is not NOT_CONSTANT:
                value = copy_json(value)
        self.values[key] = value
        return value

    def get_shared(self, name: str) -> Any:
        """Like :meth:`get`, but a constant list or object is the blueprint's own: read it, never change it.

        ForEach reads its items at every iteration, as Elsa does; copying a constant list each time would
        make a loop quadratic.
        """
        plan = self.node.properties.get(name.lower())
        if plan is not None and plan.constant is not NOT_CONSTANT and plan.constant is not None:
            return plan.constant
        return self.get(name)

    def evaluate_inputs(self) -> None:
        """Evaluate every declared property that depends on the run, in declaration order.

        Elsa 2 sets all inputs before an activity runs (``ActivityPropertyProviders.cs``), so a failing or
        side-effecting expression acts even where the activity does not read the value.
        """
        values = self.values
        for plan in self.node.eager_properties:
            key = plan.name.lower()
            if key not in values:
                self.get(plan.name)

    def evaluate_text(
        self,
        syntax: str,
        text: str,
        value_type: str = "any",
        what: str = "expression",
        outcomes: list[str] | None = None,
    ) -> Any:
        """Evaluate an expression that is not a property (a Switch case, a script), with the same errors."""
        try:
            return evaluate(syntax, text, self.script_scope(outcomes), value_type)
        except ExpressionError as error:
            raise ActivityFault(self._expression_message(what, syntax, text, error), what) from None

    def _evaluate(self, plan: PropertyPlan) -> Any:
        if plan.syntax in _SCRIPTED:
            scope = self.script_scope()
        else:
            scope = self._run.script_scope
            scope.variables = self.instance.visible_variables()
        try:
            return evaluate(plan.syntax, plan.text, scope, plan.value_type)
        except ExpressionError as error:
            raise ActivityFault(
                self._expression_message(plan.name, plan.syntax, plan.text, error), plan.name
            ) from None

    def _expression_message(self, name: str, syntax: str, text: str | None, error: ExpressionError) -> str:
        missing = self._unset_variables(syntax, text or "")
        hint = ""
        if missing:
            quoted = ", ".join(f'"{m}"' for m in missing)
            hint = (
                f" (variable {quoted} is not set)"
                if len(missing) == 1
                else f" (variables {quoted} are not set)"
            )
        return f"{self.where(name)} ({syntax}): {error}{hint}"

    def _unset_variables(self, syntax: str, text: str) -> list[str]:
        variables = self.instance.variables
        if syntax.lower() == "javascript":
            names = [m.group(2) for m in _GET_VARIABLE.finditer(text)]
        elif syntax.lower() == "liquid":
            names = _LIQUID_VARIABLE.findall(text)
        else:
            return []
        return sorted({n for n in names if n not in variables})

    def script_scope(self, outcomes: list[str] | None = None) -> ScriptScope:
        """The run's scope, brought up to date for this activity (one per run: evaluation is sequential)."""
        scope = self._run.script_scope
        scope.input = self.input
        scope.variables = self.instance.visible_variables()
        scope.correlation_id = self.instance.correlation_id
        scope.outcomes = outcomes
        scope.activity_id = self.activity_id
        scope.journal = self.journal_data
        if scope.activity_names is None:  # once per run: what Liquid's Activities, Request and tags read
            instance, library = self.instance, self.services.library
            scope.activity_names = frozenset(
                n.activity.name for n in self.blueprint.nodes.values() if n.activity.name
            )
            scope.http_request = instance.input if instance.on_http_response is not None else None
            scope.workflow_ids_by_tag = LazyMapping(
                lambda: {w.tag: w.definition_id or w.name for w in reversed(library.workflows()) if w.tag}
            )
        return scope

    # --- state -------------------------------------------------------------------------------------

    def previous_output(self) -> Any:
        """This activity's ``Output`` from its previous execution: Elsa restores stored output properties
        before running an activity again (``ActivityActivator.ApplyStoredValuesAsync``)."""
        return self.instance.outputs_by_id.get(self.activity_id, {}).get("Output")

    @property
    def state(self) -> dict[str, Any]:
        """This activity's private state, kept across its executions in this instance."""
        return self.instance.state_of(self.activity_id)

    @property
    def in_scope(self) -> bool:
        """Whether a scope of this activity is open (Elsa's ``Scopes.Contains(x => x.ActivityId == Id)``)."""
        activity_id = self.activity_id
        return any(scope.activity_id == activity_id for scope in self.instance.scopes)

    def create_scope(self) -> ActivityScope:
        """Open a scope: when the work inside it runs out, this activity is run again (Elsa 2)."""
        scope = ActivityScope(self.activity_id)
        self.instance.scopes.append(scope)
        return scope

    def set_variable(self, name: str, value: Any) -> None:
        self.instance.variables[name] = value
        self._run.on_variable_set(name, value)

    def get_variable(self, name: str) -> Any:
        return self.instance.variables.get(name)

    # --- log ---------------------------------------------------------------------------------------

    def log(self, message: str, level: str = "info", **data: Any) -> None:
        self._run.emit(EventKind.LOG, self.node, message, data, level=level)

    def correlate(self, value: str) -> None:
        self.instance.correlation_id = value
        self._run.emit(EventKind.CORRELATED, self.node, value, {"correlationId": value})

    def where(self, property_name: str | None = None) -> str:
        """How every fault message starts: the workflow, the activity and, when known, the property."""
        prefix = f'workflow "{self.blueprint.name}", activity "{self.label}"'
        return f"{prefix}, property {property_name}" if property_name else prefix

    def fail(self, message: str, property_name: str | None = None) -> ActivityFault:
        """The fault to raise: ``raise ctx.fail("the URL is empty", "Url")``."""
        return ActivityFault(f"{self.where(property_name)}: {message}", property_name)


__all__ = ["NO_OUTPUT", "ActivityExecutionContext", "ActivityFault"]
