"""The small lexer: code words, top-level statements, and where a program's last expression statement is."""

from __future__ import annotations

import pytest

from runtime.expressions.js_tokens import last_expression_statement, scan


def last(program: str) -> str | None:
    split = last_expression_statement(program)
    return None if split is None else program[split[0] : split[1]]


def test_words_come_from_code_only() -> None:
    tokens = scan(
        "setVariable(\"api\", 'x'); // token\n/* method */ const r = /input/g; `a ${count} b` + input2"
    )
    assert tokens is not None
    assert {"setVariable", "const", "r", "count", "input2"} <= tokens.words
    assert not {"api", "x", "token", "method", "input", "a", "b", "g"} & tokens.words


def test_bare_words_leave_out_the_properties_read_after_a_dot() -> None:
    tokens = scan("activities.auth.Output() + setter.Value + x?.y + [...spread] + {key: 1}.key + 'a'.length")
    assert tokens is not None
    assert tokens.bare_words == {"activities", "setter", "x", "spread", "key"}
    assert {"auth", "Output", "Value", "y", "length"} <= tokens.words


def test_statements_are_split_at_top_level_semicolons_only() -> None:
    program = 'let a = [1, 2]; f(function () { return 1; }); `x;${"y;"}`; "a;b"'
    tokens = scan(program)
    assert tokens is not None
    assert [program[start:end] for start, end, _ in tokens.statements] == [
        "let a = [1, 2]",
        "f(function () { return 1; })",
        '`x;${"y;"}`',
        '"a;b"',
    ]
    assert [first for _, _, first in tokens.statements] == ["let", "f", "`", '"']
    assert not tokens.top_level_function


@pytest.mark.parametrize(
    ("program", "expected"),
    [
        ('getVariable("token")', 'getVariable("token")'),
        ('setVariable("api", "/orders"); setVariable("method", "GET");', 'setVariable("method", "GET")'),
        ('getVariable("method") == "GET"', 'getVariable("method") == "GET"'),
        ('({api: getVariable("api")})', '({api: getVariable("api")})'),
        ("var t = null;\n\nt.Data1", "t.Data1"),
        ("f();\n// the result\n(count)", "(count)"),
        ("f(); // a; b", "f()"),
        ("x = /a;b/g; x.source", "x.source"),
        ("if (x) /re;/.test(s); y", "y"),
        ("a = b / 2; a", "a"),
        ("do x++; while (x < 3); x", "x"),
        ('"use strict"', '"use strict"'),
        ("class A { #v = 5; get v() { return this.#v } }; new A().v", "new A().v"),
    ],
)
def test_the_last_expression_statement_is_found(program: str, expected: str) -> None:
    assert last(program) == expected


@pytest.mark.parametrize(
    "program",
    [
        "{a: 1}",
        "x; {a: 1}",
        "let a = 2;\nif (a) { a } else { 0 }",
        "let s = 0; for (let i = 0; i < 3; i++) { s += i; } s",
        "var w = 1;",
        ";;",
        "// only a comment",
        '"use strict"; x = 1; x',
        "function f() {}; f()",
        "const f = function () { return 1 }; f()",
        "async function f() {}; 1",
        "eval('1'); 2",
        "arguments.length",
        "__fdScope",
        "x = {} / 2; x",
        "x++ / 2",
        "a = 1 <!-- comment\n; 2",
        "#!/bin/js\n1",
        "\\u0065val('1')",
        "'unterminated",
        "f(",
        "f())",
        "if (a) b; else c",
    ],
)
def test_scripts_the_lexer_cannot_split_safely_are_left_to_eval(program: str) -> None:
    assert last_expression_statement(program) is None


def test_an_unsure_lexer_gives_no_tokens() -> None:
    assert scan("x = {} / 2") is None
    assert scan("a = 1 <!-- c") is None
    assert scan("ok(1)") is not None
