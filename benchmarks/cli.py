"""Start-up of the command line: ``flowdesk --version``, ``flowdesk validate SAMPLE`` and ``flowdesk run``
of a one-activity workflow (default options: live log and run history, into a store of its own) against a bare
``python -c pass``, each a fresh process, run interleaved so machine noise hits them alike.

Prints the median and min–max of each, and the median over the bare interpreter (the figure the issue names:
``--version`` <= 0.10 s, ``validate`` <= 0.25 s over a bare start).

Run: ``python benchmarks/cli.py [--runs 21] [--before CHECKOUT]`` (``--before``: an earlier version's
commands timed in the same run, for before/after figures).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "call-my-api.json"
HELLO = {
    "name": "Hello",
    "activities": [
        {
            "activityId": "say",
            "type": "WriteLine",
            "properties": [{"name": "Text", "syntax": "Literal", "expressions": {"Literal": "hello"}}],
        }
    ],
    "connections": [],
}
"""What ``flowdesk run`` starts with in the figure: one step, so the figure is the command's own cost."""


ENVIRONMENT = {
    **{name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPATH": str(ROOT),
}
"""Bytecode is written and then read, as for an installed application (pip compiles it on install); a
shell that sets PYTHONDONTWRITEBYTECODE would otherwise time the compiler on every start."""


def timed(command: list[str], root: Path = ROOT) -> float:
    environment = ENVIRONMENT if root == ROOT else {**ENVIRONMENT, "PYTHONPATH": str(root)}
    started = time.perf_counter()
    subprocess.run(  # run in the checkout: python -m puts the working folder first on sys.path
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=environment, cwd=root
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each command (default 21)")
    parser.add_argument(
        "--before",
        metavar="CHECKOUT",
        type=Path,
        help="a checkout of an earlier version (git archive REF | tar -x -C DIR): its commands are timed "
        "too, interleaved with these",
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs {args.runs}: give at least 1")
    if args.before is not None and not (args.before / "runtime" / "cli.py").is_file():
        parser.error(f"--before {args.before}: not a flowdesk checkout (no runtime/cli.py)")
    folder = Path(tempfile.mkdtemp(prefix="flowdesk-cli-bench-"))
    hello = folder / "hello.json"
    hello.write_text(json.dumps(HELLO), encoding="utf-8")
    commands: dict[str, tuple[list[str], Path]] = {"python -c pass": ([sys.executable, "-c", "pass"], ROOT)}
    for root, suffix in [(ROOT, "")] + ([(args.before.resolve(), " (before)")] if args.before else []):
        commands[f"flowdesk --version{suffix}"] = ([sys.executable, "-m", "runtime.cli", "--version"], root)
        commands[f"flowdesk validate call-my-api.json{suffix}"] = (
            [sys.executable, "-m", "runtime.cli", "validate", str(SAMPLE)],
            root,
        )
        store = str(folder / "store.sqlite3")
        commands[f"flowdesk run hello.json{suffix}"] = (
            [sys.executable, "-m", "runtime.cli", "run", str(hello), "--store", store],
            root,
        )
    goals = {"flowdesk --version": 0.10, "flowdesk validate call-my-api.json": 0.25}
    for command, root in commands.values():
        timed(command, root)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (command, root) in commands.items():
            samples[name].append(timed(command, root))
    bare = statistics.median(samples["python -c pass"])
    print(f"{args.runs} runs each, interleaved; {os.cpu_count()} cores")
    print(f"{'command':<47}{'median s':>10}{'min–max s':>16}{'over bare s':>13}   goal")
    for name, values in samples.items():
        median = statistics.median(values)
        over = "" if name == "python -c pass" else f"{median - bare:.3f}"
        goal = f"<= {goals[name]:.2f}" if name in goals else ""
        goal = "(baseline)" if name == "python -c pass" else goal
        spread = f"{min(values):.3f}–{max(values):.3f}"
        print(f"{name:<47}{median:>10.3f}{spread:>16}{over:>13}   {goal}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
