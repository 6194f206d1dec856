"""The store's cross-process lock (issue 14): a singleton workflow run by N processes on one store makes one
auth call; a lock whose owner died is taken over; a live owner's is not."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from runtime.builder import WorkflowBuilder
from runtime.elsa_json import save_workflow
from runtime.processes import host_name
from runtime.store.locks import ABANDONED_AFTER, StoreLock
from runtime.store.store import ObjectStore
from tests.conftest import PROJECT_ROOT


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    ObjectStore(path).close()
    return path


def _put_row(path: Path, name: str, pid: int, host: str, expires: float) -> None:
    with sqlite3.connect(path) as connection:
        StoreLock(path, "create-table").try_acquire()
        connection.execute(
            "INSERT OR REPLACE INTO flowdesk_locks VALUES (?, ?, ?, ?, ?, ?)",
            (name, f"{host}:{pid}:someone", pid, host, expires, time.time()),
        )


def _dead_pid() -> int:
    code = "import os; print(os.getpid())"
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return int(finished.stdout)


@pytest.fixture
def live_pid() -> Iterator[int]:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process.pid
    process.kill()
    process.wait()


def test_one_holder_at_a_time(store_path: Path) -> None:
    first, second = StoreLock(store_path, "job"), StoreLock(store_path, "job")
    assert first.try_acquire() and first.held
    assert not second.try_acquire()
    assert second.holder is not None and second.holder.pid == os.getpid()
    assert StoreLock(store_path, "other job").try_acquire(), "locks are per name"
    first.release()
    assert second.try_acquire()
    second.release()
    with sqlite3.connect(store_path) as connection:
        assert connection.execute("SELECT name FROM flowdesk_locks").fetchall() == [("other job",)]


def test_a_dead_owners_lock_is_taken_over(store_path: Path) -> None:
    _put_row(store_path, "job", _dead_pid(), host_name(), time.time() + 3600)
    assert StoreLock(store_path, "job").try_acquire()


def test_a_live_owners_lock_is_kept_until_long_abandoned(store_path: Path, live_pid: int) -> None:
    lease = 0.5
    _put_row(store_path, "job", live_pid, host_name(), time.time() - lease)
    assert not StoreLock(store_path, "job", lease=lease).try_acquire(), "expired, but its owner is alive"
    _put_row(store_path, "job", live_pid, host_name(), time.time() - ABANDONED_AFTER * lease)
    assert StoreLock(store_path, "job", lease=lease).try_acquire(), "not renewed for many leases: hung"


def test_another_machines_lock_is_taken_once_abandoned(store_path: Path) -> None:
    lease = 0.5
    _put_row(store_path, "job", 1, "elsewhere", time.time() + 10)
    assert not StoreLock(store_path, "job", lease=lease).try_acquire()
    _put_row(store_path, "job", 1, "elsewhere", time.time() - ABANDONED_AFTER * lease)
    assert StoreLock(store_path, "job", lease=lease).try_acquire()


def test_the_holder_renews_its_lease_and_releases_on_exit(store_path: Path) -> None:
    lock = StoreLock(store_path, "job", lease=0.3)
    assert lock.try_acquire()
    lock.start_renewing()
    time.sleep(1.0)
    with sqlite3.connect(store_path) as connection:
        (expires,) = connection.execute("SELECT expires FROM flowdesk_locks WHERE name = 'job'").fetchone()
    assert expires > time.time(), "renewed past its first lease"
    assert not StoreLock(store_path, "job", lease=0.3).try_acquire()
    lock.release()
    assert StoreLock(store_path, "job").try_acquire()


def test_a_killed_holder_is_released_to_the_next_process(store_path: Path) -> None:
    code = (
        "import sys, time; from runtime.store.locks import StoreLock; "
        f"lock = StoreLock({str(store_path)!r}, 'job'); assert lock.try_acquire(); lock.start_renewing(); "
        "print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert not StoreLock(store_path, "job").try_acquire()
    finally:
        holder.kill()
        holder.wait()
    assert StoreLock(store_path, "job").try_acquire(), "its process is gone: taken at once"


# --- N processes, one auth call ------------------------------------------------------------------


class _AuthServer(ThreadingHTTPServer):
    calls = 0


class _Auth(BaseHTTPRequestHandler):
    server: _AuthServer

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.calls += 1
        time.sleep(0.3)  # a slow auth server widens the race every process would win without the lock
        body = json.dumps({"authToken": f"token-{self.server.calls}", "expiresInMinutes": 60}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def auth_server() -> Iterator[_AuthServer]:
    server = _AuthServer(("127.0.0.1", 0), _Auth)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _token_workflow(base_url: str) -> WorkflowBuilder:
    """The seed's token workflow in miniature, without JavaScript: call /auth only when no token is stored."""
    builder = (
        WorkflowBuilder("GetToken")
        .add("get", "ObjectInstanceGet", InstanceId="1", VariableName="AccessToken")
        .add(
            "expired",
            "If",
            Condition=("Liquid", '{% if Variables.AccessToken.Data1 == "" %}true{% else %}false{% endif %}'),
        )
        .add(
            "auth",
            "SendHttpRequest",
            name="auth",
            Url=f"{base_url}/auth",
            Method="POST",
            Content="{}",
            ContentType="application/json",
            ReadContent="true",
        )
        .add(
            "save",
            "ObjectInstanceUpdate",
            InstanceId="1",
            VariableName="AccessToken",
            Values=("Liquid", '{"Data1": "{{ Activities.auth.ResponseContent.authToken }}"}'),
        )
        .add("fin", "Finish", ActivityOutput=("Liquid", "{{ Variables.AccessToken.Data1 }}"))
        .connect("get", "expired", "Success")
        .connect("expired", "auth", "True")
        .connect("auth", "save", "Done")
        .connect("expired", "fin", "False")
        .connect("save", "fin", "Done")
    )
    builder.build().is_singleton = True
    return builder


def test_processes_sharing_a_store_make_one_auth_call(tmp_path: Path, auth_server: _AuthServer) -> None:
    store = tmp_path / "store.db"
    with ObjectStore(store) as objects:
        objects.import_seed(
            {
                "types": [{"name": "Settings", "fields": ["Key", "Data1", "Data2"]}],
                "instances": {"Settings": [{"ObjectId": 1, "Key": "AccessToken", "Data1": "", "Data2": ""}]},
            }
        )
    workflow = _token_workflow(f"http://127.0.0.1:{auth_server.server_address[1]}").build()
    assert workflow.is_singleton
    path = tmp_path / "token.json"
    save_workflow(workflow, path)
    command = [sys.executable, "-m", "runtime.cli", "run", str(path), "--store", str(store)]
    processes = [
        subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(5)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * 5, results[0][1]
    assert auth_server.calls == 1, "one process called the auth server, the others read its token"
    assert {json.loads(out) for out, _ in results} == {"token-1"}


class _SlowLock(StoreLock):
    """Takes its row a moment after being asked, as a busy store would."""

    def try_acquire(self) -> bool:
        time.sleep(0.3)
        return super().try_acquire()


def test_a_lock_taken_after_its_run_was_cancelled_is_given_back(store_path: Path) -> None:
    """Stop pressed while the engine waits for the store: the row the thread then takes is released."""
    import asyncio

    from runtime.engine.singleton import _acquire

    async def cancel_while_acquiring() -> None:
        task = asyncio.ensure_future(_acquire(_SlowLock(store_path, "singleton:w")))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.5)  # the thread finishes and its callback runs on this loop

    asyncio.run(cancel_while_acquiring())
    other = StoreLock(store_path, "singleton:w")
    assert other.try_acquire(), "the cancelled run's lock was released"
    other.release()
