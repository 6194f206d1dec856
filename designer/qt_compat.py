"""A guard against a reference-counting defect of PySide6 6.12.0 on CPython 3.11.

That release drops one reference to ``None`` on every call of a Qt method that returns void
(``setPos``, ``QPainter.setPen``...). CPython 3.12+ makes ``None`` immortal so nothing happens there,
but on 3.11 the count reaches zero after some tens of thousands of calls and the interpreter aborts
with "none_dealloc: deallocating None". When (and only when) the defect is measured, ``None`` is made
immortal the way CPython 3.12 does it: its count is set so high that it can never reach zero.
"""

from __future__ import annotations

import ctypes
import sys

IMMORTAL_REFCOUNT = 1 << 60
PROBE_CALLS = 16


def void_calls_drop_none_references() -> bool:
    """Measure the defect: do calls of a void Qt method lower ``None``'s reference count?"""
    from PySide6.QtCore import QPointF

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        point.setX(1.0)
    return sys.getrefcount(None) <= before - PROBE_CALLS


def guard_none_refcount() -> bool:
    """Apply the guard where the defect exists; returns whether it was needed."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not void_calls_drop_none_references():
        return False
    ctypes.c_ssize_t.from_address(id(None)).value = IMMORTAL_REFCOUNT
    return True
