"""The activity descriptors of each server, kept on disk so the designer knows its types offline.

One file per server base URL under the user's cache directory (platformdirs; ``FLOWDESK_CACHE_DIR``
overrides it): ``servers/<host>-<hash>.json`` holding ``{"url", "fetchedAt", "activities": [...]}`` where
``activities`` is the server's ``GET v1/activities`` answer as it came.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from runtime.remote.servers import normalize_url

CACHE_ENV = "FLOWDESK_CACHE_DIR"


def cache_dir() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("flowdesk", appauthor=False))


def descriptors_path(url: str) -> Path:
    """The cache file of a server's descriptors."""
    base = normalize_url(url)
    host = re.sub(r"[^A-Za-z0-9.-]+", "-", base.split("://", 1)[-1]).strip("-")[:60] or "server"
    digest = hashlib.sha256(base.encode("utf-8")).hexdigest()[:10]
    return cache_dir() / "servers" / f"{host}-{digest}.json"


def save_descriptors(url: str, activities: list[dict[str, Any]]) -> Path:
    """Keep a server's descriptors (written atomically; a cache that cannot be written is skipped)."""
    from runtime.errors import WorkflowSaveError
    from runtime.files import write_text_atomically

    path = descriptors_path(url)
    document = {
        "url": normalize_url(url),
        "fetchedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "activities": activities,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, json.dumps(document, ensure_ascii=False))
    except (OSError, WorkflowSaveError):
        pass
    return path


def load_descriptors(url: str) -> tuple[list[dict[str, Any]], str | None] | None:
    """The cached descriptors of a server and when they were fetched, or None when there are none."""
    path = descriptors_path(url)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    activities = document.get("activities") if isinstance(document, dict) else None
    if not isinstance(activities, list):
        return None
    fetched = document.get("fetchedAt")
    return [a for a in activities if isinstance(a, dict)], fetched if isinstance(fetched, str) else None
