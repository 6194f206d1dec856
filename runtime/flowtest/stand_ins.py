"""Secrets kept out of test files: a test file is meant to be committed, a password is not.

Each secret value a recorded run read (a field of a store record that names a secret, the WoW settings
pattern, or a value under a key that names one, in the store or in an HTTP body) is written as a stand-in,
``flowdesk-secret-1``, the same one everywhere in the file: in the store seed, the recorded requests and
responses, the input and the expectations. The replay then sends the stand-in where the run sent the
secret, so its requests still match the recording and its output still compares.

A value computed from a secret (encoded, hashed, cut) is not recognised: it stays as recorded, and a replay
that computes it from the stand-in sees another value.
"""

from __future__ import annotations

from typing import Any

from runtime.masking import KEPT_FIELDS, is_secret_record, names_secret

STAND_IN = "flowdesk-secret-{number}"
MIN_SEARCHED = 6
"""Shorter secrets are replaced where they are a whole value only (inside other text they would match
by accident: a password ``GET`` in a method name)."""


def secrets_in(*values: Any) -> list[str]:
    """The secret strings in ``values``, in the order first found."""
    found: dict[str, None] = {}
    stack: list[tuple[Any, bool]] = [(value, False) for value in reversed(values)]
    while stack:
        node, secret = stack.pop()
        if isinstance(node, str):
            if secret and node and not node.startswith("flowdesk-secret-"):
                found.setdefault(node)
        elif isinstance(node, dict):
            whole = secret or is_secret_record(node)
            items = [
                (item, names_secret(key) or (whole and key not in KEPT_FIELDS)) for key, item in node.items()
            ]
            stack.extend(reversed(items))
        elif isinstance(node, list):
            stack.extend((item, secret) for item in reversed(node))
    return list(found)


class StandIns:
    """Replaces the given secrets, each by its own stand-in, in every string of a JSON value."""

    def __init__(self, secrets: list[str]) -> None:
        self.by_secret = {secret: STAND_IN.format(number=index) for index, secret in enumerate(secrets, 1)}
        self._searched = sorted((s for s in self.by_secret if len(s) >= MIN_SEARCHED), key=len, reverse=True)

    def text(self, text: str) -> str:
        whole = self.by_secret.get(text)
        if whole is not None:
            return whole
        for secret in self._searched:
            if secret in text:
                text = text.replace(secret, self.by_secret[secret])
        return text

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value


def exchange_bodies(exchanges: list[dict[str, Any]]) -> list[Any]:
    """The JSON bodies of recorded exchanges (requests and responses), where secrets are looked for."""
    bodies = []
    for exchange in exchanges:
        for part in (exchange.get("request", {}), exchange.get("response", {})):
            if isinstance(part, dict) and "json" in part:
                bodies.append(part["json"])
    return bodies


__all__ = ["MIN_SEARCHED", "STAND_IN", "StandIns", "exchange_bodies", "secrets_in"]
