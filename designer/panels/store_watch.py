"""Notice that another connection (a workflow run, the Serve host, another process) changed the store file.

SQLite's ``PRAGMA data_version`` changes on a connection whenever any other connection commits, so one
cheap query on a private read-only connection tells the browser when to refresh.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path


class StoreChangeWatch:
    """Tells whether another connection committed to the store since the last look (see the module)."""

    def __init__(self, path: Path) -> None:
        self._connection: sqlite3.Connection | None = None
        try:
            self._connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
            self._version = self._read()
        except sqlite3.Error:
            self.close()
            self._version = None

    def _read(self) -> int | None:
        if self._connection is None:
            return None
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """Whether the file was changed by anyone since the last call."""
        try:
            version = self._read()
        except sqlite3.Error:
            return False
        changed = version != self._version
        self._version = version
        return changed

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None
