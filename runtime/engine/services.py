"""What activities reach outside the engine through: the workflow library, the object store, HTTP, limits."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runtime.engine.library import WorkflowLibrary

if TYPE_CHECKING:
    import httpx  # 0.15-0.2 s to import: loaded by the first HTTP client a run asks for

    from runtime.store.store import ObjectStore


@dataclass
class EngineSettings:
    """Guards and limits; the defaults suit interactive runs and ``flowdesk run``."""

    step_budget: int = 1_000_000
    visit_cap: int = 100_000
    """Runs of one activity in one instance before the engine calls it a possible infinite loop."""
    max_depth: int = 16
    """Nesting of blocking sub-workflows before RunWorkflow faults (recursion guard)."""
    http_timeout: float = 30.0
    journal_limit: int = 10_000
    """Journal records kept per instance (the oldest are dropped beyond this)."""
    journal: bool = True
    """Keep a journal record per executed activity (``flowdesk serve`` turns it off: nobody reads it)."""


@dataclass
class RuntimeServices:
    """What activities reach outside the engine through: the workflow library, the object store, HTTP clients
    and the limits. Shared by every instance of a runner (one per process is typical); each instance keeps
    its own state.
    """

    library: WorkflowLibrary = field(default_factory=WorkflowLibrary)
    store_path: Path | None = None
    settings: EngineSettings = field(default_factory=EngineSettings)
    http_host: Any = None
    """The HTTP host serving this run, when there is one (WriteHttpResponse writes through it)."""
    http_transport: Callable[[], httpx.AsyncBaseTransport] | None = None
    """Makes the transport of each HTTP client (default: httpx's own): a recorded test records or answers
    the requests there (:mod:`runtime.flowtest`)."""
    clock: datetime | None = None
    """A frozen clock: expressions read this instant as now (a recorded test replays at its instant)."""

    def __post_init__(self) -> None:
        self._store: ObjectStore | None = None
        self._store_lock = threading.Lock()
        self._clients: dict[asyncio.AbstractEventLoop, httpx.AsyncClient] = {}

    @property
    def store(self) -> ObjectStore:
        """The object store, opened on first use (default: the user's store file)."""
        with self._store_lock:
            if self._store is None:
                from runtime.store.store import ObjectStore, default_store_path

                self._store = ObjectStore(self.store_path or default_store_path())
            return self._store

    def use_store(self, store: ObjectStore) -> None:
        with self._store_lock:
            self._store = store

    def http_client(self) -> httpx.AsyncClient:
        """One pooled client per event loop (httpx clients belong to the loop that uses them)."""
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None or client.is_closed:
            import httpx

            transport = self.http_transport() if self.http_transport is not None else None
            client = httpx.AsyncClient(  # a transport of our own also sees what a proxy would have
                timeout=self.settings.http_timeout,
                follow_redirects=False,
                transport=transport,
                trust_env=transport is None,
            )
            self._clients[loop] = client
        return client

    async def aclose(self) -> None:
        """Close the HTTP client of the running loop."""
        loop = asyncio.get_running_loop()
        client = self._clients.pop(loop, None)
        if client is not None:
            await client.aclose()

    def close(self) -> None:
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None
