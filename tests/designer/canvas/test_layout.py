"""Auto-layout: layered left to right with networkx; loops are fine; nothing overlaps."""

from __future__ import annotations

import itertools

import networkx as nx
from PySide6.QtCore import QRectF

from designer.canvas.layout import layered_positions
from designer.canvas.scene import WorkflowScene
from designer.document import Document
from designer.theme import LIGHT
from runtime.graph import build_graph
from runtime.model import WorkflowDefinition
from tests.designer.builders import activity, chain, connection


def rects(positions, sizes):
    return {k: QRectF(x, y, *sizes[k]) for k, (x, y) in positions.items()}


def assert_no_overlap(boxes):
    for (a, ra), (b, rb) in itertools.combinations(boxes.items(), 2):
        assert not ra.intersects(rb), f"{a} overlaps {b}"


def test_chain_flows_left_to_right():
    workflow = chain(4)
    sizes = {a.activity_id: (184.0, 50.0) for a in workflow.activities}
    positions = layered_positions(build_graph(workflow), sizes)
    xs = [positions[f"a{i}"][0] for i in range(4)]
    assert xs == sorted(xs) and len(set(xs)) == 4
    assert len({positions[f"a{i}"][1] for i in range(4)}) == 1, "a straight chain stays on one row"


def test_branches_and_a_loop_back_edge():
    workflow = WorkflowDefinition(
        name="Loop",
        activities=[activity(i) for i in ("start", "check", "yes", "no", "retry")],
        connections=[
            connection("start", "check"),
            connection("check", "yes", "True"),
            connection("check", "no", "False"),
            connection("no", "retry"),
            connection("retry", "check"),
        ],
    )
    sizes = {a.activity_id: (184.0, 90.0) for a in workflow.activities}
    positions = layered_positions(build_graph(workflow), sizes)
    assert positions["start"][0] < positions["check"][0] < positions["yes"][0]
    assert positions["yes"][0] == positions["no"][0] < positions["retry"][0]
    assert_no_overlap(rects(positions, sizes))


def test_components_are_stacked_and_isolated_nodes_placed():
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(["a", "b", "c", "lonely"])
    graph.add_edge("a", "b", key="Done")
    sizes = {n: (184.0, 50.0) for n in graph}
    positions = layered_positions(graph, sizes)
    assert positions["lonely"][1] > positions["a"][1]
    assert_no_overlap(rects(positions, sizes))


def test_file_without_positions_is_laid_out_for_display_only(corpus_dir, qapp):
    document = Document.open(corpus_dir / "elsa-fire-protocol.json")
    before = document.text()
    scene = WorkflowScene(document, LIGHT)
    assert all(a.x is None for a in document.workflow.activities)
    assert_no_overlap({k: card.card_rect() for k, card in scene.cards.items()})
    assert len({card.pos().x() for card in scene.cards.values()}) >= 3
    assert document.text() == before and not document.is_modified


def test_imported_negative_positions_are_kept_exactly(corpus_dir, qapp):
    document = Document.open(corpus_dir / "wow-get-changing-access-token-authentication.json")
    scene = WorkflowScene(document, LIGHT)
    for a in document.workflow.activities:
        assert (scene.cards[a.activity_id].pos().x(), scene.cards[a.activity_id].pos().y()) == (a.x, a.y)
    assert min(a.x for a in document.workflow.activities) < 0
