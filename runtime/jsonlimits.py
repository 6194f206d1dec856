"""JSON from files and requests, read within bounds: a nesting limit, numbers Python can read, and lone
surrogates (a ``\\ud800`` escape read from JSON) written back as escapes instead of crashing UTF-8 output.

Python reads JSON recursively, and so does much of what handles the result (cleaning, the model, masking,
writing), so data nested deeper than :data:`MAX_NESTING` is refused with one line before any of it runs.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

MAX_NESTING = 128
"""Levels of objects and arrays accepted in a workflow file or a request body. Elsa 2's Newtonsoft reads 64
by default; real workflows use a handful."""

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class JsonLimitError(json.JSONDecodeError):
    """JSON that is well-formed but past a limit (nesting, a number's digits). A JSONDecodeError, so every
    reader that reports bad JSON reports this too (``msg``, ``lineno``, ``colno`` where it happens)."""


def loads_bounded(text: str, max_nesting: int = MAX_NESTING) -> Any:
    """``json.loads`` that raises :class:`JsonLimitError` (never RecursionError or a bare ValueError) for
    data nested deeper than ``max_nesting`` or an integer longer than Python reads; JSONDecodeError as
    usual for text that is not JSON."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise _too_deep(text, max_nesting) from None
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        digits = sys.get_int_max_str_digits()
        found = re.search(rf"\d{{{digits + 1},}}", text)
        raise JsonLimitError(
            f"a number longer than {digits} digits", text, found.start() if found else 0
        ) from None
    if (text.count("[") + text.count("{") > max_nesting) and nesting_exceeds(value, max_nesting):
        raise _too_deep(text, max_nesting)
    return value


_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _too_deep(text: str, limit: int) -> JsonLimitError:
    """The error, placed at the bracket that opens level ``limit + 1``."""
    depth, where = 0, 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                where = match.start()
                break
        elif token in "]}":
            depth -= 1
    return JsonLimitError(f"nested deeper than {limit} levels", text, where)


_CONTAINERS = frozenset({dict, list})


def nesting_exceeds(value: Any, limit: int = MAX_NESTING) -> bool:
    """Whether ``value`` has more than ``limit`` levels of dicts and lists (JSON data: exact types, walked
    level by level without recursion)."""
    level = [value] if type(value) in _CONTAINERS else []
    depth = 1
    while level:
        if depth > limit:
            return True
        below: list[Any] = []
        for node in level:
            for child in node.values() if type(node) is dict else node:
                if type(child) in _CONTAINERS:
                    below.append(child)
        level = below
        depth += 1
    return False


def has_lone_surrogate(value: Any) -> bool:
    """Whether any string in ``value`` (keys too) holds a lone surrogate (walked without recursion)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if _LONE_SURROGATE.search(node):
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def escape_surrogates(text: str) -> str:
    """``text`` with each lone surrogate written as its JSON escape (``\\ud800``), so it encodes as UTF-8."""
    return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def utf8(text: str) -> bytes:
    """``text`` as UTF-8; lone surrogates are written as ``\\udXXX`` escapes (never UnicodeEncodeError)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return escape_surrogates(text).encode("utf-8")


__all__ = [
    "MAX_NESTING",
    "JsonLimitError",
    "escape_surrogates",
    "has_lone_surrogate",
    "loads_bounded",
    "nesting_exceeds",
    "utf8",
]
