"""Masking of secrets in what a viewer shows (log, journal, variables) until revealed on purpose.

On top of the runtime's key-based masking (:mod:`runtime.secrets`): a variable whose name looks secret is
masked whole; a record that names a secret (``{"Key": "AccessToken", "Data1": ...}``, the WoW settings
pattern) has its other text fields masked; and every secret value seen once is remembered, so the same
value is masked wherever it shows up again (a correlation value, a URL, a response).
"""

from __future__ import annotations

import re
from typing import Any

from runtime.secrets import SECRET_KEY_PATTERN, mask_secret

NAMING_FIELDS = ("Key", "Name", "Title", "key", "name", "title")
KEPT_FIELDS = frozenset({*NAMING_FIELDS, "ObjectId", "objectId", "Id", "id", "Type", "type"})
MIN_REMEMBERED = 6
"""Shorter secret values are not searched for in other texts (too many false matches)."""
_SCHEME = re.compile(r"(?i)\b(bearer|basic|digest)\s+([A-Za-z0-9._~+/=\-]{4,})")
_SECRET_PAIR = re.compile(
    r"(?i)\b([\w-]*(?:pass(?:word)?|secret|token|api[-_]?key|authorization|credential)[\w-]*)"
    r"(=|:\s*)([^\s&,;\"']+)"
)


def names_secret(name: Any) -> bool:
    return isinstance(name, str) and bool(SECRET_KEY_PATTERN.search(name))


class SecretMasker:
    """Masks values and texts, remembering the secret strings it has masked."""

    def __init__(self) -> None:
        self.known: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def remember(self, secret: str) -> None:
        if len(secret) >= MIN_REMEMBERED and secret not in self.known:
            self.known.add(secret)
            self._pattern = None

    def _secret(self, value: str) -> str:
        self.remember(value)
        return mask_secret(value)

    def value(self, value: Any, name: str | None = None) -> Any:
        """A masked copy of ``value`` (named ``name``, e.g. a variable)."""
        if isinstance(value, str):
            return self._secret(value) if names_secret(name) else self.text(value)
        if isinstance(value, dict):
            whole_secret = names_secret(name) or any(names_secret(value.get(f)) for f in NAMING_FIELDS)
            masked = {}
            for key, item in value.items():
                if isinstance(item, str) and (names_secret(key) or (whole_secret and key not in KEPT_FIELDS)):
                    masked[key] = self._secret(item) if item else item
                else:
                    masked[key] = self.value(item, key if names_secret(key) else None)
            return masked
        if isinstance(value, list):
            return [self.value(item, name) for item in value]
        return value

    def text(self, text: str) -> str:
        """Free text with bearer/basic credentials, ``password=...`` pairs and known secrets masked."""
        masked = _SCHEME.sub(lambda m: mask_secret(f"{m.group(1)} {m.group(2)}"), text)
        masked = _SECRET_PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}{mask_secret(m.group(3))}", masked)
        if self.known:
            if self._pattern is None:
                ordered = sorted(self.known, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(s) for s in ordered))
            masked = self._pattern.sub(lambda m: mask_secret(m.group(0)), masked)
        return masked
