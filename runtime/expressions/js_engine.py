"""A thin adapter over the embedded JavaScript engine, so QuickJS-ng can be swapped (e.g. for mini-racer).

The bridge above it needs four things from an engine: run setup code once, call a global function with
string/int arguments that returns a string, enforce limits, and read the frames of an error's stack text.
Everything Elsa-specific lives in the engine-neutral prelude (``js_prelude``).

An engine instance is not thread-safe: one thread at a time may use it (sequential use from different
threads is fine). The pool in ``javascript`` guarantees that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

import quickjs


@dataclass(frozen=True)
class JsLimits:
    """Per-context limits. The QuickJS time limit is CPU time of the whole process, counted per call."""

    time_limit: float
    """Seconds; a runaway script is interrupted after this much CPU time."""
    memory_limit: int
    """Bytes the context's heap may use."""
    stack_size: int
    """Bytes of native stack the interpreter may use; keep well below the threads' real stack (8 MiB)."""


@dataclass(frozen=True)
class StackFrame:
    """One frame of a JavaScript error's stack: the function's name (None while compiling) and line."""

    function: str | None
    line: int | None
    line_is_exact: bool = True
    """False where the engine may report, for a failed property or variable read, the line of the
    function's last call instead (QuickJS-ng inside functions)."""


class JsEngineError(Exception):
    """The engine itself failed a call (as opposed to the script throwing, which the prelude reports)."""


class JsTimeLimitExceeded(JsEngineError):
    """The script ran longer than the time limit and was interrupted."""


class JsMemoryLimitExceeded(JsEngineError):
    """The script needed more memory than the memory limit allows."""


class JsStackOverflow(JsEngineError):
    """The script recursed deeper than the stack size allows."""


class JsEngine(Protocol):
    """What the expression bridge needs from a JavaScript engine."""

    def run_setup(self, source: str) -> None:
        """Run code once (the prelude); its global definitions stay for later calls."""

    def call(self, function_name: str, *arguments: str | int) -> str:
        """Call a global function; it must return a string. Raises JsEngineError (or a subclass)."""

    def apply_limits(self, limits: JsLimits) -> None:
        """Set the time, memory and stack limits for later calls."""

    def close(self) -> None:
        """Release the engine's memory; the instance is unusable afterwards."""

    def stack_frames(self, stack: str) -> list[StackFrame]:
        """The frames of an error's ``stack`` text, innermost first (native frames have no line)."""


class QuickJsEngine:
    """QuickJS-ng through ``edwh-quickjs-ng``: one runtime and context per instance, no std/os modules."""

    def __init__(self) -> None:
        self._context: quickjs.Context | None = quickjs.Context()
        self._functions: dict[str, quickjs.Object] = {}

    def run_setup(self, source: str) -> None:
        try:
            self._live_context().eval(source)
        except quickjs.JSException as error:
            raise _engine_error(error) from None

    def call(self, function_name: str, *arguments: str | int) -> str:
        function = self._functions.get(function_name)
        if function is None:
            function = self._live_context().get(function_name)
            if not isinstance(function, quickjs.Object):
                raise JsEngineError(f"the engine has no function {function_name!r}")
            self._functions[function_name] = function
        try:
            result = function(*arguments)
        except quickjs.JSException as error:
            raise _engine_error(error) from None
        if not isinstance(result, str):
            raise JsEngineError(f"{function_name} returned {type(result).__name__}, not text")
        return result

    def apply_limits(self, limits: JsLimits) -> None:
        context = self._live_context()
        context.set_time_limit(limits.time_limit)
        context.set_memory_limit(limits.memory_limit)
        context.set_max_stack_size(limits.stack_size)

    def close(self) -> None:
        self._functions.clear()
        self._context = None

    def stack_frames(self, stack: str) -> list[StackFrame]:
        frames = []
        for text in stack.splitlines():
            match = _QUICKJS_FRAME.match(text)
            if match is None:
                continue
            function = match["function"]
            location = _LOCATION.search(match["where"] if function is not None else match["bare"])
            line = int(location["line"]) if location else None
            frames.append(StackFrame(function, line, line_is_exact=function in (None, _PROGRAM_FRAME)))
        return frames

    def _live_context(self) -> quickjs.Context:
        if self._context is None:
            raise JsEngineError("the JavaScript context has been closed")
        return self._context


_QUICKJS_FRAME = re.compile(r"^\s*at (?:(?P<function>.+?) \((?P<where>[^()]*)\)|(?P<bare>[^\s()]+))\s*$")
"""``at name (<input>:3:1)``, ``at parse (native)``, or ``at <input>:2:1`` for code being compiled."""
_LOCATION = re.compile(r":(?P<line>\d+)(?::\d+)?$")
_PROGRAM_FRAME = "<eval>"
"""Top-level code run by eval: the one kind of frame whose reported line QuickJS-ng always keeps exact."""


def _engine_error(error: quickjs.JSException) -> JsEngineError:
    text = str(error)
    message = text.split("\n", 1)[0].strip()
    if isinstance(error, quickjs.StackOverflow) or "stack overflow" in message:
        return JsStackOverflow(message)
    if message == "InternalError: interrupted":
        return JsTimeLimitExceeded(message)
    # When even the out-of-memory error cannot be allocated, QuickJS throws null instead.
    if "out of memory" in message or message == "null":
        return JsMemoryLimitExceeded("InternalError: out of memory")
    return JsEngineError(message)
