"""Engine speed: steps per second with the live log on and off, warm JavaScript evaluation, instance start.

Run: ``python benchmarks/engine.py``. Every figure is printed beside its goal and beside a baseline measured
in the same run, so the engine's own overhead is visible:

* ``flowdesk run`` as users run it: a process per run, the live log on (stderr to a file); start-up is
  subtracted by also running the same workflow over one item. Beside it, the same loop in-process with no
  observer (quiet) and with the log's observer writing to a file.
* a bare Python loop doing the same variable writes; the JS engine called directly.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runtime.builder import WorkflowBuilder  # noqa: E402
from runtime.elsa_json import save_workflow  # noqa: E402
from runtime.engine import WorkflowRunner  # noqa: E402
from runtime.expressions import ScriptScope, evaluate  # noqa: E402
from runtime.logfmt import StreamLog  # noqa: E402

ITEMS = 5_000


def for_each_workflow(value: tuple[str, str], items: int = ITEMS):
    """ForEach over a Json list (Elsa re-reads Items at every iteration; Json text is read once here)."""
    return (
        WorkflowBuilder("Bench")
        .add("each", "ForEach", Items=("Json", json.dumps(list(range(items)))))
        .add("set", "SetVariable", VariableName="x", Value=value)
        .connect("each", "set", "Iterate")
        .build()
    )


def best_of(repeats: int, fn: Callable[[], float]) -> float:
    return min(fn() for _ in range(repeats))


def steps_per_second(value: tuple[str, str], log: bool = False) -> float:
    """In-process: quiet (no observer), or with the live log's observer writing to a file."""
    workflow = for_each_workflow(value)
    with tempfile.TemporaryFile("w") as sink:
        observers = [StreamLog(sink)] if log else []
        runner = WorkflowRunner(observers=observers)
        runner.run_sync(workflow)

        def once() -> float:
            started = time.perf_counter()
            instance = runner.run_sync(workflow)
            for observer in observers:
                observer.flush()
            elapsed = time.perf_counter() - started
            assert instance.steps == 2 * ITEMS + 1, instance.fault
            return elapsed

        rate = (2 * ITEMS + 1) / best_of(5, once)
        for observer in observers:
            observer.close()
    return rate


def cli_steps_per_second(repeats: int = 5, history: bool = True) -> tuple[float, float]:
    """``flowdesk run`` in a process, stderr to a file: (steps/s with start-up subtracted, start-up in s).
    ``history``: as users run it, recording the run in the store's run history (else ``--no-history``)."""
    with tempfile.TemporaryDirectory() as folder:
        big, small = Path(folder) / "big.json", Path(folder) / "small.json"
        save_workflow(for_each_workflow(("Literal", "abc")), big)
        save_workflow(for_each_workflow(("Literal", "abc"), items=1), small)
        store = str(Path(folder) / "store.sqlite3")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}

        def timed(path: Path) -> float:
            with open(Path(folder) / "stderr.log", "w") as stderr:
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "runtime.cli", "run", str(path), "--store", store]
                    + ([] if history else ["--no-history"]),
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    check=True,
                    env=env,
                )
                return time.perf_counter() - started

        big_times, small_times = [], []
        for _ in range(repeats):
            big_times.append(timed(big))
            small_times.append(timed(small))
        start_up = min(small_times)
        return (2 * ITEMS + 1 - 3) / (min(big_times) - start_up), start_up


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
    cli_rate, start_up = cli_steps_per_second()
    bare_rate, bare_start_up = cli_steps_per_second(history=False)
    quiet = steps_per_second(("Literal", "abc"))
    rows = [
        (
            "flowdesk run, live log on: literal steps/s (5,000-item ForEach)",
            cli_rate,
            ">= 50,000",
            f"start-up subtracted ({start_up * 1000:.0f} ms); in-process quiet: {quiet:,.0f}/s",
        ),
        (
            "  the same with --no-history (no run history recorded)",
            bare_rate,
            "",
            f"history costs {(1 - cli_rate / bare_rate) * 100:+.1f}% of steps/s; start-up "
            f"{bare_start_up * 1000:.0f} ms",
        ),
        (
            "in-process, live log on: literal steps/s",
            steps_per_second(("Literal", "abc"), log=True),
            "",
            f"quiet: {quiet:,.0f}/s; bare Python loop: {baseline_steps_per_second():,.0f}/s",
        ),
        (
            "in-process, quiet: JavaScript steps/s (Value in JavaScript)",
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
