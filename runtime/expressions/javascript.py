"""JavaScript expressions with Elsa 2's globals, run in pooled, limited QuickJS-ng contexts.

One evaluation is one host->JS call: the part of the scope the script can reach is injected as JSON,
and the result, the variables the script set and the outcomes it chose come back as one JSON envelope
(see ``js_prelude``). No Python callbacks: QuickJS refuses them while a time limit is set.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from runtime.expressions.conversion import encode_json, json_default
from runtime.expressions.errors import ExpressionError, ValueConversionError
from runtime.expressions.js_analysis import ScriptNeeds, analyse_script
from runtime.expressions.js_engine import (
    JsEngine,
    JsEngineError,
    JsLimits,
    JsMemoryLimitExceeded,
    JsStackOverflow,
    JsTimeLimitExceeded,
    QuickJsEngine,
)
from runtime.expressions.js_prelude import COMPILE_FRAMES, MODE_UNKNOWN, PRELUDE, RUNNER_FUNCTION
from runtime.expressions.scope import ScriptScope

SYNTAX = "JavaScript"
_MIB = 1024 * 1024


@dataclass
class JavaScriptSettings:
    """Limits and pooling; changes apply to the next evaluation (contexts pick up new limits)."""

    time_limit: float = 5.0
    """CPU seconds per evaluation (QuickJS counts the whole process's CPU time)."""
    memory_limit: int = 64 * _MIB
    stack_size: int = 1 * _MIB
    """Native stack for JS frames (about 650 nested calls); must stay below every calling thread's stack."""
    max_idle_contexts: int = 8
    engine_factory: Callable[[], JsEngine] = QuickJsEngine

    def limits(self) -> JsLimits:
        return JsLimits(self.time_limit, self.memory_limit, self.stack_size)


settings = JavaScriptSettings()


class _PooledContext:
    """An engine with the prelude installed, and the limits last applied to it."""

    def __init__(self, engine: JsEngine) -> None:
        self.engine = engine
        self.limits: JsLimits | None = None
        engine.run_setup(PRELUDE)

    def ensure_limits(self, limits: JsLimits) -> None:
        if limits != self.limits:
            self.engine.apply_limits(limits)
            self.limits = limits


class _ContextPool:
    """Idle contexts, last in first out. A context is only ever used by the thread that took it."""

    def __init__(self) -> None:
        self._idle: list[_PooledContext] = []
        self._lock = threading.Lock()

    def acquire(self) -> _PooledContext:
        with self._lock:
            context = self._idle.pop() if self._idle else None
        if context is None:
            context = _PooledContext(settings.engine_factory())
        context.ensure_limits(settings.limits())
        return context

    def release(self, context: _PooledContext) -> None:
        with self._lock:
            if len(self._idle) < settings.max_idle_contexts:
                self._idle.append(context)
                return
        context.engine.close()

    def idle_count(self) -> int:
        with self._lock:
            return len(self._idle)

    def clear(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for context in idle:
            context.engine.close()


_pool = _ContextPool()
_STATE_ENCODER = json.JSONEncoder(default=json_default, allow_nan=False)
_modes: dict[str, int] = {}
_MAX_REMEMBERED_MODES = 4096


def shutdown() -> None:
    """Free the pooled contexts (new ones are created on the next evaluation)."""
    _pool.clear()


def idle_contexts() -> int:
    """How many prepared contexts wait in the pool (diagnostics and tests)."""
    return _pool.idle_count()


def evaluate_javascript(source: str, scope: ScriptScope) -> Any:
    """Run ``source`` and return its result as plain Python data (Date -> ISO text, undefined -> None).

    Variables the script set are written into ``scope.variables`` (also when it then fails, as in
    Elsa), outcomes it chose are appended to ``scope.outcomes`` when that is a list.
    """
    state_json = _state_json(analyse_script(source), scope)
    context = _pool.acquire()
    reusable = False
    try:
        reply = _call(context.engine, source, state_json)
        error = reply.get("e")
        # An out-of-memory or stack error the script caught may leave the heap near its limit.
        reusable = error is None or error.get("n") != "InternalError"
        _apply_changes(reply, scope)
        if error is not None:
            raise _script_error(context.engine, source, error)
    finally:
        if reusable:
            _pool.release(context)
        else:
            context.engine.close()
    if scope.outcomes is not None:
        scope.outcomes.extend(reply.get("o", ()))
    _remember_mode(source, reply.get("m", MODE_UNKNOWN))
    return reply.get("v")


def _call(engine: JsEngine, source: str, state_json: str) -> dict[str, Any]:
    try:
        reply_text = engine.call(RUNNER_FUNCTION, state_json, source, _modes.get(source, MODE_UNKNOWN))
    except JsTimeLimitExceeded:
        raise ExpressionError(
            SYNTAX, f"the script exceeded the time limit of {_seconds(settings.time_limit)} s and was stopped"
        ) from None
    except JsMemoryLimitExceeded:
        raise ExpressionError(
            SYNTAX, f"the script exceeded the memory limit of {_mebibytes(settings.memory_limit)} MiB"
        ) from None
    except JsStackOverflow:
        raise ExpressionError(SYNTAX, "the script recursed too deeply (stack overflow)") from None
    except JsEngineError as error:
        raise ExpressionError(SYNTAX, str(error)) from None
    reply: dict[str, Any] = json.loads(reply_text)
    return reply


def _remember_mode(source: str, mode: int) -> None:
    """Later evaluations of the same text (in any context) skip the program-mode attempt."""
    if mode != MODE_UNKNOWN and source not in _modes:
        if len(_modes) >= _MAX_REMEMBERED_MODES:
            _modes.clear()
        _modes[source] = mode


def _seconds(value: float) -> str:
    return f"{value:g}"


def _mebibytes(value: int) -> str:
    return f"{value / _MIB:g}"


# --- state injection --------------------------------------------------------------------------------


def _state_json(needs: ScriptNeeds, scope: ScriptScope) -> str:
    state: dict[str, Any] = {
        "v": {name: value for name, value in scope.variables.items() if needs.wants_variable(name)},
        "wi": scope.workflow_instance_id,
        "wd": scope.workflow_definition_id,
        "wv": scope.workflow_definition_version,
        "c": scope.correlation_id,
    }
    if needs.uses_input:
        state["i"] = scope.input
    if needs.uses_activities:
        state["a"] = _needed_activities(needs, scope.activities)
    if needs.uses_workflow_ids:
        state["w"] = dict(scope.workflow_ids_by_name)
    try:
        return encode_json(_STATE_ENCODER, state)
    except ValueConversionError as error:
        raise ExpressionError(SYNTAX, f"the workflow state cannot be passed to the script: {error}") from None


def _needed_activities(needs: ScriptNeeds, activities: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    wanted = needs.activity_outputs
    if wanted is None:
        return {name: outputs for name, outputs in activities.items()}
    selected: dict[str, Any] = {}
    for name, outputs in activities.items():
        key = name.lower()
        if key not in wanted:
            continue
        used = wanted[key]
        if used is None or not isinstance(outputs, Mapping):
            selected[name] = outputs
        else:
            selected[name] = {output: value for output, value in outputs.items() if output.lower() in used}
    return selected


def _apply_changes(reply: Mapping[str, Any], scope: ScriptScope) -> None:
    values = reply.get("c", {})
    for name in reply.get("s", ()):
        value = values.get(name)
        scope.variables[name] = value
        if scope.on_variable_set is not None:
            scope.on_variable_set(name, value)


# --- errors -----------------------------------------------------------------------------------------

_READ_OF_NOTHING = re.compile(r"cannot read property '(?P<key>[^']*)' of (?:null|undefined)")
_NOT_DEFINED = re.compile(r"^'?(?P<key>[\w$]+)'? is not defined")


def _script_error(engine: JsEngine, source: str, error: Mapping[str, str]) -> ExpressionError:
    name, message = error.get("n", "Error"), error.get("m", "")
    line = _user_line(engine, source, name, message, error.get("s", ""))
    if line is not None:
        line = min(line, source.count("\n") + 1)
    text = f"{name}: {message}" if message else name
    if name == "InternalError" and "out of memory" in message:
        text = f"the script exceeded the memory limit of {_mebibytes(settings.memory_limit)} MiB ({text})"
    return ExpressionError(SYNTAX, text, line)


def _user_line(engine: JsEngine, source: str, error_name: str, message: str, stack: str) -> int | None:
    """The line in the user's script where the error happened, from the engine's stack text.

    Prelude frames (``__fd...``) and native frames are skipped. A frame without a function name is the
    engine compiling some text: it is the user's script only when the prelude's compile frame is next.
    """
    frames = engine.stack_frames(stack)
    for index, frame in enumerate(frames):
        if frame.line is None:
            continue
        if frame.function is None:
            caller = frames[index + 1].function if index + 1 < len(frames) else None
            if caller in COMPILE_FRAMES:
                return frame.line
            continue
        if frame.function.startswith("__fd"):
            continue
        if frame.line_is_exact:
            return frame.line
        return _line_of_failed_read(source, error_name, message, frame.line)
    return None


def _line_of_failed_read(source: str, error_name: str, message: str, engine_line: int) -> int:
    """Where the engine's line may be that of the function's last call rather than of a failed property or
    variable read, look for the read in the script: the first line at or after the engine's line that
    reads that name, or else the only line anywhere that does; otherwise keep the engine's line."""
    if error_name == "TypeError" and (match := _READ_OF_NOTHING.search(message)):
        key = re.escape(match["key"])
        pattern = re.compile(rf"\.\s*{key}(?![\w$])|\[\s*(['\"]){key}\1\s*\]")
    elif error_name == "ReferenceError" and (match := _NOT_DEFINED.search(message)):
        pattern = re.compile(rf"(?<![\w$.]){re.escape(match['key'])}(?![\w$])")
    else:
        return engine_line
    lines = _without_comments(source).split("\n")
    candidates = [number for number, text in enumerate(lines, 1) if pattern.search(text)]
    later = [number for number in candidates if number >= engine_line]
    if later:
        return later[0]
    return candidates[0] if len(candidates) == 1 else engine_line


def _without_comments(source: str) -> str:
    """The script with comments blanked (line breaks kept), so a name in a comment is not a candidate."""
    out: list[str] = []
    index, length = 0, len(source)
    quote: str | None = None
    while index < length:
        char = source[index]
        if quote is not None:
            out.append(char)
            if char == "\\" and index + 1 < length:
                out.append(source[index + 1])
                index += 1
            elif char == quote:
                quote = None
        elif char in "\"'`":
            quote = char
            out.append(char)
        elif source.startswith("//", index):
            end = source.find("\n", index)
            index = length if end < 0 else end
            continue
        elif source.startswith("/*", index):
            end = source.find("*/", index + 2)
            comment = source[index : length if end < 0 else end + 2]
            out.append("\n" * comment.count("\n"))
            index += len(comment)
            continue
        else:
            out.append(char)
        index += 1
    return "".join(out)
