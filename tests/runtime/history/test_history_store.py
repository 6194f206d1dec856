"""The run history's table in the store file: add in batches, list with filters, find by id prefix, prune by
count and age, keep the retention in the file, and leave the object store as it was."""

from __future__ import annotations

import math
import sqlite3
import time
from pathlib import Path

import pytest

from runtime.store.errors import StoreError
from runtime.store.history import Retention, RunHistory, RunQuery, RunRow
from runtime.store.store import ObjectStore


def _row(
    run_id: str, workflow: str = "W", status: str = "Finished", started: float = 1000.0, **extra
) -> RunRow:
    return RunRow(run_id=run_id, workflow=workflow, source="run", status=status, started=started, **extra)


def test_a_new_file_becomes_a_store_with_a_history(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with RunHistory(path) as history:
        history.add([_row("a" * 32, finished=1000.5, outcomes=["Done"], summary={"input": {"x": 1}})])
        row = history.get("a" * 32)
    assert row is not None and row.duration_ms == pytest.approx(500.0)
    assert row.summary == {"input": {"x": 1}} and row.outcomes == ["Done"]
    with ObjectStore(path) as store:  # still a Flowdesk store: the object store opens it as before
        store.create_type("Settings", ["Key"])
        assert [t.name for t in store.list_types()] == ["Settings"]


def test_listing_filters_and_orders_newest_first(tmp_path: Path) -> None:
    with RunHistory(tmp_path / "s.db") as history:
        history.add(
            [
                _row("1" * 32, "Orders", "Finished", 100.0),
                _row("2" * 32, "orders", "Faulted", 200.0),
                _row("3" * 32, "Other", started=300.0),
            ]
        )
        assert [r.run_id[0] for r in history.runs()] == ["3", "2", "1"]
        assert [r.run_id[0] for r in history.runs(RunQuery(workflow="ORDERS"))] == ["2", "1"]
        assert [r.run_id[0] for r in history.runs(RunQuery(status="faulted"))] == ["2"]
        assert [r.run_id[0] for r in history.runs(RunQuery(since=150.0))] == ["3", "2"]
        assert [r.run_id[0] for r in history.runs(RunQuery(limit=1, offset=1))] == ["2"]
        assert {name.lower() for name in history.workflows()} == {"orders", "other"}


def test_a_run_is_found_by_the_first_characters_of_its_id(tmp_path: Path) -> None:
    with RunHistory(tmp_path / "s.db") as history:
        history.add([_row("abcdef01" + "0" * 24), _row("abcdef02" + "0" * 24), _row("12345678" + "0" * 24)])
        row = history.get("1234")
        assert row is not None and row.run_id.startswith("12345678")
        assert history.get("ffff") is None
        with pytest.raises(StoreError, match="ambiguous"):
            history.get("abcdef0")
        assert history.get("abcdef_") is None  # LIKE wildcards are not wildcards here


def test_retention_by_count_and_age(tmp_path: Path) -> None:
    now = time.time()
    with RunHistory(tmp_path / "s.db") as history:
        for n in reversed(range(10)):  # oldest first, a page each (retention keeps or drops whole pages)
            history.add([_row(f"{n:032d}", started=now - n * 3600)])
        assert history.prune(Retention(keep_runs=0, keep_days=0)) == 0
        assert history.prune(Retention(keep_runs=0, keep_days=5.5 / 24)) == 4  # older than 5½ hours
        assert history.count() == 6
        assert history.prune(Retention(keep_runs=3, keep_days=0)) == 3
        assert [r.run_id for r in history.runs()] == [f"{n:032d}" for n in range(3)]


def test_the_retention_is_kept_in_the_store_file(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with RunHistory(path) as history:
        assert history.retention() == Retention()
        history.set_retention(keep_runs=5)
        with pytest.raises(StoreError):
            history.set_retention(keep_days=-1)
    with RunHistory(path) as again:
        assert again.retention() == Retention(keep_runs=5, keep_days=Retention().keep_days)


def test_an_sqlite_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE mine (x)")
    connection.commit()
    connection.close()
    with RunHistory(path) as history, pytest.raises(StoreError, match="not a Flowdesk store"):
        history.add([_row("a" * 32)])


@pytest.mark.parametrize("days", [math.nan, math.inf, -1.0])
def test_a_retention_is_a_finite_number_of_0_or_more(tmp_path: Path, days: float) -> None:
    with RunHistory(tmp_path / "s.db") as history:
        with pytest.raises(StoreError, match="keep_days must be a finite number of 0 or more"):
            history.set_retention(keep_days=days)
        assert history.retention() == Retention()


def test_a_non_finite_retention_kept_by_an_older_version_reads_as_the_default(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with RunHistory(path) as history:
        history.set_retention(keep_runs=7)
    connection = sqlite3.connect(path)
    connection.execute("INSERT OR REPLACE INTO flowdesk_history_settings VALUES ('keep_days', 'nan')")
    connection.commit()
    connection.close()
    with RunHistory(path) as history:
        assert history.retention() == Retention(keep_runs=7)
