"""Layered left-to-right auto-layout over the runtime's networkx graph.

Loops are ordinary in workflows, so cycles are broken first (back edges of a depth-first walk from the
start activities are ignored), then every activity gets a layer (its longest path from a start), layers
are ordered with a few barycenter sweeps to untangle wires, and each card is placed near the middle of
its predecessors. Weakly connected parts are stacked top to bottom. Qt-free: sizes come in, positions
go out.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

import networkx as nx

Size = tuple[float, float]
Position = tuple[int, int]
Node = TypeVar("Node", bound=Hashable)
"""A node of the graph laid out (an activity id for workflows)."""

GRID = 20
HORIZONTAL_GAP = 100
VERTICAL_GAP = 40
COMPONENT_GAP = 100
SWEEPS = 4


def layered_positions(
    graph: nx.MultiDiGraph[Node],
    sizes: Mapping[Node, Size],
    origin: tuple[float, float] = (0.0, 0.0),
) -> dict[Node, Position]:
    """Top-left positions for every node of ``graph``, flowing left to right."""
    simple: nx.DiGraph[Node] = nx.DiGraph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    order = {node: index for index, node in enumerate(graph.nodes)}
    positions: dict[Node, Position] = {}
    top = origin[1]
    components = sorted(
        nx.weakly_connected_components(simple), key=lambda nodes: min(order[n] for n in nodes)
    )
    for nodes in components:
        part = simple.subgraph(nodes).copy()
        placed = _layout_component(part, sizes, order, origin[0], top)
        positions.update(placed)
        bottom = max(y + sizes[node][1] for node, (_, y) in placed.items())
        top = _snap(bottom + COMPONENT_GAP)
    return positions


def _layout_component(
    graph: nx.DiGraph[Node], sizes: Mapping[Node, Size], order: Mapping[Node, int], left: float, top: float
) -> dict[Node, Position]:
    dag = _without_back_edges(graph, order)
    layers = [sorted(generation, key=order.__getitem__) for generation in nx.topological_generations(dag)]
    _reduce_crossings(dag, layers)
    return _assign_coordinates(dag, layers, sizes, left, top)


def _without_back_edges(graph: nx.DiGraph[Node], order: Mapping[Node, int]) -> nx.DiGraph[Node]:
    """The graph minus the edges that close a cycle, found by a DFS from the start nodes first."""
    starts = sorted((n for n in graph if graph.in_degree(n) == 0), key=order.__getitem__)
    roots = starts + sorted(graph.nodes, key=order.__getitem__)
    state: dict[Node, int] = {}  # 1 on the stack, 2 finished
    back_edges: list[tuple[Node, Node]] = []
    for root in roots:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(sorted(graph.successors(root), key=order.__getitem__)))]
        while stack:
            node, successors = stack[-1]
            advanced = False
            for successor in successors:
                seen = state.get(successor)
                if seen == 1:
                    back_edges.append((node, successor))
                elif seen is None:
                    state[successor] = 1
                    stack.append(
                        (successor, iter(sorted(graph.successors(successor), key=order.__getitem__)))
                    )
                    advanced = True
                    break
            if not advanced:
                state[node] = 2
                stack.pop()
    dag = graph.copy()
    dag.remove_edges_from(back_edges)
    return dag


def _reduce_crossings(dag: nx.DiGraph[Node], layers: list[list[Node]]) -> None:
    """Barycenter sweeps: order each layer by the mean rank of its neighbours in the layer before."""
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        indices = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
        for index in indices:
            reference = layers[index - 1] if downward else layers[index + 1]
            rank = {node: position for position, node in enumerate(reference)}
            here = {node: position for position, node in enumerate(layers[index])}

            def barycenter(
                node: Node,
                rank: dict[Node, int] = rank,
                here: dict[Node, int] = here,
                downward: bool = downward,
            ) -> float:
                neighbours = dag.predecessors(node) if downward else dag.successors(node)
                ranks = [rank[n] for n in neighbours if n in rank]
                return sum(ranks) / len(ranks) if ranks else float(here[node])

            layers[index] = sorted(layers[index], key=barycenter)


def _assign_coordinates(
    dag: nx.DiGraph[Node], layers: Sequence[list[Node]], sizes: Mapping[Node, Size], left: float, top: float
) -> dict[Node, Position]:
    positions: dict[Node, Position] = {}
    x = left
    for layer in layers:
        width = max(sizes[node][0] for node in layer)
        next_free = top
        for node in layer:
            height = sizes[node][1]
            anchors = [positions[p][1] + sizes[p][1] / 2 for p in dag.predecessors(node) if p in positions]
            wanted = sum(anchors) / len(anchors) - height / 2 if anchors else next_free
            y = _snap(max(wanted, next_free))
            positions[node] = (_snap(x), y)
            next_free = y + height + VERTICAL_GAP
        x += width + HORIZONTAL_GAP
    return positions


def _snap(value: float) -> int:
    return int(round(value / GRID) * GRID)
