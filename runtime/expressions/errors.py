"""Errors raised while evaluating an expression or converting its value."""

from __future__ import annotations

from runtime.errors import FlowdeskError


class ExpressionError(FlowdeskError):
    """An expression that could not be evaluated: its syntax, the engine's own message, and the line.

    The engine adds workflow, activity and property names around ``str(error)``.
    """

    def __init__(self, syntax: str, message: str, line: int | None = None) -> None:
        where = f" at line {line}" if line is not None else ""
        super().__init__(f"{syntax} error{where}: {message}")
        self.syntax = syntax
        self.message = message
        self.line = line


class ValueConversionError(FlowdeskError):
    """A value that does not fit the property's type (``'abc'`` for an int, say)."""
