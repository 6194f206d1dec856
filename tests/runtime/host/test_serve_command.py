"""``flowdesk serve`` as a process: prints where it listens, streams the log, stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import httpx

from runtime.builder import WorkflowBuilder
from runtime.cli import main
from runtime.elsa_json import save_workflow
from tests.conftest import start_serve


def _slow_workflow(folder: Path) -> None:
    workflow = (
        WorkflowBuilder("Slow")
        .add("http", "HttpEndpoint", Path="/slow", Methods=("Json", '["GET"]'))
        .add("corr", "Correlate", Value="slow started")
        .add("wait", "Timer", Timeout=("JavaScript", "1"))
        .add("f", "Finish", ActivityOutput="done slowly")
        .chain("http", "corr", "wait", "f")
        .build()
    )
    save_workflow(workflow, folder / "slow.json")


def test_sigterm_answers_the_request_in_flight_then_exits_0(tmp_path: Path) -> None:
    _slow_workflow(tmp_path)
    process, url = start_serve(tmp_path)
    assert process.stderr is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr))
    reader.start()
    result = {}
    request = threading.Thread(target=lambda: result.setdefault("r", httpx.get(url + "/slow", timeout=20)))
    request.start()
    while not any("slow started" in line for line in lines):
        threading.Event().wait(0.05)
    process.send_signal(signal.SIGTERM)
    request.join(20)
    assert process.wait(20) == 0
    reader.join(5)
    assert result["r"].status_code == 200 and result["r"].text == "done slowly"
    assert any("CORRELATE" in line and "slow started" in line for line in lines)
    assert lines[-1].strip() == "flowdesk: stopped"


def test_serving_a_folder_without_endpoints_is_a_one_line_error(tmp_path: Path, capsys) -> None:
    save_workflow(
        WorkflowBuilder("Plain").add("s", "SetVariable", VariableName="x", Value="1").build(),
        tmp_path / "plain.json",
    )
    assert main(["serve", str(tmp_path), "--port", "0"]) == 2
    assert "no workflow" in capsys.readouterr().err


def test_a_missing_path_is_a_one_line_error(tmp_path: Path, capsys) -> None:
    assert main(["serve", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
