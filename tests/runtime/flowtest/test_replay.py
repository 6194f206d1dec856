"""The replay's seams: recorded responses answered as recorded (a non-ASCII header, a base64 body), a request
the recording does not hold named with what it still holds, and a test result that keeps what it expected."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

import runtime.flowtest.runner as runner_module
from runtime.flowtest.recording import ReplayTransport
from runtime.flowtest.runner import run_test_file
from runtime.flowtest.testfile import Expectations, FlowTest, PathStep

EXCHANGES: list[dict[str, Any]] = [
    {
        "request": {"method": "GET", "url": "http://api.test/who"},
        "response": {"status": 203, "headers": {"X-Name": "Zoë"}, "base64": "AAEC/w=="},
    },
    {"request": {"method": "GET", "url": "http://api.test/later"}, "response": {"status": 200}},
]


def _get(transport: ReplayTransport, url: str) -> httpx.Response:
    async def get() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.get(url)

    return asyncio.run(get())


def test_a_recorded_response_is_answered_as_recorded() -> None:
    response = _get(ReplayTransport(EXCHANGES), "http://api.test/who")
    assert (response.status_code, response.headers["X-Name"], response.content) == (203, "Zoë", b"\0\1\2\xff")


def test_an_unrecorded_request_names_what_the_recording_still_holds() -> None:
    transport = ReplayTransport(EXCHANGES)
    _get(transport, "http://api.test/who")
    with pytest.raises(httpx.ConnectError):
        _get(transport, "http://api.test/other")
    assert transport.unrecorded == [
        "unrecorded HTTP request: GET http://api.test/other (recorded and not yet asked for: "
        "GET http://api.test/later)"
    ]
    _get(transport, "http://api.test/later")
    with pytest.raises(httpx.ConnectError):
        _get(transport, "http://api.test/other")
    assert transport.unrecorded[-1].endswith("(every recorded request was already answered)")


def test_a_result_expects_the_path_of_its_test(tmp_path: Path) -> None:
    step = PathStep("W", "a", "A", ("Done",))
    test = FlowTest(tmp_path / "t.flowtest.json", "t", "flow.json", expect=Expectations(path=[step]))
    assert runner_module.TestResult(test.file, test.name, test=test).expected_path == [step]
    assert runner_module.TestResult(test.file, test.name, error="unreadable").expected_path == []


def test_a_defect_met_by_one_replay_is_that_tests_error(tmp_path: Path, monkeypatch) -> None:
    file = tmp_path / "t.flowtest.json"
    file.write_text(json.dumps({"flowtest": 1, "workflow": "flow.json"}), encoding="utf-8")

    def broken(test: FlowTest) -> runner_module.TestResult:
        raise KeyError("oops")

    monkeypatch.setattr(runner_module, "run_test", broken)
    result = run_test_file(file)
    assert result.outcome == "error" and result.test is not None
    assert result.error == f"{file}: the replay stopped on an internal error: KeyError: 'oops'"


def test_replaying_starts_no_history_writer() -> None:
    """file_identity lives beside load_workflow: the replay does not load the history's writer (and its
    exit hook)."""
    code = (
        "import sys, runtime.flowtest.runner, runtime.commands.run\n"
        "from runtime.elsa_json import file_identity\n"
        "print('runtime.history.recorder' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
