"""The runs list's bookkeeping, fed with the engine's own event objects in the order a host produces them."""

from __future__ import annotations

from designer.serve.bridge import CompletedRequest
from designer.serve.runs_model import COLUMNS, RunsModel
from designer.theme import LIGHT
from runtime.engine.events import EngineEvent, EventKind


def started(instance: str, method: str, path: str, parent: str | None = None) -> EngineEvent:
    request = {"Method": method, "Path": path} if parent is None else {"token": "x"}
    return EngineEvent(
        EventKind.INSTANCE_STARTED,
        instance,
        "Child" if parent else "Api",
        message="started",
        data={"input": request},
        parent_instance_id=parent,
    )


def finished(instance: str, parent: str | None = None) -> EngineEvent:
    return EngineEvent(
        EventKind.INSTANCE_FINISHED, instance, "Child" if parent else "Api", parent_instance_id=parent
    )


def test_sub_workflow_lines_go_to_the_run_of_their_root(qtbot):
    model = RunsModel(LIGHT)
    model.apply(
        [
            started("root-1", "GET", "/a"),
            started("child-1", "GET", "/a", parent="root-1"),
            EngineEvent(
                EventKind.CORRELATED,
                "child-1",
                "Child",
                activity_label="Refresh",
                message="token refreshed",
                parent_instance_id="root-1",
            ),
            finished("child-1", parent="root-1"),
            finished("root-1"),
            CompletedRequest("GET", "/a", 200, 3.0),
        ]
    )
    assert len(model.runs) == 1
    run = model.runs[0]
    assert (run.status, run.state, run.workflow) == (200, "finished", "Api")
    assert any("Child [child-1] / Refresh: token refreshed" in line for line in run.lines)
    assert run.lines[-1].endswith("GET /a → 200 (3.0 ms)")


def test_statuses_go_to_ended_runs_in_order_and_requests_without_instance_get_rows(qtbot):
    model = RunsModel(LIGHT)
    model.apply(
        [
            started("one", "GET", "/a"),
            started("two", "GET", "/a"),
            finished("two"),
            CompletedRequest("GET", "/a", 201, 1.0),
            CompletedRequest("GET", "/a", 401, 0.5),
        ]
    )
    one, two, rejected = model.runs
    assert (one.status, one.state) == (None, "running")
    assert (two.status, two.state) == (201, "finished")
    assert (rejected.status, rejected.instance_id, rejected.state) == (401, None, "answered")
    assert model.index(0, COLUMNS.index("Status")).data() == "running…"

    model.clear()
    assert model.runs == [one]
    model.apply([finished("one"), CompletedRequest("GET", "/a", 200, 9.0)])
    assert one.status == 200


def test_a_status_goes_to_the_instance_that_the_request_started(qtbot):
    model = RunsModel(LIGHT)
    model.apply(
        [
            started("first", "GET", "/a"),
            started("second", "GET", "/a"),
            finished("first"),
            finished("second"),
            CompletedRequest("GET", "/a", 500, 2.0, instance_id="second"),
            CompletedRequest("GET", "/a", 200, 1.0, instance_id="first"),
        ]
    )
    assert [(run.instance_id, run.status) for run in model.runs] == [("first", 200), ("second", 500)]
