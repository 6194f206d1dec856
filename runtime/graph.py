"""The workflow as a networkx graph: what validation, layout and the engine read.

One node per activity (attribute ``activity``), in document order, and one edge per connection keyed by
its effective outcome (attribute ``connection``). Connections repeating the same source, target and
outcome share one edge; its ``connections`` attribute lists them all. A connection whose end is not an
activity of the workflow is left out (validation reports it).
"""

from __future__ import annotations

import networkx as nx

from runtime.model import WorkflowDefinition


def build_graph(workflow: WorkflowDefinition) -> nx.MultiDiGraph[str]:
    """The graph of ``workflow``; ``graph.graph["workflow"]`` is the workflow itself."""
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


def start_activity_ids(workflow_or_graph: WorkflowDefinition | nx.MultiDiGraph) -> list[str]:
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
