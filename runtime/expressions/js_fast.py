"""Scripts simple enough to answer without the engine, exactly as the engine would.

Most JavaScript in Elsa workflows reads and writes variables: ``getVariable("token")``,
``getVariable("method") == "GET"``, ``setVariable("api", "/orders"); setVariable("method", "GET");``,
``({api: getVariable("api"), method: getVariable("method")})``. For texts made only of these pieces the
result is worked out here, the way the engine path produces it: each variable as the script would see it
(its state JSON, ``javascript._json``, read back as ``JSON.parse`` reads it), the result as the prelude
sends it back (a bare value, or ``JSON.stringify`` read by Python) and the variables set in the order of
the prelude's ``Map``. Anything outside the pieces below, or any value where the two could differ, makes
:func:`compile_fast` return None or the compiled function return ``DECLINE``, and the engine runs the
script as usual. ``tests/runtime/expressions/test_js_fast.py`` checks both paths give the same results,
variables and errors.

The pieces (``;`` between statements, an optional last ``;``, no comments): a statement is an
expression; an expression is an operand, or two operands with ``==``, ``!=``, ``===`` or ``!==``; an
operand is ``getVariable(STRING)``, ``setVariable(STRING, OPERAND)``, a string (no backslash, no line
break), a decimal number (an optional ``-``), ``true``, ``false``, ``null``, an object literal with name
or string keys (not ``__proto__``) and operand values, an array literal, or an operand in parentheses.
A statement may not start with ``{``. ``==`` and ``!=`` are answered only where JavaScript compares
without converting (the same type, or null on one side).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from runtime.expressions.js_analysis import ScriptNeeds

DECLINE: Any = object()
"""What a compiled script returns when the engine must answer instead."""

_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
      (?P<string>"[^"\\\n\r\u2028\u2029]*"|'[^'\\\n\r\u2028\u2029]*')
    | (?P<number>(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
    | (?P<operator>===|!==|==|!=)
    | (?P<punctuator>[(){}\[\],:;-])
    )""",
    re.VERBOSE,
)
_NAME_CHARACTER = re.compile(r"[A-Za-z0-9_$.]")
_SAFE_INTEGER = 2**53 - 1
_MAX_ARRAY_INDEX = 2**32 - 2


class _Unsupported(Exception):
    """The text is outside the pieces this module answers."""


class _Object:
    """A JavaScript object the state gave (a variable's value): its JSON text, read back when needed."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


# --- compiling ---------------------------------------------------------------------------------------

Node = tuple[Any, ...]


StateCheck = Callable[[ScriptNeeds, Any], "dict[str, str] | None"]
"""``javascript.fast_state``: after the checks the engine path makes on the state, the JSON text of each
variable the script can reach whose value is not a plain str, bool, None, int or float (raising the
engine path's error when one cannot be written); None when the engine must answer."""


def compile_fast(source: str, needs: ScriptNeeds, state_check: StateCheck) -> Callable[[Any], Any] | None:
    """A function of the scope giving the script's result as the engine would (or ``DECLINE``), or None
    when the text is not made of the pieces this module answers."""
    if needs.every_variable or needs.uses_input or needs.uses_activities or needs.uses_workflow_ids:
        return None
    if needs.uses_workflow_values or needs.stateful_globals:
        return None
    try:
        statements = _Parser(source).program()
    except _Unsupported:
        return None
    return _Compiled(statements, needs, state_check).evaluate


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        index = 0
        while True:
            match = _TOKEN.match(source, index)
            if match is None or match.end() == index:
                if source[index:].strip(" \t\n\r"):
                    raise _Unsupported
                break
            kind = match.lastgroup
            assert kind is not None
            text = match.group(kind)
            if kind == "number" and _NAME_CHARACTER.match(source, match.end()):
                raise _Unsupported  # 1n, 1_000, 0x1, 01, 1.2.3 ...
            self.tokens.append((kind, text))
            index = match.end()
        self.position = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("end", "")

    def take(self, text: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token[0] == "end" or (text is not None and token[1] != text):
            raise _Unsupported
        self.position += 1
        return token

    def program(self) -> list[Node]:
        statements = []
        while True:
            if self.peek()[1] == "{":
                raise _Unsupported  # a block, not an object
            statements.append(self.expression())
            if self.peek()[0] == "end":
                break
            self.take(";")
            if self.peek()[0] == "end":
                break
        return statements

    def expression(self) -> Node:
        left = self.operand()
        kind, text = self.peek()
        if kind != "operator":
            return left
        self.position += 1
        right = self.operand()
        if self.peek()[0] == "operator":
            raise _Unsupported
        return ("compare", text, left, right)

    def operand(self) -> Node:
        kind, text = self.take()
        if kind == "string":
            return ("value", text[1:-1])
        if kind == "number":
            return ("value", float(text))
        if text == "-":
            kind, text = self.take()
            if kind != "number":
                raise _Unsupported
            return ("value", -float(text))
        if kind == "name":
            return self.named(text)
        if text == "(":
            inner = self.expression()
            self.take(")")
            return inner
        if text == "{":
            return self.object()
        if text == "[":
            return self.array()
        raise _Unsupported

    def named(self, name: str) -> Node:
        if name in _CONSTANTS:
            return ("value", _CONSTANTS[name])
        if name == "getVariable":
            self.take("(")
            variable = self.string()
            self.take(")")
            return ("get", variable)
        if name == "setVariable":
            self.take("(")
            variable = self.string()
            self.take(",")
            value = self.operand()
            self.take(")")
            return ("set", variable, value)
        raise _Unsupported

    def string(self) -> str:
        kind, text = self.take()
        if kind != "string":
            raise _Unsupported
        return text[1:-1]

    def object(self) -> Node:
        members: list[tuple[str, Node]] = []
        while self.peek()[1] != "}":
            kind, text = self.take()
            if kind == "string":
                key = text[1:-1]
            elif kind == "name":
                key = text
            else:
                raise _Unsupported  # number keys, computed keys, spreads, methods
            if key == "__proto__":
                raise _Unsupported  # sets the prototype
            self.take(":")
            members.append((key, self.operand()))
            if self.peek()[1] != "}":
                self.take(",")
        self.take("}")
        return ("object", members)

    def array(self) -> Node:
        items: list[Node] = []
        while self.peek()[1] != "]":
            if self.peek()[1] == ",":
                raise _Unsupported  # a hole
            items.append(self.operand())
            if self.peek()[1] != "]":
                self.take(",")
        self.take("]")
        return ("array", items)


_CONSTANTS: dict[str, Any] = {"true": True, "false": False, "null": None}


# --- evaluating ---------------------------------------------------------------------------------------


class _Compiled:
    """One parsed script; ``evaluate`` runs it against a scope."""

    __slots__ = ("statements", "needs", "state_check")

    def __init__(self, statements: list[Node], needs: ScriptNeeds, state_check: StateCheck) -> None:
        self.statements = statements
        self.needs = needs
        self.state_check = state_check

    def evaluate(self, scope: Any) -> Any:
        texts = self.state_check(self.needs, scope)
        if texts is None:
            return DECLINE
        run = _Run(scope.variables, texts)
        try:
            value: Any = None
            for statement in self.statements:
                value = run.evaluate(statement)
            result = _python(value)
        except _Unsupported:
            return DECLINE
        if run.changes:
            for name, changed in run.changes.items():
                converted = _python(changed)
                scope.variables[name] = converted
                if scope.on_variable_set is not None:
                    scope.on_variable_set(name, converted)
        return result


class _Run:
    __slots__ = ("variables", "texts", "changes")

    def __init__(self, variables: Mapping[str, Any], texts: dict[str, str]) -> None:
        self.variables = variables
        self.texts = texts
        self.changes: dict[str, Any] = {}

    def evaluate(self, node: Node) -> Any:
        kind = node[0]
        if kind == "value":
            return node[1]
        if kind == "get":
            name = node[1]
            changes = self.changes
            if changes and name in changes:
                return changes[name]
            variables = self.variables
            if name not in variables:
                return None
            text = self.texts.get(name)
            return _js_view(variables[name]) if text is None else _js_view_of_text(text)
        if kind == "set":
            value = self.evaluate(node[2])
            self.changes[node[1]] = value
            return None
        if kind == "compare":
            return _compare(node[1], self.evaluate(node[2]), self.evaluate(node[3]))
        if kind == "object":
            return {key: self.evaluate(value) for key, value in node[1]}
        return [self.evaluate(item) for item in node[1]]


PLAIN_TYPES = frozenset({str, bool, type(None), int, float})
"""Types whose values ``_js_view`` reads without their JSON text (it is exact for them)."""


def _js_view(value: Any) -> Any:
    """A plain value as a script sees it after ``JSON.parse`` of its state JSON (numbers are doubles)."""
    kind = type(value)
    if kind is int:
        return _to_double(value)
    if kind is float:
        return value if math.isfinite(value) else None
    return value


def _js_view_of_text(text: str) -> Any:
    """Any other value, from its state JSON: an object or array stays its text."""
    if text[0] in "{[":
        return _Object(text)
    return _js_view(json.loads(text))


def _to_double(value: int) -> float:
    try:
        return float(value)
    except OverflowError:  # JSON.parse reads a number too large for a double as Infinity
        return math.inf if value > 0 else -math.inf


def _compare(operator: str, left: Any, right: Any) -> bool:
    strict = operator in ("===", "!==")
    left_type, right_type = _js_type(left), _js_type(right)
    if left_type != right_type:
        if not strict and "null" not in (left_type, right_type):
            raise _Unsupported  # == would convert (a number to text, an object to a primitive ...)
        equal = False
    elif left_type == "object":
        raise _Unsupported  # identity of two objects
    else:
        equal = left == right  # strings, booleans, numbers (NaN never equal, -0 equal to 0), null
    return equal if operator in ("==", "===") else not equal


def _js_type(value: Any) -> str:
    if value is None:
        return "null"
    kind = type(value)
    if kind is str:
        return "string"
    if kind is bool:
        return "boolean"
    if kind is float:
        return "number"
    return "object"


def _python(value: Any) -> Any:
    """What Python receives for a JavaScript value the script returns or sets (see the module's notes)."""
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value
    if kind is float:
        return _number(value)
    if kind is _Object:
        return _JS_DECODER.decode(value.text)
    if kind is dict:
        return _js_object([(key, _python(item)) for key, item in value.items()])
    return [_python(item) for item in value]


def _number(value: float) -> Any:
    """A JavaScript number as the prelude sends it and Python reads it: a safe integer as an int, any
    other by its JSON text (``Number.prototype.toString``: whole numbers below 1e21 in plain digits)."""
    if not math.isfinite(value):
        return None
    if value.is_integer():
        if -_SAFE_INTEGER <= value <= _SAFE_INTEGER:
            return int(value)
        if abs(value) < 1e21:
            return int(Decimal(repr(value)))
    return value


def _float_text(text: str) -> Any:
    return _number(float(text))


def _int_text(text: str) -> Any:
    return _number(_to_double(int(text)))


def _js_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's members in JavaScript's order: array indexes first, ascending, then the other keys in
    the order they were first set (a repeated key keeps its place and takes the last value)."""
    members = dict(pairs)
    indexes = [key for key in members if _is_array_index(key)]
    if not indexes:
        return members
    ordered = {key: members[key] for key in sorted(indexes, key=int)}
    ordered.update((key, value) for key, value in members.items() if key not in ordered)
    return ordered


def _is_array_index(key: str) -> bool:
    return key.isascii() and key.isdigit() and (key == "0" or key[0] != "0") and int(key) <= _MAX_ARRAY_INDEX


_JS_DECODER = json.JSONDecoder(object_pairs_hook=_js_object, parse_float=_float_text, parse_int=_int_text)
"""Reads a value's state JSON as Python receives ``JSON.stringify(JSON.parse(text))`` from the prelude."""
