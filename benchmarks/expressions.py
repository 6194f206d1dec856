"""Cost of a warm expression evaluation: the JavaScript of the HTTP host's flows, a ~2 KB state, Liquid.

Run from the project root: ``.venv/bin/python benchmarks/expressions.py``. Prints the median of 7 batches
and the best batch (microseconds per evaluation, the whole path: state JSON, the engine call, the result
back in Python); on a busy machine the best batch is the better estimate.

``--against REV`` also runs the same cases on the ``runtime`` package of a git revision (``git archive``
into a temporary folder, run in a child process) and prints both, e.g. ``--against HEAD`` to compare the
working tree with the last commit.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
BATCHES = 7
CALLS = 500

EXPIRED_CONDITION = """var t = getVariable("AccessToken")
const data2 = t.Data2;
const now = new Date();
function isEarlierThanNow(dateString) {
    if (!dateString) { return true; }
    const date = new Date(dateString);
    if (isNaN(date.getTime())) { return true; }
    return date < now;
}
return isEarlierThanNow(data2);
"""
RUN_JAVASCRIPT = 'setVariable("api", "/orders"); setVariable("method", "GET");'
IF_CONDITION = 'getVariable("method") == "GET"'
OBJECT_CONTENT = '({api: getVariable("api"), method: getVariable("method")})'


def cases(evaluate: Callable[..., Any], scope_type: type) -> list[tuple[str, Callable[[], object]]]:
    """(label, one evaluation) for every case; ``evaluate`` and ``ScriptScope`` of the code measured."""
    token = scope_type(
        variables={"token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "api": "/orders", "method": "GET"},
        input={"path": "/token"},
        workflow_instance_id="bench",
    )
    request = scope_type(variables={}, input={"path": "/orders"}, workflow_instance_id="bench")
    small, large = small_scope(scope_type), large_scope(scope_type)

    def run_javascript() -> object:
        request.outcomes = []
        return evaluate("JavaScript", RUN_JAVASCRIPT, request)

    def js(text: str, scope: object, value_type: str = "any") -> Callable[[], object]:
        return lambda: evaluate("JavaScript", text, scope, value_type)

    run_javascript()
    return [
        ('(a) Content: getVariable("token"), small state', js('getVariable("token")', token)),
        ("(b) RunJavaScript: two setVariable calls", run_javascript),
        ('(b) If: getVariable("method") == "GET"', js(IF_CONDITION, request, "bool")),
        ("(b) Content: ({api: getVariable(...), method: ...})", js(OBJECT_CONTENT, request)),
        ("small: 1 + 1", js("1 + 1", small)),
        ('small: getVariable("AccessToken").Data1', js('getVariable("AccessToken").Data1', small, "string")),
        ("small: If-expired condition (function-body mode)", js(EXPIRED_CONDITION, small, "bool")),
        (
            '2 KB: getVariable("AccessToken").Data1 (one variable sent)',
            js('getVariable("AccessToken").Data1', large),
        ),
        (
            "2 KB: computed getVariable name (whole state sent)",
            js('const n = "Access" + "Token"; getVariable(n).Data1 + input.api', large),
        ),
        (
            "2 KB: JSON.stringify(activities.httpAPI.ResponseContent(), null, 2)",
            js("JSON.stringify(activities.httpAPI.ResponseContent(),null,2)", large),
        ),
        ("2 KB: setVariable + read back", js('setVariable("api", input.api); getVariable("api")', large)),
        (
            "Liquid: Bearer {{Variables.AccessToken.Data1}}",
            lambda: evaluate("Liquid", "Bearer {{Variables.AccessToken.Data1}}", large, "string"),
        ),
        (
            "Liquid: JSON body with two variables",
            lambda: evaluate(
                "Liquid",
                '{"username": "{{Variables.Creds.Data1}}", "password": "{{Variables.Creds.Data2}}"}',
                large,
            ),
        ),
    ]


def small_scope(scope_type: type) -> Any:
    return scope_type(
        variables={
            "AccessToken": {"ObjectId": 1, "Key": "AccessToken", "Data1": "tok", "Data2": ""},
            "api": "/x",
        },
        input={"api": "/x"},
        workflow_instance_id="bench",
    )


def large_scope(scope_type: type) -> Any:
    """About 2 KB of JSON: 20 variables, an input and three activity outputs (one with 30 items)."""
    variables: dict[str, object] = {
        "AccessToken": {"ObjectId": 1, "Title": "", "Key": "AccessToken", "Data1": "t" * 40, "Data2": ""},
        "Creds": {"ObjectId": 3, "Title": "", "Key": "AccessTokenCreds", "Data1": "wow", "Data2": "secret"},
        "APIBaseURL": {"ObjectId": 2, "Title": "", "Key": "APIBaseURL", "Data1": "http://127.0.0.1:5080"},
    }
    variables.update({f"var{index}": f"value number {index}" for index in range(17)})
    return scope_type(
        variables=variables,
        input={"api": "/state", "method2": "GET", "content2": {"PortId": 1}},
        activities={
            "getSettingToken": {"Output": [variables["AccessToken"]]},
            "auth": {"Response": {"StatusCode": 200, "Headers": {}}, "ResponseContent": {"authToken": "abc"}},
            "httpAPI": {"ResponseContent": [{"Id": index, "Name": f"item {index}"} for index in range(30)]},
        },
        workflow_instance_id="bench",
    )


def state_size(make_scope: Callable[[type], Any]) -> int:
    from runtime.expressions import ScriptScope

    scope = make_scope(ScriptScope)
    return len(json.dumps({"v": scope.variables, "i": scope.input, "a": scope.activities}))


def batch_microseconds(run: Callable[[], object]) -> list[float]:
    for _ in range(50):
        run()
    samples = []
    for _ in range(BATCHES):
        started = time.perf_counter()
        for _ in range(CALLS):
            run()
        samples.append((time.perf_counter() - started) / CALLS * 1e6)
    return samples


def measure(root: Path) -> dict[str, tuple[float, float]]:
    """Label -> (median, best batch) in microseconds, for the ``runtime`` package under ``root``."""
    sys.path.insert(0, str(root))
    from runtime.expressions import ScriptScope, evaluate

    results = {}
    for label, run in cases(evaluate, ScriptScope):
        samples = batch_microseconds(run)
        results[label] = (statistics.median(samples), min(samples))
    return results


def measure_revision(revision: str) -> dict[str, tuple[float, float]]:
    """The same cases on ``runtime`` as committed in ``revision``, measured in a child process."""
    command = ["git", "archive", "--format=tar", revision, "runtime"]
    git = subprocess.run(command, cwd=PROJECT, capture_output=True, check=False)
    if git.returncode != 0:
        raise SystemExit(f"--against {revision}: git archive failed: {git.stderr.decode().strip()}")
    archive = git.stdout
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        child = subprocess.run(
            [sys.executable, __file__, "--root", folder, "--json"], capture_output=True, check=True, text=True
        )
    return {label: (median, best) for label, (median, best) in json.loads(child.stdout).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="also measure runtime/ of this git revision")
    parser.add_argument("--root", type=Path, default=PROJECT, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.root)))
        return
    before = measure_revision(args.against) if args.against else None
    after = measure(args.root)
    print(f"state JSON: small {state_size(small_scope)} bytes, 2 KB cases {state_size(large_scope)} bytes\n")
    width = max(len(label) for label in after)
    if before is None:
        for label, (median, best) in after.items():
            print(f"{label:<{width}} {median:8.1f} us  (best batch {best:.1f})")
        return
    heading = "us per evaluation, median (best batch)"
    print(f"{heading:<{width}} {args.against:>16} {'working tree':>16}  speed-up")
    for label, (median, best) in after.items():
        old_median, old_best = before.get(label, (float("nan"), float("nan")))
        print(
            f"{label:<{width}} {old_median:7.1f} ({old_best:6.1f}) {median:7.1f} ({best:6.1f})"
            f"  {old_best / best:5.1f}x"
        )


if __name__ == "__main__":
    main()
