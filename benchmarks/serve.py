"""``flowdesk serve`` under load, as users start it (live log to stderr, here a file, and the run history
recorded in the store), with ``--no-history`` (what recording the history costs) and with ``--quiet``,
side by side in one run with Node-RED 4 serving the equivalent flows and a bare uvicorn app.

Flows (the issue's): (a) GET /hello → SetVariable (Json {"token":"abc"}) → WriteHttpResponse (that variable
as JSON); (b) GET /chain → RunJavaScript (sets {api, method}) → If (method == "GET") → WriteHttpResponse.
Node-RED gets the same flows: http in → change → http response, and http in → function → switch → change
→ http response. The load generator is wrk (Debian package ``wrk``) with ``-t1 -c16``, on loopback, after a
warm-up run; without wrk a Python client is used and the figures say so. Every server runs as its own
process, one at a time.

Node-RED is found as ``--node-red PATH``, ``$NODE_RED`` or ``node-red`` on PATH (``npm install node-red@4``
in any folder gives ``node_modules/.bin/node-red``); without it the Node-RED columns are left out.

Run: ``python benchmarks/serve.py [--duration 10] [--node-red PATH] [--before CHECKOUT]`` (``--before``:
an earlier version's ``flowdesk serve`` with its default options, in the same run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runtime.builder import WorkflowBuilder  # noqa: E402
from runtime.elsa_json import save_workflow  # noqa: E402

BARE_APP = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b'{"token":"abc"}'
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
"""


def write_flows(folder: Path) -> None:
    hello = (
        WorkflowBuilder("Hello")
        .add("http", "HttpEndpoint", Path="/hello", Methods=("Json", '["GET"]'))
        .add("set", "SetVariable", VariableName="token", Value=("Json", '{"token":"abc"}'))
        .add(
            "respond",
            "WriteHttpResponse",
            StatusCode="OK",
            ContentType="application/json",
            Content=("JavaScript", 'getVariable("token")'),
        )
        .chain("http", "set", "respond")
        .build()
    )
    chain = (
        WorkflowBuilder("Chain")
        .add("http", "HttpEndpoint", Path="/chain", Methods=("Json", '["GET"]'))
        .add("js", "RunJavaScript", Script='setVariable("api", "/orders"); setVariable("method", "GET");')
        .add("if", "If", Condition=("JavaScript", 'getVariable("method") == "GET"'))
        .add(
            "respond",
            "WriteHttpResponse",
            StatusCode="OK",
            ContentType="application/json",
            Content=("JavaScript", '({api: getVariable("api"), method: getVariable("method")})'),
        )
        .chain("http", "js", "if")
        .connect("if", "respond", "True")
        .build()
    )
    save_workflow(hello, folder / "hello.json")
    save_workflow(chain, folder / "chain.json")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start")


def run_wrk(url: str, duration: int) -> tuple[float, float, float]:
    subprocess.run(["wrk", "-t1", "-c16", "-d3s", url], capture_output=True, check=True)
    out = subprocess.run(
        ["wrk", "-t1", "-c16", f"-d{duration}s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, _latency(out, "50%"), _latency(out, "99%")


def _latency(out: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_python_client(url: str, duration: int) -> tuple[float, float, float]:
    import httpx

    latencies: list[float] = []

    async def worker(client: httpx.AsyncClient, stop: float) -> None:
        while time.monotonic() < stop:
            started = time.perf_counter()
            await client.get(url)
            latencies.append((time.perf_counter() - started) * 1000)

    async def main() -> float:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=16)) as client:
            started = time.monotonic()
            await asyncio.gather(*(worker(client, started + duration) for _ in range(16)))
            return time.monotonic() - started

    elapsed = asyncio.run(main())
    latencies.sort()
    return len(latencies) / elapsed, latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]


NODE_RED_FLOWS = [
    {"id": "tab", "type": "tab", "label": "bench"},
    {"id": "h_in", "type": "http in", "z": "tab", "url": "/hello", "method": "get", "wires": [["h_set"]]},
    {
        "id": "h_set",
        "type": "change",
        "z": "tab",
        "rules": [
            {"t": "set", "p": "token", "pt": "flow", "to": '{"token":"abc"}', "tot": "json"},
            {"t": "set", "p": "payload", "pt": "msg", "to": "token", "tot": "flow"},
        ],
        "wires": [["h_out"]],
    },
    {"id": "h_out", "type": "http response", "z": "tab", "statusCode": "200", "wires": []},
    {"id": "c_in", "type": "http in", "z": "tab", "url": "/chain", "method": "get", "wires": [["c_fn"]]},
    {
        "id": "c_fn",
        "type": "function",
        "z": "tab",
        "func": 'msg.api = "/orders"; msg.method = "GET"; return msg;',
        "outputs": 1,
        "wires": [["c_if"]],
    },
    {
        "id": "c_if",
        "type": "switch",
        "z": "tab",
        "property": "method",
        "propertyType": "msg",
        "rules": [{"t": "eq", "v": "GET", "vt": "str"}],
        "outputs": 1,
        "wires": [["c_set"]],
    },
    {
        "id": "c_set",
        "type": "change",
        "z": "tab",
        "rules": [
            {
                "t": "set",
                "p": "payload",
                "pt": "msg",
                "to": '{"api": api, "method": method}',
                "tot": "jsonata",
            }
        ],
        "wires": [["c_out"]],
    },
    {"id": "c_out", "type": "http response", "z": "tab", "statusCode": "200", "wires": []},
]
NODE_RED_SETTINGS = """module.exports = {
  uiPort: parseInt(process.env.PORT), httpAdminRoot: false, credentialSecret: false,
  logging: { console: { level: "warn" } }, flowFile: "flows.json"
};
"""


def find_node_red(given: str | None) -> str | None:
    for candidate in (given, os.environ.get("NODE_RED"), shutil.which("node-red")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def measure(
    command: list[str],
    port: int,
    paths: list[str],
    duration: int,
    cwd: Path,
    logs: Path,
    env: dict[str, str] | None = None,
) -> dict[str, tuple[float, float, float]]:
    """Requests/s and latencies of ``paths`` under a server started by ``command``; its stderr (the live
    log) goes to a file in ``logs``, as a user's redirected log would."""
    with open(logs / f"stderr-{port}.log", "w") as stderr:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        )
        try:
            wait_for(port, 60)
            client = run_wrk if shutil.which("wrk") else run_python_client
            return {path: client(f"http://127.0.0.1:{port}{path}", duration) for path in paths}
        finally:
            process.terminate()
            process.wait(15)


def flowdesk(folder: Path, port: int, *options: str) -> list[str]:
    store = str(folder / f"store-{port}.sqlite3")  # each server its own: a history grown by the others costs
    return [
        sys.executable,
        "-m",
        "runtime.cli",
        "serve",
        str(folder),
        "--port",
        str(port),
        "--store",
        store,
        *options,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per flow (default 10)")
    parser.add_argument("--node-red", metavar="PATH", help="the node-red executable (Node-RED 4)")
    parser.add_argument(
        "--before",
        metavar="CHECKOUT",
        type=Path,
        help="a checkout of an earlier version (git archive REF | tar -x -C DIR): its flowdesk serve is "
        "measured too, with the default options",
    )
    args = parser.parse_args()
    if args.duration < 1:
        parser.error(f"--duration {args.duration}: give at least 1")
    if args.before is not None and not (args.before / "runtime" / "cli.py").is_file():
        parser.error(f"--before {args.before}: not a flowdesk checkout (no runtime/cli.py)")
    client = "wrk -t1 -c16" if shutil.which("wrk") else "Python httpx client, 16 connections (no wrk)"
    node_red = find_node_red(args.node_red)
    print(f"load generator: {client}; {args.duration} s per flow after a warm-up; {os.cpu_count()} cores")
    paths = ["/hello", "/chain"]
    results: dict[str, dict[str, tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        write_flows(folder_path)
        (folder_path / "bare.py").write_text(BARE_APP)
        port = free_port()
        results["bare uvicorn ASGI app"] = measure(
            [sys.executable, "-m", "uvicorn", "bare:app", "--port", str(port), "--log-level", "warning"],
            port,
            ["/hello"],
            args.duration,
            folder_path,
            folder_path,
        )
        if node_red:
            red = folder_path / "node-red"
            red.mkdir()
            (red / "flows.json").write_text(json.dumps(NODE_RED_FLOWS))
            (red / "settings.js").write_text(NODE_RED_SETTINGS)
            port = free_port()
            results["Node-RED 4"] = measure(
                [node_red, "--userDir", str(red), "--settings", str(red / "settings.js"), "flows.json"],
                port,
                paths,
                args.duration,
                red,
                folder_path,
                {"PORT": str(port)},
            )
        port = free_port()
        results["flowdesk serve (live log, history)"] = measure(
            flowdesk(folder_path, port), port, paths, args.duration, ROOT, folder_path
        )
        if args.before is not None:
            before = args.before.resolve()
            port = free_port()
            results["flowdesk serve, earlier version"] = measure(
                flowdesk(folder_path, port),
                port,
                paths,
                args.duration,
                before,
                folder_path,
                {"PYTHONPATH": str(before)},
            )
        port = free_port()
        results["flowdesk serve --no-history (log on)"] = measure(
            flowdesk(folder_path, port, "--no-history"), port, paths, args.duration, ROOT, folder_path
        )
        port = free_port()
        results["flowdesk serve --quiet"] = measure(
            flowdesk(folder_path, port, "--quiet"), port, paths, args.duration, ROOT, folder_path
        )
    red = results.get("Node-RED 4")
    print(f"{'server':<38}{'flow':<8}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}   x Node-RED 4 (goal >= 2.0)")
    for server, by_path in results.items():
        for path, (rps, p50, p99) in by_path.items():
            ratio = (
                f"{rps / red[path][0]:.2f}" if red and path in red and server.startswith("flowdesk") else ""
            )
            print(f"{server:<38}{path:<8}{rps:>10,.0f}{p50:>9.2f}{p99:>9.2f}   {ratio}")
    if not red:
        print("Node-RED not found (--node-red PATH or $NODE_RED): no side-by-side figure")


if __name__ == "__main__":
    main()
