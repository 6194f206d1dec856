"""The OData $filter / $orderby tokenizer and recursive-descent parser, without a database."""

from __future__ import annotations

import pytest

from runtime.store.odata import (
    And,
    BooleanField,
    Comparison,
    FieldRef,
    Literal,
    Not,
    ODataError,
    Or,
    OrderItem,
    TokenKind,
    parse_filter,
    parse_order_by,
    tokenize,
)


def kinds_and_positions(text: str) -> list[tuple[TokenKind, str, int]]:
    return [(token.kind, token.text, token.position) for token in tokenize(text)]


def test_tokens_carry_kind_text_and_position() -> None:
    assert kinds_and_positions("(Key eq 'a b') or Age ge -1.5") == [
        (TokenKind.OPEN, "(", 0),
        (TokenKind.WORD, "Key", 1),
        (TokenKind.WORD, "eq", 5),
        (TokenKind.STRING, "'a b'", 8),
        (TokenKind.CLOSE, ")", 13),
        (TokenKind.WORD, "or", 15),
        (TokenKind.WORD, "Age", 18),
        (TokenKind.WORD, "ge", 22),
        (TokenKind.DECIMAL, "-1.5", 25),
        (TokenKind.END, "", 29),
    ]


def test_string_tokens_unescape_doubled_quotes() -> None:
    token = tokenize("'it''s ''quoted'''")[0]
    assert token.kind is TokenKind.STRING
    assert token.value == "it's 'quoted'"
    assert token.text == "'it''s ''quoted'''"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("42", TokenKind.INTEGER, 42),
        ("-7", TokenKind.INTEGER, -7),
        ("3.25", TokenKind.DECIMAL, 3.25),
        ("1e3", TokenKind.DECIMAL, 1000.0),
        ("2024-01-01T00:00:00Z", TokenKind.DATETIME, "2024-01-01T00:00:00.000Z"),
        ("2024-07-22T09:05:40.7625+02:00", TokenKind.DATETIME, "2024-07-22T07:05:40.763Z"),
        ("2024-02-29", TokenKind.DATETIME, "2024-02-29T00:00:00.000Z"),
        ("2024-01-01T10:30", TokenKind.DATETIME, "2024-01-01T10:30:00.000Z"),
    ],
)
def test_number_and_unquoted_datetime_literals(text: str, kind: TokenKind, value: object) -> None:
    token = tokenize(text)[0]
    assert (token.kind, token.value) == (kind, value)


def test_every_comparison_operator_parses() -> None:
    for operator in ("eq", "ne", "gt", "ge", "lt", "le"):
        node = parse_filter(f"Age {operator} 5")
        assert node == Comparison(FieldRef("Age", 0), operator, Literal("integer", 5, "5", 7), 4)


def test_literal_kinds() -> None:
    cases = {
        "'x'": ("string", "x"),
        "12": ("integer", 12),
        "1.5": ("decimal", 1.5),
        "true": ("boolean", True),
        "false": ("boolean", False),
        "null": ("null", None),
        "2030-05-06T07:08:09Z": ("datetime", "2030-05-06T07:08:09.000Z"),
    }
    for text, (kind, value) in cases.items():
        node = parse_filter(f"F eq {text}")
        assert isinstance(node, Comparison)
        assert isinstance(node.right, Literal)
        assert (node.right.kind, node.right.value) == (kind, value), text


def field_names(node: object) -> object:
    """A compact shape of the tree: comparisons become their field name."""
    if isinstance(node, Comparison):
        assert isinstance(node.left, FieldRef)
        return node.left.name
    if isinstance(node, BooleanField):
        return node.field.name
    if isinstance(node, Not):
        return ("not", field_names(node.operand))
    if isinstance(node, And):
        return ("and", field_names(node.left), field_names(node.right))
    assert isinstance(node, Or)
    return ("or", field_names(node.left), field_names(node.right))


def test_precedence_or_below_and_below_not() -> None:
    # The WoW documentation's own example: and binds tighter than or.
    node = parse_filter("City eq 'Paris' or Age gt 5 or City eq 'Paris' and Age le 5")
    assert field_names(node) == ("or", ("or", "City", "Age"), ("and", "City", "Age"))
    assert field_names(parse_filter("not A eq 1 and B eq 2")) == ("and", ("not", "A"), "B")
    assert field_names(parse_filter("A eq 1 or not B eq 2 and C eq 3")) == (
        "or",
        "A",
        ("and", ("not", "B"), "C"),
    )


def test_parentheses_override_precedence() -> None:
    node = parse_filter("(A eq 1 or B eq 2) and C eq 3")
    assert field_names(node) == ("and", ("or", "A", "B"), "C")
    assert field_names(parse_filter("not (A eq 1 or B eq 2)")) == ("not", ("or", "A", "B"))
    assert field_names(parse_filter("((A eq 1))")) == "A"


def test_not_nests_and_a_boolean_field_stands_alone() -> None:
    assert field_names(parse_filter("not not Active")) == ("not", ("not", "Active"))
    assert field_names(parse_filter("Active and Age gt 1")) == ("and", "Active", "Age")


def test_literal_on_the_left_is_kept_for_the_compiler() -> None:
    node = parse_filter("5 lt Age")
    assert isinstance(node, Comparison)
    assert node.left == Literal("integer", 5, "5", 0)
    assert node.right == FieldRef("Age", 5)


def test_injection_text_is_one_string_literal() -> None:
    node = parse_filter("Key eq 'x'' or 1=1 --'")
    assert isinstance(node, Comparison)
    assert node.right == Literal("string", "x' or 1=1 --", "'x'' or 1=1 --'", 7)


def test_blank_filter_means_no_filter() -> None:
    assert parse_filter("") is None
    assert parse_filter("   ") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Key eq", "filter \"Key eq\" : expected a value after 'eq' at position 6"),
        ("Key eq 'abc", "unterminated string (a quote inside a string is written '') at position 7"),
        ("(Key eq 'a'", "expected ')' to close the '(' at position 0, found the end at position 11"),
        ("Key eq 'a')", "')' has no matching '(' at position 10"),
        ("Key eq 'a' and", "expected a condition after 'and' at position 14"),
        ("or Key eq 'a'", "expected a condition at the start, found 'or' at position 0"),
        ("Key EQ 'a'", "after 'Key', found 'EQ' (operators are lowercase) at position 4"),
        ("Key 'a'", "expected an operator (eq, ne, gt, ge, lt, le) after 'Key', found ''a'' at position 4"),
        (
            "Key eq 'a' Data1 eq 'b'",
            "expected 'and', 'or' or the end of the filter, found 'Data1' at position 11",
        ),
        ("Age gt 12abc", "malformed number or datetime '12abc' at position 7"),
        ("Expires lt 2024-13-01T00:00:00Z", "'2024-13-01T00:00:00Z' is not a valid datetime at position 11"),
        ("Key eq $x", "unexpected character '$' at position 7"),
        ("'a' eq 'b'", "a comparison needs a field on one side at position 4"),
        ("Key eq and", "expected a value after 'eq', found 'and' at position 7"),
        ("()", "expected a condition after '(', found ')' at position 1"),
        ("not", "expected a condition after 'not' at position 3"),
        ("5", "expected an operator (eq, ne, gt, ge, lt, le) after '5' at position 1"),
    ],
)
def test_malformed_filters_name_the_position(text: str, message: str) -> None:
    with pytest.raises(ODataError) as caught:
        parse_filter(text)
    rendered = str(caught.value)
    assert rendered.startswith(f'filter "{text}" : ')
    assert rendered.endswith(message)
    assert "\n" not in rendered
    assert caught.value.position == int(message.rsplit(" ", 1)[1])


def test_order_by_items_and_directions() -> None:
    assert parse_order_by("LastName") == [OrderItem(FieldRef("LastName", 0), False)]
    assert parse_order_by("LastName asc, Age desc,Title") == [
        OrderItem(FieldRef("LastName", 0), False),
        OrderItem(FieldRef("Age", 14), True),
        OrderItem(FieldRef("Title", 23), False),
    ]
    assert parse_order_by("  ") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Age desc,", "expected a field name after ',' at position 9"),
        ("Age downward", "expected ',', 'asc', 'desc' or the end, found 'downward' at position 4"),
        ("desc", "expected a field name at the start, found 'desc' at position 0"),
        ("'Age'", "expected a field name at the start, found ''Age'' at position 0"),
    ],
)
def test_malformed_order_by_names_the_position(text: str, message: str) -> None:
    with pytest.raises(ODataError) as caught:
        parse_order_by(text)
    assert str(caught.value) == f'order by "{text}" : {message}'
