"""``flowdesk serve`` under load: requests/s and p50/p99 latency, beside a bare uvicorn baseline.

Flows (the issue's): (a) GET /hello → SetVariable (Json {"token":"abc"}) → WriteHttpResponse (that variable
as JSON); (b) GET /chain → RunJavaScript (sets {api, method}) → If (method == "GET") → WriteHttpResponse.
The load generator is wrk (Debian package ``wrk``) with ``-t1 -c16``, on loopback; without wrk a Python
client is used and the figures say so. Every server runs as its own process, one at a time.

Run: ``python benchmarks/serve.py [--duration 10]``.
"""

from __future__ import annotations

import argparse
import asyncio
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
    subprocess.run(["wrk", "-t1", "-c16", "-d2s", url], capture_output=True, check=True)
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


def measure(command: list[str], port: int, paths: list[str], duration: int, cwd: Path) -> list[tuple]:
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        wait_for(port)
        client = run_wrk if shutil.which("wrk") else run_python_client
        return [(path, *client(f"http://127.0.0.1:{port}{path}", duration)) for path in paths]
    finally:
        process.terminate()
        process.wait(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per flow (default 10)")
    args = parser.parse_args()
    client = "wrk -t1 -c16" if shutil.which("wrk") else "Python httpx client, 16 connections (no wrk)"
    print(f"load generator: {client}; {args.duration} s per flow; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        write_flows(folder_path)
        (folder_path / "bare.py").write_text(BARE_APP)
        port = free_port()
        bare = measure(
            [sys.executable, "-m", "uvicorn", "bare:app", "--port", str(port), "--log-level", "warning"],
            port,
            ["/hello"],
            args.duration,
            folder_path,
        )
        port = free_port()
        flows = measure(
            [
                sys.executable,
                "-m",
                "runtime.cli",
                "serve",
                str(folder_path),
                "--port",
                str(port),
                "--quiet",
                "--store",
                str(folder_path / "store.sqlite3"),
            ],
            port,
            ["/hello", "/chain"],
            args.duration,
            ROOT,
        )
    goals = {"/hello": 2 * 3400, "/chain": 2 * 2500}
    print(f"{'server':<34}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}   goal (2x Node-RED 4)")
    for path, rps, p50, p99 in bare:
        print(f"{'bare uvicorn ASGI ' + path:<34}{rps:>10,.0f}{p50:>10.2f}{p99:>10.2f}   (baseline)")
    for path, rps, p50, p99 in flows:
        label = {"/hello": "(a) flowdesk serve /hello", "/chain": "(b) flowdesk serve /chain"}[path]
        print(f"{label:<34}{rps:>10,.0f}{p50:>10.2f}{p99:>10.2f}   >= {goals[path]:,}")


if __name__ == "__main__":
    main()
