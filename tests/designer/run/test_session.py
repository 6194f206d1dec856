"""The run session: the engine on its own thread, stopped, paused, stepped and edited from the GUI thread."""

from __future__ import annotations

import threading

import pytest

from designer.run.bridge import EventBridge
from designer.run.session import RunRequest, RunSession, SessionBusyError, SessionState
from runtime.builder import WorkflowBuilder
from runtime.engine import EventKind, InstanceStatus, PinnedOutput, WorkflowLibrary
from runtime.model import WorkflowDefinition

TIMEOUT = 15_000


@pytest.fixture
def session(qtbot, tmp_path):
    bridge = EventBridge()
    run_session = RunSession(bridge)
    events: list = []
    bridge.delivered.connect(events.extend)
    run_session.events = events
    run_session.store = tmp_path / "store.sqlite3"
    yield run_session
    assert run_session.shutdown()


def request(session, workflow: WorkflowDefinition, **options) -> RunRequest:
    library = options.pop("library", WorkflowLibrary([], [workflow]))
    return RunRequest(workflow, options.pop("input", None), library, session.store, **options)


def counter() -> WorkflowDefinition:
    return (
        WorkflowBuilder("Counter")
        .add("init", "SetVariable", VariableName="limit", Value=("JavaScript", "2"))
        .add("check", "If", Condition=("JavaScript", 'getVariable("limit") > 5'))
        .add("big", "Finish", ActivityOutput=("JavaScript", '"big"'))
        .add("small", "Finish", ActivityOutput=("JavaScript", '"small"'))
        .chain("init", "check")
        .connect("check", "big", "True")
        .connect("check", "small", "False")
        .build()
    )


def wait_state(qtbot, session: RunSession, state: SessionState) -> None:
    qtbot.waitUntil(lambda: session.state is state, timeout=TIMEOUT)


def test_a_run_goes_on_another_thread_and_ends_with_the_root_instance(qtbot, session) -> None:
    root = session.start(request(session, counter()))
    assert session.state is SessionState.RUNNING
    with qtbot.waitSignal(session.ended, timeout=TIMEOUT) as ended:
        pass
    assert ended.args[0].instance is root
    assert root.status is InstanceStatus.FINISHED and root.output == "small"
    assert session.state is SessionState.IDLE
    assert not any(t.name.startswith("flowdesk-run") for t in threading.enumerate())


def test_only_one_run_at_a_time(qtbot, session) -> None:
    slow = WorkflowBuilder("Slow").add("wait", "Timer", Timeout="30").build()
    session.start(request(session, slow))
    with pytest.raises(SessionBusyError):
        session.start(request(session, counter()))
    session.stop()
    wait_state(qtbot, session, SessionState.IDLE)
    assert session.root.status is InstanceStatus.CANCELLED


def test_debug_pauses_at_breakpoints_and_a_variable_edit_applies_before_going_on(qtbot, session) -> None:
    root = session.start(request(session, counter(), breakpoints={"check"}, debug=True))
    wait_state(qtbot, session, SessionState.PAUSED)
    assert session.pause_point.activity_id == "check"
    assert session.pause_point.snapshot["variables"] == {"limit": 2}
    assert session.edit_variable("limit", 9)
    session.resume()
    wait_state(qtbot, session, SessionState.IDLE)
    assert root.output == "big"


def test_step_runs_one_activity_at_a_time_from_the_start(qtbot, session) -> None:
    root = session.start(request(session, counter(), debug=True, pause_at_start=True))
    wait_state(qtbot, session, SessionState.PAUSED)
    assert session.pause_point.activity_id == "init"
    session.step()
    qtbot.waitUntil(lambda: session.pause_point is not None and session.pause_point.activity_id == "check")
    session.step()
    qtbot.waitUntil(lambda: session.pause_point is not None and session.pause_point.activity_id == "small")
    session.resume()
    wait_state(qtbot, session, SessionState.IDLE)
    assert root.status is InstanceStatus.FINISHED


def test_a_plain_run_ignores_breakpoints(qtbot, session) -> None:
    root = session.start(request(session, counter(), breakpoints={"check"}, debug=False))
    wait_state(qtbot, session, SessionState.IDLE)
    assert root.status is InstanceStatus.FINISHED
    assert not any(e.event.kind is EventKind.INSTANCE_PAUSED for e in session.events if hasattr(e, "event"))


def test_pins_apply_in_sub_workflows_and_their_events_carry_journals(qtbot, session) -> None:
    child = (
        WorkflowBuilder("Child")
        .add("call", "SendHttpRequest", Url="http://127.0.0.1:9/never")
        .add("done", "Finish", ActivityOutput=("JavaScript", "input"))
        .connect("call", "done", "200")
        .build()
    )
    parent = (
        WorkflowBuilder("Parent")
        .add("run", "RunWorkflow", WorkflowDefinitionId="child", Mode="Blocking")
        .add("end", "Finish", ActivityOutput=("JavaScript", "input.WorkflowOutput"))
        .chain("run", "end")
        .build()
    )
    pins = {"call": PinnedOutput({"pinned": True}, ("Done", "200"))}
    root = session.start(request(session, parent, library=WorkflowLibrary([], [parent, child]), pinned=pins))
    wait_state(qtbot, session, SessionState.IDLE)
    assert root.status is InstanceStatus.FINISHED, root.fault
    assert root.output == {"pinned": True}
    records = [e.record for e in session.events if getattr(e, "record", None) is not None]
    assert [r.activity_id for r in records] == ["call", "done", "run", "end"]
    assert records[0].data.get("pinned") is True
