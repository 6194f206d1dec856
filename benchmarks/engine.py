"""Engine speed: steps per second with the live log on and off, warm JavaScript evaluation, instance start.

Run: ``python benchmarks/engine.py [--before CHECKOUT]``. Every figure is printed beside its goal and
beside a baseline measured in the same run, so the engine's own overhead is visible (``--before``: an
earlier version's ``flowdesk run`` timed in the same run, for before/after figures):

* ``flowdesk run`` as users run it: a process per run, the live log on (stderr to a file), the run
  history kept; start-up and exit are subtracted by running the same workflow over 5,000 and 25,000
  items. Beside it, the same loop in-process with no
  observer (quiet) and with the log's observer writing to a file.
* a bare Python loop doing the same variable writes; the JS engine called directly.
"""

from __future__ import annotations

import argparse
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


LONGER = 25_000
"""Items of the second, longer run: the difference in steps over the difference in time is the rate."""


def cli_steps_per_second(repeats: int = 7, before: Path | None = None) -> dict[str, tuple[float, float]]:
    """``flowdesk run`` as a process, stderr to a file, with the run history (as users run it) and with
    ``--no-history``: steps/s and the fixed cost in s of each.

    Start-up, exit and every other fixed cost are subtracted exactly: the same ForEach runs over 5,000 and
    over 25,000 items, and the rate is the extra steps over the extra time (medians of interleaved runs, so
    machine noise hits every variant alike)."""
    variants = {"history": [], "no-history": ["--no-history"]}
    roots = {"history": ROOT, "no-history": ROOT}
    if before is not None:  # the same runs of an earlier version, interleaved with these
        variants["history, before"] = []
        roots["history, before"] = before
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for items in (ITEMS, LONGER):
            files[items] = Path(folder) / f"each-{items}.json"
            save_workflow(for_each_workflow(("Literal", "abc"), items=items), files[items])
        store = str(Path(folder) / "store.sqlite3")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed application reads bytecode

        def timed(path: Path, options: list[str], root: Path = ROOT) -> float:
            log = Path(folder) / "stderr.log"
            command = [sys.executable, "-m", "runtime.cli", "run", str(path), "--store", store, *options]
            with open(log, "w") as stderr:
                started = time.perf_counter()
                done = subprocess.run(
                    command,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    env={**env, "PYTHONPATH": str(root)},
                    cwd=root,  # python -m puts the working folder first on sys.path
                )
                elapsed = time.perf_counter() - started
            if done.returncode != 0:  # say what the run said, not the benchmark's own traceback
                said = [
                    line
                    for line in log.read_text("utf-8", "replace").splitlines()
                    if " ACTIVITY " not in line
                ]
                sys.exit(
                    f"{' '.join(command[1:])} (in {root}) exited with {done.returncode}:\n"
                    + "\n".join(said[-20:])
                )
            return elapsed

        times: dict[tuple[str, int], list[float]] = {(v, n): [] for v in variants for n in files}
        for root in set(roots.values()):
            timed(files[ITEMS], [], root)
        for _ in range(repeats):
            for variant, options in variants.items():
                for items, path in files.items():
                    times[variant, items].append(timed(path, options, roots[variant]))
    results = {}
    for variant in variants:
        short, long = (statistics.median(times[variant, n]) for n in (ITEMS, LONGER))
        rate = 2 * (LONGER - ITEMS) / (long - short)
        results[variant] = (rate, short - (2 * ITEMS) / rate)
    return results


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--before",
        metavar="CHECKOUT",
        type=Path,
        help="a checkout of an earlier version (git archive REF | tar -x -C DIR): its flowdesk run is timed "
        "too, interleaved with this one's",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=7,
        help="interleaved runs of each flowdesk run variant (default 7; more steadies the medians on a busy "
        "machine)",
    )
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error(f"--repeats {args.repeats}: give at least 1 run")
    if args.before is not None and not (args.before / "runtime" / "cli.py").is_file():
        parser.error(f"--before {args.before}: not a flowdesk checkout (no runtime/cli.py)")
    settings = {
        "AccessToken": {"ObjectId": 1, "Key": "AccessToken", "Data1": "tok", "Data2": "2030-01-01T00:00:00Z"}
    }
    before = args.before.resolve() if args.before else None
    cli = cli_steps_per_second(repeats=args.repeats, before=before)
    cli_rate, start_up = cli["history"]
    bare_rate, bare_start_up = cli["no-history"]
    quiet = steps_per_second(("Literal", "abc"))
    rows = [
        (
            "flowdesk run, live log on: literal steps/s (5,000-item ForEach)",
            cli_rate,
            ">= 50,000",
            f"fixed cost subtracted ({start_up * 1000:.0f} ms); in-process quiet: {quiet:,.0f}/s",
        ),
        (
            "  the same with --no-history (no run history recorded)",
            bare_rate,
            "",
            f"history costs {(1 - cli_rate / bare_rate) * 100:+.1f}% of steps/s; fixed cost "
            f"{bare_start_up * 1000:.0f} ms",
        ),
        *(
            [
                (
                    "  the same, the earlier version (--before)",
                    cli["history, before"][0],
                    "",
                    f"fixed cost {cli['history, before'][1] * 1000:.0f} ms; {before}",
                )
            ]
            if before is not None
            else []
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
