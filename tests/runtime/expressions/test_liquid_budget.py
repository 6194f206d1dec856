"""A Liquid render has a budget (issue 14): loop iterations, output, values, nesting and time; past it the
activity faults with one clear message instead of running for minutes or eating the memory."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import InstanceStatus, WorkflowRunner
from runtime.expressions import ExpressionError, liquid
from runtime.expressions.liquid import LiquidLimits, render_liquid
from runtime.expressions.scope import ScriptScope


@pytest.fixture
def limits() -> Iterator[LiquidLimits]:
    saved = liquid.limits
    liquid.limits = LiquidLimits()
    yield liquid.limits
    liquid.limits = saved


def _render(template: str) -> str | None:
    return render_liquid(template, ScriptScope(variables={"items": list(range(10))}))


def _fails(template: str, words: str, within: float = 3.0) -> ExpressionError:
    started = time.perf_counter()
    with pytest.raises(ExpressionError) as raised:
        _render(template)
    assert time.perf_counter() - started < within
    assert words in str(raised.value) and "\n" not in str(raised.value)
    return raised.value


def test_a_hundred_million_iterations_fail_at_once(limits: LiquidLimits) -> None:
    error = _fails("{% for i in (1..100000000) %}{% endfor %}", "exceeded 1,000,000 loop iterations", 0.5)
    assert str(error) == "Liquid error at line 1: the template exceeded 1,000,000 loop iterations"


def test_iterations_are_counted_across_loops_and_nesting(limits: LiquidLimits) -> None:
    limits.iterations = 5_000
    two_loops = "{% for i in (1..3000) %}{% endfor %}\n{% for i in (1..3000) %}{% endfor %}"
    assert "at line 2" in str(_fails(two_loops, "5,000 loop iterations"))
    _fails("{% for i in (1..100) %}{% for j in (1..100) %}{% endfor %}{% endfor %}", "5,000 loop iterations")
    _fails("{% tablerow i in (1..6000) %}{% endtablerow %}", "5,000 loop iterations")
    assert _render("{% for i in (1..4000) %}{% endfor %}ok") == "ok"


def test_doubling_a_string_stops_at_the_output_limit(limits: LiquidLimits) -> None:
    """Before: 30 doublings with append reached 15.8 GB."""
    template = '{% assign s = "xx" %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}{{ s }}'
    _fails(template, "the append filter made more than 16 MB of text")


def test_output_and_captures_are_limited(limits: LiquidLimits) -> None:
    limits.output = 100_000
    _fails("{% for i in (1..20000) %}0123456789{% endfor %}", "exceeded 0.0953674 MB of output")
    _fails('{% for i in (1..20000) %}{{ "0123456789" }}{% endfor %}', "of output")
    _fails("{% capture c %}{% for i in (1..20000) %}0123456789{% endfor %}{% endcapture %}", "of output")
    big = '{% assign s = "' + "x" * 60_000 + '" %}{{ s }}{{ s }}'
    _fails(big, "of output")


def test_a_filter_may_not_be_given_or_make_a_huge_list(limits: LiquidLimits) -> None:
    _fails('{{ (1..30000000) | join: "," | size }}', "the join filter was given a list of 30,000,000 items")
    _fails("{% assign x = (1..5000000) %}{{ x | reverse | first }}", "the reverse filter was given a list")


def test_assigned_values_are_limited(limits: LiquidLimits) -> None:
    limits.assigned = 50_000
    _fails('{% assign a = "' + "x" * 30_000 + '" %}{% assign b = a | append: a %}', "variables exceeded")


def test_nesting_and_time_are_limited(limits: LiquidLimits) -> None:
    _fails("{% if true %}" * 40 + "{% endif %}" * 40, "nests blocks deeper than 30 levels")
    limits.time_limit = 0.3
    _fails(
        "{% for i in (1..900) %}{% for j in (1..900) %}{{ i | plus: j }}{% endfor %}{% endfor %}",
        "exceeded the time limit of 0.3 s",
        within=2.0,
    )


def test_ordinary_templates_render_as_before(limits: LiquidLimits) -> None:
    assert _render("{% for i in Variables.items %}{{ i }}{% endfor %}") == "0123456789"
    assert _render("a\r\nb{% capture x %}c\r\nd{% endcapture %}{{ x }}") == "a\r\nbc\r\nd", "CRLF is kept"
    assert _render('{{ "a,b" | split: "," | join: "-" }}') == "a-b"


RUNAWAY = "{% for i in (1..100000000) %}{% endfor %}"


def test_a_runaway_template_faults_its_activity_with_the_message(limits: LiquidLimits) -> None:
    workflow = (
        WorkflowBuilder("Loop").add("set", "SetVariable", VariableName="x", Value=("Liquid", RUNAWAY)).build()
    )
    instance = WorkflowRunner().run_sync(workflow)
    assert instance.status is InstanceStatus.FAULTED
    assert instance.fault is not None
    assert "property Value (Liquid)" in str(instance.fault)
    assert "the template exceeded 1,000,000 loop iterations" in str(instance.fault)
