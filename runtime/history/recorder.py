"""Recording runs into the history without slowing them: an observer that only keeps events, and a writer
thread that builds, masks and stores the finished runs in batches.

On the engine's thread, :class:`HistoryRecorder` (an observer with ``kinds``: the engine builds no event
for it that the log does not build anyway) keeps each event of a run in that run's
:class:`~runtime.history.record.KeptEvents`: a step as a number (the first step of its activity and outcomes
is kept as it is) and its time, any other event as it is. When the caller says a run is over
(:meth:`HistoryRecorder.finished`: ``run`` after ``run_sync``, the host after answering, the designer when
its run ends), the kept events and the instance go to a :class:`HistoryWriter` queue. The writer's thread
takes everything waiting at once, builds each row (masking, JSON, compression:
:func:`~runtime.history.record.build_row`), writes the batch in one transaction and, now and then,
applies the retention (count and age). :meth:`HistoryWriter.flush` waits until all queued runs are written
(a command does so before it exits; an ``atexit`` hook for the rest).
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from runtime.elsa_json import file_identity
from runtime.engine.events import EngineEvent, EventKind
from runtime.engine.instance import JournalRecord, WorkflowInstance
from runtime.errors import FlowdeskError
from runtime.history.record import (
    HISTORY_KINDS,
    SHAPED_EVENTS,
    HistoryLimits,
    KeptEvents,
    PendingRun,
    build_row,
    shaped_item,
)
from runtime.model import WorkflowDefinition
from runtime.store.history import RunHistory, row_item

logger = logging.getLogger(__name__)

BATCH_SIZE = 512
"""Runs written in one transaction at most."""
GATHER = 0.05
"""Seconds the writer waits after a first run for others to write with it; a flush or close waiting ends
the wait at once (a ``flowdesk run`` closing its writer would otherwise wait it out on every exit)."""
PRUNE_INTERVAL = 10.0
"""Seconds between two retention passes of a writer (and one after its first batch)."""

_STOP = object()
_STARTED = EventKind.INSTANCE_STARTED


class HistoryWriter:
    """Finished runs to the run history of one store file, from a thread of its own, in batches."""

    def __init__(self, path: str | os.PathLike[str], warn: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        self.warn = warn
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._waited_on = threading.Event()
        """Set by a flush or close: the writer stops gathering and writes what it has."""
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()
        self._history: RunHistory | None = None
        self._broken: str | None = None
        self._last_prune = 0.0
        self._closed = False
        _open_writers.add(self)

    # --- the producing side (any thread) ------------------------------------------------------------------

    def put(self, pending: PendingRun | list[Any]) -> None:
        """Queue a finished run, or the page item of one (:func:`~runtime.history.record.shaped_item`);
        returns at once."""
        if self._broken is not None:
            return
        self._queue.put(pending)
        if self._thread is None:
            self._start()

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until every run queued so far is written (or failed); False on timeout."""
        if self._thread is None:
            return True
        done = threading.Event()
        self._queue.put(done)
        self._waited_on.set()
        return done.wait(timeout)

    def close(self, timeout: float = 30.0) -> None:
        """Write what is queued and stop the thread."""
        if self._closed:
            return
        self._closed = True
        thread = self._thread
        if thread is not None:
            self._queue.put(_STOP)
            self._waited_on.set()
            if thread is not threading.current_thread():
                thread.join(timeout)
        if self._history is not None:
            self._history.close()
        _open_writers.discard(self)

    def _start(self) -> None:
        with self._thread_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="flowdesk-history", daemon=True)
                self._thread.start()

    # --- the writer's thread ------------------------------------------------------------------------------

    def _run(self) -> None:
        get = self._queue.get
        while True:
            batch = [get()]
            self._drain(batch)
            if len(batch) < BATCH_SIZE and not any(
                isinstance(i, threading.Event) or i is _STOP for i in batch
            ):
                self._waited_on.wait(GATHER)  # a busy server's runs make one transaction, not one each
                self._drain(batch)
            self._waited_on.clear()  # a flush or close that set it is in this batch, or in the queue
            runs = [item for item in batch if type(item) is list or isinstance(item, PendingRun)]
            if runs:
                self._write(runs)
            for item in batch:
                if isinstance(item, threading.Event):
                    item.set()
            if any(item is _STOP for item in batch):
                return

    def _drain(self, batch: list[Any]) -> None:
        get_nowait = self._queue.get_nowait
        while len(batch) < BATCH_SIZE:
            try:
                batch.append(get_nowait())
            except queue.Empty:
                return

    def _write(self, runs: list[PendingRun | list[Any]]) -> None:
        if self._broken is not None:
            return
        items: list[list[Any]] = []
        for run in runs:
            if type(run) is list:
                items.append(run)
                continue
            assert isinstance(run, PendingRun)
            try:
                items.append(row_item(build_row(run)))
            except Exception:  # one run that cannot be recorded must not cost the others
                logger.exception("run %s could not be recorded in the history", run.instance.id)
        try:
            history = self._history
            if history is None:
                history = self._history = RunHistory(self.path)
            history.add_items(items)
            now = time.monotonic()
            if now - self._last_prune >= PRUNE_INTERVAL:
                self._last_prune = now
                history.prune()  # the retention kept in the store (flowdesk history settings)
        except (FlowdeskError, OSError) as error:
            self._broken = str(error)
            message = f"run history is off for this session: {error}"
            if self.warn is not None:
                self.warn(message)
            else:
                logger.warning(message)
        except Exception:  # a defect in one page must not stop the writer (later runs, flush waiters)
            logger.exception("%d runs could not be recorded in the history", len(items))


_open_writers: weakref.WeakSet[HistoryWriter] = weakref.WeakSet()
_shared: dict[Path, HistoryWriter] = {}
_shared_lock = threading.Lock()


def shared_writer(path: str | os.PathLike[str], warn: Callable[[str], None] | None = None) -> HistoryWriter:
    """The process's writer of that store file (serve and runs of one process share its thread)."""
    key = Path(path).resolve()
    with _shared_lock:
        writer = _shared.get(key)
        if writer is None or writer._closed:
            writer = _shared[key] = HistoryWriter(key, warn=warn)
        return writer


def open_recorder(
    store_path: str | os.PathLike[str] | None,
    source: str,
    warn: Callable[[str], None] | None = None,
    limits: HistoryLimits | None = None,
    keep_values: bool = True,
) -> HistoryRecorder:
    """A recorder into the history of that store file (None: the user's store), through the process's
    shared writer of that file."""
    from runtime.store.store import default_store_path

    return HistoryRecorder(
        shared_writer(store_path or default_store_path(), warn), source, limits, keep_values
    )


@atexit.register
def _close_at_exit() -> None:
    """Runs queued when the interpreter ends normally are written (also after Ctrl-C or SIGTERM)."""
    for writer in list(_open_writers):
        writer.close(timeout=10.0)


class HistoryRecorder:
    """An engine observer that keeps each run's events until the run is over (see the module).

    ``source`` says what ran it (``run``, ``serve``, ``designer``, ``demo``). Tell it which file a workflow
    came from with :meth:`describe` (its path and content hash are recorded) and when a run is over with
    :meth:`finished`; events of instances it was not told of are dropped with their run.
    """

    def __init__(
        self,
        writer: HistoryWriter,
        source: str,
        limits: HistoryLimits | None = None,
        keep_values: bool = True,
    ) -> None:
        self.writer = writer
        self.source = source
        self.limits = limits or HistoryLimits()
        self.keep_values = keep_values
        """Keep each run's input, output and response (``serve`` does not, unless asked)."""
        self.kinds = HISTORY_KINDS
        self._runs: dict[str, KeptEvents] = {}
        """Instance id (a root or one of its sub-workflows) -> the events of its root's run."""
        self._children: dict[str, list[tuple[str, str, str]]] = {}
        """Root id -> (id, workflow, parent id) of its sub-workflow instances."""
        self._root_of: dict[str, str] = {}
        self._lock = threading.Lock()
        self._files: dict[int, tuple[WorkflowDefinition, str | None, str | None]] = {}
        """id(workflow) -> (the workflow, kept so that its id stays its own; file path; content hash)."""

    def __call__(self, event: EngineEvent) -> None:
        try:
            kept = self._runs[event.instance_id]
        except KeyError:
            if event.kind is _STARTED:
                self._begin(event)
            return
        kept.add(event)

    def _begin(self, event: EngineEvent) -> None:
        with self._lock:
            parent = event.parent_instance_id
            if parent is None:
                self._runs[event.instance_id] = KeptEvents((event,))
                self._children[event.instance_id] = []
                return
            events = self._runs.get(parent)
            if events is None:
                return
            root = self._root_of.get(parent, parent)
            self._root_of[event.instance_id] = root
            self._children.setdefault(root, []).append((event.instance_id, event.workflow_name, parent))
            self._runs[event.instance_id] = events
            events.add(event)

    def describe(
        self, workflow: WorkflowDefinition, path: str | os.PathLike[str] | None, text: bytes | None = None
    ) -> None:
        """Record runs of ``workflow`` with its file's path and the SHA-256 of its content (``text``, else
        the file's bytes as they are now)."""
        self._files[id(workflow)] = (workflow, *file_identity(path, text))

    def finished(
        self,
        instance: WorkflowInstance,
        workflow: WorkflowDefinition | None = None,
        journals: Iterable[tuple[str, Sequence[JournalRecord]]] | None = None,
        file: tuple[str | None, str | None] | None = None,
    ) -> None:
        """``instance`` (a root) is over: queue its record. ``journals``: the (instance id, journal) of
        every instance whose journal to keep (default: the root's own); ``file``: its workflow's (path,
        content hash) when :meth:`describe` was not told."""
        with self._lock:
            events = self._runs.pop(instance.id, None)
            children = self._children.pop(instance.id, [])
            for child, _, _ in children:
                self._runs.pop(child, None)
                self._root_of.pop(child, None)
        if events is None:
            events = KeptEvents()
        if file is None:
            described = self._files.get(id(workflow)) if workflow is not None else None
            file = (described[1], described[2]) if described is not None else (None, None)
        path, digest = file
        listed: list[tuple[str, Sequence[JournalRecord]]] = (
            list(journals) if journals is not None else [(instance.id, instance.journal)]
        )
        kept = [(instance_id, journal) for instance_id, journal in listed if journal]
        version = workflow.version if workflow is not None else None
        if not kept and not children and not self.keep_values and len(events) <= SHAPED_EVENTS:
            self.writer.put(shaped_item(instance, events, self.source, file, version))
            return
        self.writer.put(
            PendingRun(
                instance,
                events,
                self.source,
                path,
                digest,
                version,
                kept,
                self.limits,
                children,
                self.keep_values,
            )
        )

    def flush(self, timeout: float = 30.0) -> bool:
        return self.writer.flush(timeout)


__all__ = ["HistoryRecorder", "HistoryWriter", "open_recorder", "shared_writer"]
