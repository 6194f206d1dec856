"""Start-up of the command line: ``flowdesk --version`` and ``flowdesk validate SAMPLE`` against a bare
``python -c pass``, each a fresh process, run interleaved so machine noise hits them alike.

Prints the median and min–max of each, and the median over the bare interpreter (the figure the issue names:
``--version`` <= 0.10 s, ``validate`` <= 0.25 s over a bare start).

Run: ``python benchmarks/cli.py [--runs 21]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "call-my-api.json"


ENVIRONMENT = {
    **{name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPATH": str(ROOT),
}
"""Bytecode is written and then read, as for an installed application (pip compiles it on install); a
shell that sets PYTHONDONTWRITEBYTECODE would otherwise time the compiler on every start."""


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENVIRONMENT
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each command (default 21)")
    args = parser.parse_args()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "flowdesk --version": [sys.executable, "-m", "runtime.cli", "--version"],
        "flowdesk validate call-my-api.json": [sys.executable, "-m", "runtime.cli", "validate", str(SAMPLE)],
    }
    goals = {"flowdesk --version": 0.10, "flowdesk validate call-my-api.json": 0.25}
    for command in commands.values():
        timed(command)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            samples[name].append(timed(command))
    bare = statistics.median(samples["python -c pass"])
    print(f"{args.runs} runs each, interleaved; {os.cpu_count()} cores")
    print(f"{'command':<38}{'median s':>10}{'min–max s':>16}{'over bare s':>13}   goal")
    for name, values in samples.items():
        median = statistics.median(values)
        over = "" if name == "python -c pass" else f"{median - bare:.3f}"
        goal = f"<= {goals[name]:.2f}" if name in goals else "(baseline)"
        spread = f"{min(values):.3f}–{max(values):.3f}"
        print(f"{name:<38}{median:>10.3f}{spread:>16}{over:>13}   {goal}")


if __name__ == "__main__":
    main()
