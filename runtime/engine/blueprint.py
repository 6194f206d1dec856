"""A workflow compiled for running: handlers, property plans and outcome tables looked up once.

Compiling costs a little once per workflow revision; it keeps a step of the engine to dictionary look-ups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from runtime.activities.registry import HandlerEntry, get_handler
from runtime.catalog import descriptor_for, effective_syntax
from runtime.catalog.descriptors import ActivityDescriptor
from runtime.expressions import ExpressionError, ValueConversionError, convert
from runtime.graph import build_graph, start_activity_ids
from runtime.model import Activity, WorkflowDefinition

NOT_CONSTANT: Any = object()
_CANONICAL_SYNTAX = {name.lower(): name for name in ("Literal", "Json", "JavaScript", "Liquid", "Variable")}


@dataclass(frozen=True, slots=True)
class PropertyPlan:
    """How to evaluate one property: its syntax, the text stored for it and the value type."""

    name: str
    syntax: str
    text: str | None
    value_type: str
    is_secret: bool = False
    default: object = None
    constant: Any = NOT_CONSTANT
    """The converted value of a Literal, worked out once (Literal text never depends on the run)."""


def _plan(
    name: str, syntax: str, text: str | None, value_type: str, is_secret: bool = False, default: object = None
) -> PropertyPlan:
    syntax = _CANONICAL_SYNTAX.get(syntax.lower(), syntax)
    constant = NOT_CONSTANT
    if syntax == "Literal" and text:
        try:
            constant = convert(text, value_type)
        except (ExpressionError, ValueConversionError):
            constant = NOT_CONSTANT
    return PropertyPlan(name, syntax, text, value_type, is_secret, default, constant)


@dataclass(slots=True)
class ActivityNode:
    activity: Activity
    descriptor: ActivityDescriptor
    handler: HandlerEntry | None
    properties: dict[str, PropertyPlan]
    """Keyed by the lower-cased property name."""
    targets_by_outcome: dict[str, list[str]]
    """Lower-cased outcome → target activity ids, in connection order."""
    label: str
    is_join_target_of: list[str] = field(default_factory=list)
    secret_properties: tuple[str, ...] = ()
    """Names of the properties whose values are masked in the journal."""


@dataclass(slots=True)
class Blueprint:
    workflow: WorkflowDefinition
    nodes: dict[str, ActivityNode]
    start_ids: list[str]
    graph: nx.MultiDiGraph
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.workflow.name or self.workflow.label

    def inbound_path(self, activity_id: str) -> frozenset[str]:
        """The activity and every activity from which it can be reached (cached)."""
        found = self._ancestors.get(activity_id)
        if found is None:
            found = frozenset(nx.ancestors(self.graph, activity_id)) | {activity_id}
            self._ancestors[activity_id] = found
        return found


def compile_workflow(workflow: WorkflowDefinition) -> Blueprint:
    """The blueprint of ``workflow``, reused until the workflow changes."""
    return workflow.derived("engine.blueprint", _compile)


def _compile(workflow: WorkflowDefinition) -> Blueprint:
    nodes: dict[str, ActivityNode] = {}
    for activity in workflow.activities:
        descriptor = descriptor_for(activity, workflow)
        plans: dict[str, PropertyPlan] = {}
        for prop_descriptor in descriptor.properties:
            prop = activity.get_property(prop_descriptor.name)
            syntax = effective_syntax(prop, prop_descriptor)
            text = prop.expressions.get(syntax) if prop is not None else None
            plans[prop_descriptor.name.lower()] = _plan(
                prop_descriptor.name,
                syntax,
                text,
                prop_descriptor.value_type,
                prop_descriptor.is_secret,
                prop_descriptor.default_value,
            )
        for prop in activity.properties:
            if prop.name.lower() not in plans:
                syntax = prop.syntax or "Literal"
                plans[prop.name.lower()] = _plan(prop.name, syntax, prop.expressions.get(syntax), "any")
        nodes[activity.activity_id] = ActivityNode(
            activity=activity,
            descriptor=descriptor,
            handler=get_handler(activity.type),
            properties=plans,
            targets_by_outcome={},
            label=activity.label,
            secret_properties=tuple(plan.name for plan in plans.values() if plan.is_secret),
        )
    for connection in workflow.connections:
        source = nodes.get(connection.source_activity_id)
        target = nodes.get(connection.target_activity_id)
        if source is None or target is None:
            continue
        source.targets_by_outcome.setdefault(connection.effective_outcome.lower(), []).append(
            connection.target_activity_id
        )
        if target.activity.type.lower() == "join":
            target.is_join_target_of.append(connection.source_activity_id)
    graph = build_graph(workflow)
    return Blueprint(workflow, nodes, start_activity_ids(workflow), graph)
