"""The networkx view of a workflow: nodes per activity, edges keyed by outcome, Elsa 2's start rule; the
same nodes and edges without networkx (what validation reads) and their loops."""

from __future__ import annotations

import random
import subprocess
import sys

import networkx as nx

from runtime.elsa_json import load_workflow
from runtime.graph import ActivityLinks, build_graph, start_activity_ids, strongly_connected_components
from runtime.model import Activity, Connection, WorkflowDefinition
from tests.conftest import PROJECT_ROOT


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


# --- the view validation reads, without networkx ----------------------------------------------------


def test_activity_links_have_the_nodes_and_edges_of_the_graph(corpus_dir) -> None:
    flows = [load_workflow(path) for path in sorted(corpus_dir.glob("*.json"))]
    flows.append(
        workflow(
            ["a", "b", "a", "c"],
            [("a", "b", "Done"), ("a", "b", None), ("a", "b", "X"), ("b", "a", "Done"), ("c", "ghost", None)],
        )
    )
    for flow in flows:
        graph, links = build_graph(flow), ActivityLinks(flow)
        assert list(links.nodes) == list(graph.nodes)
        assert all(links.nodes[node] is graph.nodes[node]["activity"] for node in graph.nodes)
        for node in graph.nodes:
            assert list(links.successors(node)) == list(graph.successors(node))
            assert links.in_degree(node) == graph.in_degree(node)
            assert all(links.has_edge(node, other) == graph.has_edge(node, other) for other in graph.nodes)
        assert start_activity_ids(links) == start_activity_ids(graph)


def test_activity_links_leave_out_connections_to_missing_activities() -> None:
    flow = workflow(["a"], [("a", "ghost", None), ("ghost", "a", None)])
    links = ActivityLinks(flow)
    assert list(links.successors("a")) == [] and links.in_degree("a") == 0
    assert "ghost" not in links and not links.has_edge("ghost", "a")


def components(successors: dict[str, list[str]]) -> set[frozenset[str]]:
    found = [frozenset(component) for component in strongly_connected_components(successors)]
    assert len(found) == len(set(found)), "a component was found twice"
    return set(found)


def test_a_self_loop_is_its_own_component() -> None:
    assert components({"a": ["a"], "b": ["a"]}) == {frozenset({"a"}), frozenset({"b"})}


def test_two_loops_joined_into_one_are_one_component() -> None:
    successors = {"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["c", "a"], "e": ["a"]}
    assert components(successors) == {frozenset("abcd"), frozenset("e")}


def test_two_loops_joined_one_way_stay_two_components() -> None:
    successors = {"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["c"]}
    assert components(successors) == {frozenset("ab"), frozenset("cd")}


def test_a_node_that_is_only_a_successor_is_a_component() -> None:
    assert components({"a": ["z"]}) == {frozenset("a"), frozenset("z")}


def test_a_long_chain_and_a_long_cycle_need_no_recursion() -> None:
    size = 20_000
    chain = {f"n{i}": [f"n{i + 1}"] if i + 1 < size else [] for i in range(size)}
    assert components(chain) == {frozenset({node}) for node in chain}
    cycle = {f"n{i}": [f"n{(i + 1) % size}"] for i in range(size)}
    assert components(cycle) == {frozenset(cycle)}


def test_components_do_not_depend_on_the_order_of_nodes_or_edges() -> None:
    rng = random.Random(7)
    for _ in range(200):
        nodes = [f"n{i}" for i in range(rng.randint(1, 15))]
        edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(rng.randint(0, 25))]
        expected = {frozenset(c) for c in nx.strongly_connected_components(nx.DiGraph(edges))}
        expected |= {frozenset({node}) for node in nodes if not any(node in c for c in expected)}
        for _ in range(3):
            rng.shuffle(nodes)
            rng.shuffle(edges)
            successors: dict[str, list[str]] = {node: [] for node in nodes}
            for source, target in edges:
                successors[source].append(target)
            assert components(successors) == expected


def test_validation_and_the_format_do_not_import_networkx() -> None:
    code = "import runtime.validation, runtime.elsa_json, sys; print('networkx' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60, cwd=PROJECT_ROOT
    )
    assert result.stdout.strip() == "False"
