"""Colours of the run overlay (executing, done, faulted, paused, breakpoints, pins), per theme."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor

from designer.theme import Theme

_LIGHT = {
    "executing": "#2f7de1",
    "done": "#23985a",
    "faulted": "#d93b3b",
    "stopped": "#8a8f99",
    "paused": "#e39b00",
    "breakpoint": "#d42f2f",
    "pinned": "#7d4bd1",
    "taken": "#23985a",
    "expected": "#2f6fe1",
    "actual": "#e06a10",
    "note_background": "#fdecec",
    "note_text": "#7a1717",
    "badge_text": "#ffffff",
}
_DARK = {
    **_LIGHT,
    "executing": "#5aa2ff",
    "done": "#43c07a",
    "faulted": "#ff6b6b",
    "paused": "#f5b82e",
    "pinned": "#a47cf0",
    "taken": "#43c07a",
    "expected": "#6ea4ff",
    "actual": "#ff9a4d",
    "note_background": "#4a2326",
    "note_text": "#ffd9d9",
}


def run_color(theme: Theme, key: str) -> QColor:
    return _color(theme.is_dark, key)


@cache
def _color(dark: bool, key: str) -> QColor:
    return QColor((_DARK if dark else _LIGHT)[key])
