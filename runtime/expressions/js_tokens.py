"""A small JavaScript lexer: the words a script's code uses, and where its top-level statements are.

Two uses, both optimisations that must never change a result:

* The state analysis (``js_analysis``) only counts names used in code, not those inside strings,
  templates' text, regular expressions or comments: ``setVariable("api", 1)`` reads no variable.
* A program-mode script's result is its completion value, which only ``eval`` yields, and ``eval``
  parses the text on every call. When the script's statements are split by top-level semicolons and
  the last one is an expression statement, ``PREFIX; LAST`` has the completion value that a function
  running ``PREFIX; result = (LAST)`` returns, and each context compiles that once (see ``js_prelude``).

The lexer knows strings, templates, comments, regular expressions and brackets, and needs no parser:
wherever it could be unsure (a ``/`` after ``}``, an escape in a name, an HTML-like comment) it gives
up, and the script is analysed from its whole text and keeps running through ``eval``, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

_WORD = re.compile(r"[\w$\u200c\u200d]+")
_NUMBER = re.compile(r"\.?\d[\w.]*")
_REGEX_FLAGS = re.compile(r"[\w$]*")
_LINE_BREAKS = "\n\r\u2028\u2029"
_PUNCTUATORS = frozenset("{}()[];,<>+-*%&|^!~?:=.#")

_BEFORE_EXPRESSION = frozenset(
    {"return", "typeof", "instanceof", "in", "new", "delete", "void", "throw", "case", "do", "else"}
)
"""Keywords after which a ``/`` starts a regular expression."""
_AMBIGUOUS_WORDS = frozenset({"of", "yield", "await", "let", "async", "get", "set", "static"})
"""Contextual words that are keywords or names depending on the parse: a ``/`` after them is unsure."""
_HEADER_KEYWORDS = frozenset({"if", "while", "for", "with"})
"""Keywords whose parenthesised header is followed by a statement (so ``/`` starts a regular expression)."""
_NOT_AN_EXPRESSION_START = frozenset(
    {
        "function", "class", "let", "const", "var", "async", "if", "for", "while", "do", "switch", "try",
        "return", "throw", "break", "continue", "import", "export", "with", "debugger", "else", "{",
    }
)  # fmt: skip
"""First tokens that make a statement something else than an expression statement."""
_SEE_THE_WRAPPER = frozenset({"eval", "arguments"})
"""Names that would see the compiled wrapper function rather than the program's own scope."""
STRING = '"'
"""The first token of a statement that starts with a string literal (a possible directive)."""


@dataclass(frozen=True)
class ScriptTokens:
    """What the lexer read from one script text."""

    words: frozenset[str]
    """Names and keywords in code (property names included), nothing from strings or comments."""
    statements: tuple[tuple[int, int, str], ...]
    """Top-level statements split at top-level ``;`` (those with code): the index of the first token,
    the end (the ``;`` or the text's end), and the first token."""
    top_level_function: bool
    """A ``function`` keyword outside every bracket (a declaration's binding depends on where it runs)."""
    bare_words: frozenset[str] = frozenset()
    """The words not read as a property after a single ``.`` (``x`` in ``x.y``, not ``y``): the names a
    script can mean as variables."""


@lru_cache(maxsize=2048)
def scan(source: str) -> ScriptTokens | None:
    """The script's tokens, or None where the lexer cannot be sure of them."""
    if "<!--" in source or "-->" in source or source.startswith("#!"):
        return None  # HTML-like comments and a hashbang are comments the lexer does not model
    lexer = _Lexer(source)
    try:
        lexer.run()
    except _Unsure:
        return None
    statements = tuple((start, end, first) for start, end, first in lexer.segments if first is not None)
    return ScriptTokens(
        frozenset(lexer.words), statements, lexer.top_level_function, frozenset(lexer.bare_words)
    )


def last_expression_statement(program: str) -> tuple[int, int] | None:
    """``(start, end)`` of the program's last top-level statement (from its first token), when running
    ``program[:start] + "result = (" + program[start:end] + ")" + program[end:]`` inside a function
    keeps the program's meaning, and ``result`` is its completion value; otherwise None.
    ``program[end:]`` is empty or the final ``;`` (and what follows it).

    None when the lexer is unsure, when the last statement starts with a word or ``{`` that makes it
    other than an expression statement, or when part of the script could behave differently inside the
    function: a top-level ``function`` (its binding would move inside the ``with`` scope), ``eval``,
    ``arguments``, a prelude ``__fd`` name, or a leading string that may be a ``"use strict"`` directive.
    The engine still compiles the result, and keeps ``eval`` if ``(LAST)`` is not one expression.
    """
    tokens = scan(program)
    if tokens is None or not tokens.statements or tokens.top_level_function:
        return None
    if not _SEE_THE_WRAPPER.isdisjoint(tokens.words) or any(word.startswith("__fd") for word in tokens.words):
        return None
    start, end, first_token = tokens.statements[-1]
    if first_token in _NOT_AN_EXPRESSION_START:
        return None
    if len(tokens.statements) > 1 and tokens.statements[0][2] == STRING:
        return None
    return start, end


class _After(Enum):
    """What the previous token allows a ``/`` to be."""

    OPERAND = 1
    """A value ended: ``/`` divides."""
    OPERATOR = 2
    """An expression or statement starts: ``/`` opens a regular expression."""
    UNSURE = 3
    """Only a parser could tell (after ``}``, ``++``, ``of`` ...)."""


class _Unsure(Exception):
    """The lexer met something it cannot read with certainty."""


class _Lexer:
    """Reads a script's code words, brackets, top-level semicolons and each statement's first token."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = 0
        self.after = _After.OPERATOR
        self.brackets: list[str] = []
        """Open ``(``, ``[``, ``{``; ``h`` for a statement header's ``(``, ``$`` for a template's ``${``."""
        self.previous_word = ""
        self.previous_tokens = ("", "")
        """The two tokens before the current one, the nearest last (a string literal is ``"``)."""
        self.words: set[str] = set()
        self.bare_words: set[str] = set()
        self.top_level_function = False
        self.segment_first: str | None = None
        self.segment_start = 0
        self.segments: list[tuple[int, int, str | None]] = []
        """Per segment: its first token's index, the index of the top-level ``;`` ending it (or the
        text's length), and its first token (None for a segment without code)."""

    def run(self) -> None:
        text = self.text
        while self.index < len(text):
            char = text[self.index]
            if char.isspace() or char == "\ufeff":
                self.index += 1
            elif text.startswith("//", self.index):
                self._skip_line_comment()
            elif text.startswith("/*", self.index):
                end = text.find("*/", self.index + 2)
                if end < 0:
                    raise _Unsure
                self.index = end + 2
            else:
                self._token(char)
        if self.brackets:
            raise _Unsure
        self.segments.append((self.segment_start, len(text), self.segment_first))

    def _token(self, char: str) -> None:
        """Read one token starting with ``char``; note it as its segment's first when it is."""
        if char == ";" and not self.brackets:
            self.segments.append((self.segment_start, self.index, self.segment_first))
            self.segment_first = None
            self.index += 1
            self.after = _After.OPERATOR
            self.previous_word = ""
            self.previous_tokens = (self.previous_tokens[1], ";")
            return
        text = self.text
        start = self.index
        name = char
        word = ""
        if char in "'\"":
            name = STRING
            self._skip_string(char)
            self.after = _After.OPERAND
        elif char == "`":
            self.index += 1
            self._skip_template()
        elif char == "/":
            self._slash()
        elif match := _NUMBER.match(text, self.index):
            self.index = match.end()
            self.after = _After.OPERAND
        elif match := _WORD.match(text, self.index):
            word = name = match.group()
            self.index = match.end()
            self._word(word)
            if self.previous_tokens[1] != "." or self.previous_tokens[0] == ".":  # not "x.word"; "...word" is
                self.bare_words.add(word)
        elif char in _PUNCTUATORS:
            self._punctuator(char)
        else:
            raise _Unsure  # an escape in a name, or a character the lexer does not know
        if self.segment_first is None:
            self.segment_first, self.segment_start = name, start
        self.previous_word = word
        self.previous_tokens = (self.previous_tokens[1], name)

    def _word(self, word: str) -> None:
        self.words.add(word)
        if word == "function" and not self.brackets:
            self.top_level_function = True
        if word in _BEFORE_EXPRESSION:
            self.after = _After.OPERATOR
        elif word in _AMBIGUOUS_WORDS:
            self.after = _After.UNSURE
        else:
            self.after = _After.OPERAND

    def _punctuator(self, char: str) -> None:
        self.index += 1
        if char in "([{":
            self.brackets.append("h" if char == "(" and self.previous_word in _HEADER_KEYWORDS else char)
            self.after = _After.OPERATOR
        elif char in ")]}":
            self._close(char)
        elif char in "+-" and self.text.startswith(char, self.index):
            self.index += 1
            self.after = _After.UNSURE  # postfix (an operand ended) or prefix (one starts)
        else:
            self.after = _After.OPERATOR

    def _close(self, char: str) -> None:
        if not self.brackets:
            raise _Unsure
        opened = self.brackets.pop()
        if char == "}" and opened == "$":
            self._skip_template()
        elif char == ")" and opened in "(h":
            self.after = _After.OPERATOR if opened == "h" else _After.OPERAND
        elif char == "]" and opened == "[":
            self.after = _After.OPERAND
        elif char == "}" and opened == "{":
            self.after = _After.UNSURE  # a block ended, or an object literal or a function body
        else:
            raise _Unsure

    def _slash(self) -> None:
        if self.after is _After.OPERAND:
            self.index += 1
            self.after = _After.OPERATOR
        elif self.after is _After.OPERATOR:
            self._skip_regex()
            self.after = _After.OPERAND
        else:
            raise _Unsure

    def _skip_line_comment(self) -> None:
        text = self.text
        index = self.index
        while index < len(text) and text[index] not in _LINE_BREAKS:
            index += 1
        self.index = index

    def _skip_string(self, quote: str) -> None:
        text = self.text
        index = self.index + 1
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 3 if text.startswith("\r\n", index + 1) else 2
            elif char == quote:
                self.index = index + 1
                return
            elif char in "\n\r":
                break
            else:
                index += 1
        raise _Unsure

    def _skip_template(self) -> None:
        """From inside a template literal to its end (then an operand) or its next ``${``."""
        text = self.text
        index = self.index
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 2
            elif char == "`":
                self.index = index + 1
                self.after = _After.OPERAND
                return
            elif text.startswith("${", index):
                self.brackets.append("$")
                self.index = index + 2
                self.after = _After.OPERATOR
                return
            else:
                index += 1
        raise _Unsure

    def _skip_regex(self) -> None:
        text = self.text
        index = self.index + 1
        in_class = False
        while index < len(text):
            char = text[index]
            if char in _LINE_BREAKS:
                break
            if char == "\\":
                index += 2
                continue
            if char == "[":
                in_class = True
            elif char == "]":
                in_class = False
            elif char == "/" and not in_class:
                flags = _REGEX_FLAGS.match(text, index + 1)
                self.index = index + 1 if flags is None else flags.end()
                return
            index += 1
        raise _Unsure
