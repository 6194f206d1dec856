"""Masking of secrets (Authorization headers, passwords, tokens) for logs, the journal and errors.

Shown masked by default (``Bearer ****``: the scheme stays, no character of the secret does); revealing is
an explicit action of the viewer. A value is secret by its name (a key, header or variable that says
password, token, secret, API key, credentials...) and, in :mod:`runtime.masking`, by what holds it (a
store record whose ``Key`` names a secret).
"""

from __future__ import annotations

import re
from typing import Any

SCHEME_NAMES = ("bearer", "basic", "token", "digest")
"""Authorization schemes: kept when their credential is masked."""
_SCHEMES = tuple(f"{name} " for name in SCHEME_NAMES)
SECRET_HEADER_NAMES = frozenset({"authorization", "proxy-authorization", "x-api-key", "api-key", "cookie"})
SECRET_KEY_WORDS = (
    r"pass(?:word)?|pwd|secret|token|api[-_]?key|private[-_]?key|authorization|credential|creds|cookie"
)
"""What a key, header or variable name holds when its value is a secret (one list for every masker)."""
SECRET_KEY_PATTERN = re.compile(SECRET_KEY_WORDS, re.IGNORECASE)
MASK = "****"
"""What a masked value shows: nothing of the value."""


def mask_secret(value: Any) -> Any:
    """``Bearer abcdefgh12345678`` → ``Bearer ****``: a scheme is kept, no character of the secret is."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    lowered = text.lower()
    for prefix in _SCHEMES:
        if lowered.startswith(prefix):
            return f"{text[: len(prefix)]}{MASK}"
    return MASK


def mask_headers(headers: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``headers`` with the secret ones masked."""
    return {k: mask_secret(v) if k.lower() in SECRET_HEADER_NAMES else v for k, v in headers.items()}
