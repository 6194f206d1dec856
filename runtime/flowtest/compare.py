"""Comparing a replay with its expectations: JSON with loosened paths, and the executed path.

The JSONPaths of ``ignore`` and ``anyValue`` are the common subset: ``$`` (the output), ``.name`` or
``['name']``, ``[0]``, ``[*]`` or ``.*`` (every item or member), ``..name`` (that member at any depth).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from runtime.logfmt import _short  # the log quotes values so: cut, and safe from data nested too deep

Key = str | int
_MISSING: Any = object()
_TOKEN = re.compile(
    r"""\.\.(?P<deep>[A-Za-z_$][\w$-]*|\*)"""
    r"""|\.(?P<name>[A-Za-z_$][\w$-]*|\*)"""
    r"""|\[\s*(?:(?P<index>-?\d+)|(?P<star>\*)|'(?P<single>(?:[^'\\]|\\.)*)'|"(?P<double>(?:[^"\\]|\\.)*)")\s*\]"""
)


class JsonPathError(ValueError):
    """A JSONPath outside the subset this reads."""


@dataclass(frozen=True)
class _Step:
    key: Key | None
    """A member name or an index; None: any."""
    deep: bool = False


def parse_path(text: str) -> tuple[_Step, ...]:
    """``$.a[0]..b['c d'][*]`` → steps; raises :class:`JsonPathError`."""
    text = text.strip()
    if not text.startswith("$"):
        raise JsonPathError(f"{text!r}: a JSONPath starts with $")
    steps: list[_Step] = []
    position = 1
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise JsonPathError(f"{text!r}: cannot read it from {text[position:]!r}")
        if match.group("deep") is not None:
            name = match.group("deep")
            steps.append(_Step(None if name == "*" else name, deep=True))
        elif match.group("name") is not None:
            name = match.group("name")
            steps.append(_Step(None if name == "*" else name))
        elif match.group("index") is not None:
            steps.append(_Step(int(match.group("index"))))
        elif match.group("star") is not None:
            steps.append(_Step(None))
        else:
            quoted = match.group("single") if match.group("single") is not None else match.group("double")
            steps.append(_Step(re.sub(r"\\(.)", r"\1", quoted)))
        position = match.end()
    return tuple(steps)


def _matches(steps: Sequence[_Step], path: Sequence[Key]) -> bool:
    """Whether a concrete path (keys and indexes from the root) is one the pattern names."""
    if not steps:
        return not path
    step, rest = steps[0], steps[1:]
    if step.deep:
        for start in range(len(path)):
            if _key_matches(step.key, path[start]) and _matches(rest, path[start + 1 :]):
                return True
        return False
    if not path or not _key_matches(step.key, path[0]):
        return False
    return _matches(rest, path[1:])


def _key_matches(wanted: Key | None, key: Key) -> bool:
    if wanted is None:
        return True
    if isinstance(wanted, int) and isinstance(key, int):
        return wanted == key
    return str(wanted) == str(key) and isinstance(wanted, str) == isinstance(key, str)


class Loosening:
    """The paths an output comparison skips (``ignore``) or only checks are there (``any_value``)."""

    def __init__(self, ignore: Sequence[str] = (), any_value: Sequence[str] = ()) -> None:
        self.ignore = [parse_path(text) for text in ignore]
        self.any_value = [parse_path(text) for text in any_value]

    def ignored(self, path: Sequence[Key]) -> bool:
        return any(_matches(steps, path) for steps in self.ignore)

    def any(self, path: Sequence[Key]) -> bool:
        return any(_matches(steps, path) for steps in self.any_value)


def format_path(path: Sequence[Key]) -> str:
    """``("orders", 0, "item")`` → ``$.orders[0].item``."""
    text = "$"
    for key in path:
        if isinstance(key, int):
            text += f"[{key}]"
        elif re.fullmatch(r"[A-Za-z_$][\w$]*", key):
            text += f".{key}"
        else:
            text += "['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']"
    return text


def json_differences(
    expected: Any, actual: Any, loosening: Loosening | None = None, limit: int = 20
) -> list[str]:
    """One line per difference (``$.a.b: expected 1, got 2``), at most ``limit`` lines."""
    return [f"{where}: {what}" for where, what in _differences(expected, actual, loosening, limit)]


def differing_paths(
    expected: Any, actual: Any, loosening: Loosening | None = None, limit: int = 20
) -> list[str]:
    """The JSONPath of each difference (``$.token``), in the order :func:`json_differences` lists them: what
    a check can be loosened by."""
    return [where for where, _ in _differences(expected, actual, loosening, limit)]


def _differences(
    expected: Any, actual: Any, loosening: Loosening | None, limit: int
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    _diff(expected, actual, (), loosening or Loosening(), found, limit)
    return found


def _diff(
    expected: Any,
    actual: Any,
    path: tuple[Key, ...],
    loose: Loosening,
    found: list[tuple[str, str]],
    limit: int,
) -> None:
    if len(found) >= limit or (path and loose.ignored(path)):
        return
    where = format_path(path)
    if path and loose.any(path):
        if expected is not _MISSING and actual is _MISSING:
            found.append((where, "missing (any value is accepted, but one must be there)"))
        return
    if expected is _MISSING:
        found.append((where, f"not expected, got {_short(actual)}"))
        return
    if actual is _MISSING:
        found.append((where, f"missing, expected {_short(expected)}"))
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [k for k in actual if k not in expected]:
            _diff(expected.get(key, _MISSING), actual.get(key, _MISSING), (*path, key), loose, found, limit)
        return
    if isinstance(expected, list) and isinstance(actual, list):
        for index in range(max(len(expected), len(actual))):
            _diff(
                expected[index] if index < len(expected) else _MISSING,
                actual[index] if index < len(actual) else _MISSING,
                (*path, index),
                loose,
                found,
                limit,
            )
        return
    if not _same(expected, actual):
        found.append((where, f"expected {_short(expected)}, got {_short(actual)}"))


def _same(expected: Any, actual: Any) -> bool:
    """JSON equality: ``1 == 1.0``, but ``true`` is not ``1`` and ``"1"`` is not ``1``."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return expected == actual
    return type(expected) is type(actual) and expected == actual


def as_json(value: Any) -> Any:
    """A run's value as the test file would hold it (tuples as lists, anything odd as text)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


__all__ = [
    "JsonPathError",
    "Loosening",
    "as_json",
    "differing_paths",
    "format_path",
    "json_differences",
    "parse_path",
]
