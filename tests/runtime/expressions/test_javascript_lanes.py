"""Scripts off the event loop (issue 14): a script of a running instance that needs more than the loop's
short budget is run again in a lane (a worker thread) under the CPU and wall-clock limits, and the step
is run again without repeating what it already did, so one script never stalls the host."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import RuntimeServices, WorkflowLibrary, WorkflowRunner
from runtime.engine.instance import InstanceStatus, WorkflowInstance
from runtime.expressions import javascript as javascript_module
from runtime.expressions import javascript_settings
from runtime.expressions.js_lanes import busy_lanes
from runtime.host import BackgroundHost, WorkflowHost
from runtime.host.endpoints import HostedWorkflow
from runtime.model import WorkflowDefinition

SPIN = "while (true) {}"
BUSY = "let n = 0; for (let i = 0; i < 3e6; i++) n += i; n > 0"
"""Well over the loop's budget below, well under the CPU limit."""


@pytest.fixture(autouse=True)
def short_limits() -> Iterator[None]:
    saved = replace(javascript_settings)
    javascript_settings.time_limit = 1.0
    javascript_settings.inline_time_limit = 0.01
    javascript_settings.wall_time_limit = 20.0
    yield
    for name in ("time_limit", "inline_time_limit", "wall_time_limit"):
        setattr(javascript_settings, name, getattr(saved, name))
    javascript_module._scripts.clear()
    deadline = time.monotonic() + 30
    while busy_lanes() and time.monotonic() < deadline:  # a script past its wall-clock limit runs on
        time.sleep(0.05)  # until its CPU limit: not into the next test's CPU time


def run_with_ticker(workflow: WorkflowDefinition) -> tuple[WorkflowInstance, float, float]:
    """Run the workflow on an event loop that also ticks every 5 ms: (the instance, the longest the loop
    was unavailable, seconds the run took)."""

    async def main() -> tuple[WorkflowInstance, float, float]:
        runner = WorkflowRunner(RuntimeServices(library=WorkflowLibrary(workflows=[workflow])))
        gaps: list[float] = []
        done = False

        async def tick() -> None:
            last = time.perf_counter()
            while not done:
                await asyncio.sleep(0.005)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        ticker = asyncio.create_task(tick())
        started = time.perf_counter()
        instance = await runner.run(workflow)
        took = time.perf_counter() - started
        done = True
        await ticker
        return instance, max(gaps), took

    return asyncio.run(main())


def test_a_runaway_script_stops_at_its_cpu_limit_without_stalling_the_loop() -> None:
    workflow = (
        WorkflowBuilder("Spin")
        .add("js", "RunJavaScript", Script=f"setVariable('before', 1); {SPIN}")
        .add("after", "SetVariable", VariableName="after", Value="1")
        .chain("js", "after")
        .build()
    )
    instance, longest_gap, took = run_with_ticker(workflow)
    assert instance.status is InstanceStatus.FAULTED
    assert instance.fault is not None and "time limit of 1 s" in instance.fault.message
    assert "before" not in instance.variables and "after" not in instance.variables
    assert took >= 0.3  # it did run in a lane until stopped (the CPU limit counts the whole process)
    assert longest_gap < 0.5  # the loop's budget (10 ms of CPU), not the script's second


def test_a_script_still_running_at_the_wall_clock_limit_faults_its_activity() -> None:
    javascript_settings.time_limit = 1.5
    javascript_settings.wall_time_limit = 0.3
    workflow = WorkflowBuilder("Spin").add("js", "RunJavaScript", Script=SPIN).build()
    instance, longest_gap, took = run_with_ticker(workflow)
    assert instance.status is InstanceStatus.FAULTED
    assert instance.fault is not None and "wall-clock limit of 0.3 s" in instance.fault.message
    assert took < 2.5 and longest_gap < 0.5


def test_a_slow_condition_gives_its_result_from_the_lane() -> None:
    workflow = (
        WorkflowBuilder("Busy")
        .add("if", "If", Condition=("JavaScript", BUSY))
        .add("yes", "SetVariable", VariableName="branch", Value="True")
        .connect("if", "yes", "True")
        .build()
    )
    instance, longest_gap, _took = run_with_ticker(workflow)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.variables["branch"] == "True"
    assert javascript_module._scripts[BUSY].slow  # the next evaluation goes straight to a lane
    instance, _gap, _took = run_with_ticker(workflow)
    assert instance.variables["branch"] == "True"


def test_running_a_step_again_does_not_repeat_its_earlier_evaluations() -> None:
    """A Switch evaluates its cases in order; when the second needs a lane, the step runs again, and the
    first case (which sets a variable) answers from the record instead of running twice."""
    scripts = {
        "first": "setVariable('count', getVariable('count') + 1); setVariable('seen', count + 1); false",
        "pure": "getVariable('count') === 1",
        "busy": f"setVariable('busy', 1); {BUSY}",
        "after": "setVariable('after', 1); true",
    }
    cases = [
        {"name": name, "syntax": "JavaScript", "expressions": {"JavaScript": text}}
        for name, text in scripts.items()
    ]
    workflow = (
        WorkflowBuilder("Cases")
        .variables(count=0)
        .add("switch", "Switch", Cases=("Switch", json.dumps(cases)), Mode="MatchAll")
        .build()
    )
    events: list[tuple[str, Any]] = []

    async def main() -> WorkflowInstance:
        runner = WorkflowRunner(RuntimeServices(library=WorkflowLibrary(workflows=[workflow])))
        runner.add_observer(lambda event: events.append((event.kind.name, event.message)))
        return await runner.run(workflow)

    instance = asyncio.run(main())
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.variables["count"] == 1 and instance.variables["seen"] == 1
    assert instance.variables["busy"] == 1 and instance.variables["after"] == 1
    record = [entry for entry in instance.journal if entry.activity_id == "switch"][0]
    assert record.data["Matches"] == ["pure", "busy", "after"]
    assert [message for kind, message in events if kind == "VARIABLE_CHANGED"] == [
        "count", "seen", "busy", "after"
    ]  # fmt: skip


def test_a_host_keeps_answering_while_runaway_scripts_run() -> None:
    """The issue's case: four ``while (true) {}`` requests made a trivial endpoint wait 19.5 s."""
    spin = (
        WorkflowBuilder("Spin")
        .add("http", "HttpEndpoint", Path="/spin", Methods=("Json", '["GET"]'))
        .add("js", "RunJavaScript", Script=SPIN)
        .chain("http", "js")
        .build()
    )
    hello = (
        WorkflowBuilder("Hello")
        .add("http", "HttpEndpoint", Path="/hello", Methods=("Json", '["GET"]'))
        .add("f", "Finish", ActivityOutput=("JavaScript", "'hi ' + (1 + 1)"))
        .chain("http", "f")
        .build()
    )
    services = RuntimeServices(library=WorkflowLibrary(workflows=[spin, hello]))
    hosted = [HostedWorkflow(spin, "spin.json"), HostedWorkflow(hello, "hello.json")]
    spins: list[tuple[int, float]] = []
    with BackgroundHost(WorkflowHost(hosted, WorkflowRunner(services))) as served, httpx.Client() as client:
        assert client.get(f"{served.url}/hello").text == "hi 2"

        def request_spin() -> None:
            started = time.perf_counter()
            response = httpx.get(f"{served.url}/spin", timeout=30)
            spins.append((response.status_code, time.perf_counter() - started))

        threads = [threading.Thread(target=request_spin) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(0.1)
        latencies = []
        while any(thread.is_alive() for thread in threads):
            started = time.perf_counter()
            assert client.get(f"{served.url}/hello", timeout=30).text == "hi 2"
            latencies.append(time.perf_counter() - started)
        for thread in threads:
            thread.join()
    assert [status for status, _seconds in spins] == [500] * 4
    assert len(latencies) >= 20
    latencies.sort()
    assert latencies[len(latencies) // 2] < 0.1 and latencies[-1] < 1.0


def test_a_slow_run_javascript_sets_its_variables_and_outcomes_once() -> None:
    workflow = (
        WorkflowBuilder("Outcomes")
        .variables(count=0)
        .add("js", "RunJavaScript", Script=f"setVariable('count', count + 1); setOutcome('Slow'); {BUSY}")
        .add("slow", "SetVariable", VariableName="branch", Value="Slow")
        .connect("js", "slow", "Slow")
        .build()
    )
    instance, _gap, _took = run_with_ticker(workflow)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.variables["count"] == 1 and instance.variables["branch"] == "Slow"
    assert instance.output is True
