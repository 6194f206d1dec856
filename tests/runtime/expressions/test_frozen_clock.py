"""A recorded test replays with the clock frozen: JavaScript's ``Date`` and Liquid's ``"now" | date`` read the
scope's instant; without one they read the real clock, and ``Date`` stays the built-in for every other use."""

from __future__ import annotations

import time
from datetime import datetime

from runtime.expressions import ScriptScope, evaluate

INSTANT_MS = 1_700_000_000_123.0
INSTANT_ISO = "2023-11-14T22:13:20.123Z"


def js(text: str, frozen_now: float | None = None) -> object:
    return evaluate("JavaScript", text, ScriptScope(variables={}, frozen_now=frozen_now))


def test_new_date_and_date_now_read_the_frozen_instant() -> None:
    assert js("new Date().toISOString()", INSTANT_MS) == INSTANT_ISO
    assert js("Date.now()", INSTANT_MS) == 1_700_000_000_123
    assert js("typeof Date()", INSTANT_MS) == "string"


def test_the_frozen_clock_reaches_scripts_that_read_variables_too() -> None:
    scope = ScriptScope(variables={"days": 1}, frozen_now=INSTANT_MS)
    assert evaluate("JavaScript", "new Date(Date.now() + days * 86400000).toISOString()", scope) == (
        "2023-11-15T22:13:20.123Z"
    )


def test_dates_from_arguments_and_the_constructor_behave_as_the_built_in() -> None:
    checks = (
        "[new Date(0).toISOString(), new Date(2020, 1, 2).getMonth(), new Date() instanceof Date,"
        " Date.prototype.constructor === Date, Date.name, Date.length, Date.UTC(2020, 0, 1),"
        " Date.parse('2020-01-01T00:00:00Z')]"
    )
    assert js(checks, INSTANT_MS) == [
        "1970-01-01T00:00:00.000Z",
        1,
        True,
        True,
        "Date",
        7,
        1_577_836_800_000,
        1_577_836_800_000,
    ]


def test_without_a_frozen_instant_the_clock_is_real_and_a_frozen_one_does_not_stick() -> None:
    assert js("new Date().toISOString()", INSTANT_MS) == INSTANT_ISO
    before = time.time() * 1000
    now = js("Date.now()")
    assert isinstance(now, int) and now >= before - 1000
    assert js("new Date().getFullYear()") == datetime.now().year


def test_liquid_now_reads_the_frozen_instant() -> None:
    scope = ScriptScope(variables={}, frozen_now=INSTANT_MS)
    expected = datetime.fromtimestamp(INSTANT_MS / 1000).strftime("%Y-%m-%d %H:%M:%S")
    assert evaluate("Liquid", "{{ 'now' | date: '%Y-%m-%d %H:%M:%S' }}", scope) == expected
    assert evaluate("Liquid", "{{ 'today' | date: '%Y' }}", scope) == "2023"
    assert evaluate("Liquid", "{{ '2020-01-02' | date: '%Y' }}", scope) == "2020"
    real = evaluate("Liquid", "{{ 'now' | date: '%Y' }}", ScriptScope(variables={}))
    assert real == str(datetime.now().year)


def test_elsa_current_instant_reads_the_frozen_instant() -> None:
    """``currentInstant()`` (ConfigureJavaScriptEngineWithDateTimeFeatures.cs: the IClock's instant)."""
    assert js("currentInstant().toString()", INSTANT_MS) == "2023-11-14T22:13:20Z"
