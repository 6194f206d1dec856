"""Masking of secrets in what a viewer shows (log, journal, variables, the store) until revealed on purpose.

On top of the runtime's key-based masking (:mod:`runtime.secrets`): a variable whose name looks secret is
masked whole; a record that names a secret (``{"Key": "AccessTokenCreds", "Data1": ..., "Data2": ...}``,
the WoW settings pattern) is masked whole, every field but its name and ids, whatever their type; and every
secret value seen once is remembered, so the same value is masked wherever it shows up again (a correlation
value, a URL, a response). Masked values show no character of the secret (``****``).

What the runtime reads from the store and from HTTP responses is remembered process-wide
(:func:`remember_secrets_in`, :data:`KNOWN_SECRETS`), so a line that quotes a password it never showed
as a value (``Correlate: user wow pw s3cret``) is masked as well, with or without ``-v``.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any

from runtime.secrets import MASK, SCHEME_NAMES, SECRET_KEY_PATTERN, SECRET_KEY_WORDS, mask_secret

NAMING_FIELDS = ("Key", "Name", "Title", "key", "name", "title")
KEPT_FIELDS = frozenset({*NAMING_FIELDS, "ObjectId", "objectId", "Id", "id", "Type", "type"})
MIN_REMEMBERED = 6
"""Shorter secret values are not searched for in other texts (too many false matches)."""
MAX_DEPTH = 100
"""Levels of nested data masked; deeper data is shown as ``…`` (never a RecursionError)."""
_SCHEME_ALTERNATIVES = "|".join(SCHEME_NAMES)
_PROSE_SCHEMES = "|".join(name for name in SCHEME_NAMES if name != "token")
_SCHEME = re.compile(
    rf"(?i)(?:\b({_PROSE_SCHEMES})|(?:(?<=[:=])|(?<=[:=]\s))(token))\s+([A-Za-z0-9._~+/=\-]{{4,}})"
)
"""A credential after its scheme. ``token`` is a scheme only as a header's value (``Authorization: Token
…``): in a sentence it is a word (``new access token saved``)."""
_SECRET_PAIR = re.compile(
    rf"(?i)\b([\w-]*(?:{SECRET_KEY_WORDS})[\w-]*)"
    rf"(=|:\s*)(?!(?:{_SCHEME_ALTERNATIVES})\s)([^\s&,;\"']+)"
)


def names_secret(name: Any) -> bool:
    return isinstance(name, str) and bool(SECRET_KEY_PATTERN.search(name))


def is_secret_record(value: Any) -> bool:
    """A mapping whose ``Key`` (or Name, Title) names a secret: the WoW settings record of a password."""
    return isinstance(value, dict) and any(names_secret(value.get(field)) for field in NAMING_FIELDS)


class KnownSecrets:
    """Secret strings seen so far (the most recent :attr:`capacity`), and one pattern that finds them."""

    def __init__(self, capacity: int = 512) -> None:
        self.capacity = capacity
        self._values: OrderedDict[str, None] = OrderedDict()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def remember(self, secret: str) -> None:
        if len(secret) < MIN_REMEMBERED:
            return
        with self._lock:
            if secret in self._values:
                return
            self._values[secret] = None
            if len(self._values) > self.capacity:
                self._values.popitem(last=False)
            self._pattern = None

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, secret: object) -> bool:
        return secret in self._values

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._pattern = None

    def pattern(self) -> re.Pattern[str] | None:
        """The secrets, longest first, as one pattern (None when there are none)."""
        with self._lock:
            if self._pattern is None and self._values:
                ordered = sorted(self._values, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(secret) for secret in ordered))
            return self._pattern


KNOWN_SECRETS = KnownSecrets()
"""What the runtime has read as secret in this process (store records, HTTP responses)."""


def remember_secrets_in(value: Any, budget: int = 10_000) -> None:
    """Remember the secret strings in ``value`` (records naming a secret, keys naming one), looking at no
    more than ``budget`` values: cheap enough to run on every store read and HTTP response."""
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack and budget > 0:
        node, secret = stack.pop()
        budget -= 1
        if isinstance(node, str):
            if secret and node:
                KNOWN_SECRETS.remember(node)
        elif isinstance(node, dict):
            whole = secret or is_secret_record(node)
            for key, item in node.items():
                stack.append((item, names_secret(key) or (whole and key not in KEPT_FIELDS)))
        elif isinstance(node, list):
            stack.extend((item, secret) for item in node)


class SecretMasker:
    """Masks values and texts, remembering the secret strings it has masked (and consulting what the
    runtime remembered, :data:`KNOWN_SECRETS`)."""

    def __init__(self, shared: KnownSecrets | None = KNOWN_SECRETS) -> None:
        self.known = KnownSecrets()
        self.shared = shared

    def remember(self, secret: str) -> None:
        self.known.remember(secret)

    def _secret(self, value: Any) -> Any:
        if isinstance(value, str):
            if not value:
                return value
            self.remember(value)
            return mask_secret(value)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            self.remember(str(value))
        return MASK

    def value(self, value: Any, name: str | None = None, depth: int = 0) -> Any:
        """A masked copy of ``value`` (named ``name``, e.g. a variable)."""
        if depth > MAX_DEPTH:
            return "…"
        if isinstance(value, str):
            return self._secret(value) if names_secret(name) else self.text(value)
        if isinstance(value, dict):
            whole_secret = names_secret(name) or is_secret_record(value)
            masked = {}
            for key, item in value.items():
                if names_secret(key) or (whole_secret and key not in KEPT_FIELDS):
                    masked[key] = self._secret_whole(item, depth + 1)
                else:
                    masked[key] = self.value(item, None, depth + 1)
            return masked
        if isinstance(value, list):
            return [self.value(item, name, depth + 1) for item in value]
        if names_secret(name) and value is not None and not isinstance(value, bool):
            return self._secret(value)
        return value

    def _secret_whole(self, value: Any, depth: int) -> Any:
        """A value held by a secret: strings and numbers masked, containers masked all through."""
        if depth > MAX_DEPTH:
            return "…"
        if isinstance(value, dict):
            return {key: self._secret_whole(item, depth + 1) for key, item in value.items()}
        if isinstance(value, list):
            return [self._secret_whole(item, depth + 1) for item in value]
        return self._secret(value)

    def text(self, text: str) -> str:
        """Free text with bearer/basic credentials, ``password=...`` pairs and known secrets masked."""
        masked = _SCHEME.sub(lambda m: mask_secret(f"{m.group(1) or m.group(2)} {m.group(3)}"), text)
        masked = _SECRET_PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}{mask_secret(m.group(3))}", masked)
        for known in (self.known, self.shared):
            pattern = known.pattern() if known is not None else None
            if pattern is not None:
                masked = pattern.sub(MASK, masked)
        return masked
