"""A singleton workflow's instances run one at a time across processes that share a store.

In a process, :meth:`WorkflowRunner._singleton_lock` (an asyncio lock) orders them; this adds the store's
lock (:class:`runtime.store.locks.StoreLock`) around that, so ``flowdesk run`` processes, ``serve`` and the
designer on one store take turns too: five processes that all find the access token expired make one call
to the auth server, and the other four read the token it stored. When the store cannot be used the run is
ordered in-process only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from runtime.errors import FlowdeskError

if TYPE_CHECKING:
    from runtime.engine.services import RuntimeServices
    from runtime.model import WorkflowDefinition
    from runtime.store.locks import StoreLock

logger = logging.getLogger(__name__)

_FIRST_WAIT = 0.02
_LONGEST_WAIT = 0.25


def singleton_key(workflow: WorkflowDefinition) -> str:
    return workflow.definition_id or workflow.name or str(id(workflow))


@asynccontextmanager
async def held_across_processes(
    services: RuntimeServices, workflow: WorkflowDefinition
) -> AsyncIterator[None]:
    """Hold the store's lock of ``workflow`` while the block runs (waiting, without blocking the event
    loop, for another process to finish its instance)."""
    lock = _store_lock(services, workflow)
    if lock is not None:
        lock = await _acquire(lock)
    if lock is None:
        yield
        return
    lock.start_renewing()
    try:
        yield
    finally:
        await asyncio.to_thread(lock.release)


def _store_lock(services: RuntimeServices, workflow: WorkflowDefinition) -> StoreLock | None:
    from runtime.store.locks import StoreLock

    try:
        path = services.store.path
    except (FlowdeskError, OSError) as error:
        logger.warning("singleton %s is ordered in this process only: %s", singleton_key(workflow), error)
        return None
    return StoreLock(path, f"singleton:{singleton_key(workflow)}")


async def _acquire(lock: StoreLock) -> StoreLock | None:
    wait = _FIRST_WAIT
    while True:
        attempt = asyncio.ensure_future(asyncio.to_thread(lock.try_acquire))
        try:
            if await asyncio.shield(attempt):
                return lock
        except asyncio.CancelledError:
            # The thread goes on: a lock it takes after the run was cancelled is given back at once.
            attempt.add_done_callback(_release_if_taken(lock))
            raise
        except FlowdeskError as error:
            logger.warning("%s: ordered in this process only: %s", lock.name, error)
            return None
        await asyncio.sleep(wait)
        wait = min(wait * 1.5, _LONGEST_WAIT)


def _release_if_taken(lock: StoreLock) -> Callable[[asyncio.Future[bool]], None]:
    def release(attempt: asyncio.Future[bool]) -> None:
        if not attempt.cancelled() and attempt.exception() is None and attempt.result():
            lock.release()

    return release


__all__ = ["held_across_processes", "singleton_key"]
