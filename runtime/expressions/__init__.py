"""Expression evaluators: Literal, Json, Variable, JavaScript and Liquid, as Elsa 2 evaluates them.

``evaluate(syntax, text, scope, value_type)`` runs one property expression and converts the result to
the property's type; it raises ExpressionError only.
"""

from __future__ import annotations

import json
from typing import Any

from runtime.expressions.conversion import convert, convert_script_result
from runtime.expressions.errors import ExpressionError, ValueConversionError
from runtime.expressions.javascript import JavaScriptSettings, evaluate_javascript, shutdown
from runtime.expressions.javascript import settings as javascript_settings
from runtime.expressions.liquid import render_liquid
from runtime.expressions.scope import ScriptScope
from runtime.jsonlimits import loads_bounded

__all__ = [
    "ExpressionError",
    "JavaScriptSettings",
    "ScriptScope",
    "ValueConversionError",
    "convert",
    "evaluate",
    "javascript_settings",
    "shutdown",
]

_SYNTAX_NAMES = {name.lower(): name for name in ("Literal", "Json", "JavaScript", "Liquid", "Variable")}
_SYNTAX_NAMES_EXACT = {name: name for name in _SYNTAX_NAMES.values()}
"""The usual spelling, found without normalising the text first."""


def evaluate(syntax: str, text: str | None, scope: ScriptScope, value_type: str = "any") -> Any:
    """Evaluate ``text`` written in ``syntax`` (case-insensitive) and convert it to ``value_type``.

    No text (None) means no value. An unknown syntax, a failing expression, or a value that does not fit
    the type raises ExpressionError naming the syntax (and the line where the engine knows it).
    """
    name = _SYNTAX_NAMES_EXACT.get(syntax) or _SYNTAX_NAMES.get((syntax or "").strip().lower())
    if name is None:
        raise ExpressionError(
            str(syntax),
            f"unknown expression syntax {syntax!r} (expected one of {', '.join(_SYNTAX_NAMES.values())})",
        )
    if text is None:
        return None
    value = _evaluate_raw(name, text, scope)
    try:
        if name == "JavaScript":
            return convert_script_result(value, value_type)
        return convert(value, value_type)
    except ValueConversionError as error:
        raise ExpressionError(name, str(error)) from None


def _evaluate_raw(syntax: str, text: str, scope: ScriptScope) -> Any:
    if syntax == "Literal":
        return text
    if syntax == "Json":
        return _parse_json(text)
    if syntax == "Variable":
        return scope.variables.get(text.strip())
    if syntax == "JavaScript":
        return evaluate_javascript(text, scope) if text.strip() else None
    return render_liquid(text, scope)


def _parse_json(text: str) -> Any:
    if not text.strip():
        return None
    try:
        return loads_bounded(text)
    except json.JSONDecodeError as error:
        raise ExpressionError("Json", f"{error.msg} (column {error.colno})", error.lineno) from None
