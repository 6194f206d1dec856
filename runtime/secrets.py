"""Masking of secrets (Authorization headers, passwords, tokens) for logs, the journal and errors.

Shown masked by default (``Bearer ****1234``); revealing is an explicit action of the viewer.
"""

from __future__ import annotations

import re
from typing import Any

_SCHEMES = ("bearer ", "basic ", "token ", "digest ")
SECRET_HEADER_NAMES = frozenset({"authorization", "proxy-authorization", "x-api-key", "api-key", "cookie"})
SECRET_KEY_PATTERN = re.compile(
    r"pass(word)?|secret|token|api[-_]?key|authorization|credential", re.IGNORECASE
)


def mask_secret(value: Any) -> Any:
    """``Bearer abcdef1234`` → ``Bearer ****1234``; short values lose every character."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    scheme = ""
    lowered = text.lower()
    for prefix in _SCHEMES:
        if lowered.startswith(prefix):
            scheme, text = text[: len(prefix)], text[len(prefix) :]
            break
    tail = text[-4:] if len(text) >= 12 else ""
    return f"{scheme}****{tail}"


def mask_headers(headers: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``headers`` with the secret ones masked."""
    return {k: mask_secret(v) if k.lower() in SECRET_HEADER_NAMES else v for k, v in headers.items()}


def mask_mapping(data: Any) -> Any:
    """Mask values whose key looks secret (password, token, ...), recursively."""
    if isinstance(data, dict):
        return {
            k: mask_secret(v)
            if isinstance(k, str) and SECRET_KEY_PATTERN.search(k) and isinstance(v, str)
            else mask_mapping(v)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [mask_mapping(v) for v in data]
    return data
