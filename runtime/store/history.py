"""Run history in the store file: finished runs written in pages (one row per batch), pruned by count and age.

Tables (created on first use with ``CREATE TABLE IF NOT EXISTS``, as the locks' table is: they are not part
of the object store's schema, so a store file stays readable by older Flowdesk versions)::

    flowdesk_run_pages(seq INTEGER PRIMARY KEY, runs INTEGER, first_started REAL, last_started REAL,
                       body TEXT)           -- the runs of one batch, as JSON (see below)
    flowdesk_run_details(run_id TEXT PRIMARY KEY, page INTEGER, summary TEXT, detail BLOB)
    flowdesk_run_shapes(shape_id INTEGER PRIMARY KEY, digest TEXT UNIQUE, body TEXT)
    flowdesk_history_settings(key TEXT PRIMARY KEY, value TEXT)   -- retention: keep_runs, keep_days

Why pages: ``flowdesk serve`` finishes thousands of runs a second, and a row per run (its insert, its index
entries, its later delete) would cost more than the request itself. A page is what the writer took from its
queue at once: one insert for all of it, one delete when retention drops it. Each run is a JSON list in the
page's ``body`` (:data:`RUN_FIELDS`); its bulk, when it has one (log events of a long run, the journal, the
input and output), is a row of ``flowdesk_run_details``. A short run that took a path already seen (a served
request, mostly) shares that path's *shape* (what its events say, without their times), stored once; the
run keeps only its event times (``at``) and, in its details, its own data events. This module stores rows,
pages and shapes as text; what they mean is :mod:`runtime.history`'s.

Reading a history (a listing, a run by id) reads pages newest first: the history is as long as its
retention (10,000 runs by default), which takes milliseconds to go through. Retention works on whole pages.
Shapes are never deleted but by :meth:`RunHistory.clear` (another process may be about to use one): there is
one per path and outcomes.

Writes go through one connection of the writer (``synchronous = NORMAL`` under WAL: a commit is not
flushed to disk at once; a power cut may lose the last pages, never corrupt the file). Every page is one
``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runtime.jsonlimits import escape_surrogates, utf8
from runtime.store.errors import StoreError

DEFAULT_KEEP_RUNS = 10_000
"""Runs kept by default (the oldest pages beyond this are deleted)."""
DEFAULT_KEEP_DAYS = 30.0
"""Days a run is kept by default."""

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS flowdesk_run_pages (
        seq INTEGER PRIMARY KEY,
        runs INTEGER NOT NULL,
        first_started REAL NOT NULL,
        last_started REAL NOT NULL,
        body TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS flowdesk_run_details (
        run_id TEXT PRIMARY KEY,
        page INTEGER NOT NULL,
        summary TEXT,
        detail BLOB
    )""",
    "CREATE INDEX IF NOT EXISTS flowdesk_run_details_by_page ON flowdesk_run_details (page)",
    """CREATE TABLE IF NOT EXISTS flowdesk_run_shapes (
        shape_id INTEGER PRIMARY KEY,
        digest TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS flowdesk_history_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
)

RUN_FIELDS = (
    "run_id",
    "workflow",
    "definition_id",
    "version",
    "file",
    "source",
    "status",
    "started",
    "finished",
    "correlation_id",
    "fault",
    "outcomes",
    "steps",
    "request",
    "answer",
    "shape",
    "at",
    "detailed",
)
"""A run in a page's ``body``: a list of these, in this order (``file`` indexes the page's ``files``)."""


@dataclass(slots=True)
class RunRow:
    """One run as stored: what a listing shows, and (when read) its summary, shape and detail."""

    run_id: str
    workflow: str
    source: str
    status: str
    started: float
    finished: float | None = None
    definition_id: str | None = None
    version: int | None = None
    file_path: str | None = None
    file_hash: str | None = None
    correlation_id: str | None = None
    fault: str | None = None
    outcomes: list[str] = field(default_factory=list)
    steps: int = 0
    request: str | None = None
    """A served run's request line, ``GET /hello``."""
    answer: int | None = None
    """The status a served run's WriteHttpResponse answered with."""
    summary: dict[str, Any] = field(default_factory=dict)
    shape: str | int | None = None
    """The text of the run's shape (shared with the runs that took the same path), or None; as listed,
    before its detail is read, the shape's id."""
    at: str | None = None
    """The times of its events when it has a shape (µs from its start, comma-separated)."""
    detail: bytes | None = None

    @property
    def duration_ms(self) -> float | None:
        return None if self.finished is None else max(0.0, (self.finished - self.started) * 1000.0)

    def listed(self) -> dict[str, Any]:
        """The row as ``flowdesk history --json`` lists it."""
        return {
            "id": self.run_id,
            "workflow": self.workflow,
            "definitionId": self.definition_id,
            "version": self.version,
            "file": self.file_path,
            "fileHash": self.file_hash,
            "source": self.source,
            "status": self.status,
            "started": _iso(self.started),
            "finished": _iso(self.finished) if self.finished is not None else None,
            "durationMs": None if self.duration_ms is None else round(self.duration_ms, 3),
            "correlationId": self.correlation_id,
            "fault": self.fault,
            "outcomes": list(self.outcomes),
            "steps": self.steps,
            "request": self.request,
            "answer": self.answer,
        }


@dataclass(frozen=True)
class Retention:
    """How much history is kept: at most ``keep_runs`` runs, none older than ``keep_days`` (0: no limit)."""

    keep_runs: int = DEFAULT_KEEP_RUNS
    keep_days: float = DEFAULT_KEEP_DAYS


@dataclass(frozen=True)
class RunQuery:
    """A listing's filters; every one optional. ``workflow`` matches the name ignoring case."""

    workflow: str | None = None
    status: str | None = None
    source: str | None = None
    since: float | None = None
    until: float | None = None
    limit: int = 100
    offset: int = 0

    def matches(self, row: RunRow) -> bool:
        return (
            (not self.workflow or row.workflow.lower() == self.workflow.lower())
            and (not self.status or row.status.lower() == self.status.lower())
            and (not self.source or row.source.lower() == self.source.lower())
            and (self.since is None or row.started >= self.since)
            and (self.until is None or row.started < self.until)
        )


class RunHistory:
    """The run history of one store file. Safe to share between threads (one connection per thread)."""

    def __init__(self, path: str | os.PathLike[str], busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        self._ready = False
        self._shapes: dict[str, int] = {}
        """Shape text -> its id in this file (the writer meets the same few shapes again and again)."""

    # -- lifetime ---------------------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()

    def __enter__(self) -> RunHistory:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None:
            return connection
        if self._closed:
            raise StoreError(f"{self.path}: the run history is closed")
        if not self._ready:
            self._prepare()
        try:
            connection = sqlite3.connect(
                self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot open the run history ({error})") from None
        with self._lock:
            self._connections.append(connection)
        self._local.connection = connection
        return connection

    def _prepare(self) -> None:
        """The object store's schema first (a new file becomes a Flowdesk store), then the history's."""
        from runtime.store.store import ObjectStore

        ObjectStore(self.path, self.busy_timeout).close()
        connection = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA:
                connection.execute(statement)
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot create the run history ({error})") from None
        finally:
            connection.close()
        self._ready = True

    def _transaction(self) -> _Transaction:
        return _Transaction(self, self._connection())

    # -- writing ----------------------------------------------------------------------------------------

    def add(self, rows: Sequence[RunRow]) -> None:
        """Store runs as one page, in one transaction."""
        self.add_items([row_item(row) for row in rows])

    def add_items(self, items: Sequence[list[Any]]) -> None:
        """Store runs given as page items (:func:`row_item`, or made so directly) as one page."""
        if not items:
            return
        with self._transaction() as connection:
            files: dict[Any, int] = {}
            details: list[tuple[str, str, bytes | None]] = []
            shape_id = self._shape_id
            for item in items:
                file = item[4]
                index = files.get(file)
                if index is None:
                    index = files[file] = len(files)
                item[4] = index
                shape = item[15]
                if shape is not None:
                    item[15] = shape_id(connection, shape)
                own = item[17]
                if own is not None:
                    details.append((item[0], own[0], own[1]))
                    item[17] = True
                else:
                    item[17] = False
            body = escape_surrogates(
                json.dumps({"files": list(files), "runs": items}, ensure_ascii=False, separators=(",", ":"))
            )
            starts = [item[7] for item in items]
            cursor = connection.execute(
                "INSERT INTO flowdesk_run_pages (runs, first_started, last_started, body) "
                "VALUES (?, ?, ?, ?)",
                (len(items), min(starts), max(starts), body),
            )
            page = cursor.lastrowid
            if details:
                connection.executemany(
                    "INSERT OR REPLACE INTO flowdesk_run_details (run_id, page, summary, detail) "
                    "VALUES (?, ?, ?, ?)",
                    [
                        (run_id, page, escape_surrogates(summary), detail)
                        for run_id, summary, detail in details
                    ],
                )

    def _shape_id(self, connection: sqlite3.Connection, body: str) -> int:
        """The id of a shape (stored the first time it is seen; the text is its identity)."""
        known = self._shapes.get(body)
        if known is not None:
            return known
        digest = hashlib.sha256(utf8(body)).hexdigest()
        connection.execute(
            "INSERT OR IGNORE INTO flowdesk_run_shapes (digest, body) VALUES (?, ?)",
            (digest, escape_surrogates(body)),
        )
        shape_id = int(
            connection.execute(
                "SELECT shape_id FROM flowdesk_run_shapes WHERE digest = ?", (digest,)
            ).fetchone()[0]
        )
        if len(self._shapes) >= 4096:
            self._shapes.clear()
        self._shapes[body] = shape_id
        return shape_id

    def prune(self, retention: Retention | None = None) -> int:
        """Delete the pages the retention no longer keeps; returns how many runs went."""
        retention = retention or self.retention()
        deleted = 0
        with self._transaction() as connection:
            doomed: list[int] = []
            if retention.keep_days > 0:
                cutoff = time.time() - retention.keep_days * 86400.0
                doomed += [
                    seq
                    for (seq,) in connection.execute(
                        "SELECT seq FROM flowdesk_run_pages WHERE last_started < ?", (cutoff,)
                    )
                ]
            if retention.keep_runs > 0:
                kept = 0
                for seq, runs in connection.execute(
                    "SELECT seq, runs FROM flowdesk_run_pages ORDER BY seq DESC"
                ):
                    if kept >= retention.keep_runs:
                        doomed.append(seq)
                    kept += runs
            for seq in sorted(set(doomed)):
                deleted += connection.execute(
                    "SELECT runs FROM flowdesk_run_pages WHERE seq = ?", (seq,)
                ).fetchone()[0]
                connection.execute("DELETE FROM flowdesk_run_pages WHERE seq = ?", (seq,))
                connection.execute("DELETE FROM flowdesk_run_details WHERE page = ?", (seq,))
        return deleted

    def clear(self) -> None:
        """Delete every run (and the shapes they shared)."""
        with self._transaction() as connection:
            for table in ("flowdesk_run_pages", "flowdesk_run_details", "flowdesk_run_shapes"):
                connection.execute(f"DELETE FROM {table}")
        self._shapes.clear()

    # -- settings ---------------------------------------------------------------------------------------

    def retention(self) -> Retention:
        """The retention kept in this store (the defaults where none was set)."""
        rows = dict(self._connection().execute("SELECT key, value FROM flowdesk_history_settings").fetchall())
        try:
            keep_runs = int(rows.get("keep_runs", DEFAULT_KEEP_RUNS))
            keep_days = float(rows.get("keep_days", DEFAULT_KEEP_DAYS))
        except ValueError:
            return Retention()
        if not math.isfinite(keep_days):  # written by a version that let nan and inf through
            keep_days = DEFAULT_KEEP_DAYS
        return Retention(max(0, keep_runs), max(0.0, keep_days))

    def set_retention(self, keep_runs: int | None = None, keep_days: float | None = None) -> Retention:
        """Change the retention (``None`` keeps a value as it is); returns the retention now in force."""
        for name, value in (("keep_runs", keep_runs), ("keep_days", keep_days)):
            if value is None:
                continue
            if (
                isinstance(value, bool)
                or (isinstance(value, float) and not math.isfinite(value))
                or value < 0
            ):
                raise StoreError(f"{name} must be a finite number of 0 or more, got {value!r}")
        with self._transaction() as connection:
            for name, value in (("keep_runs", keep_runs), ("keep_days", keep_days)):
                if value is not None:
                    connection.execute(
                        "INSERT OR REPLACE INTO flowdesk_history_settings (key, value) VALUES (?, ?)",
                        (name, str(value)),
                    )
        return self.retention()

    # -- reading ----------------------------------------------------------------------------------------

    def _pages(self, where: str = "", parameters: Sequence[Any] = ()) -> Iterator[tuple[int, list[RunRow]]]:
        """Pages newest first, each as its runs (newest first)."""
        cursor = self._connection().execute(
            f"SELECT seq, body FROM flowdesk_run_pages {where} ORDER BY seq DESC", tuple(parameters)
        )
        for seq, body in cursor:
            try:
                page = json.loads(body)
                files = page["files"]
                rows = [_row(values, files) for values in page["runs"]]
            except (ValueError, KeyError, TypeError, IndexError):
                continue
            rows.reverse()
            yield seq, rows

    def runs(self, query: RunQuery | None = None) -> list[RunRow]:
        """Runs matching ``query``, newest first (the last written first), without their detail."""
        query = query or RunQuery()
        where, parameters = "", []
        if query.since is not None:
            where, parameters = "WHERE last_started >= ?", [query.since]
        found: list[RunRow] = []
        skip = max(0, query.offset)
        for _, rows in self._pages(where, parameters):
            for row in rows:
                if not query.matches(row):
                    continue
                if skip:
                    skip -= 1
                    continue
                found.append(row)
                if 0 < query.limit <= len(found):
                    return found
        return found

    def count(self) -> int:
        return int(
            self._connection().execute("SELECT coalesce(sum(runs), 0) FROM flowdesk_run_pages").fetchone()[0]
        )

    def get(self, run_id: str) -> RunRow | None:
        """The run of that id, or of the only id starting with it (the 8 characters the log shows), with
        its detail."""
        if not run_id:
            return None
        prefix = len(run_id) < 32
        matches: dict[str, tuple[int, RunRow]] = {}
        for seq, rows in self._pages("WHERE instr(body, ?) > 0", ['["' + run_id]):
            for row in rows:
                if row.run_id == run_id or (prefix and row.run_id.startswith(run_id)):
                    matches.setdefault(row.run_id, (seq, row))
            if run_id in matches:
                break
        if run_id in matches:
            seq, row = matches[run_id]
        elif len(matches) > 1:
            raise StoreError(f"run id {run_id!r} is ambiguous: give more of it")
        elif matches:
            seq, row = next(iter(matches.values()))
        else:
            return None
        self._read_detail(row)
        return row

    def _read_detail(self, row: RunRow) -> None:
        connection = self._connection()
        found = connection.execute(
            "SELECT summary, detail FROM flowdesk_run_details WHERE run_id = ?", (row.run_id,)
        ).fetchone()
        if found is not None:
            row.summary = _json(found[0], {})
            row.detail = found[1]
        if isinstance(row.shape, int):
            shape = connection.execute(
                "SELECT body FROM flowdesk_run_shapes WHERE shape_id = ?", (row.shape,)
            ).fetchone()
            row.shape = shape[0] if shape is not None else None

    def workflows(self) -> list[str]:
        """The workflow names with runs, sorted."""
        names = {row.workflow for _, rows in self._pages() for row in rows}
        return sorted(names, key=str.lower)


class _Transaction:
    """``with history._transaction() as connection``: BEGIN IMMEDIATE, COMMIT or ROLLBACK; errors as
    :class:`StoreError`."""

    def __init__(self, history: RunHistory, connection: sqlite3.Connection) -> None:
        self.history = history
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise StoreError(f"{self.history.path}: the run history is busy ({error})") from None
        return self.connection

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> None:
        connection = self.connection
        if kind is None:
            try:
                connection.execute("COMMIT")
                return
            except sqlite3.Error as failure:
                error = failure
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        self.history._shapes.clear()
        if isinstance(error, sqlite3.Error):
            raise StoreError(f"{self.history.path}: the run history could not be written ({error})") from None


def row_item(row: RunRow) -> list[Any]:
    """A run as :meth:`RunHistory.add_items` takes it: its :data:`RUN_FIELDS` with ``file`` as (path, hash),
    ``shape`` as text, and ``detailed`` as (summary JSON, detail) or None."""
    own = (_summary_text(row.summary), row.detail) if row.summary or row.detail is not None else None
    return [
        row.run_id,
        row.workflow,
        row.definition_id,
        row.version,
        (row.file_path, row.file_hash),
        row.source,
        row.status,
        row.started,
        row.finished,
        row.correlation_id,
        row.fault,
        row.outcomes,
        row.steps,
        row.request,
        row.answer,
        row.shape if isinstance(row.shape, str) else None,
        row.at,
        own,
    ]


def _row(values: list[Any], files: list[list[Any]]) -> RunRow:
    (
        run_id,
        workflow,
        definition_id,
        version,
        file,
        source,
        status,
        started,
        finished,
        correlation_id,
        fault,
        outcomes,
        steps,
        request,
        answer,
        shape,
        at,
        _detailed,
    ) = values
    path, digest = files[file] if isinstance(file, int) and 0 <= file < len(files) else (None, None)
    return RunRow(
        run_id=run_id,
        workflow=workflow,
        definition_id=definition_id,
        version=version,
        file_path=path,
        file_hash=digest,
        source=source,
        status=status,
        started=started,
        finished=finished,
        correlation_id=correlation_id,
        fault=fault,
        outcomes=list(outcomes or ()),
        steps=steps or 0,
        request=request,
        answer=answer,
        shape=shape,
        at=at,
    )


def _summary_text(summary: dict[str, Any]) -> str:
    if not summary:
        return ""
    return json.dumps(summary, ensure_ascii=False, separators=(",", ":"), default=str)


def _json(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def _iso(seconds: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


__all__ = [
    "DEFAULT_KEEP_DAYS",
    "DEFAULT_KEEP_RUNS",
    "RUN_FIELDS",
    "Retention",
    "RunHistory",
    "RunQuery",
    "RunRow",
    "row_item",
]
