"""Limits (time, memory, stack) stop a script without harming the process; pooled contexts and threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from runtime.expressions import ExpressionError, ScriptScope, evaluate, javascript_settings, shutdown
from runtime.expressions.javascript import idle_contexts


@pytest.fixture
def tight_limits() -> Iterator[None]:
    """Short limits so the tests are quick; restored afterwards. Fresh contexts, so the heap the limit
    applies to is not one grown by earlier tests."""
    saved = replace(javascript_settings)
    shutdown()
    javascript_settings.time_limit = 0.3
    javascript_settings.memory_limit = 16 * 1024 * 1024
    yield
    for name in ("time_limit", "memory_limit", "stack_size", "max_idle_contexts", "engine_factory"):
        setattr(javascript_settings, name, getattr(saved, name))


def js(text: str, scope: ScriptScope | None = None) -> object:
    return evaluate("JavaScript", text, scope if scope is not None else ScriptScope(variables={}))


def test_runaway_loop_hits_the_time_limit_and_the_next_evaluation_works(tight_limits: None) -> None:
    started = time.monotonic()
    with pytest.raises(ExpressionError) as caught:
        js("while (true) {}")
    assert time.monotonic() - started < 5
    assert caught.value.syntax == "JavaScript"
    assert "time limit of 0.3 s" in str(caught.value)
    assert js("1 + 1") == 2


def test_the_time_limit_cannot_be_caught_by_the_script(tight_limits: None) -> None:
    with pytest.raises(ExpressionError, match="time limit"):
        js("try { for (;;) {} } catch (e) { 'escaped' }")
    assert js("'still alive'") == "still alive"


def test_memory_hog_hits_the_memory_limit_and_the_next_evaluation_works(tight_limits: None) -> None:
    with pytest.raises(ExpressionError) as caught:
        js("const chunks = []; while (true) { chunks.push(new Array(100000).fill(1.5)); }")
    assert "memory limit of 16 MiB" in str(caught.value)
    assert js("[1, 2, 3].length") == 3


def test_a_caught_out_of_memory_error_still_replaces_the_context(tight_limits: None) -> None:
    javascript_settings.time_limit = 10.0  # filling 16 MB may take past 0.3 s on a busy machine
    result = js(
        "try { const c = []; while (true) c.push(new Array(100000).fill(1)); } catch (e) { String(e) }"
    )
    assert result == "InternalError: out of memory"
    assert js("'fresh'") == "fresh"


def test_runaway_recursion_is_a_stack_overflow_error_and_the_next_evaluation_works() -> None:
    with pytest.raises(ExpressionError) as caught:
        js("function down(n) { return down(n + 1) + 1; }\ndown(0)")
    assert "stack" in str(caught.value).lower()
    assert js("function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); } depth(500)") == 500


def test_limits_changed_at_run_time_apply_to_pooled_contexts(tight_limits: None) -> None:
    assert js("1") == 1
    javascript_settings.time_limit = 0.1
    started = time.monotonic()
    with pytest.raises(ExpressionError, match="time limit of 0.1 s"):
        js("while (true) {}")
    assert time.monotonic() - started < 3


def test_shutdown_frees_contexts_and_evaluation_continues() -> None:
    assert js("'before'") == "before"
    shutdown()
    assert js("'after'") == "after"


def test_four_threads_evaluating_at_once_get_their_own_results() -> None:
    errors: list[str] = []

    def worker(number: int) -> None:
        scope = ScriptScope(variables={"n": number, "items": list(range(number + 3))}, input={"id": number})
        for step in range(200):
            script = (
                f"setVariable('last', {step});\n"
                "return getVariable('n') * 1000 + items.length * 10 + input.id + " + str(step)
            )
            result = evaluate("JavaScript", script, scope, "int")
            expected = number * 1000 + (number + 3) * 10 + number + step
            if result != expected or scope.variables["last"] != step:
                errors.append(f"thread {number} step {step}: {result} != {expected}")
        if evaluate("JavaScript", "'a'.repeat(100) + n", scope) != "a" * 100 + str(number):
            errors.append(f"thread {number}: wrong rope string")

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []


def test_pool_keeps_at_most_the_configured_number_of_idle_contexts(tight_limits: None) -> None:
    javascript_settings.max_idle_contexts = 2
    shutdown()
    barrier = threading.Barrier(4)
    results: list[object] = []

    def worker() -> None:
        barrier.wait()
        results.append(js("let v = 21; v * 2"))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == [42, 42, 42, 42]
    assert idle_contexts() <= 2
