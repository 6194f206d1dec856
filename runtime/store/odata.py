"""The OData ``$filter`` and ``$orderby`` subset of WoW's ObjectInstanceList, parsed and compiled to SQL.

Filter grammar (lowest precedence first)::

    filter     := or_expr END
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := "(" or_expr ")" | operand [("eq"|"ne"|"gt"|"ge"|"lt"|"le") operand]
    operand    := FIELD | 'text' | 12 | 1.5 | true | false | null | 2024-01-01T00:00:00Z

A lone field is a condition when it is a boolean field. Datetimes are written without quotes, as WoW's
documentation asks; a quoted ISO text compared with a datetime field works too. Positions in messages
count characters from 0.

``order_by := FIELD ["asc"|"desc"] ("," FIELD ["asc"|"desc"])*``.

Compilation is given the type's columns (name, field type, SQL expression with its own bound
parameters); every value becomes a bound parameter and no text from the filter ever reaches the SQL.
Comparisons are two-valued as in OData: ``eq``/``ne`` treat null as a value (``Key ne 'x'`` keeps
instances without a Key), and ``gt``/``ge``/``lt``/``le`` with a null side are false, so ``not`` behaves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from runtime.errors import FlowdeskError
from runtime.store.fields import FieldValueError, canonical_datetime

COMPARISON_OPERATORS: dict[str, str] = {"eq": "=", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_LITERAL_WORDS = {"true": True, "false": False, "null": None}
_LOGICAL_WORDS = frozenset({"and", "or", "not"})
_OPERATOR_LIST = "eq, ne, gt, ge, lt, le"


class ODataError(FlowdeskError):
    """A filter or order-by clause that cannot be used: quotes it and names the position (from 0)."""

    def __init__(self, clause: str, expression: str, message: str, position: int | None = None) -> None:
        where = f" at position {position}" if position is not None else ""
        super().__init__(f'{clause} "{expression}" : {message}{where}')
        self.clause = clause
        self.expression = expression
        self.message = message
        self.position = position


# ---------------------------------------------------------------------------------------------- tokens


class TokenKind(Enum):
    """The kinds of token the OData filter lexer produces."""

    WORD = "word"
    STRING = "string"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATETIME = "datetime"
    OPEN = "("
    CLOSE = ")"
    COMMA = ","
    END = "end"


@dataclass(frozen=True)
class Token:
    """One token of a filter, with its position so errors can point at it."""

    kind: TokenKind
    text: str
    position: int
    value: Any = None

    def shown(self) -> str:
        return "the end" if self.kind is TokenKind.END else f"'{self.text}'"


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?(?![\w.:-])"
)
_NUMBER = re.compile(r"-?\d+(?P<fraction>\.\d+)?(?P<exponent>[eE][+-]?\d+)?")
_NUMBER_TAIL = re.compile(r"[\w.:]|-(?=\d)")
_PUNCTUATION = {"(": TokenKind.OPEN, ")": TokenKind.CLOSE, ",": TokenKind.COMMA}


def tokenize(text: str, clause: str = "filter") -> list[Token]:
    """Splits a clause into tokens with their positions; the list always ends with an END token."""
    tokens: list[Token] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
            continue
        if char in _PUNCTUATION:
            tokens.append(Token(_PUNCTUATION[char], char, index))
            index += 1
        elif char == "'":
            token = _read_string(text, index, clause)
            tokens.append(token)
            index += len(token.text)
        elif char.isdigit() or (char == "-" and text[index + 1 : index + 2].isdigit()):
            token = _read_number_or_datetime(text, index, clause)
            tokens.append(token)
            index += len(token.text)
        elif match := _WORD.match(text, index):
            tokens.append(Token(TokenKind.WORD, match.group(), index))
            index = match.end()
        else:
            raise ODataError(clause, text, f"unexpected character '{char}'", index)
    tokens.append(Token(TokenKind.END, "", len(text)))
    return tokens


def _read_string(text: str, start: int, clause: str) -> Token:
    pieces: list[str] = []
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "'":
            if text[index + 1 : index + 2] == "'":
                pieces.append("'")
                index += 2
                continue
            return Token(TokenKind.STRING, text[start : index + 1], start, "".join(pieces))
        pieces.append(char)
        index += 1
    raise ODataError(clause, text, "unterminated string (a quote inside a string is written '')", start)


def _read_number_or_datetime(text: str, start: int, clause: str) -> Token:
    if stamp := _DATETIME.match(text, start):
        try:
            value = canonical_datetime(stamp.group())
        except FieldValueError:
            raise ODataError(clause, text, f"'{stamp.group()}' is not a valid datetime", start) from None
        return Token(TokenKind.DATETIME, stamp.group(), start, value)
    number = _NUMBER.match(text, start)
    assert number is not None  # the caller saw a digit
    if _NUMBER_TAIL.match(text, number.end()):
        end = number.end()
        while end < len(text) and (text[end].isalnum() or text[end] in "_.:+-"):
            end += 1
        raise ODataError(clause, text, f"malformed number or datetime '{text[start:end]}'", start)
    if number.group("fraction") or number.group("exponent"):
        return Token(TokenKind.DECIMAL, number.group(), start, float(number.group()))
    return Token(TokenKind.INTEGER, number.group(), start, int(number.group()))


# ---------------------------------------------------------------------------------------------- syntax tree


@dataclass(frozen=True)
class FieldRef:
    """A field named in a filter or ``OrderBy``."""

    name: str
    position: int


@dataclass(frozen=True)
class Literal:
    """A constant in a filter, with its text and position for error messages."""

    kind: str  # "string", "integer", "decimal", "boolean", "null" or "datetime"
    value: Any
    text: str
    position: int


Operand = FieldRef | Literal


@dataclass(frozen=True)
class Comparison:
    """``left operator right`` (``eq ne gt ge lt le``), compiled to SQL over the instance's JSON."""

    left: Operand
    operator: str
    right: Operand
    position: int  # of the operator


@dataclass(frozen=True)
class BooleanField:
    """A boolean field used on its own as a condition (``Active and not Archived``)."""

    field: FieldRef


@dataclass(frozen=True)
class Not:
    """``not operand``."""

    operand: FilterNode
    position: int


@dataclass(frozen=True)
class And:
    """``left and right``."""

    left: FilterNode
    right: FilterNode


@dataclass(frozen=True)
class Or:
    """``left or right``."""

    left: FilterNode
    right: FilterNode


FilterNode = Comparison | BooleanField | Not | And | Or


@dataclass(frozen=True)
class OrderItem:
    """One ``OrderBy`` key and its direction."""

    field: FieldRef
    descending: bool = False


# ---------------------------------------------------------------------------------------------- parsing


class _Parser:
    def __init__(self, text: str, clause: str) -> None:
        self.text = text
        self.clause = clause
        self.tokens = tokenize(text, clause)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind is not TokenKind.END:
            self.index += 1
        return token

    def is_word(self, *words: str) -> bool:
        return self.current.kind is TokenKind.WORD and self.current.text in words

    def fail(self, message: str, token: Token | None = None) -> ODataError:
        return ODataError(self.clause, self.text, message, (token or self.current).position)

    # filter ------------------------------------------------------------------------------------------

    def parse_filter(self) -> FilterNode:
        node = self.or_expr(None)
        if self.current.kind is TokenKind.CLOSE:
            raise self.fail("')' has no matching '('")
        if self.current.kind is not TokenKind.END:
            raise self.fail(f"expected 'and', 'or' or the end of the filter, found {self.current.shown()}")
        return node

    def or_expr(self, after: Token | None) -> FilterNode:
        node = self.and_expr(after)
        while self.is_word("or"):
            keyword = self.advance()
            node = Or(node, self.and_expr(keyword))
        return node

    def and_expr(self, after: Token | None) -> FilterNode:
        node = self.not_expr(after)
        while self.is_word("and"):
            keyword = self.advance()
            node = And(node, self.not_expr(keyword))
        return node

    def not_expr(self, after: Token | None) -> FilterNode:
        if self.is_word("not"):
            keyword = self.advance()
            return Not(self.not_expr(keyword), keyword.position)
        return self.comparison(after)

    def comparison(self, after: Token | None) -> FilterNode:
        token = self.current
        if token.kind is TokenKind.OPEN:
            self.advance()
            node = self.or_expr(token)
            if self.current.kind is not TokenKind.CLOSE:
                opened = f"the '(' at position {token.position}"
                raise self.fail(f"expected ')' to close {opened}, found {self.current.shown()}")
            self.advance()
            return node
        if token.kind is TokenKind.END or token.kind is TokenKind.CLOSE or self.is_word("and", "or"):
            lead = f"after '{after.text}'" if after is not None else "at the start"
            found = "" if token.kind is TokenKind.END else f", found {token.shown()}"
            raise self.fail(f"expected a condition {lead}{found}")
        left = self.operand(after)
        if self.is_word(*COMPARISON_OPERATORS):
            operator = self.advance()
            right = self.operand(operator)
            if isinstance(left, Literal) and isinstance(right, Literal):
                raise self.fail("a comparison needs a field on one side", operator)
            return Comparison(left, operator.text, right, operator.position)
        ends_condition = self.current.kind in (TokenKind.END, TokenKind.CLOSE) or self.is_word("and", "or")
        if isinstance(left, FieldRef) and ends_condition:
            return BooleanField(left)
        shown = left.name if isinstance(left, FieldRef) else left.text
        hint = " (operators are lowercase)" if self.current.text.lower() in COMPARISON_OPERATORS else ""
        found = "" if self.current.kind is TokenKind.END else f", found {self.current.shown()}{hint}"
        raise self.fail(f"expected an operator ({_OPERATOR_LIST}) after '{shown}'{found}")

    def operand(self, after: Token | None) -> Operand:
        token = self.current
        lead = f"after '{after.text}'" if after is not None else "at the start"
        if token.kind is TokenKind.WORD:
            if token.text in _LITERAL_WORDS:
                self.advance()
                value = _LITERAL_WORDS[token.text]
                return Literal("null" if value is None else "boolean", value, token.text, token.position)
            if token.text in _LOGICAL_WORDS or token.text in COMPARISON_OPERATORS:
                raise self.fail(f"expected a value {lead}, found {token.shown()}")
            self.advance()
            return FieldRef(token.text, token.position)
        kinds = {
            TokenKind.STRING: "string",
            TokenKind.INTEGER: "integer",
            TokenKind.DECIMAL: "decimal",
            TokenKind.DATETIME: "datetime",
        }
        if token.kind in kinds:
            self.advance()
            return Literal(kinds[token.kind], token.value, token.text, token.position)
        found = "" if token.kind is TokenKind.END else f", found {token.shown()}"
        raise self.fail(f"expected a value {lead}{found}")

    # order by ----------------------------------------------------------------------------------------

    def parse_order_by(self) -> list[OrderItem]:
        items = [self.order_item(None)]
        while self.current.kind is TokenKind.COMMA:
            comma = self.advance()
            items.append(self.order_item(comma))
        if self.current.kind is not TokenKind.END:
            raise self.fail(f"expected ',', 'asc', 'desc' or the end, found {self.current.shown()}")
        return items

    def order_item(self, after: Token | None) -> OrderItem:
        token = self.current
        if token.kind is not TokenKind.WORD or token.text in ("asc", "desc"):
            lead = f"after '{after.text}'" if after is not None else "at the start"
            found = "" if token.kind is TokenKind.END else f", found {token.shown()}"
            raise self.fail(f"expected a field name {lead}{found}")
        self.advance()
        descending = False
        if self.is_word("asc", "desc"):
            descending = self.advance().text == "desc"
        return OrderItem(FieldRef(token.text, token.position), descending)


def parse_filter(text: str) -> FilterNode | None:
    """The syntax tree of a ``$filter``; ``None`` for an empty or blank filter (everything matches)."""
    if not text.strip():
        return None
    return _Parser(text, "filter").parse_filter()


def parse_order_by(text: str) -> list[OrderItem]:
    """The items of an ``$orderby`` clause; empty for a blank clause."""
    if not text.strip():
        return []
    return _Parser(text, "order by").parse_order_by()


# ---------------------------------------------------------------------------------------------- SQL


@dataclass(frozen=True)
class SqlFragment:
    """SQL text with ``?`` placeholders and the values bound to them, in order."""

    sql: str
    params: tuple[Any, ...] = ()

    def __add__(self, other: SqlFragment) -> SqlFragment:
        return SqlFragment(self.sql + other.sql, self.params + other.params)


@dataclass(frozen=True)
class Column:
    """A field as the store exposes it to queries: its type and a safe SQL expression for its value."""

    name: str
    type: str
    expression: SqlFragment


class _Compiler:
    def __init__(self, clause: str, text: str, columns: Mapping[str, Column], type_name: str) -> None:
        self.clause = clause
        self.text = text
        self.columns = columns
        self.type_name = type_name

    def fail(self, message: str, position: int) -> ODataError:
        return ODataError(self.clause, self.text, message, position)

    def column(self, ref: FieldRef) -> Column:
        column = self.columns.get(ref.name)
        if column is not None:
            return column
        near = [name for name in self.columns if name.lower() == ref.name.lower()]
        hint = f'; did you mean "{near[0]}"?' if near else f" (fields: {', '.join(self.columns)})"
        raise self.fail(f'unknown field "{ref.name}" in type {self.type_name}{hint}', ref.position)

    def node(self, node: FilterNode) -> SqlFragment:
        if isinstance(node, Or | And):
            joiner = SqlFragment(" OR " if isinstance(node, Or) else " AND ")
            return SqlFragment("(") + self.node(node.left) + joiner + self.node(node.right) + _CLOSE
        if isinstance(node, Not):
            return SqlFragment("(NOT ") + self.node(node.operand) + _CLOSE
        if isinstance(node, BooleanField):
            column = self.column(node.field)
            if column.type != "boolean":
                raise self.fail(
                    f"expected an operator ({_OPERATOR_LIST}) after '{node.field.name}'",
                    node.field.position + len(node.field.name),
                )
            return SqlFragment("(") + column.expression + SqlFragment(" IS 1)")
        return self.comparison(node)

    def comparison(self, node: Comparison) -> SqlFragment:
        operator = node.operator
        left, right = node.left, node.right
        if isinstance(left, Literal):  # 5 lt Age → Age gt 5
            left, right = right, left
            operator = {"gt": "lt", "lt": "gt", "ge": "le", "le": "ge"}.get(operator, operator)
        assert isinstance(left, FieldRef)
        column = self.column(left)
        if isinstance(right, FieldRef):
            return self.field_to_field(column, operator, self.column(right), node.position)
        if right.kind == "null":
            if operator not in ("eq", "ne"):
                raise self.fail(f"null can only be compared with eq or ne, not '{operator}'", node.position)
            test = " IS NULL)" if operator == "eq" else " IS NOT NULL)"
            return SqlFragment("(") + column.expression + SqlFragment(test)
        expression, value = self.typed_sides(column, operator, right, node.position)
        return _compare(expression, operator, SqlFragment("?", (value,)))

    def typed_sides(
        self, column: Column, operator: str, literal: Literal, position: int
    ) -> tuple[SqlFragment, Any]:
        """The column expression and the bound value, converted so SQLite compares like with like."""
        kind, field_type = literal.kind, column.type
        if field_type == "string" and kind == "string":
            return column.expression, literal.value
        if field_type == "string" and kind == "datetime":  # ISO text in a string field (Settings.Data2)
            return SqlFragment("strftime('%Y-%m-%dT%H:%M:%fZ', ") + column.expression + _CLOSE, literal.value
        if field_type == "number" and kind in ("integer", "decimal"):
            return column.expression, literal.value
        if field_type == "boolean" and kind == "boolean":
            if operator not in ("eq", "ne"):
                raise self.fail(f"booleans can only be compared with eq or ne, not '{operator}'", position)
            return column.expression, int(literal.value)
        if field_type == "datetime" and kind == "datetime":
            return column.expression, literal.value
        if field_type == "datetime" and kind == "string":
            try:
                return column.expression, canonical_datetime(literal.value)
            except FieldValueError:
                raise self.fail(
                    f'field "{column.name}" is a datetime and {literal.text} is not one', literal.position
                ) from None
        if field_type == "json":
            raise self.fail(f'field "{column.name}" holds JSON and can only be compared with null', position)
        article = "an" if field_type[0] in "aeiou" else "a"
        raise self.fail(
            f'field "{column.name}" is {article} {field_type} and cannot be compared with {literal.text}',
            literal.position,
        )

    def field_to_field(self, left: Column, operator: str, right: Column, position: int) -> SqlFragment:
        if left.type != right.type or left.type == "json":
            raise self.fail(
                f'fields "{left.name}" ({left.type}) and "{right.name}" ({right.type}) cannot be compared',
                position,
            )
        if left.type == "boolean" and operator not in ("eq", "ne"):
            raise self.fail(f"booleans can only be compared with eq or ne, not '{operator}'", position)
        return _compare(left.expression, operator, right.expression)


_CLOSE = SqlFragment(")")


def _compare(left: SqlFragment, operator: str, right: SqlFragment) -> SqlFragment:
    """Two-valued: null-safe ``IS``/``IS NOT`` for eq/ne; an ordering with a null side is false, not NULL."""
    if operator == "eq":
        return SqlFragment("(") + left + SqlFragment(" IS ") + right + _CLOSE
    if operator == "ne":
        return SqlFragment("(") + left + SqlFragment(" IS NOT ") + right + _CLOSE
    sql_operator = COMPARISON_OPERATORS[operator]
    return SqlFragment("coalesce(") + left + SqlFragment(f" {sql_operator} ") + right + SqlFragment(", 0)")


def compile_filter(
    text: str | None, columns: Mapping[str, Column], type_name: str = "this type"
) -> SqlFragment | None:
    """A ``$filter`` as a SQL boolean expression over ``columns``; ``None`` when there is no filter."""
    node = parse_filter(text or "")
    if node is None:
        return None
    return _Compiler("filter", text or "", columns, type_name).node(node)


def compile_order_by(
    text: str | None, columns: Mapping[str, Column], type_name: str = "this type"
) -> list[SqlFragment]:
    """One ``expression ASC|DESC`` fragment per ``$orderby`` item (datetimes sort as their ISO text)."""
    compiler = _Compiler("order by", text or "", columns, type_name)
    terms: list[SqlFragment] = []
    for item in parse_order_by(text or ""):
        column = compiler.column(item.field)
        terms.append(column.expression + SqlFragment(" DESC" if item.descending else " ASC"))
    return terms
