"""The live log's batching (issue 10): no line lost or reordered when a run ends, when it faults, or when the
server is stopped with SIGTERM under load; a line of a quiet spell still shows at once."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

from runtime.builder import WorkflowBuilder
from runtime.elsa_json import save_workflow
from runtime.logsink import Batcher, LogSink
from tests.conftest import PROJECT_ROOT, start_serve

# --- the batcher ----------------------------------------------------------------------------------------


def test_items_of_many_threads_arrive_once_each_in_each_threads_order() -> None:
    delivered: list[tuple[int, int]] = []
    batcher: Batcher[tuple[int, int]] = Batcher(delivered.extend, interval=0.001, batch_size=7)

    def produce(thread: int) -> None:
        for number in range(5_000):
            batcher.put((thread, number))

    producers = [threading.Thread(target=produce, args=(thread,)) for thread in range(4)]
    for producer in producers:
        producer.start()
    for producer in producers:
        producer.join()
    batcher.close()
    assert len(delivered) == 20_000
    by_thread: dict[int, list[int]] = defaultdict(list)
    for thread, number in delivered:
        by_thread[thread].append(number)
    assert all(numbers == list(range(5_000)) for numbers in by_thread.values())


def test_the_last_item_of_a_burst_is_delivered_by_the_timer() -> None:
    delivered: list[int] = []
    batcher: Batcher[int] = Batcher(delivered.extend, interval=0.01, batch_size=1_000)
    for number in range(10):
        batcher.put(number)
    deadline = time.monotonic() + 5
    while len(delivered) < 10 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert delivered == list(range(10))
    batcher.put(10)  # alone, after a quiet spell
    while len(delivered) < 11 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert delivered[-1] == 10
    batcher.close()


def test_items_put_after_close_are_delivered_as_they_come() -> None:
    delivered: list[int] = []
    batcher: Batcher[int] = Batcher(delivered.extend)
    batcher.close()
    batcher.put(1)
    assert delivered == [1]


def test_a_line_that_cannot_be_made_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    with path.open("w") as stream:
        sink = LogSink(stream)
        sink.write("first")
        sink.write((lambda: 1 / 0,))
        sink.write((str.upper, "third"))
        sink.write(lambda: None)  # no line
        sink.write(lambda: "fifth")
        sink.close()
    assert path.read_text().splitlines() == [
        "first",
        "(log line failed: ZeroDivisionError: division by zero)",
        "THIRD",
        "fifth",
    ]


# --- flowdesk run: the end of a run and a fault ---------------------------------------------------------


def _run(tmp_path: Path, workflow: WorkflowBuilder) -> tuple[int, list[str]]:
    path = tmp_path / "flow.json"
    save_workflow(workflow.build(), path)
    done = subprocess.run(
        [sys.executable, "-m", "runtime.cli", "run", str(path), "--store", str(tmp_path / "s.db")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stderr.splitlines()


def _steps(lines: list[str]) -> list[str]:
    """``activity: outcome`` of each step line, in the order written."""
    found = (re.search(r"ACTIVITY  \[\w+\] \w+ / (\w+): → (\w+)", line) for line in lines)
    return [f"{m.group(1)}: {m.group(2)}" for m in found if m]


def test_every_line_of_a_long_run_is_written_in_order_before_the_process_ends(tmp_path: Path) -> None:
    items = 3_000
    code, lines = _run(
        tmp_path,
        WorkflowBuilder("Loop")
        .add("each", "ForEach", Items=("JavaScript", f"Array.from({{length: {items}}}, (_, i) => i)"))
        .add("set", "SetVariable", VariableName="x", Value=("JavaScript", "input"))
        .connect("each", "set", "Iterate")
        .add("end", "SetVariable", VariableName="y", Value="done")
        .connect("each", "end", "Done"),
    )
    assert code == 0
    assert "START" in lines[0] and "FINISH" in lines[-1]
    assert _steps(lines) == ["each: Iterate", "set: Done"] * items + ["each: Done", "end: Done"]


def test_every_line_up_to_a_fault_is_written_in_order(tmp_path: Path) -> None:
    code, lines = _run(
        tmp_path,
        WorkflowBuilder("Faulty")
        .add("each", "ForEach", Items=("JavaScript", "Array.from({length: 2000}, (_, i) => i)"))
        .add(
            "set",
            "SetVariable",
            VariableName="x",
            Value=("JavaScript", "if (input == 1500) throw 'boom'; input"),
        )
        .connect("each", "set", "Iterate"),
    )
    assert code == 1
    assert _steps(lines) == ["each: Iterate", "set: Done"] * 1500 + ["each: Iterate"]
    tail = [line for line in lines if "FAULT" in line]
    assert len(tail) == 2 and "boom" in tail[0] and "FAULTED" in tail[1]
    assert lines.index(tail[0]) < lines.index(tail[1])
    assert lines[-1].startswith("flowdesk: faulted:")


# --- flowdesk serve: SIGTERM under load -----------------------------------------------------------------


def test_sigterm_under_load_loses_no_line_and_keeps_each_requests_lines_in_order(tmp_path: Path) -> None:
    save_workflow(
        WorkflowBuilder("Hello")
        .add("http", "HttpEndpoint", Path="/hello", Methods=("Json", '["GET"]'))
        .add("set", "SetVariable", VariableName="token", Value=("Json", '{"token": "abc"}'))
        .add(
            "respond",
            "WriteHttpResponse",
            StatusCode="OK",
            ContentType="application/json",
            Content=("JavaScript", 'getVariable("token")'),
        )
        .chain("http", "set", "respond")
        .build(),
        tmp_path / "hello.json",
    )
    process, url = start_serve(tmp_path)
    assert process.stderr is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr))  # type: ignore[arg-type]
    reader.start()
    answered: list[int] = []
    stop = threading.Event()

    def load() -> None:
        with httpx.Client(timeout=20) as client:
            while not stop.is_set():
                try:
                    answered.append(client.get(url + "/hello").status_code)
                except httpx.HTTPError:
                    return  # the server has stopped listening

    clients = [threading.Thread(target=load) for _ in range(8)]
    for client in clients:
        client.start()
    deadline = time.monotonic() + 30
    while len(answered) < 300 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0
    stop.set()
    for client in clients:
        client.join(20)
    reader.join(10)

    assert len(answered) >= 300
    requests = [line for line in lines if " REQUEST " in line]
    assert len(requests) == len(answered)
    statuses = sorted(int(re.search(r"→ (\d+)", line).group(1)) for line in requests)  # type: ignore[union-attr]
    assert statuses == sorted(answered)
    by_instance: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        found = re.search(r" (START|ACTIVITY|FINISH|REQUEST) +\[(\w+)\]", line)
        if found:
            by_instance[found.group(2)].append(found.group(1))
    whole = ["START", "ACTIVITY", "ACTIVITY", "ACTIVITY", "FINISH", "REQUEST"]
    assert sum(1 for kinds in by_instance.values() if kinds == whole) == answered.count(200)
    assert all(kinds[0] == "START" and kinds[-1] == "REQUEST" for kinds in by_instance.values())
    assert lines[-1].strip() == "flowdesk: stopped"
