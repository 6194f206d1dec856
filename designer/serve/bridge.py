"""From the host's thread to the GUI thread: engine events and answered requests, in order, in batches.

The host calls :meth:`HostEventBridge.observe` and :meth:`HostEventBridge.request_completed` on its own
thread; both post to a :class:`designer.batching.GuiBatcher`, whose GUI side drains the whole queue at
each wake-up, so a burst of events costs one wake-up instead of one per event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from designer.batching import GuiBatcher
from runtime.engine.events import EngineEvent


@dataclass(frozen=True)
class CompletedRequest:
    """A request the host answered (``WorkflowHost.on_request``), whether or not it started an instance."""

    method: str
    path: str
    status: int
    milliseconds: float
    instance_id: str | None = None
    """The instance the request started (None for 404, 405, 401...)."""
    time: datetime = field(default_factory=lambda: datetime.now(UTC))


HostItem = EngineEvent | CompletedRequest


class HostEventBridge(GuiBatcher):
    """The host's engine events and answered requests to the GUI thread (the Runs panel), in order.

    Items arrive through :attr:`delivered` as lists of :data:`HostItem`; the GUI takes everything queued
    at each wake-up.
    """

    def observe(self, event: EngineEvent) -> None:
        """A runner observer (any thread)."""
        self.post(event)

    def request_completed(
        self, method: str, path: str, status: int, milliseconds: float, instance_id: str | None = None
    ) -> None:
        """The host's ``on_request`` callback (any thread)."""
        self.post(CompletedRequest(method, path, status, milliseconds, instance_id))
