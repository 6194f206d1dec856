"""``flowdesk demo``: the seed's story end to end on loopback.

Serves ``samples/`` (the demo auth server and API are workflows too) on a free port with a fresh store seeded
from ``samples/store.json``, then runs CallMyAPI twice: first with an expired token (the sub-workflow
refreshes it through ``POST /auth``), then again to show the cached token being reused.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from runtime.errors import FlowdeskError
from runtime.resources import samples_folder

if TYPE_CHECKING:
    from runtime.engine import WorkflowInstance
    from runtime.store.store import ObjectStore

DemoRun = tuple[int, "WorkflowInstance", int, float, dict[str, object]]
"""A run's number, its instance, the calls to ``POST /auth`` it made, its milliseconds, the stored token."""

DEMO_INPUT = {"api": "/api/orders", "method2": "GET"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run the refreshing-access-token story end to end on loopback",
        description=(
            "Serve samples/ on a free loopback port with a fresh object store, run CallMyAPI with an expired "
            "access token (the token is refreshed by the GetChangingAccessTokenAuthentication sub-workflow), "
            "then run it again to show the cached token being reused. The live log goes to stderr, the "
            "results to stdout. Exit 0 when both runs succeed."
        ),
    )
    parser.add_argument(
        "--samples", metavar="DIR", help="the samples folder (default: the samples shipped with Flowdesk)"
    )
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="do not record the demo's runs in the run history of the user's store (see flowdesk history)",
    )
    parser.set_defaults(handler=demo_command)


def demo_command(args: argparse.Namespace) -> int:
    from runtime.engine import RuntimeServices, WorkflowLibrary, WorkflowRunner
    from runtime.host.server import BackgroundHost, load_hosted, make_host
    from runtime.logfmt import StreamLog
    from runtime.logsink import LogSink
    from runtime.store.store import ObjectStore

    samples = Path(args.samples) if args.samples else samples_folder()
    if not (samples / "store.json").is_file():
        raise FlowdeskError(f"{samples}: not a samples folder (no store.json)")
    sink = LogSink(sys.stderr)
    served_history = runs_history = None
    if not args.no_history:  # the user's store keeps the demo's runs (its own store is thrown away)
        from runtime.commands.history import history_recorder
        from runtime.history.recorder import HistoryRecorder

        served_history = history_recorder(None, "demo")
        runs_history = HistoryRecorder(served_history.writer, "demo")
    with tempfile.TemporaryDirectory(prefix="flowdesk-demo-") as folder:
        store_path = Path(folder) / "store.sqlite3"
        with ObjectStore(store_path) as store:
            store.import_seed(samples / "store.json")
            app = make_host(load_hosted([samples]), [samples], store_path, log=sink, history=served_history)
            auth_calls: list[int] = []
            on_request = app.on_request

            def count(method: str, path: str, status: int, ms: float, instance_id: str | None) -> None:
                if path == "/auth":
                    auth_calls.append(status)
                if on_request is not None:
                    on_request(method, path, status, ms, instance_id)

            app.on_request = count
            with BackgroundHost(app) as host:
                _point_settings_at(store, host.url)
                services = RuntimeServices(library=WorkflowLibrary([samples]), store_path=store_path)
                runner = WorkflowRunner(services, [StreamLog(sink)])
                call_my_api = services.library.find("CallMyAPI")
                if call_my_api is None:
                    raise FlowdeskError(f"{samples}: no CallMyAPI workflow")
                if runs_history is not None:
                    runs_history.describe(call_my_api, samples / "call-my-api.json")
                    runner.add_observer(runs_history)
                results: list[DemoRun] = []
                for number, title in (
                    (1, "the access token has expired"),
                    (2, "the access token is still valid"),
                ):
                    sink.write(f"\n=== run {number}: CallMyAPI {json.dumps(DEMO_INPUT)} — {title}")
                    before = len(auth_calls)
                    started = time.perf_counter()
                    instance = runner.run_sync(call_my_api, DEMO_INPUT)
                    elapsed = (time.perf_counter() - started) * 1000
                    if runs_history is not None:
                        runs_history.finished(instance, call_my_api)
                    token = _setting(store, "AccessToken")
                    results.append((number, instance, len(auth_calls) - before, elapsed, token))
                services.close()
    sink.close()
    if served_history is not None:
        served_history.writer.close()
    return _report(results)


def _point_settings_at(store: ObjectStore, base_url: str) -> None:
    """APIBaseURL → this host; AccessToken → an expired token, so the first call must refresh it."""
    for record in store.list_instances("Settings"):
        if record.get("Key") == "APIBaseURL":
            store.update_instance(record["ObjectId"], {"Data1": base_url})
        elif record.get("Key") == "AccessToken":
            store.update_instance(
                record["ObjectId"], {"Data1": "expired-token", "Data2": "2000-01-01T00:00:00Z"}
            )


def _setting(store: ObjectStore, key: str) -> dict[str, object]:
    return next((r for r in store.list_instances("Settings") if r.get("Key") == key), {})


def _report(results: list[DemoRun]) -> int:
    from runtime.engine import InstanceStatus

    ok = True
    for number, instance, auth_calls, elapsed, token in results:
        succeeded = instance.status is InstanceStatus.FINISHED and "success" in instance.finish_outcomes
        expected_calls = 1 if number == 1 else 0
        ok = ok and succeeded and auth_calls == expected_calls
        print(
            f"run {number}: {instance.status.value}, outcomes {list(instance.finish_outcomes)}, "
            f"{auth_calls} call(s) to POST /auth, {elapsed:.0f} ms; stored token expires {token.get('Data2')}"
        )
        if instance.fault is not None:
            print(f"  fault: {instance.fault}")
        print(json.dumps(instance.output, indent=2, ensure_ascii=False, default=str))
    print("demo: OK" if ok else "demo: FAILED")
    return 0 if ok else 1
