"""CQL2 text filters (OGC API - Features Part 3, OGC 21-065) parsed and compiled to PostGIS SQL.

A filter arrives as text from an analyst, so every mistake is reported as a ``CQL2Error`` that
names what was wrong and where (``position`` is the 0-based offset; the message counts from 1).
The compiled SQL only ever contains column expressions taken from the ``Queryable`` mapping and
bind parameters: no literal from the filter is pasted into the SQL text.

Supported: comparisons, LIKE, BETWEEN, IN, IS NULL (each with NOT), AND/OR/NOT, CASEI, the
spatial predicates S_* on WKT or BBOX literals, and T_INTERSECTS, T_DISJOINT, T_EQUALS,
T_BEFORE, T_AFTER on date/timestamp queryables against instants or INTERVAL literals.
In comparisons where a date meets a timestamp, the date stands for midnight UTC; the T_
functions instead treat a date as the whole UTC day.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, TypeAlias

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from app.geo.bbox import BBox, InvalidBBox
from app.i18n.catalogue import DEFAULT_LANGUAGE, translated

QueryableType = Literal["string", "number", "integer", "boolean", "date", "timestamp", "geometry"]

COMPARISON_OPERATORS = ("=", "<>", "<", "<=", ">", ">=")
SPATIAL_FUNCTIONS = {
    "S_INTERSECTS": "ST_Intersects",
    "S_DISJOINT": "ST_Disjoint",
    "S_WITHIN": "ST_Within",
    "S_CONTAINS": "ST_Contains",
    "S_EQUALS": "ST_Equals",
    "S_TOUCHES": "ST_Touches",
    "S_CROSSES": "ST_Crosses",
    "S_OVERLAPS": "ST_Overlaps",
}
TEMPORAL_FUNCTIONS = ("T_INTERSECTS", "T_DISJOINT", "T_EQUALS", "T_BEFORE", "T_AFTER")
# Defined by CQL2 but meaningful only between two intervals, which queryables here are not.
INTERVAL_ONLY_FUNCTIONS = (
    "T_CONTAINS",
    "T_DURING",
    "T_FINISHEDBY",
    "T_FINISHES",
    "T_MEETS",
    "T_METBY",
    "T_OVERLAPPEDBY",
    "T_OVERLAPS",
    "T_STARTEDBY",
    "T_STARTS",
)
WKT_TYPES = (
    "POINT",
    "LINESTRING",
    "POLYGON",
    "MULTIPOINT",
    "MULTILINESTRING",
    "MULTIPOLYGON",
    "GEOMETRYCOLLECTION",
)
# Words that can never be a bare property name; a property called like this needs "quotes".
RESERVED = frozenset(
    {"AND", "OR", "NOT", "LIKE", "ILIKE", "BETWEEN", "IN", "IS", "NULL", "TRUE", "FALSE"}
)
_GROUP = {
    "string": "string",
    "number": "number",
    "integer": "number",
    "boolean": "boolean",
    "date": "temporal",
    "timestamp": "temporal",
    "geometry": "geometry",
}
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?")
_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_IDENT_START = re.compile(r"[A-Za-z_]")
_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.:]*")
MAX_NESTING = 100
_PREFIX_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class CQL2Error(ValueError):
    """A filter that cannot be read or applied, explained for the person who wrote it: the
    problem is a code of the catalogues (app/i18n) with its params, said with the place in
    the filter where it is (``code`` and ``params`` say both)."""

    def __init__(
        self, problem: str, params: dict[str, Any] | None = None, position: int | None = None
    ):
        said: dict[str, Any] = params or {}
        self.position = position
        self.message = translated(problem, said, DEFAULT_LANGUAGE, problem)
        self.code: str = problem
        self.params: dict[str, Any] = said
        if position is not None:
            told = {"code": problem, "params": said}
            self.code, self.params = "cql2.at", {"problem": told, "position": position + 1}
        super().__init__(translated(self.code, self.params, DEFAULT_LANGUAGE, self.message))


def _said(code: str, **params: Any) -> dict[str, Any]:
    """A part of a message (what was expected, what was found), written in the reader's
    language where the message is."""
    return {"code": code, "params": params}


@dataclass(frozen=True)
class Queryable:
    """A property a filter may use: its SQL expression and its CQL2 type."""

    sql: str
    type: QueryableType


# --- The syntax tree. Positions are kept for error messages but never affect equality. ---


@dataclass(frozen=True)
class Property:
    name: str
    pos: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Scalar:
    """A scalar literal: ``kind`` is string, number, boolean, date or timestamp."""

    value: str | int | float | bool | date | datetime
    kind: Literal["string", "number", "boolean", "date", "timestamp"]
    pos: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Geometry:
    """A WKT literal, already parsed and reduced to two dimensions."""

    geometry: BaseGeometry
    pos: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Bbox:
    """``BBOX(minx, miny, maxx, maxy)`` or its six-number 3D form, in the filter's axis order."""

    coords: tuple[float, ...]
    pos: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Interval:
    """``INTERVAL(start, end)``; ``None`` is an open end (``'..'``)."""

    start: date | datetime | None
    end: date | datetime | None
    pos: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class CaseI:
    """``CASEI(x)``: a string compared without regard to case."""

    operand: Operand
    pos: int | None = field(default=None, compare=False, repr=False)


Operand: TypeAlias = Property | Scalar | Geometry | Bbox | Interval | CaseI


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Not:
    item: Expr


@dataclass(frozen=True)
class Comparison:
    op: str
    left: Operand
    right: Operand
    pos: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Like:
    operand: Operand
    pattern: Operand
    negated: bool = False
    pos: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Between:
    operand: Operand
    low: Operand
    high: Operand
    negated: bool = False
    pos: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class In:
    operand: Operand
    items: tuple[Operand, ...]
    negated: bool = False
    pos: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class IsNull:
    operand: Operand
    negated: bool = False
    pos: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Spatial:
    name: str
    left: Operand
    right: Operand
    pos: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Temporal:
    name: str
    left: Operand
    right: Operand
    pos: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class BooleanValue:
    """A boolean literal or a boolean property standing alone as a condition."""

    operand: Scalar | Property


Expr: TypeAlias = (
    And | Or | Not | Comparison | Like | Between | In | IsNull | Spatial | Temporal | BooleanValue
)


# --- Lexer ---


@dataclass(frozen=True)
class _Token:
    kind: Literal["ident", "qident", "string", "number", "op", "(", ")", ",", "eof"]
    value: str
    pos: int
    end: int

    @property
    def word(self) -> str:
        """The keyword this token spells, if it is a bare identifier."""
        return self.value.upper() if self.kind == "ident" else ""

    def describe(self) -> dict[str, Any]:
        if self.kind == "eof":
            return _said("cql2.found.end")
        if self.kind == "string":
            return _said("cql2.found.text", value=self.value)
        if self.kind == "qident":
            return _said("cql2.found.quoted_name", value=self.value)
        return _said("cql2.found.token", value=self.value)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "(),":
            tokens.append(_Token(c, c, i, i + 1))  # type: ignore[arg-type]
            i += 1
        elif c == "'":
            i = _lex_string(text, i, tokens)
        elif c == '"':
            i = _lex_quoted_name(text, i, tokens)
        elif (number := _NUMBER_RE.match(text, i)) and (c.isdigit() or c in "+-."):
            tokens.append(_Token("number", number.group(), i, number.end()))
            i = number.end()
        elif _IDENT_START.match(c):
            ident = _IDENT_RE.match(text, i)
            assert ident is not None
            tokens.append(_Token("ident", ident.group(), i, ident.end()))
            i = ident.end()
        elif c in "<>=!":
            two = text[i : i + 2]
            if two in ("<>", "<=", ">="):
                tokens.append(_Token("op", two, i, i + 2))
                i += 2
            elif two == "!=":
                raise CQL2Error("cql2.not_equal_sign", position=i)
            elif two == "==":
                raise CQL2Error("cql2.double_equal_sign", position=i)
            elif c == "!":
                raise CQL2Error("cql2.exclamation_mark", position=i)
            else:
                tokens.append(_Token("op", c, i, i + 1))
                i += 1
        else:
            raise CQL2Error("cql2.unexpected_character", {"character": c}, i)
    tokens.append(_Token("eof", "", n, n))
    return tokens


def _lex_string(text: str, start: int, tokens: list[_Token]) -> int:
    """A single-quoted string; '' and \\' stand for a quote inside it."""
    chars: list[str] = []
    i = start + 1
    while i < len(text):
        c = text[i]
        if (c == "'" and text[i + 1 : i + 2] == "'") or (c == "\\" and text[i + 1 : i + 2] == "'"):
            chars.append("'")
            i += 2
        elif c == "'":
            tokens.append(_Token("string", "".join(chars), start, i + 1))
            return i + 1
        else:
            chars.append(c)
            i += 1
    raise CQL2Error("cql2.unclosed_text", position=start)


def _lex_quoted_name(text: str, start: int, tokens: list[_Token]) -> int:
    """A double-quoted property name; "" stands for a double quote inside it."""
    chars: list[str] = []
    i = start + 1
    while i < len(text):
        c = text[i]
        if c == '"' and text[i + 1 : i + 2] == '"':
            chars.append('"')
            i += 2
        elif c == '"':
            if not chars:
                raise CQL2Error("cql2.empty_quoted_name", position=start)
            tokens.append(_Token("qident", "".join(chars), start, i + 1))
            return i + 1
        else:
            chars.append(c)
            i += 1
    raise CQL2Error("cql2.unclosed_quoted_name", position=start)


# --- Parser: recursive descent, NOT binds tighter than AND, AND tighter than OR ---


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def peek(self, ahead: int = 1) -> _Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        token = self.tokens[self.i]
        if token.kind != "eof":
            self.i += 1
        return token

    def expect(self, kind: str, what: dict[str, Any]) -> _Token:
        if self.tok.kind != kind:
            raise self.unexpected(what)
        return self.advance()

    def expect_word(self, word: str) -> _Token:
        if self.tok.word != word:
            raise self.unexpected(word)
        return self.advance()

    def unexpected(self, what: str | dict[str, Any]) -> CQL2Error:
        return CQL2Error(
            "cql2.expected", {"what": what, "found": self.tok.describe()}, self.tok.pos
        )

    def parse(self) -> Expr:
        if self.tok.kind == "eof":
            raise CQL2Error("cql2.empty", position=0)
        expr = self.expression()
        if self.tok.kind == ")":
            raise CQL2Error("cql2.unmatched_closing", position=self.tok.pos)
        if self.tok.kind != "eof":
            raise CQL2Error(
                "cql2.after_complete_condition", {"found": self.tok.describe()}, self.tok.pos
            )
        return expr

    def expression(self) -> Expr:
        items = [self.term()]
        while self.tok.word == "OR":
            self.advance()
            items.append(self.term())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def term(self) -> Expr:
        items = [self.factor()]
        while self.tok.word == "AND":
            self.advance()
            items.append(self.factor())
        return items[0] if len(items) == 1 else And(tuple(items))

    def factor(self) -> Expr:
        if self.tok.word == "NOT":
            self.nest()
            self.advance()
            item = self.factor()
            self.depth -= 1
            return Not(item)
        return self.primary()

    def nest(self) -> None:
        """Bounds the nesting of NOT and parentheses, which the parser handles by recursion."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise CQL2Error("cql2.nested_too_deep", {"maximum": MAX_NESTING}, self.tok.pos)

    def primary(self) -> Expr:
        tok = self.tok
        if tok.kind == "(":
            self.nest()
            self.advance()
            expr = self.expression()
            if self.tok.kind != ")":
                raise self.unexpected(_said("cql2.what.close_parenthesis", at=tok.pos + 1))
            self.advance()
            self.depth -= 1
            return expr
        if self.peek().kind == "(" and tok.word in SPATIAL_FUNCTIONS:
            left, right = self.two_arguments()
            return Spatial(tok.word, left, right, tok.pos)
        if self.peek().kind == "(" and tok.word.startswith("T_"):
            if tok.word in INTERVAL_ONLY_FUNCTIONS:
                raise CQL2Error(
                    "cql2.interval_functions",
                    {"function": tok.word, "supported": list(TEMPORAL_FUNCTIONS)},
                    tok.pos,
                )
            if tok.word in TEMPORAL_FUNCTIONS:
                left, right = self.two_arguments()
                return Temporal(tok.word, left, right, tok.pos)
        if tok.kind in ("eof", ")", ",", "op") or tok.word in RESERVED - {"TRUE", "FALSE"}:
            raise self.unexpected(_said("cql2.what.condition"))
        return self.predicate()

    def two_arguments(self) -> tuple[Operand, Operand]:
        name = self.advance()
        self.expect("(", _said("cql2.what.token", token="("))
        left = self.operand()
        self.expect(",", _said("cql2.what.comma_between_arguments", function=name.word))
        right = self.operand()
        self.expect(")", _said("cql2.what.close_after_arguments", function=name.word))
        return left, right

    def predicate(self) -> Expr:
        start = self.tok.pos
        left = self.operand()
        tok = self.tok
        if tok.kind == "op":
            self.advance()
            return Comparison(tok.value, left, self.operand(), tok.pos)
        negated = False
        if tok.word == "NOT" and self.peek().word in ("LIKE", "ILIKE", "BETWEEN", "IN"):
            negated = True
            self.advance()
            tok = self.tok
        if tok.word == "LIKE":
            self.advance()
            return Like(left, self.operand(), negated, tok.pos)
        if tok.word == "ILIKE":
            # Not CQL2, but what GDAL writes for a LIKE that ignores case (the draft's
            # CQL text had it): read as CASEI(a) LIKE CASEI(b).
            self.advance()
            pattern = self.operand()
            return Like(CaseI(left, left.pos), CaseI(pattern, pattern.pos), negated, tok.pos)
        if tok.word == "BETWEEN":
            self.advance()
            low = self.operand()
            self.expect_word("AND")
            return Between(left, low, self.operand(), negated, tok.pos)
        if tok.word == "IN":
            self.advance()
            self.expect("(", _said("cql2.what.in_list_start"))
            items = [self.operand()]
            while self.tok.kind == ",":
                self.advance()
                items.append(self.operand())
            self.expect(")", _said("cql2.what.in_list_next"))
            return In(left, tuple(items), negated, tok.pos)
        if tok.word == "IS":
            self.advance()
            if self.tok.word == "NOT":
                negated = True
                self.advance()
            self.expect_word("NULL")
            return IsNull(left, negated, tok.pos)
        stands_alone = tok.kind in ("eof", ")") or tok.word in ("AND", "OR")
        if stands_alone and (
            isinstance(left, Property) or (isinstance(left, Scalar) and left.kind == "boolean")
        ):
            return BooleanValue(left)
        raise CQL2Error(
            "cql2.expected_comparison",
            {"after": self.text[start : tok.pos].strip(), "found": tok.describe()},
            tok.pos,
        )

    def operand(self) -> Operand:
        tok = self.tok
        if tok.kind == "string":
            self.advance()
            return Scalar(tok.value, "string", tok.pos)
        if tok.kind == "number":
            self.advance()
            return Scalar(_number(tok.value), "number", tok.pos)
        if tok.kind == "qident":
            self.advance()
            return Property(tok.value, tok.pos)
        if tok.kind != "ident":
            raise self.unexpected(_said("cql2.what.property_or_value"))
        word = tok.word
        if word in ("TRUE", "FALSE"):
            self.advance()
            return Scalar(word == "TRUE", "boolean", tok.pos)
        if word in WKT_TYPES and (
            self.peek().kind == "(" or self.peek().word in ("Z", "M", "ZM", "EMPTY")
        ):
            return self.wkt()
        if self.peek().kind == "(":
            return self.function()
        if word in RESERVED:
            raise CQL2Error("cql2.keyword_as_property", {"word": word, "value": tok.value}, tok.pos)
        self.advance()
        return Property(tok.value, tok.pos)

    def function(self) -> Operand:
        tok = self.advance()
        word = tok.word
        self.advance()  # "("
        if word in ("DATE", "TIMESTAMP"):
            arg = self.expect("string", _said(f"cql2.what.quoted_{word.lower()}", function=word))
            self.expect(")", _said("cql2.what.close_function", function=word))
            value = _date(arg) if word == "DATE" else _timestamp(arg)
            return Scalar(value, "date" if word == "DATE" else "timestamp", tok.pos)
        if word == "INTERVAL":
            start = self.interval_bound()
            self.expect(",", _said("cql2.what.interval_comma"))
            end = self.interval_bound()
            self.expect(")", _said("cql2.what.close_function", function="INTERVAL"))
            if start is not None and end is not None and _as_utc(start) > _as_utc(end):
                raise CQL2Error("cql2.interval_reversed", position=tok.pos)
            return Interval(start, end, tok.pos)
        if word == "BBOX":
            coords = [self.bbox_number()]
            while self.tok.kind == ",":
                self.advance()
                coords.append(self.bbox_number())
            self.expect(")", _said("cql2.what.bbox_next"))
            if len(coords) not in (4, 6):
                raise CQL2Error("cql2.bbox_count", {"count": len(coords)}, tok.pos)
            return Bbox(tuple(coords), tok.pos)
        if word == "CASEI":
            inner = self.operand()
            self.expect(")", _said("cql2.what.close_function", function="CASEI"))
            return CaseI(inner, tok.pos)
        if word in SPATIAL_FUNCTIONS or word in TEMPORAL_FUNCTIONS:
            raise CQL2Error("cql2.condition_as_value", {"function": word}, tok.pos)
        raise CQL2Error(
            "cql2.unknown_function",
            {
                "function": tok.value,
                "spatial": list(SPATIAL_FUNCTIONS),
                "temporal": list(TEMPORAL_FUNCTIONS),
            },
            tok.pos,
        )

    def interval_bound(self) -> date | datetime | None:
        tok = self.tok
        if tok.kind == "string":
            self.advance()
            if tok.value == "..":
                return None
            if _DATE_RE.fullmatch(tok.value):
                return _date(tok)
            if _TIMESTAMP_RE.fullmatch(tok.value):
                return _timestamp(tok)
        elif tok.word in ("DATE", "TIMESTAMP") and self.peek().kind == "(":
            value = self.function()
            assert isinstance(value, Scalar)
            return value.value  # type: ignore[return-value]
        raise CQL2Error("cql2.interval_bound", {"found": tok.describe()}, tok.pos)

    def bbox_number(self) -> float:
        tok = self.expect("number", _said("cql2.what.bbox_number"))
        return float(tok.value)

    def wkt(self) -> Geometry:
        """Hands the WKT text, up to its closing parenthesis, to GEOS."""
        first = self.advance()
        if self.tok.word in ("Z", "M", "ZM"):
            self.advance()
        if self.tok.word == "EMPTY":
            last = self.advance()
        else:
            opening = self.expect("(", _said("cql2.what.open_after", word=first.word))
            depth, last = 1, opening
            while depth:
                last = self.advance()
                if last.kind == "eof":
                    raise CQL2Error("cql2.geometry_unclosed", {"word": first.word}, first.pos)
                depth += {"(": 1, ")": -1}.get(last.kind, 0)
        source = self.text[first.pos : last.end]
        try:
            geometry = shapely.from_wkt(source)
        except shapely.errors.GEOSException as error:
            detail = re.sub(r"^\w+Exception: ", "", str(error))
            raise CQL2Error(
                "cql2.invalid_geometry", {"word": first.word, "reason": detail}, first.pos
            ) from None
        # PostGIS may fail on invalid input rather than answer, so it is refused here.
        if not shapely.is_valid(geometry):
            reason = shapely.is_valid_reason(geometry)
            raise CQL2Error(
                "cql2.invalid_geometry", {"word": first.word, "reason": reason}, first.pos
            )
        return Geometry(shapely.force_2d(geometry), first.pos)


def _number(text: str) -> int | float:
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    return float(text)


def _date(tok: _Token) -> date:
    if not _DATE_RE.fullmatch(tok.value):
        raise CQL2Error("cql2.date_form", {"value": tok.value}, tok.pos)
    try:
        return date.fromisoformat(tok.value)
    except ValueError:
        raise CQL2Error("cql2.not_a_calendar_date", {"value": tok.value}, tok.pos) from None


def _timestamp(tok: _Token) -> datetime:
    match = _TIMESTAMP_RE.fullmatch(tok.value)
    if not match:
        raise CQL2Error("cql2.timestamp_form", {"value": tok.value}, tok.pos)
    if match.group(2) is None:
        raise CQL2Error("cql2.timestamp_without_zone", {"value": tok.value}, tok.pos)
    try:
        return datetime.fromisoformat(tok.value.upper()).astimezone(UTC)
    except (ValueError, OverflowError):  # in UTC, 0001-01-01T00:00+01:00 is before year 1
        raise CQL2Error("cql2.not_a_timestamp", {"value": tok.value}, tok.pos) from None


def _as_utc(value: date | datetime) -> datetime:
    """A date as midnight UTC, so that dates and timestamps can be put in order."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(), UTC)


def parse(text: str) -> Expr:
    """The syntax tree of a CQL2 text filter; raises CQL2Error on any syntax error."""
    return _Parser(text).parse()


# --- SQL compiler ---


class _Compiler:
    def __init__(
        self,
        queryables: Mapping[str, Queryable],
        filter_srid: int,
        param_prefix: str,
        swap_axes: bool,
    ):
        if not _PREFIX_RE.fullmatch(param_prefix):
            raise ValueError(f"param_prefix must be an identifier, not {param_prefix!r}")
        if isinstance(filter_srid, bool) or not isinstance(filter_srid, int):
            raise ValueError(f"filter_srid must be an integer, not {filter_srid!r}")
        self.queryables = queryables
        self.srid = filter_srid
        self.prefix = param_prefix
        self.swap_axes = swap_axes
        self.params: dict[str, object] = {}

    def bind(self, value: object) -> str:
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    # Boolean structure

    def expr(self, node: Expr) -> str:
        if isinstance(node, And | Or):
            joiner = " AND " if isinstance(node, And) else " OR "
            return "(" + joiner.join(self.expr(item) for item in node.items) + ")"
        if isinstance(node, Not):
            return f"NOT {self.expr(node.item)}"
        if isinstance(node, Comparison):
            left, right = self.dated((node.left, node.right))
            return self.comparison(Comparison(node.op, left, right, node.pos))
        if isinstance(node, Like):
            self.require(node.operand, "string", "LIKE")
            self.require(node.pattern, "string", "LIKE")
            keyword = "NOT LIKE" if node.negated else "LIKE"
            return f"({self.scalar(node.operand)} {keyword} {self.scalar(node.pattern)})"
        if isinstance(node, Between):
            operand, low_value, high_value = self.dated((node.operand, node.low, node.high))
            node = Between(operand, low_value, high_value, node.negated, node.pos)
            group = self.same_group((node.operand, node.low, node.high), "BETWEEN", node.pos)
            if group not in ("number", "temporal", "string"):
                raise CQL2Error("cql2.between_group", {"group": group}, node.pos)
            ts = self.needs_timestamp((node.operand, node.low, node.high))
            value, low, high = (self.scalar(o, ts) for o in (node.operand, node.low, node.high))
            keyword = "NOT BETWEEN" if node.negated else "BETWEEN"
            return f"({value} {keyword} {low} AND {high})"
        if isinstance(node, In):
            operand, *listed = self.dated((node.operand, *node.items))
            node = In(operand, tuple(listed), node.negated, node.pos)
            operands = (node.operand, *node.items)
            group = self.same_group(operands, "IN", node.pos)
            if group == "geometry":
                raise CQL2Error("cql2.in_geometries", position=node.pos)
            ts = self.needs_timestamp(operands)
            items = ", ".join(self.scalar(item, ts) for item in node.items)
            keyword = "NOT IN" if node.negated else "IN"
            return f"({self.scalar(node.operand, ts)} {keyword} ({items}))"
        if isinstance(node, IsNull):
            value = self.value(node.operand)
            return f"({value} IS {'NOT ' if node.negated else ''}NULL)"
        if isinstance(node, Spatial):
            return self.spatial(node)
        if isinstance(node, Temporal):
            return self.temporal(node)
        if isinstance(node, BooleanValue):
            self.require(node.operand, "boolean", _said("cql2.what.condition_alone"))
            return f"({self.scalar(node.operand)})"
        raise TypeError(f"not a CQL2 expression: {node!r}")

    # Types

    def queryable(self, prop: Property) -> Queryable:
        found = self.queryables.get(prop.name)
        if found is not None:
            return found
        known = sorted(self.queryables)
        close = difflib.get_close_matches(prop.name, known, n=1)
        said = {"name": prop.name, "known": known or ["—"]}
        if close:
            raise CQL2Error("cql2.unknown_property_close", {**said, "close": close[0]}, prop.pos)
        raise CQL2Error("cql2.unknown_property", said, prop.pos)

    def type_of(self, operand: Operand) -> str:
        if isinstance(operand, Property):
            return self.queryable(operand).type
        if isinstance(operand, Scalar):
            return operand.kind
        if isinstance(operand, Geometry | Bbox):
            return "geometry"
        if isinstance(operand, CaseI):
            self.require(operand.operand, "string", "CASEI")
            return "string"
        raise CQL2Error("cql2.interval_outside_temporal", position=operand.pos)

    def require(self, operand: Operand, group: str, where: str | dict[str, Any]) -> None:
        actual = self.type_of(operand)
        if _GROUP[actual] != group:
            raise CQL2Error(
                "cql2.needs",
                {"where": where, "group": group, "operand": _describe(operand), "type": actual},
                operand.pos,
            )

    def same_group(self, operands: tuple[Operand, ...], where: str, pos: int | None) -> str:
        types = [self.type_of(o) for o in operands]
        groups = [_GROUP[t] for t in types]
        for operand, type_, group in zip(operands[1:], types[1:], groups[1:], strict=True):
            if group != groups[0]:
                raise CQL2Error(
                    "cql2.compares",
                    {
                        "where": where,
                        "first": _describe(operands[0]),
                        "first_type": types[0],
                        "operand": _describe(operand),
                        "type": type_,
                    },
                    operand.pos if operand.pos is not None else pos,
                )
        return groups[0]

    def dated(self, operands: tuple[Operand, ...]) -> tuple[Operand, ...]:
        """Text compared with a date or timestamp property read as a date or timestamp:
        GDAL writes its dates as quoted text, '2015-01-01T' or '2015-01-01T10:00:00Z'."""
        temporal = any(
            isinstance(o, Property) and _GROUP[self.type_of(o)] == "temporal" for o in operands
        )
        if not temporal:
            return operands
        return tuple(_as_date_or_time(o) for o in operands)

    def needs_timestamp(self, operands: tuple[Operand, ...]) -> bool:
        """Dates meeting timestamps are compared as timestamps, a date being midnight UTC."""
        types = {self.type_of(o) for o in operands}
        return "timestamp" in types and "date" in types

    # Values

    def scalar(self, operand: Operand, as_timestamp: bool = False) -> str:
        """SQL for a non-geometry value, dates widened to timestamps when asked."""
        if isinstance(operand, Property):
            queryable = self.queryable(operand)
            if as_timestamp and queryable.type == "date":
                return f"(CAST({queryable.sql} AS timestamp) AT TIME ZONE 'UTC')"
            return queryable.sql
        if isinstance(operand, CaseI):
            return f"lower({self.scalar(operand.operand)})"
        if isinstance(operand, Scalar):
            return self.literal(operand.value, as_timestamp)
        raise CQL2Error("cql2.not_here", {"operand": _describe(operand)}, operand.pos)

    def literal(self, value: object, as_timestamp: bool = False) -> str:
        if isinstance(value, bool):
            return f"CAST({self.bind(value)} AS boolean)"
        if isinstance(value, int | float):
            return self.bind(value)
        if isinstance(value, str):
            return f"CAST({self.bind(value)} AS text)"
        if isinstance(value, datetime) or (isinstance(value, date) and as_timestamp):
            return f"CAST({self.bind(_as_utc(value))} AS timestamptz)"
        if isinstance(value, date):
            return f"CAST({self.bind(value)} AS date)"
        raise TypeError(f"not a CQL2 literal: {value!r}")

    def value(self, operand: Operand) -> str:
        if isinstance(operand, Geometry | Bbox):
            return self.geometry(operand)
        if isinstance(operand, Property) and self.queryable(operand).type == "geometry":
            return self.queryable(operand).sql
        return self.scalar(operand)

    def comparison(self, node: Comparison) -> str:
        group = self.same_group((node.left, node.right), node.op, node.pos)
        if group == "geometry":
            raise CQL2Error("cql2.compare_geometries", {"operator": node.op}, node.pos)
        if group == "boolean" and node.op not in ("=", "<>"):
            raise CQL2Error("cql2.compare_booleans", {"operator": node.op}, node.pos)
        ts = self.needs_timestamp((node.left, node.right))
        return f"({self.scalar(node.left, ts)} {node.op} {self.scalar(node.right, ts)})"

    # Geometry

    def spatial(self, node: Spatial) -> str:
        for operand in (node.left, node.right):
            if self.type_of(operand) != "geometry":
                raise CQL2Error(
                    "cql2.needs_geometries",
                    {
                        "function": node.name,
                        "operand": _describe(operand),
                        "type": self.type_of(operand),
                    },
                    operand.pos,
                )
        function = SPATIAL_FUNCTIONS[node.name]
        return f"{function}({self.value(node.left)}, {self.value(node.right)})"

    def geometry(self, operand: Geometry | Bbox) -> str:
        geometry = (
            self.bbox(operand) if isinstance(operand, Bbox) else self.swapped(operand.geometry)
        )
        self.check_in_domain(geometry, operand.pos)
        wkt = shapely.to_wkt(geometry, rounding_precision=-1, output_dimension=2)
        sql = f"ST_GeomFromText({self.bind(wkt)}, {self.srid})"
        return sql if self.srid == 4326 else f"ST_Transform({sql}, 4326)"

    def check_in_domain(self, geometry: BaseGeometry, pos: int | None) -> None:
        """Coordinates must be finite, and reach lon/lat from the filter's CRS."""
        coords = shapely.get_coordinates(geometry)
        if self.srid != 4326 and np.isfinite(coords).all():
            to_lon_lat = Transformer.from_crs(self.srid, 4326, always_xy=True)
            coords = np.column_stack(to_lon_lat.transform(coords[:, 0], coords[:, 1]))
        if not np.isfinite(coords).all():
            raise CQL2Error("cql2.outside_crs", {"srid": self.srid}, pos)

    def swapped(self, geometry: BaseGeometry) -> BaseGeometry:
        if not self.swap_axes:
            return geometry
        return shapely.transform(geometry, lambda coords: coords[:, ::-1])

    def bbox(self, operand: Bbox) -> BaseGeometry:
        """The BBOX as a geometry in the filter's CRS (across the antimeridian: two boxes,
        in lon/lat only)."""
        try:
            corners = BBox.of(operand.coords)
            if self.swap_axes:
                corners = corners.swapped()
            return corners.geometry(geographic=self.srid == 4326)
        except InvalidBBox as error:
            raise CQL2Error("cql2.in_bbox", {"problem": error.as_message()}, operand.pos) from None

    # Time

    def temporal(self, node: Temporal) -> str:
        """Instant and interval predicates at the granularity of the instant being tested.

        On a date property a timestamp counts as its UTC day; on a timestamp property a date
        counts as the whole UTC day, so an interval ending on a date includes that day.
        """
        name, left, right = node.name, node.left, node.right
        flipped = {"T_BEFORE": "T_AFTER", "T_AFTER": "T_BEFORE"}
        if isinstance(left, Interval) or (
            not isinstance(left, Property) and isinstance(right, Property)
        ):
            name, left, right = flipped.get(name, name), right, left
        if isinstance(left, Interval):
            raise CQL2Error("cql2.needs_instant", {"function": name}, node.pos)
        for operand in (left, right):
            if not isinstance(operand, Interval) and _GROUP[self.type_of(operand)] != "temporal":
                raise CQL2Error(
                    "cql2.needs_dates",
                    {
                        "function": node.name,
                        "operand": _describe(operand),
                        "type": self.type_of(operand),
                    },
                    operand.pos,
                )
        if not isinstance(right, Interval | Scalar):
            ts = self.needs_timestamp((left, right))
            op = {"T_BEFORE": "<", "T_AFTER": ">", "T_DISJOINT": "<>"}.get(name, "=")
            return f"({self.scalar(left, ts)} {op} {self.scalar(right, ts)})"
        if isinstance(right, Interval):
            if name == "T_EQUALS":
                raise CQL2Error("cql2.equals_interval", position=node.pos)
            start, end = right.start, right.end
        else:
            start = end = right.value  # type: ignore[assignment]
        value = self.scalar(left)
        upper_op = "<="
        if self.type_of(left) == "date":
            start, end = _utc_date(start), _utc_date(end)
        else:
            start = None if start is None else _as_utc(start)
            if end is not None and not isinstance(end, datetime):
                end, upper_op = _as_utc(end + timedelta(days=1)), "<"
        if name == "T_BEFORE":
            return "FALSE" if start is None else f"({value} < {self.literal(start)})"
        if name == "T_AFTER":
            if end is None:
                return "FALSE"
            return f"({value} {'>' if upper_op == '<=' else '>='} {self.literal(end)})"
        if start is None and end is None:
            return f"({value} IS NOT NULL)" if name != "T_DISJOINT" else "FALSE"
        conditions = []
        if start is not None:
            conditions.append(f"{value} >= {self.literal(start)}")
        if end is not None:
            conditions.append(f"{value} {upper_op} {self.literal(end)}")
        inside = " AND ".join(conditions)
        return f"NOT ({inside})" if name == "T_DISJOINT" else f"({inside})"


_TEXT_INSTANT = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[Tt ](?:(\d{2})(?::(\d{2})(?::(\d{2}(?:\.\d+)?))?)?)?)?"
    r"([Zz]|[+-]\d{2}:\d{2})?"
)


def _as_date_or_time(operand: Operand) -> Operand:
    """A text literal that writes a date (also with GDAL's trailing T) as a date, one that
    writes a time as a timestamp (UTC unless it names a zone); anything else as it is."""
    if not (isinstance(operand, Scalar) and operand.kind == "string"):
        return operand
    found = _TEXT_INSTANT.fullmatch(str(operand.value).strip())
    if found is None:
        return operand
    day, hour, minute, second, zone = found.groups()
    try:
        if hour is None:
            return Scalar(date.fromisoformat(day), "date", operand.pos)
        written = f"{day}T{hour}:{minute or '00'}:{second or '00'}{zone or '+00:00'}"
        value = datetime.fromisoformat(written.replace("Z", "+00:00").replace("z", "+00:00"))
        value = value.astimezone(UTC)
    except (ValueError, OverflowError):
        return operand
    return Scalar(value, "timestamp", operand.pos)


def _utc_date(value: date | datetime | None) -> date | None:
    """The UTC day of an instant."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    return value


def _describe(operand: Operand) -> dict[str, Any]:
    if isinstance(operand, Property):
        return _said("cql2.operand.property", name=operand.name)
    if isinstance(operand, Scalar):
        if operand.kind == "string":
            return _said("cql2.operand.text", value=operand.value)
        return _said("cql2.operand.value", value=str(operand.value))
    if isinstance(operand, CaseI):
        return _said("cql2.operand.casei", operand=_describe(operand.operand))
    if isinstance(operand, Bbox):
        return _said("cql2.operand.bbox")
    if isinstance(operand, Interval):
        return _said("cql2.operand.interval")
    return _said("cql2.operand.geometry", type=operand.geometry.geom_type.upper())


def to_sql(
    expr: Expr,
    queryables: Mapping[str, Queryable],
    *,
    filter_srid: int = 4326,
    param_prefix: str = "cql",
    swap_axes: bool = False,
) -> tuple[str, dict[str, object]]:
    """SQL boolean fragment with SQLAlchemy text() bind params (":cql0", ...) and their values.

    Literal geometries are in ``filter_srid`` (x/y swapped first when ``swap_axes``) and are
    transformed to the columns' SRID 4326.
    """
    compiler = _Compiler(queryables, filter_srid, param_prefix, swap_axes)
    return compiler.expr(expr), compiler.params


def compile_filter(
    text: str,
    queryables: Mapping[str, Queryable],
    *,
    filter_srid: int = 4326,
    param_prefix: str = "cql",
    swap_axes: bool = False,
) -> tuple[str, dict[str, object]]:
    """``parse`` then ``to_sql``: a CQL2 text filter as an SQL condition and its parameters."""
    if "\x00" in text:
        raise CQL2Error("cql2.nul_character", position=text.index("\x00"))
    try:
        expression = parse(text)
    except RecursionError:  # nesting beyond what the checked kinds of brackets count
        raise CQL2Error("cql2.nested_too_deeply", position=0) from None
    return to_sql(
        expression,
        queryables,
        filter_srid=filter_srid,
        param_prefix=param_prefix,
        swap_axes=swap_axes,
    )
