"""The garbage collector set for the command line: collecting young objects less often from the start
(importing the modules a command uses allocates many), frozen start-up for a long run or a busy server
(``flowdesk run`` and ``serve``), and left alone at the exit of a short command.

CPython's cyclic collector looks at every tracked object it has not frozen: at each full collection, the
modules, the workflow model and the catalogs that start-up built, and, as a run goes on, the events its
log and history keep until they are written. A 25,000-item ``flowdesk run`` spent about a fifth of its time
in collections that freed nothing. Freezing what start-up built takes it out of every later collection,
and collecting young objects every 10,000 allocations instead of 700 keeps a busy step loop or server from
stopping every few requests. Cycles are still collected; they are only found a little later.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_COLLECTION_THRESHOLD = 10_000
"""Allocations of tracked objects between two collections of the youngest generation (CPython: 700)."""


def as_the_program() -> None:
    """When flowdesk is the program (its own command line, not a caller of ``main``): young objects are
    collected every :data:`YOUNG_COLLECTION_THRESHOLD` allocations from the first import on; start-up
    allocates about a hundred thousand tracked objects that live as long as the process."""
    _collect_young_less_often()


@contextmanager
def settled_heap() -> Iterator[None]:
    """Around the run of a command, once start-up is over: what exists now is frozen and young objects are
    collected less often; both are undone on the way out, so a program that calls the command line's
    ``main`` (a test, a script) gets its collector back as it was."""
    frozen_before = gc.get_freeze_count()
    thresholds = gc.get_threshold()
    gc.freeze()
    _collect_young_less_often()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if not frozen_before:
            gc.unfreeze()


def _collect_young_less_often() -> None:
    young, middle, old = gc.get_threshold()
    if 0 < young < YOUNG_COLLECTION_THRESHOLD:  # 0: collection switched off by the program, left so
        gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)


def leave_to_the_exit() -> None:
    """A short command that holds no file, connection or thread once it returns, run as the process's own
    command line: what it allocated is left to the operating system rather than collected object by object
    at interpreter exit (about 0.01-0.03 s of ``flowdesk validate``'s 0.1 s over a bare start). Exit
    handlers still run and output is still flushed."""
    gc.freeze()
