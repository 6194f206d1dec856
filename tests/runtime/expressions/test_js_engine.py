"""The QuickJS-ng adapter: the small contract the expression bridge relies on."""

from __future__ import annotations

import pytest

from runtime.expressions.js_engine import (
    JsEngineError,
    JsLimits,
    JsMemoryLimitExceeded,
    JsTimeLimitExceeded,
    QuickJsEngine,
    StackFrame,
)


@pytest.fixture
def engine() -> QuickJsEngine:
    engine = QuickJsEngine()
    engine.run_setup("function greet(name, times) { return ('hi ' + name + ' ').repeat(times).trim(); }")
    return engine


def test_call_passes_text_and_numbers_and_returns_text(engine: QuickJsEngine) -> None:
    assert engine.call("greet", "ann", 2) == "hi ann hi ann"


def test_a_function_returning_other_than_text_is_an_engine_error(engine: QuickJsEngine) -> None:
    engine.run_setup("function count() { return 3; }")
    with pytest.raises(JsEngineError, match="returned int, not text"):
        engine.call("count")


def test_calling_a_missing_function_is_an_engine_error(engine: QuickJsEngine) -> None:
    with pytest.raises(JsEngineError, match="no function 'missing'"):
        engine.call("missing")


def test_an_uncaught_throw_is_an_engine_error_with_the_js_message(engine: QuickJsEngine) -> None:
    engine.run_setup("function fail() { throw new TypeError('bad input'); }")
    with pytest.raises(JsEngineError, match="TypeError: bad input"):
        engine.call("fail")


def test_limits_raise_their_own_errors(engine: QuickJsEngine) -> None:
    engine.run_setup(
        "function spin() { for (;;) {} }\nfunction hog() { const a = []; for (;;) a.push(new Array(1e5)); }"
    )
    engine.apply_limits(JsLimits(time_limit=0.2, memory_limit=8 * 1024 * 1024, stack_size=1024 * 1024))
    with pytest.raises(JsTimeLimitExceeded):
        engine.call("spin")
    with pytest.raises(JsMemoryLimitExceeded):
        engine.call("hog")


def test_a_closed_engine_refuses_calls(engine: QuickJsEngine) -> None:
    engine.close()
    with pytest.raises(JsEngineError, match="closed"):
        engine.call("greet", "x", 1)


def test_stack_frames_are_read_from_quickjs_stack_text(engine: QuickJsEngine) -> None:
    stack = (
        "    at <input>:2:5\n"
        "    at parse (native)\n"
        "    at check (<input>:7:3)\n"
        "    at <eval> (<input>:3:1)\n"
        "    at __fdRunProgram (<input>:3:34)\n"
    )
    assert engine.stack_frames(stack) == [
        StackFrame(None, 2),
        StackFrame("parse", None, line_is_exact=False),
        StackFrame("check", 7, line_is_exact=False),
        StackFrame("<eval>", 3),
        StackFrame("__fdRunProgram", 3, line_is_exact=False),
    ]
