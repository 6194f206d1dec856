"""The compiled workflow: a run follows the nodes' outcome tables, and the networkx graph is built only when
asked for (Elsa's inbound walk falls back to it on a graph too large to walk)."""

from __future__ import annotations

import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import blueprint as blueprint_module
from runtime.engine.blueprint import compile_workflow


def _chain():
    return (
        WorkflowBuilder("Chain")
        .add("a", "WriteLine", Text="a")
        .add("b", "WriteLine", Text="b")
        .add("c", "WriteLine", Text="c")
        .chain("a", "b", "c")
        .build()
    )


def test_the_graph_is_built_when_first_asked_for_and_kept() -> None:
    blueprint = compile_workflow(_chain())
    assert blueprint._graph is None
    graph = blueprint.graph
    assert sorted(graph.edges()) == [("a", "b"), ("b", "c")]
    assert blueprint.graph is graph


def test_the_inbound_path_needs_no_graph_unless_elsas_walk_gives_up(monkeypatch: pytest.MonkeyPatch) -> None:
    walked = compile_workflow(_chain())
    assert walked.inbound_path("c") == ("b", "a")
    assert walked._graph is None
    monkeypatch.setattr(blueprint_module, "_PATH_STEP_LIMIT", 1)
    workflow = _chain()
    workflow.touch()  # compiled again, so nothing is cached
    fallen_back = compile_workflow(workflow)
    assert fallen_back.inbound_path("c") == ("b", "a")  # the graph's breadth-first ancestry
    assert fallen_back._graph is not None


def test_a_node_remembers_the_targets_its_outcomes_push_in_elsas_order() -> None:
    """``OutcomeResult.Execute``: outcome then connection order, each target once per group; the last pushed
    runs first. Worked out at the first step that took those outcomes, then reused."""
    from runtime.engine import RuntimeServices, WorkflowRunner

    workflow = (
        WorkflowBuilder("Pushes")
        .add("fork", "Fork", Branches=("Json", '["Left", "Right"]'))
        .add("a", "WriteLine", Text="a")
        .add("b", "WriteLine", Text="b")
        .add("c", "WriteLine", Text="c")
        .connect("fork", "a", "Left")
        .connect("fork", "b", "Left")
        .connect("fork", "c", "Right")
        .connect("fork", "a", "Right")
        .build()
    )
    runner = WorkflowRunner(RuntimeServices())
    first = [record.activity_id for record in runner.run_sync(workflow).journal]
    fork = compile_workflow(workflow).nodes["fork"]
    assert fork.pushes == {("Right", "Left"): ("c", "a", "b")}  # Fork takes its branches last first
    assert first == ["fork", "b", "a", "c"]
    assert [record.activity_id for record in runner.run_sync(workflow).journal] == first
