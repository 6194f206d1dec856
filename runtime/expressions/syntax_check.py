"""Syntax checks of expressions without running them: JavaScript compiled by QuickJS, Liquid parsed.

Validation (the Problems panel, ``flowdesk validate``) and the designer's code editor ask
:func:`check_expression` whether a text can run at all; the answer is a :class:`SyntaxIssue` with a
1-based line and column and the engine's message, or None.

Elsa-isms are accepted as Elsa accepts them: a JavaScript script is compiled as a function body (Elsa 2
runs ``return x`` at the top level), and one that starts with ``{`` may be an object literal; Liquid is
parsed by the same environment that renders it (Fluid's syntax as python-liquid reads it).

Compiling never runs the script: the text is compiled behind ``throw`` (a program is parsed whole before
any of it runs, so even a text that closes the wrapper early runs nothing), in a context of its own per
thread that has no Elsa globals, no host access and small limits. Answers are cached per text. QuickJS and
python-liquid are imported on the first check of their language, so validating a file without expressions
loads neither.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from runtime.jsonlimits import escape_surrogates

if TYPE_CHECKING:
    import quickjs

JAVASCRIPT = "JavaScript"
LIQUID = "Liquid"
CHECKED_LANGUAGES = frozenset({JAVASCRIPT, LIQUID})

_COMPILED = "__fdCompiledOnly__"
_PREFIX = f'throw "{_COMPILED}"; (function () {{'
"""Shares the script's first line, so the engine's line numbers are the script's."""
_OBJECT_PREFIX = f'throw "{_COMPILED}"; ('
_STARTS_WITH_BRACE = re.compile(r"^\s*(?:(?://[^\n]*(?:\n|$)|/\*[\s\S]*?\*/)\s*)*\{")
_ENGINE_LINE = re.compile(r"at <input>:(\d+)")
_QUOTED_TOKEN = re.compile(r"'([^']+)'")
_CACHE_SIZE = 4096


@dataclass(frozen=True)
class SyntaxIssue:
    """Why an expression cannot run: where (1-based line and column) and the engine's message."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


def check_expression(language: str, text: str | None) -> SyntaxIssue | None:
    """The syntax problem of ``text`` in ``language`` (JavaScript or Liquid), or None; other languages
    and blank texts are never reported."""
    if not text or not text.strip():
        return None
    if language == JAVASCRIPT:
        return check_javascript(text)
    if language == LIQUID:
        return check_liquid(text)
    return None


# --- JavaScript --------------------------------------------------------------------------------------

_local = threading.local()


def _context() -> quickjs.Context:
    """This thread's compile-only context (QuickJS runtimes must stay on the thread that made them)."""
    context = getattr(_local, "context", None)
    if context is None:
        import quickjs

        context = quickjs.Context()
        context.set_memory_limit(32 * 1024 * 1024)
        context.set_time_limit(2.0)
        context.set_max_stack_size(512 * 1024)
        _local.context = context
    return context


def _compile_error(program: str) -> str | None:
    """The engine's error text when ``program`` does not compile, None when it does."""
    import quickjs

    try:
        _context().eval(program)
    except quickjs.JSException as error:
        text = str(error)
        return None if text.startswith(_COMPILED) else text
    return None  # unreachable: the program throws first


@lru_cache(maxsize=_CACHE_SIZE)
def check_javascript(source: str) -> SyntaxIssue | None:
    """Compile ``source`` as Elsa 2 runs scripts (a function body, else an object literal)."""
    source = escape_surrogates(source)  # QuickJS reads UTF-8: a lone surrogate goes in as its escape
    error = _compile_error(f"{_PREFIX}{source}\n}});")
    if error is None:
        return None
    if _STARTS_WITH_BRACE.match(source) and _compile_error(f"{_OBJECT_PREFIX}{source}\n);") is None:
        return None
    return _javascript_issue(source, error)


def _javascript_issue(source: str, error: str) -> SyntaxIssue:
    first = error.split("\n", 1)[0].strip()
    message = first.removeprefix("SyntaxError: ")
    lines = source.split("\n")
    found = _ENGINE_LINE.search(error)
    line = int(found.group(1)) if found else 1
    if line > len(lines) or (line == len(lines) and message.lower().startswith("unexpected end")):
        last = len(lines)
        while last > 1 and not lines[last - 1].strip():
            last -= 1
        text = lines[last - 1]
        return SyntaxIssue(last, len(text.rstrip()) + 1, ENDS_EARLY)
    text = lines[line - 1]
    return SyntaxIssue(line, _column(text, message), message)


ENDS_EARLY = "the script ends too early (an unclosed bracket, brace or string?)"
"""The engine complains past the script's last line: about the wrapper's own end."""


def _column(text: str, message: str) -> int:
    """Where on its line the engine's complaint points: the quoted token it names, else the first code."""
    for token in _QUOTED_TOKEN.findall(message):
        index = text.find(token)
        if index >= 0:
            return index + 1
    stripped = len(text) - len(text.lstrip())
    return stripped + 1


# --- Liquid ------------------------------------------------------------------------------------------


_PLAIN_OUTPUT = re.compile(r"(?<!\{)\{\{-?\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*-?\}\}")
"""``{{ Variables.access_token }}``: an output of a dotted name, which parses unless a part is a keyword."""
_LIQUID_KEYWORDS = frozenset(
    [
        "and",
        "as",
        "blank",
        "cols",
        "contains",
        "continue",
        "else",
        "empty",
        "false",
        "for",
        "if",
        "in",
        "limit",
        "nil",
        "not",
        "null",
        "offset",
        "or",
        "required",
        "reversed",
        "true",
        "with",
    ]
)
"""Words python-liquid's parser reads as keywords, not names (so ``{{ x.offset }}`` is an error)."""
_LIQUID_MARKUP = re.compile(r"\{\{|\{%|\}\}|%\}")


def _without_plain_output(match: re.Match[str]) -> str:
    return "{{" if _LIQUID_KEYWORDS.intersection(match[1].split(".")) else ""


def is_plainly_valid_liquid(template: str) -> bool:
    """True when ``template`` is text and plain outputs only: it parses, and python-liquid (~0.15 s to
    import) need not be loaded to know it. Anything else goes to the parser."""
    return _LIQUID_MARKUP.search(_PLAIN_OUTPUT.sub(_without_plain_output, template)) is None


@lru_cache(maxsize=_CACHE_SIZE)
def check_liquid(template: str) -> SyntaxIssue | None:
    """Parse ``template`` with the environment that renders it (nothing is rendered)."""
    if is_plainly_valid_liquid(template):
        return None
    from liquid.exceptions import LiquidError

    from runtime.expressions.liquid import parse_template

    try:
        parse_template(template)
    except LiquidError as error:
        return _liquid_issue(template, error)
    return None


def _liquid_issue(template: str, error: Exception) -> SyntaxIssue:
    message = str(getattr(error, "message", None) or error)
    token = getattr(error, "token", None)
    start = getattr(token, "start_index", -1) if token is not None else -1
    if not isinstance(start, int) or start < 0 or start > len(template):
        body = template.rstrip()
        start = len(body)
        if not body.endswith(("}}", "%}")) and "end of" not in message:
            start = max(0, len(body) - 1)
    line = template.count("\n", 0, start) + 1
    column = start - (template.rfind("\n", 0, start) + 1) + 1
    return SyntaxIssue(line, column, message)


__all__ = ["CHECKED_LANGUAGES", "SyntaxIssue", "check_expression", "check_javascript", "check_liquid"]
