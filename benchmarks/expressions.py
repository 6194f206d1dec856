"""Cost of a warm expression evaluation: the JavaScript of the HTTP host's flows, a ~2 KB state, Liquid.

Run from the project root: ``.venv/bin/python benchmarks/expressions.py``. Prints the median of 7 batches
and the best batch (microseconds of the thread's CPU time per evaluation, the whole path: state JSON, the
engine call, the result back in Python; CPU rather than wall-clock time, which other processes on a busy
machine inflate); the best batch is the better estimate.

``--against REV`` also runs the same cases on the ``runtime`` package of a git revision (``git archive``
into a temporary folder) and prints both, e.g. ``--against HEAD`` to compare the working tree with the
last commit. Both are measured in child processes, alternately, ``--rounds`` times (3), keeping each
case's best batch and the median of its medians, so that a busy spell does not favour one side.

Rows marked "(engine)" end in a comment, which the scripts that need no engine (``js_fast``) do not
accept: they measure the engine path for the same script. Rows marked "(in a step)" evaluate as the
engine does for a running instance (``ScriptScope.defer_slow_scripts``: each evaluation is recorded
for its step, see ``js_lanes``).
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

    hello = scope_type(
        variables={"token": {"token": "abc"}}, input={"path": "/hello"}, workflow_instance_id="b"
    )
    step = in_a_step(scope_type(variables={}, input={"path": "/orders"}, workflow_instance_id="bench"))
    step_hello = in_a_step(scope_type(variables={"token": {"token": "abc"}}, workflow_instance_id="b"))

    def run_javascript_in_a_step() -> object:
        step.outcomes = []
        step.journal = {}  # a new step
        return evaluate("JavaScript", RUN_JAVASCRIPT, step)

    def engine(text: str) -> str:
        return f"{text} /* engine */"

    run_javascript()
    run_javascript_in_a_step()
    return [
        ('(a) Content: getVariable("token"), small state', js('getVariable("token")', token)),
        ("(a) Content (engine)", js(engine('getVariable("token")'), token)),
        ('(a) getVariable("token") = {"token": "abc"} (serve /hello)', js('getVariable("token")', hello)),
        ("(a) /hello's Content, in a step", js('getVariable("token")', step_hello)),
        ("(a) /hello's Content (engine), in a step", js(engine('getVariable("token")'), step_hello)),
        ("(b) RunJavaScript: two setVariable calls", run_javascript),
        ("(b) RunJavaScript, in a step", run_javascript_in_a_step),
        ("(b) RunJavaScript (engine)", lambda: evaluate("JavaScript", engine(RUN_JAVASCRIPT), request)),
        ('(b) If: getVariable("method") == "GET"', js(IF_CONDITION, request, "bool")),
        ("(b) If, in a step", js(IF_CONDITION, step, "bool")),
        ("(b) If (engine)", js(engine(IF_CONDITION), request, "bool")),
        ("(b) Content: ({api: getVariable(...), method: ...})", js(OBJECT_CONTENT, request)),
        ("(b) Content (engine)", js(engine(OBJECT_CONTENT), request)),
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


def in_a_step(scope: Any) -> Any:
    """The scope as a running instance's (older revisions ignore the attributes)."""
    scope.defer_slow_scripts = True
    scope.journal = {}
    return scope


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
    """Per batch, the CPU time of one evaluation (the thread's: steadier than wall-clock time on a
    shared machine, and the same thing for this single-threaded work)."""
    for _ in range(50):
        run()
    samples = []
    for _ in range(BATCHES):
        started = time.thread_time()
        for _ in range(CALLS):
            run()
        samples.append((time.thread_time() - started) / CALLS * 1e6)
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


def measure_in_child(root: Path) -> dict[str, tuple[float, float]]:
    child = subprocess.run(
        [sys.executable, __file__, "--root", str(root), "--json"], capture_output=True, check=True, text=True
    )
    return {label: (median, best) for label, (median, best) in json.loads(child.stdout).items()}


def extract_revision(revision: str, folder: str) -> Path:
    """``runtime/`` as committed in ``revision``, in ``folder``."""
    command = ["git", "archive", "--format=tar", revision, "runtime"]
    git = subprocess.run(command, cwd=PROJECT, capture_output=True, check=False)
    if git.returncode != 0:
        raise SystemExit(f"--against {revision}: git archive failed: {git.stderr.decode().strip()}")
    with tarfile.open(fileobj=BytesIO(git.stdout)) as tar:
        tar.extractall(folder, filter="data")
    return Path(folder)


def combine(rounds: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Per case: the median of the rounds' medians and the best of their best batches."""
    labels = list(rounds[-1])
    return {
        label: (
            statistics.median(found[label][0] for found in rounds if label in found),
            min(found[label][1] for found in rounds if label in found),
        )
        for label in labels
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="also measure runtime/ of this git revision")
    parser.add_argument("--rounds", type=int, default=3, help="alternate rounds with --against (3)")
    parser.add_argument("--root", type=Path, default=PROJECT, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.root)))
        return
    print(f"state JSON: small {state_size(small_scope)} bytes, 2 KB cases {state_size(large_scope)} bytes\n")
    if not args.against:
        after = measure(args.root)
        width = max(len(label) for label in after)
        for label, (median, best) in after.items():
            print(f"{label:<{width}} {median:8.1f} us  (best batch {best:.1f})")
        return
    with tempfile.TemporaryDirectory() as folder:
        old_root = extract_revision(args.against, folder)
        before_rounds, after_rounds = [], []
        for _ in range(max(1, args.rounds)):
            before_rounds.append(measure_in_child(old_root))
            after_rounds.append(measure_in_child(args.root))
    before, after = combine(before_rounds), combine(after_rounds)
    width = max(len(label) for label in after)
    heading = "us per evaluation, median (best batch)"
    print(f"{heading:<{width}} {args.against:>16} {'working tree':>16}  speed-up (best)")
    for label, (median, best) in after.items():
        old_median, old_best = before.get(label, (float("nan"), float("nan")))
        print(
            f"{label:<{width}} {old_median:7.1f} ({old_best:6.1f}) {median:7.1f} ({best:6.1f})"
            f"  {old_best / best:5.1f}x"
        )


if __name__ == "__main__":
    main()
