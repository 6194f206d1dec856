"""Cost of a warm expression evaluation: JavaScript with a small and a ~2 KB state, and a Liquid render.

Run from the project root: ``.venv/bin/python benchmarks/expressions.py``. Prints the median of 7 batches
and the best batch (microseconds per evaluation, the whole path: state JSON, the engine call, the result
back in Python); on a busy machine the best batch is the better estimate.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from runtime.expressions import ScriptScope, evaluate  # noqa: E402

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


def small_scope() -> ScriptScope:
    return ScriptScope(
        variables={
            "AccessToken": {"ObjectId": 1, "Key": "AccessToken", "Data1": "tok", "Data2": ""},
            "api": "/x",
        },
        input={"api": "/x"},
        workflow_instance_id="bench",
    )


def large_scope() -> ScriptScope:
    """About 2 KB of JSON: 20 variables, an input and three activity outputs (one with 30 items)."""
    variables: dict[str, object] = {
        "AccessToken": {"ObjectId": 1, "Title": "", "Key": "AccessToken", "Data1": "t" * 40, "Data2": ""},
        "Creds": {"ObjectId": 3, "Title": "", "Key": "AccessTokenCreds", "Data1": "wow", "Data2": "secret"},
        "APIBaseURL": {"ObjectId": 2, "Title": "", "Key": "APIBaseURL", "Data1": "http://127.0.0.1:5080"},
    }
    variables.update({f"var{index}": f"value number {index}" for index in range(17)})
    return ScriptScope(
        variables=variables,
        input={"api": "/state", "method2": "GET", "content2": {"PortId": 1}},
        activities={
            "getSettingToken": {"Output": [variables["AccessToken"]]},
            "auth": {"Response": {"StatusCode": 200, "Headers": {}}, "ResponseContent": {"authToken": "abc"}},
            "httpAPI": {"ResponseContent": [{"Id": index, "Name": f"item {index}"} for index in range(30)]},
        },
        workflow_instance_id="bench",
    )


def state_size(scope: ScriptScope) -> int:
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


def report(label: str, run: Callable[[], object]) -> None:
    samples = batch_microseconds(run)
    print(f"{label:<72} {statistics.median(samples):8.1f} us  (best batch {min(samples):.1f})")


def main() -> None:
    small, large = small_scope(), large_scope()
    print(f"small state {state_size(small)} bytes, large state {state_size(large)} bytes\n")
    report("JS small: 1 + 1", lambda: evaluate("JavaScript", "1 + 1", small))
    report(
        'JS small: getVariable("AccessToken").Data1',
        lambda: evaluate("JavaScript", 'getVariable("AccessToken").Data1', small, "string"),
    )
    report(
        "JS small: If-expired condition (function-body mode)",
        lambda: evaluate("JavaScript", EXPIRED_CONDITION, small, "bool"),
    )
    report(
        'JS 2 KB: getVariable("AccessToken").Data1 (only that variable injected)',
        lambda: evaluate("JavaScript", 'getVariable("AccessToken").Data1', large, "string"),
    )
    report(
        "JS 2 KB: computed getVariable name (whole state injected)",
        lambda: evaluate(
            "JavaScript", 'const n = "Access" + "Token"; getVariable(n).Data1 + input.api', large
        ),
    )
    report(
        "JS 2 KB: JSON.stringify(activities.httpAPI.ResponseContent(), null, 2)",
        lambda: evaluate("JavaScript", "JSON.stringify(activities.httpAPI.ResponseContent(),null,2)", large),
    )
    report(
        "JS 2 KB: setVariable + read back",
        lambda: evaluate("JavaScript", 'setVariable("api", input.api); getVariable("api")', large),
    )
    report(
        "Liquid: Bearer {{Variables.AccessToken.Data1}}",
        lambda: evaluate("Liquid", "Bearer {{Variables.AccessToken.Data1}}", large, "string"),
    )
    report(
        "Liquid: JSON body with two variables",
        lambda: evaluate(
            "Liquid",
            '{"username": "{{Variables.Creds.Data1}}", "password": "{{Variables.Creds.Data2}}"}',
            large,
        ),
    )


if __name__ == "__main__":
    main()
