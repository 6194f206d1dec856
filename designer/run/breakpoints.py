"""Where the user's breakpoints live: per workflow file, in the designer's settings (never in the file).

Each file's breakpoints are kept under ``breakpoints/<key>`` (the key is a digest of the file's absolute
path, which is stored beside the activity ids), so they come back when the file is opened again, whoever
else opens it, and a workflow saved elsewhere (Save As) keeps its own set.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QSettings

GROUP = "breakpoints"


def _key(path: Path) -> str:
    return hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:24]


def _as_list(value: object) -> list[str]:
    """A settings value read back as a list (an INI file gives a one-item list back as a string)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return []


class BreakpointBook:
    """The breakpoints of every workflow file the user debugged, in QSettings."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def load(self, path: Path) -> set[str]:
        """The breakpoints kept for the file at ``path`` (none when it has none)."""
        return set(_as_list(self.settings.value(f"{GROUP}/{_key(path)}/ids")))

    def save(self, path: Path, activity_ids: set[str]) -> None:
        """Keep ``activity_ids`` as the file's breakpoints (an empty set forgets the file)."""
        key = f"{GROUP}/{_key(path)}"
        if not activity_ids:
            self.settings.remove(key)
            return
        self.settings.setValue(f"{key}/path", str(path.resolve()))
        self.settings.setValue(f"{key}/ids", sorted(activity_ids))

    def files(self) -> dict[Path, set[str]]:
        """Every file with breakpoints, and its breakpoints."""
        found: dict[Path, set[str]] = {}
        self.settings.beginGroup(GROUP)
        try:
            for key in self.settings.childGroups():
                path = self.settings.value(f"{key}/path")
                ids = set(_as_list(self.settings.value(f"{key}/ids")))
                if isinstance(path, str) and ids:
                    found[Path(path)] = ids
        finally:
            self.settings.endGroup()
        return found
