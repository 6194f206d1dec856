"""A workflow compiled for running: handlers, property plans and outcome tables looked up once.

Compiling costs a little once per workflow revision; it keeps a step of the engine to dictionary look-ups.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from runtime.catalog import descriptor_for, effective_syntax
from runtime.catalog.descriptors import ActivityDescriptor
from runtime.engine.handlers import HandlerEntry, get_handler
from runtime.expressions import ExpressionError, ValueConversionError, convert
from runtime.graph import build_graph, start_activity_ids
from runtime.jsonlimits import loads_bounded
from runtime.model import Activity, WorkflowDefinition

if TYPE_CHECKING:
    import networkx as nx  # 0.3-0.4 s to import: a run needs the graph only where Elsa's walk gives up

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
    """The converted value of a Literal or Json text, worked out once (such text never depends on the run)."""


_TEXT_TYPES = frozenset({"string", "object", "any"})
"""Types a Literal is handed to as it is, blank included (Elsa's ``StringExtensions.Parse``)."""


def _plan(
    name: str, syntax: str, text: str | None, value_type: str, is_secret: bool = False, default: object = None
) -> PropertyPlan:
    syntax = _CANONICAL_SYNTAX.get(syntax.lower(), syntax)
    constant = NOT_CONSTANT
    if text is not None and syntax in ("Literal", "Json"):
        try:
            if syntax == "Json":
                constant = convert(loads_bounded(text), value_type) if text.strip() else None
            elif not text.strip() and value_type in _TEXT_TYPES:
                constant = text
            else:
                constant = convert(text, value_type)
        except (ExpressionError, ValueConversionError, ValueError):
            constant = NOT_CONSTANT
    return PropertyPlan(name, syntax, text, value_type, is_secret, default, constant)


@dataclass(slots=True)
class ActivityNode:
    """One activity, compiled: its handler, how to evaluate its properties, where its outcomes lead."""

    activity: Activity
    descriptor: ActivityDescriptor
    handler: HandlerEntry | None
    properties: dict[str, PropertyPlan]
    """Keyed by the lower-cased property name."""
    targets_by_outcome: dict[str, list[str]]
    """Lower-cased outcome → target activity ids, in connection order."""
    label: str
    eager_properties: tuple[PropertyPlan, ...] = ()
    """The declared properties whose value depends on the run, evaluated before every execution in
    declaration order, as Elsa 2's activator sets every input (``ActivityPropertyProviders.cs``)."""
    join_transitions: tuple[tuple[str, str], ...] = ()
    """(Join id, transition key) of each outbound connection to a Join: recorded after every execution,
    whatever the outcome (``Join.RecordInboundTransitionsAsync``)."""
    inbound_transitions: tuple[tuple[str, str], ...] = ()
    """For a Join: (source id, transition key) of each inbound connection, in connection order."""
    secret_properties: tuple[str, ...] = ()
    """Names of the properties whose values are masked in the journal."""
    pushes: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    """Outcomes taken → the targets they push, in push order (worked out at the first step that took them:
    a loop's steps take the same few)."""


@dataclass(slots=True)
class Blueprint:
    """A workflow ready to run: nodes by id, the start, and Elsa's inbound paths worked out on demand."""

    workflow: WorkflowDefinition
    nodes: dict[str, ActivityNode]
    start_ids: list[str]
    """Where a run starts: Elsa 2 runs only the first start activity (``WorkflowRunner.BeginWorkflow``)."""
    inbound_sources: dict[str, list[str]] = field(default_factory=dict)
    """Activity id → the source of each inbound connection, in connection order (repeats kept)."""
    _paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _path_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    _graph: nx.MultiDiGraph | None = None

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The workflow's networkx graph (:func:`runtime.graph.build_graph`), built when first asked for: a
        step follows the outcome tables of the nodes, so most runs never need it (nor to import networkx)."""
        if self._graph is None:
            self._graph = build_graph(self.workflow)
        return self._graph

    @property
    def name(self) -> str:
        return self.workflow.name or self.workflow.label

    def inbound_path(self, activity_id: str) -> tuple[str, ...]:
        """The activities from which ``activity_id`` is reached, in the order Elsa 2 lists them (cached).

        Elsa's walk (``CompositeActivityBlueprintExtensions.GetInboundActivityPath``) stops listing an
        activity's inbound connections at the first source it already inspected, so in looping graphs
        it can leave some ancestors out; which activity comes first decides the Fork a Join belongs to.
        """
        found = self._paths.get(activity_id)
        if found is None:
            found = self._paths[activity_id] = _elsa_inbound_path(self, activity_id)
        return found

    def in_scope_of(self, activity_id: str) -> frozenset[str]:
        """The activity itself and its inbound path: the scopes it can close (cached)."""
        found = self._path_sets.get(activity_id)
        if found is None:
            found = self._path_sets[activity_id] = frozenset(self.inbound_path(activity_id)) | {activity_id}
        return found


_PATH_STEP_LIMIT = 200_000
"""Steps of Elsa's inbound walk before falling back to plain ancestry (a hostile or huge graph)."""


class _WalkTooLong(Exception):
    pass


def _elsa_inbound_path(blueprint: Blueprint, activity_id: str) -> tuple[str, ...]:
    """Elsa 2's inbound activity path: a lazy depth-first walk with its own circuit breaker."""
    inbound = blueprint.inbound_sources
    inspected: set[str] = set()
    steps = 0

    def distinct(items: Iterator[str]) -> Iterator[str]:
        seen: set[str] = set()
        for item in items:
            if item not in seen:
                seen.add(item)
                yield item

    def walk(current: str) -> Iterator[str]:
        nonlocal steps
        for source in inbound.get(current, ()):
            steps += 1
            if steps > _PATH_STEP_LIMIT:
                raise _WalkTooLong
            if source in inspected:
                return
            yield source
            for parent in distinct(walk(source)):
                inspected.add(parent)
                yield parent

    try:
        return tuple(distinct(walk(activity_id)))
    except (_WalkTooLong, RecursionError):
        import networkx as nx

        order = nx.bfs_tree(blueprint.graph.reverse(copy=False), activity_id)
        return tuple(node for node in order if node != activity_id)


def compile_workflow(workflow: WorkflowDefinition) -> Blueprint:
    """The blueprint of ``workflow``, reused until the workflow changes."""
    return workflow.derived("engine.blueprint", _compile)


_EVALUATED_SYNTAXES = frozenset(_CANONICAL_SYNTAX.values())
"""Syntaxes the generic evaluator knows; others (Switch cases) are read by their activity's handler."""


def _compile(workflow: WorkflowDefinition) -> Blueprint:
    nodes: dict[str, ActivityNode] = {}
    for activity in workflow.activities:
        descriptor = descriptor_for(activity, workflow)
        plans: dict[str, PropertyPlan] = {}
        eager: list[PropertyPlan] = []
        for prop_descriptor in descriptor.properties:
            prop = activity.get_property(prop_descriptor.name)
            syntax = effective_syntax(prop, prop_descriptor)
            text = prop.expressions.get(syntax) if prop is not None else None
            plan = _plan(
                prop_descriptor.name,
                syntax,
                text,
                prop_descriptor.value_type,
                prop_descriptor.is_secret,
                prop_descriptor.default_value,
            )
            plans[prop_descriptor.name.lower()] = plan
            if (
                descriptor.is_known
                and plan.text is not None
                and plan.constant is NOT_CONSTANT
                and plan.syntax in _EVALUATED_SYNTAXES
            ):
                eager.append(plan)
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
            eager_properties=tuple(eager),
            secret_properties=tuple(plan.name for plan in plans.values() if plan.is_secret),
        )
    inbound_sources: dict[str, list[str]] = {}
    join_transitions: dict[str, list[tuple[str, str]]] = {}
    inbound_transitions: dict[str, list[tuple[str, str]]] = {}
    for connection in workflow.connections:
        source_id, target_id = connection.source_activity_id, connection.target_activity_id
        source, target = nodes.get(source_id), nodes.get(target_id)
        if source is None or target is None:
            continue
        source.targets_by_outcome.setdefault(connection.effective_outcome.lower(), []).append(target_id)
        inbound_sources.setdefault(target_id, []).append(source_id)
        if target.activity.type == "Join":
            key = f"@{source_id}_{connection.outcome or ''}"
            join_transitions.setdefault(source_id, []).append((target_id, key))
            inbound_transitions.setdefault(target_id, []).append((source_id, key))
    for activity_id, transitions in join_transitions.items():
        nodes[activity_id].join_transitions = tuple(transitions)
    for activity_id, transitions in inbound_transitions.items():
        nodes[activity_id].inbound_transitions = tuple(transitions)
    starts = start_activity_ids(workflow)
    return Blueprint(workflow, nodes, starts[:1], inbound_sources)
