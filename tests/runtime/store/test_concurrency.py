"""Transactions under real concurrency: threads, two store objects, other processes, asyncio, crashes."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from runtime.store import ObjectStore, StoreError

PROJECT_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def counter(store: ObjectStore) -> int:
    store.create_type("Counter", ["Key", {"name": "Count", "type": "number"}])
    return store.create_instance("Counter", {"Key": "hits", "Count": 0})["ObjectId"]


def run_threads(count: int, work: Callable[[], None]) -> None:
    run_each([work] * count)


def run_each(works: list[Callable[[], None]]) -> None:
    """Starts one thread per callable at the same moment and fails the test if any of them raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(works))

    def body(work: Callable[[], None]) -> None:
        try:
            start.wait()
            work()
        except BaseException as error:  # reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=body, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_read_modify_write_in_a_transaction_loses_no_update(store: ObjectStore, counter: int) -> None:
    def increment_fifty_times() -> None:
        for _ in range(50):
            with store.transaction():
                current = store.get_instance(counter)
                assert current is not None
                store.update_instance(counter, {"Count": current["Count"] + 1})

    run_threads(8, increment_fifty_times)
    assert store.get_instance(counter)["Count"] == 400  # type: ignore[index]


def test_update_instance_with_is_atomic(store: ObjectStore, counter: int) -> None:
    def increment_fifty_times() -> None:
        for _ in range(50):
            store.update_instance_with(counter, lambda record: {"Count": record["Count"] + 1})

    run_threads(8, increment_fifty_times)
    assert store.get_instance(counter)["Count"] == 400  # type: ignore[index]
    assert store.update_instance_with(999, lambda record: {"Count": 0}) is None
    assert store.update_instance_with(counter, lambda record: None)["Count"] == 400  # type: ignore[index]


def test_two_store_objects_on_one_file_serialise_through_sqlite(
    store_path: Path, store: ObjectStore, counter: int
) -> None:
    with ObjectStore(store_path) as other:
        stores = [store, other]
        turn = iter(range(8))
        lock = threading.Lock()

        def increment_fifty_times() -> None:
            with lock:
                mine = stores[next(turn) % 2]
            for _ in range(50):
                mine.update_instance_with(counter, lambda record: {"Count": record["Count"] + 1})

        run_threads(8, increment_fifty_times)
        assert other.get_instance(counter)["Count"] == 400  # type: ignore[index]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_other_processes_lose_no_update(store_path: Path, store: ObjectStore, counter: int) -> None:
    code = f"""
        from runtime.store import ObjectStore
        with ObjectStore({str(store_path)!r}) as store:
            for _ in range(50):
                store.update_instance_with({counter}, lambda record: {{"Count": record["Count"] + 1}})
    """
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code)], cwd=PROJECT_ROOT, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    for _ in range(50):
        store.update_instance_with(counter, lambda record: {"Count": record["Count"] + 1})
    for worker in workers:
        _, errors = worker.communicate()
        assert worker.returncode == 0, errors
    assert store.get_instance(counter)["Count"] == 200  # type: ignore[index]


def test_an_exception_inside_a_transaction_undoes_everything(store: ObjectStore, counter: int) -> None:
    before = store.export_seed()
    with pytest.raises(RuntimeError, match="power cut"), store.transaction():
        store.update_instance(counter, {"Count": 99})
        store.create_instance("Counter", {"Key": "new"})
        store.create_type("Other", ["A"])
        store.delete_instance(counter)
        raise RuntimeError("power cut")
    assert store.export_seed() == before
    assert store.update_instance(counter, {"Count": 1})["Count"] == 1  # type: ignore[index]


def test_a_store_error_inside_update_instance_with_leaves_the_record(
    store: ObjectStore, counter: int
) -> None:
    with pytest.raises(StoreError, match='has no field "Nope"'):
        store.update_instance_with(counter, lambda record: {"Count": 5, "Nope": 1})
    assert store.get_instance(counter)["Count"] == 0  # type: ignore[index]


def test_nested_transactions_are_savepoints(store: ObjectStore, counter: int) -> None:
    with store.transaction():
        store.update_instance(counter, {"Count": 1})
        with pytest.raises(ValueError), store.transaction():
            store.update_instance(counter, {"Count": 2})
            raise ValueError("inner fails")
        assert store.get_instance(counter)["Count"] == 1  # type: ignore[index]
        with store.transaction():
            store.update_instance(counter, {"Key": "inner kept"})
    record = store.get_instance(counter)
    assert (record["Count"], record["Key"]) == (1, "inner kept")  # type: ignore[index]


def test_a_process_killed_mid_transaction_loses_nothing_committed(
    store_path: Path, store: ObjectStore, counter: int
) -> None:
    store.update_instance(counter, {"Count": 7})
    result = run_python(
        f"""
        import os
        from runtime.store import ObjectStore
        store = ObjectStore({str(store_path)!r})
        with store.transaction():
            store.update_instance({counter}, {{"Count": 1000}})
            store.create_instance("Counter", {{"Key": "half-written"}})
            os._exit(3)
        """
    )
    assert result.returncode == 3, result.stderr
    with ObjectStore(store_path) as reopened:
        assert reopened.get_instance(counter)["Count"] == 7  # type: ignore[index]
        assert [record["Key"] for record in reopened.list_instances("Counter")] == ["hits"]
        assert reopened.update_instance(counter, {"Count": 8})["Count"] == 8  # type: ignore[index]


def test_readers_see_whole_transactions_only(store: ObjectStore) -> None:
    store.create_type("Account", [{"name": "Balance", "type": "number"}])
    first = store.create_instance("Account", {"Balance": 100})["ObjectId"]
    second = store.create_instance("Account", {"Balance": 0})["ObjectId"]
    totals: list[int] = []
    done = threading.Event()

    def transfer() -> None:
        try:
            for _ in range(100):
                with store.transaction():
                    store.update_instance_with(first, lambda record: {"Balance": record["Balance"] - 1})
                    store.update_instance_with(second, lambda record: {"Balance": record["Balance"] + 1})
        finally:
            done.set()

    def audit() -> None:
        while not done.is_set():
            totals.append(sum(record["Balance"] for record in store.list_instances("Account")))

    run_each([transfer, audit, audit])
    assert store.get_instance(second)["Balance"] == 100  # type: ignore[index]
    assert totals and set(totals) == {100}


def test_asyncio_tasks_and_worker_threads_share_the_store(store: ObjectStore, counter: int) -> None:
    def bump(record: dict) -> dict:
        return {"Count": record["Count"] + 1}

    async def on_the_loop() -> None:
        for _ in range(25):
            store.update_instance_with(counter, bump)
            await asyncio.sleep(0)

    async def in_threads() -> None:
        for _ in range(25):
            await asyncio.to_thread(store.update_instance_with, counter, bump)

    async def main() -> None:
        await asyncio.gather(*(on_the_loop() for _ in range(4)), *(in_threads() for _ in range(4)))

    asyncio.run(main())
    assert store.get_instance(counter)["Count"] == 200  # type: ignore[index]


def test_awaiting_inside_a_transaction_is_reported_not_deadlocked(store_path: Path, counter: int) -> None:
    with ObjectStore(store_path, busy_timeout=5) as store:

        async def holder(opened: asyncio.Event, release: asyncio.Event) -> None:
            with store.transaction():
                store.update_instance(counter, {"Count": 1})
                opened.set()
                await release.wait()

        async def intruder() -> str:
            try:
                store.update_instance(counter, {"Count": 2})
            except StoreError as error:
                return str(error)
            return "no error"

        async def main() -> str:
            opened, release = asyncio.Event(), asyncio.Event()
            holding = asyncio.create_task(holder(opened, release))
            await opened.wait()
            message = await intruder()
            release.set()
            await holding
            return message

        message = asyncio.run(main())
        assert "another task of this thread has a store transaction open" in message
        assert store.get_instance(counter)["Count"] == 1  # type: ignore[index]
