"""Expression evaluators: Literal, Json, Variable, JavaScript and Liquid, as Elsa 2 evaluates them.

``evaluate(syntax, text, scope, value_type)`` runs one property expression and converts the result to
the property's type; it raises ExpressionError only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from runtime.expressions.conversion import convert, convert_script_result
from runtime.expressions.errors import ExpressionError, ValueConversionError
from runtime.expressions.scope import ScriptScope
from runtime.jsonlimits import loads_bounded

if TYPE_CHECKING:
    from runtime.expressions.javascript import JavaScriptSettings, shutdown
    from runtime.expressions.javascript import settings as javascript_settings

# The engines are imported on first use (QuickJS and python-liquid cost ~0.2 s to import): a command that
# only reads or validates workflows, such as ``flowdesk validate``, never pays for them.
_LAZY = {
    "JavaScriptSettings": "JavaScriptSettings",
    "javascript_settings": "settings",
    "shutdown": "shutdown",
}
_evaluate_javascript: Callable[[str, ScriptScope], Any] | None = None
_render_liquid: Callable[[str, ScriptScope], Any] | None = None


if not TYPE_CHECKING:  # type checkers see the imports above, so a misspelt name is still an error

    def __getattr__(name: str) -> Any:
        if name in _LAZY:
            from runtime.expressions import javascript

            return getattr(javascript, _LAZY[name])
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        if not text.strip():
            return None
        return (_evaluate_javascript or _load_javascript())(text, scope)
    return (_render_liquid or _load_liquid())(text, scope)


def _load_javascript() -> Callable[[str, ScriptScope], Any]:
    global _evaluate_javascript
    from runtime.expressions.javascript import evaluate_javascript

    _evaluate_javascript = evaluate_javascript
    return evaluate_javascript


def _load_liquid() -> Callable[[str, ScriptScope], Any]:
    global _render_liquid
    from runtime.expressions.liquid import render_liquid

    _render_liquid = render_liquid
    return render_liquid


def _parse_json(text: str) -> Any:
    if not text.strip():
        return None
    try:
        return loads_bounded(text)
    except json.JSONDecodeError as error:
        raise ExpressionError("Json", f"{error.msg} (column {error.colno})", error.lineno) from None
