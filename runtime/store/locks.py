"""Named locks in the store file, shared by every process that opens it (``run``, ``serve``, the designer).

Elsa 2 runs a singleton workflow's instances one at a time across server nodes with a distributed lock;
Flowdesk processes that share a store are the same situation, so the lock lives in the store: a row of
``flowdesk_locks`` per held lock, taken in a ``BEGIN IMMEDIATE`` transaction (SQLite lets one writer in at
a time, so two processes cannot both see the lock free and take it), with its owner (process id, machine,
a token of its own) and a lease. The holder renews the lease from a thread while it runs and deletes the row
when done. A lock whose owner died without releasing it (killed, crashed) is taken over: at once when the
owner was a process of this machine that no longer exists, else once its lease has run out and stayed out
for :data:`ABANDONED_AFTER` leases (a live owner renews long before that).

The table is created on first use (``CREATE TABLE IF NOT EXISTS``); it is not part of the object store's
schema, so older Flowdesk versions open the file as before.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from runtime.processes import host_name, pid_alive
from runtime.store.errors import StoreError

LEASE = 15.0
"""Seconds a lock is held without renewal; the holder renews it every third of that."""
ABANDONED_AFTER = 4
"""Leases a lock may stay expired before it is taken from an owner that looks alive (hung, or its process
id reused, or on another machine)."""

_CREATE = """CREATE TABLE IF NOT EXISTS flowdesk_locks (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    expires REAL NOT NULL,
    acquired REAL NOT NULL
)"""


@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock, as its row says."""

    owner: str
    pid: int
    host: str
    expires: float


class StoreLock:
    """One named lock in the store at ``path``; an instance is one would-be holder (not re-entrant)."""

    def __init__(
        self, path: str | os.PathLike[str], name: str, lease: float = LEASE, busy_timeout: float = 30.0
    ) -> None:
        self.path = Path(path)
        self.name = name
        self.lease = lease
        self.busy_timeout = busy_timeout
        self.owner = f"{host_name()}:{os.getpid()}:{uuid.uuid4().hex}"
        self.held = False
        self.lost = False
        """Set when a renewal found the row gone or taken (the lease ran out while this process stalled)."""
        self.holder: LockHolder | None = None
        """The other holder seen by the last failed :meth:`try_acquire`."""
        self._renewer: threading.Thread | None = None
        self._stop = threading.Event()

    def _connect(self) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
            # A lock row need not survive a power cut (its holder would not either): no fsync per commit.
            connection.execute("PRAGMA synchronous = NORMAL")
            return connection
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot open the store ({error})") from None

    def try_acquire(self) -> bool:
        """Take the lock if it is free, ours, or abandoned; one IMMEDIATE transaction, never waits for the
        holder (only, briefly, for another writer of the store)."""
        now = time.time()
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(_CREATE)
                row = connection.execute(
                    "SELECT owner, pid, host, expires FROM flowdesk_locks WHERE name = ?", (self.name,)
                ).fetchone()
                holder = LockHolder(row[0], int(row[1]), row[2], float(row[3])) if row else None
                if holder is None or holder.owner == self.owner or self._abandoned(holder, now):
                    connection.execute(
                        "INSERT OR REPLACE INTO flowdesk_locks (name, owner, pid, host, expires, acquired) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (self.name, self.owner, os.getpid(), host_name(), now + self.lease, now),
                    )
                    taken = True
                else:
                    taken = False
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: the lock {self.name!r} could not be taken ({error})") from None
        finally:
            connection.close()
        self.held, self.holder = taken, (None if taken else holder)
        if taken:
            self.lost = False
        return taken

    def _abandoned(self, holder: LockHolder, now: float) -> bool:
        if holder.host == host_name() and not pid_alive(holder.pid):
            return True  # its process is gone: nothing holds it
        return now > holder.expires + (ABANDONED_AFTER - 1) * self.lease

    def renew(self) -> bool:
        """Push the lease on; False (and :attr:`lost`) when the row is no longer ours."""
        connection = self._connect()
        try:
            cursor = connection.execute(
                "UPDATE flowdesk_locks SET expires = ? WHERE name = ? AND owner = ?",
                (time.time() + self.lease, self.name, self.owner),
            )
            renewed = cursor.rowcount == 1
        except sqlite3.Error:
            return True  # busy or unreadable this time: the lease still runs, try again next time
        finally:
            connection.close()
        if not renewed:
            self.lost = True
        return renewed

    def release(self) -> None:
        """Stop renewing and delete our row (nothing when the lock is not ours)."""
        self.stop_renewing()
        if not self.held:
            return
        self.held = False
        connection = self._connect()
        try:
            connection.execute(
                "DELETE FROM flowdesk_locks WHERE name = ? AND owner = ?", (self.name, self.owner)
            )
        except sqlite3.Error:
            pass  # the lease runs out, and the row is taken over as abandoned
        finally:
            connection.close()

    def start_renewing(self) -> None:
        """Renew the lease every third of it from a daemon thread, until :meth:`release`."""
        if self._renewer is not None:
            return
        self._stop.clear()
        self._renewer = threading.Thread(
            target=self._renew_loop, name=f"flowdesk-lock-{self.name}", daemon=True
        )
        self._renewer.start()

    def stop_renewing(self) -> None:
        renewer, self._renewer = self._renewer, None
        if renewer is not None:
            self._stop.set()
            renewer.join(self.busy_timeout)

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.lease / 3):
            if not self.renew():
                return


__all__ = ["ABANDONED_AFTER", "LEASE", "LockHolder", "StoreLock"]
