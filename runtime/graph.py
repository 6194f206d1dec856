"""The workflow as a graph: what validation, layout and the engine read.

:func:`build_graph` gives the networkx ``MultiDiGraph`` the designer's layout walks and the engine asks for
where Elsa's inbound walk gives up (a step follows its compiled outcome tables): one node
per activity (attribute ``activity``), in document order, and one edge per connection keyed by its
effective outcome (attribute ``connection``). Connections repeating the same source, target and outcome
share one edge; its ``connections`` attribute lists them all. A connection whose end is not an activity of
the workflow is left out (validation reports it).

:class:`ActivityLinks` is the same nodes and edges without networkx, answering the few questions validation
asks, and :func:`strongly_connected_components` finds its loops: importing networkx takes about 0.3 s,
more than the rest of ``flowdesk validate``, which needs nothing else of it. So networkx is imported by
:func:`build_graph`, when it is called.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, TypeVar

from runtime.model import Activity, WorkflowDefinition

if TYPE_CHECKING:
    import networkx as nx

Node = TypeVar("Node", bound=Hashable)


def build_graph(workflow: WorkflowDefinition) -> nx.MultiDiGraph[str]:
    """The graph of ``workflow``; ``graph.graph["workflow"]`` is the workflow itself."""
    import networkx as nx  # only where a networkx graph is wanted: validation does without

    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(workflow=workflow)
    for activity in workflow.activities:
        graph.add_node(activity.activity_id, activity=activity)
    for connection in workflow.connections:
        source, target = connection.source_activity_id, connection.target_activity_id
        if source not in graph or target not in graph:
            continue
        key = connection.effective_outcome
        if graph.has_edge(source, target, key):
            graph.edges[source, target, key]["connections"].append(connection)
        else:
            graph.add_edge(source, target, key=key, connection=connection, connections=[connection])
    return graph


class ActivityLinks:
    """The nodes and edges of :func:`build_graph` without networkx, for validation.

    ``nodes`` maps each activity id to its activity in document order (a repeated id keeps its first place
    and its last activity, as ``add_node`` does); an edge is a (source, target, effective outcome) between
    two activities, counted once however many connections repeat it. The method names are networkx's, so
    :func:`start_activity_ids` reads either.
    """

    __slots__ = ("_in_degree", "_successors", "nodes")

    def __init__(self, workflow: WorkflowDefinition) -> None:
        self.nodes: dict[str, Activity] = {}
        for activity in workflow.activities:
            self.nodes[activity.activity_id] = activity
        self._successors: dict[str, dict[str, set[str]]] = {activity_id: {} for activity_id in self.nodes}
        self._in_degree: dict[str, int] = dict.fromkeys(self.nodes, 0)
        for connection in workflow.connections:
            source, target = connection.source_activity_id, connection.target_activity_id
            if source not in self.nodes or target not in self.nodes:
                continue
            outcomes = self._successors[source].setdefault(target, set())
            if connection.effective_outcome not in outcomes:
                outcomes.add(connection.effective_outcome)
                self._in_degree[target] += 1

    def __contains__(self, activity_id: object) -> bool:
        return activity_id in self.nodes

    def successors(self, activity_id: str) -> Iterator[str]:
        """The activities ``activity_id`` has an edge to, each once, in the order first connected."""
        return iter(self._successors[activity_id])

    def in_degree(self, activity_id: str) -> int:
        """The number of edges into ``activity_id`` (connections repeating an edge count once)."""
        return self._in_degree[activity_id]

    def has_edge(self, source: str, target: str) -> bool:
        """Whether some connection leads from ``source`` to ``target`` (both activities)."""
        return target in self._successors.get(source, {})

    @property
    def adjacency(self) -> Mapping[str, Iterable[str]]:
        """Activity id -> the ids it has an edge to, for :func:`strongly_connected_components`."""
        return self._successors


def strongly_connected_components(successors: Mapping[Node, Iterable[Node]]) -> Iterator[set[Node]]:
    """The strongly connected components of the graph whose edges are ``successors`` (a node that is only
    a successor counts as a node without edges), each once.

    Tarjan's algorithm with an explicit stack instead of recursion: a workflow of thousands of activities
    in a chain would otherwise pass Python's recursion limit. Linear in nodes plus edges.
    """
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    for root in successors:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[Node, Iterator[Node]]] = [(root, iter(successors.get(root, ())))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors.get(child, ()))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: set[Node] = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    yield component


def start_activity_ids(workflow_or_graph: WorkflowDefinition | ActivityLinks | nx.MultiDiGraph) -> list[str]:
    """Activities with no inbound connection, in document order; if every one has one, the first (Elsa 2)."""
    if isinstance(workflow_or_graph, WorkflowDefinition):
        ids = [activity.activity_id for activity in workflow_or_graph.activities]
        known = set(ids)
        targets = {
            connection.target_activity_id
            for connection in workflow_or_graph.connections
            if connection.source_activity_id in known
        }
        starts = [activity_id for activity_id in ids if activity_id not in targets]
    else:
        ids = list(workflow_or_graph.nodes)
        starts = [activity_id for activity_id in ids if workflow_or_graph.in_degree(activity_id) == 0]
    return starts or ids[:1]
