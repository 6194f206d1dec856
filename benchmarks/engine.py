"""Engine speed: literal and JavaScript steps per second, warm JS evaluation cost, instance start cost.

Run: ``python benchmarks/engine.py``. Prints each figure beside its goal and beside a baseline measured in
the same run (a bare Python loop doing the same variable writes; the JS engine called directly), so the
engine's own overhead is visible.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from runtime.builder import WorkflowBuilder  # noqa: E402
from runtime.engine import WorkflowRunner  # noqa: E402
from runtime.expressions import ScriptScope, evaluate  # noqa: E402

ITEMS = 5_000


def for_each_workflow(value: tuple[str, str]):
    return (
        WorkflowBuilder("Bench")
        .add("each", "ForEach", Items=("JavaScript", f"Array.from({{length: {ITEMS}}}, (_, i) => i)"))
        .add("set", "SetVariable", VariableName="x", Value=value)
        .connect("each", "set", "Iterate")
        .build()
    )


def best_of(repeats: int, fn: Callable[[], float]) -> float:
    return min(fn() for _ in range(repeats))


def steps_per_second(value: tuple[str, str]) -> float:
    workflow = for_each_workflow(value)
    runner = WorkflowRunner()
    runner.run_sync(workflow)

    def once() -> float:
        started = time.perf_counter()
        instance = runner.run_sync(workflow)
        elapsed = time.perf_counter() - started
        assert instance.steps == 2 * ITEMS + 1, instance.fault
        return elapsed

    return (2 * ITEMS + 1) / best_of(3, once)


def baseline_steps_per_second() -> float:
    variables: dict[str, object] = {}

    def once() -> float:
        started = time.perf_counter()
        for i in range(2 * ITEMS + 1):
            variables["x"] = str(i)
        return time.perf_counter() - started

    return (2 * ITEMS + 1) / best_of(3, once)


def js_eval_microseconds(text: str, variables: dict[str, object]) -> float:
    scope = ScriptScope(variables=variables, input={"api": "/orders", "method2": "GET"})
    for _ in range(50):
        evaluate("JavaScript", text, scope)
    samples = []
    for _ in range(7):
        started = time.perf_counter()
        for _ in range(500):
            evaluate("JavaScript", text, scope)
        samples.append((time.perf_counter() - started) / 500 * 1e6)
    return statistics.median(samples)


def instance_start_milliseconds() -> float:
    workflow = WorkflowBuilder("Tiny").add("set", "SetVariable", VariableName="x", Value="1").build()
    runner = WorkflowRunner()

    import asyncio

    async def many(count: int) -> float:
        await runner.run(workflow)
        started = time.perf_counter()
        for _ in range(count):
            await runner.run(workflow)
        return (time.perf_counter() - started) / count * 1000

    return min(asyncio.run(many(500)) for _ in range(3))


def main() -> None:
    settings = {
        "AccessToken": {"ObjectId": 1, "Key": "AccessToken", "Data1": "tok", "Data2": "2030-01-01T00:00:00Z"}
    }
    rows = [
        (
            "literal steps/s (5,000-item ForEach → SetVariable Literal)",
            steps_per_second(("Literal", "abc")),
            ">= 50,000",
            f"bare Python loop: {baseline_steps_per_second():,.0f}/s",
        ),
        (
            "JavaScript steps/s (same, Value in JavaScript)",
            steps_per_second(("JavaScript", "input * 2")),
            ">= 10,000",
            "",
        ),
        (
            'warm JS evaluation, µs (getVariable("AccessToken").Data1)',
            js_eval_microseconds('getVariable("AccessToken").Data1', dict(settings)),
            "tens of µs",
            "",
        ),
        (
            "warm JS evaluation, µs (multi-line If condition with return)",
            js_eval_microseconds(
                'var t = getVariable("AccessToken");\nconst d = new Date(t.Data2);\n'
                "return isNaN(d) || d < new Date();",
                dict(settings),
            ),
            "",
            "",
        ),
        ("instance start + 1 activity, ms (warm)", instance_start_milliseconds(), "<= 1 ms", ""),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, goal, baseline in rows:
        print(f"{name:<{width}}  {value:>12,.2f}   goal {goal:<10} {baseline}")


if __name__ == "__main__":
    main()
