"""Controlling a run from another thread: pause before an activity, step, resume, breakpoints, stop."""

from __future__ import annotations

import threading
import time

from runtime.builder import WorkflowBuilder
from runtime.engine import EventKind, ExecutionControl, InstanceStatus, WorkflowRunner


def _three_steps():
    return (
        WorkflowBuilder("Steps")
        .add("a", "SetVariable", VariableName="a", Value="1")
        .add("b", "SetVariable", VariableName="b", Value="2")
        .add("c", "SetVariable", VariableName="c", Value="3")
        .chain("a", "b", "c")
        .build()
    )


class Background:
    """Runs the engine on its own thread, as the designer does, and records pauses."""

    def __init__(self, workflow, control: ExecutionControl) -> None:
        self.paused = threading.Event()
        self.paused_at: list[str] = []
        self.result = None
        runner = WorkflowRunner(observers=[self._observe])
        self.thread = threading.Thread(
            target=lambda: setattr(self, "result", runner.run_sync(workflow, control=control))
        )
        self.thread.start()

    def _observe(self, event) -> None:
        if event.kind is EventKind.INSTANCE_PAUSED:
            self.paused_at.append(event.activity_id)
            self.paused.set()

    def wait_pause(self) -> str:
        assert self.paused.wait(10), "the engine never paused"
        self.paused.clear()
        return self.paused_at[-1]

    def join(self):
        self.thread.join(10)
        assert not self.thread.is_alive()
        return self.result


def test_pause_at_start_then_step_one_activity_at_a_time_then_resume() -> None:
    control = ExecutionControl(pause_at_start=True)
    run = Background(_three_steps(), control)
    assert run.wait_pause() == "a"
    control.step()
    assert run.wait_pause() == "b"
    control.step()
    assert run.wait_pause() == "c"
    control.resume()
    instance = run.join()
    assert instance.status is InstanceStatus.FINISHED
    assert instance.variables == {"a": "1", "b": "2", "c": "3"}


def test_breakpoint_pauses_before_its_activity_and_variables_can_be_edited_while_paused() -> None:
    control = ExecutionControl(breakpoints={"c"})
    workflow = _three_steps()
    workflow.activities[2].properties[1].expressions = {"JavaScript": 'getVariable("b") + "!"'}
    workflow.activities[2].properties[1].syntax = "JavaScript"
    workflow.touch()
    captured = {}
    runner = WorkflowRunner(
        observers=[lambda e: captured.setdefault("run", e) if e.kind is EventKind.INSTANCE_PAUSED else None]
    )
    holder = {}
    thread = threading.Thread(
        target=lambda: holder.setdefault("i", runner.run_sync(workflow, control=control))
    )
    thread.start()
    deadline = time.monotonic() + 10
    while control.paused_at != "c" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert control.paused_at == "c"
    paused = captured["run"]
    assert paused.activity_id == "c"
    assert paused.data["variables"] == {"a": "1", "b": "2"}
    control.edit_variable("b", "edited")
    control.resume()
    thread.join(10)
    assert holder["i"].variables["c"] == "edited!"


def test_stop_cancels_a_paused_run() -> None:
    control = ExecutionControl(pause_at_start=True)
    run = Background(_three_steps(), control)
    run.wait_pause()
    control.stop()
    instance = run.join()
    assert instance.status is InstanceStatus.CANCELLED
    assert instance.variables == {}


def test_stop_cancels_an_activity_that_is_waiting() -> None:
    workflow = (
        WorkflowBuilder("Slow")
        .add("wait", "Timer", Timeout=("JavaScript", "30"))
        .add("after", "SetVariable", VariableName="after", Value="1")
        .chain("wait", "after")
        .build()
    )
    control = ExecutionControl()
    holder = {}
    thread = threading.Thread(
        target=lambda: holder.setdefault("i", WorkflowRunner().run_sync(workflow, control=control))
    )
    thread.start()
    time.sleep(0.2)
    control.stop()
    thread.join(10)
    assert not thread.is_alive()
    assert holder["i"].status is InstanceStatus.CANCELLED
    assert "after" not in holder["i"].variables


def test_stop_before_the_run_starts_cancels_it_cleanly() -> None:
    control = ExecutionControl()
    control.stop()
    instance = WorkflowRunner().run_sync(_three_steps(), control=control)
    assert instance.status is InstanceStatus.CANCELLED
    assert instance.variables == {}
