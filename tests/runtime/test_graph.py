"""The networkx view of a workflow: nodes per activity, edges keyed by outcome, Elsa 2's start rule."""

from __future__ import annotations

import networkx as nx

from runtime.elsa_json import load_workflow
from runtime.graph import build_graph, start_activity_ids
from runtime.model import Activity, Connection, WorkflowDefinition


def workflow(ids: list[str], edges: list[tuple[str, str, str | None]]) -> WorkflowDefinition:
    return WorkflowDefinition(
        activities=[Activity(activity_id=activity_id, type="WriteLine") for activity_id in ids],
        connections=[
            Connection(source_activity_id=source, target_activity_id=target, outcome=outcome)
            for source, target, outcome in edges
        ],
    )


def test_nodes_in_document_order_with_their_activity() -> None:
    flow = workflow(["c", "a", "b"], [("c", "a", "Done")])
    graph = build_graph(flow)
    assert isinstance(graph, nx.MultiDiGraph)
    assert list(graph.nodes) == ["c", "a", "b"]
    assert graph.nodes["a"]["activity"] is flow.activities[1]
    assert graph.graph["workflow"] is flow


def test_edges_are_keyed_by_effective_outcome() -> None:
    flow = workflow(["if", "yes", "no"], [("if", "yes", "True"), ("if", "no", "False"), ("yes", "no", None)])
    graph = build_graph(flow)
    assert set(graph.edges(keys=True)) == {
        ("if", "yes", "True"),
        ("if", "no", "False"),
        ("yes", "no", "Done"),
    }
    assert graph.edges["yes", "no", "Done"]["connection"] is flow.connections[2]


def test_two_outcomes_between_the_same_activities_are_two_edges() -> None:
    flow = workflow(["signal", "write"], [("signal", "write", "Extinguish"), ("signal", "write", "Done")])
    graph = build_graph(flow)
    assert graph.number_of_edges("signal", "write") == 2
    assert set(graph["signal"]["write"]) == {"Extinguish", "Done"}


def test_repeated_connections_share_one_edge_listing_all() -> None:
    flow = workflow(["a", "b"], [("a", "b", "Done"), ("a", "b", None)])
    graph = build_graph(flow)
    assert graph.number_of_edges("a", "b") == 1
    assert graph.edges["a", "b", "Done"]["connections"] == flow.connections


def test_connections_to_missing_activities_are_left_out() -> None:
    flow = workflow(["a"], [])
    flow.connections.append(Connection(source_activity_id="a", target_activity_id="ghost"))
    graph = build_graph(flow)
    assert list(graph.nodes) == ["a"] and graph.number_of_edges() == 0


def test_start_activities_have_no_inbound_connection_in_document_order() -> None:
    flow = workflow(["x", "start2", "y", "start1"], [("start1", "x", "Done"), ("start2", "y", "Done")])
    assert start_activity_ids(flow) == ["start2", "start1"]
    assert start_activity_ids(build_graph(flow)) == ["start2", "start1"]


def test_when_every_activity_has_an_inbound_connection_the_first_starts() -> None:
    loop = workflow(["b", "a"], [("a", "b", "Done"), ("b", "a", "Done")])
    assert start_activity_ids(loop) == ["b"]
    assert start_activity_ids(build_graph(loop)) == ["b"]


def test_a_self_loop_is_an_inbound_connection() -> None:
    flow = workflow(["first", "loop"], [("loop", "loop", "Iterate")])
    assert start_activity_ids(flow) == ["first"]


def test_empty_workflow_has_no_start() -> None:
    assert start_activity_ids(WorkflowDefinition()) == []
    assert start_activity_ids(build_graph(WorkflowDefinition())) == []


def test_corpus_call_my_api_graph(corpus_dir) -> None:
    flow = load_workflow(corpus_dir / "wow-call-my-api.json")
    graph = build_graph(flow)
    assert graph.number_of_nodes() == 17 and graph.number_of_edges() == 17
    (start,) = start_activity_ids(graph)
    assert graph.nodes[start]["activity"].name == "getSettingToken"
    assert nx.descendants(graph, start) | {start} == set(graph.nodes)
    send = next(a.activity_id for a in flow.activities if a.name == "httpAPI")
    assert {key for _, _, key in graph.out_edges(send, keys=True)} == {"200", "Unsupported Status Code"}
