"""CQL2 text filters: parsing, precedence, errors an analyst can act on, and SQL run on PostGIS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box
from sqlalchemy import Connection, text

from app.ogc.cql2 import (
    And,
    Bbox,
    Between,
    BooleanValue,
    CaseI,
    Comparison,
    CQL2Error,
    Geometry,
    In,
    Interval,
    IsNull,
    Like,
    Not,
    Or,
    Property,
    Queryable,
    Scalar,
    Spatial,
    Temporal,
    compile_filter,
    parse,
    to_sql,
)

QUERYABLES = {
    "name": Queryable("t.name", "string"),
    "area": Queryable("t.area", "number"),
    "d": Queryable("t.d", "date"),
    "ts": Queryable("t.ts", "timestamp"),
    "ok": Queryable("t.ok", "boolean"),
    "geom": Queryable("t.geom", "geometry"),
}


def cmp(op: str, name: str, value: object, kind: str = "number") -> Comparison:
    return Comparison(op, Property(name), Scalar(value, kind))  # type: ignore[arg-type]


# --- Parsing ---


def test_not_binds_tighter_than_and_and_and_tighter_than_or() -> None:
    assert parse("a = 1 OR b = 2 AND NOT c = 3") == Or(
        (cmp("=", "a", 1), And((cmp("=", "b", 2), Not(cmp("=", "c", 3)))))
    )


def test_parentheses_override_precedence() -> None:
    assert parse("(a = 1 OR b = 2) AND NOT (c = 3 OR d = 4)") == And(
        (
            Or((cmp("=", "a", 1), cmp("=", "b", 2))),
            Not(Or((cmp("=", "c", 3), cmp("=", "d", 4)))),
        )
    )


def test_chains_of_the_same_operator_are_flat() -> None:
    assert parse("a = 1 AND b = 2 AND c = 3") == And(
        (cmp("=", "a", 1), cmp("=", "b", 2), cmp("=", "c", 3))
    )
    assert parse("NOT NOT a = 1") == Not(Not(cmp("=", "a", 1)))


def test_keywords_are_case_insensitive() -> None:
    upper = parse("a LIKE 'x%' AND NOT b NOT BETWEEN 1 AND 2 OR c IS NOT NULL AND d IN (1)")
    lower = parse("a like 'x%' and not b not between 1 and 2 or c is not null and d in (1)")
    assert upper == lower


@pytest.mark.parametrize("op", ["=", "<>", "<", "<=", ">", ">="])
def test_comparison_operators(op: str) -> None:
    assert parse(f"area{op}3") == cmp(op, "area", 3)
    assert parse(f"3 {op} area") == Comparison(op, Scalar(3, "number"), Property("area"))


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("42", 42),
        ("-7", -7),
        ("+7", 7),
        ("3.25", 3.25),
        ("-0.5", -0.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("-2.5E-2", -0.025),
    ],
)
def test_number_literals(literal: str, value: float) -> None:
    expr = parse(f"area = {literal}")
    assert isinstance(expr, Comparison) and isinstance(expr.right, Scalar)
    assert expr.right.value == value
    assert type(expr.right.value) is type(value)


def test_string_literals_escape_quotes_by_doubling() -> None:
    assert parse("name = 'O''Brien''s'") == cmp("=", "name", "O'Brien's", "string")
    assert parse("name = ''") == cmp("=", "name", "", "string")
    assert parse("name = 'a \"quoted\" word'") == cmp("=", "name", 'a "quoted" word', "string")


def test_boolean_date_and_timestamp_literals() -> None:
    assert parse("ok = TRUE") == cmp("=", "ok", True, "boolean")
    assert parse("ok <> false") == cmp("<>", "ok", False, "boolean")
    assert parse("d = DATE('2020-01-31')") == cmp("=", "d", date(2020, 1, 31), "date")
    expr = parse("ts > timestamp('2020-01-31T10:00:00Z')")
    assert expr == cmp(">", "ts", datetime(2020, 1, 31, 10, tzinfo=UTC), "timestamp")
    offset = parse("ts > TIMESTAMP('2020-01-31T12:30:00.5+02:00')")
    assert isinstance(offset, Comparison) and isinstance(offset.right, Scalar)
    assert offset.right.value == datetime(2020, 1, 31, 10, 30, 0, 500000, tzinfo=UTC)


def test_property_names_bare_and_quoted() -> None:
    assert parse("ns:hazard.status = 'open'") == cmp("=", "ns:hazard.status", "open", "string")
    assert parse("\"land use\" = 'farm'") == cmp("=", "land use", "farm", "string")
    assert parse('"say ""hi""" = 1') == cmp("=", 'say "hi"', 1)
    assert parse('"AND" = 1') == cmp("=", "AND", 1)
    # Function names are only functions when followed by a parenthesis.
    assert parse("date = 1") == cmp("=", "date", 1)


def test_like_between_in_and_null() -> None:
    assert parse("name LIKE 'a_c%'") == Like(Property("name"), Scalar("a_c%", "string"))
    assert parse("name NOT LIKE 'x'") == Like(Property("name"), Scalar("x", "string"), True)
    assert parse("area BETWEEN 1 AND 2.5") == Between(
        Property("area"), Scalar(1, "number"), Scalar(2.5, "number")
    )
    assert parse("area NOT BETWEEN 1 AND 2") == Between(
        Property("area"), Scalar(1, "number"), Scalar(2, "number"), True
    )
    assert parse("name IN ('a', 'b')") == In(
        Property("name"), (Scalar("a", "string"), Scalar("b", "string"))
    )
    assert parse("area NOT IN (1)") == In(Property("area"), (Scalar(1, "number"),), True)
    assert parse("area IS NULL") == IsNull(Property("area"))
    assert parse("area IS NOT NULL") == IsNull(Property("area"), True)
    assert parse("CASEI(name) = casei('X')") == Comparison(
        "=", CaseI(Property("name")), CaseI(Scalar("X", "string"))
    )


def test_boolean_values_stand_alone() -> None:
    assert parse("ok") == BooleanValue(Property("ok"))
    assert parse("TRUE AND NOT ok") == And(
        (BooleanValue(Scalar(True, "boolean")), Not(BooleanValue(Property("ok"))))
    )


def test_spatial_predicates_with_wkt_and_bbox() -> None:
    expr = parse("S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1, 0 0)))")
    assert expr == Spatial(
        "S_INTERSECTS", Property("geom"), Geometry(Polygon([(0, 0), (1, 0), (1, 1)]))
    )
    assert parse("s_within(geom, bbox(-1, -2.5, 3, 4))") == Spatial(
        "S_WITHIN", Property("geom"), Bbox((-1.0, -2.5, 3.0, 4.0))
    )
    three_d = parse("S_CONTAINS(POINT Z (1 2 3), geom)")
    assert three_d == Spatial("S_CONTAINS", Geometry(Point(1, 2)), Property("geom"))
    for wkt in (
        "POINT(1 2)",
        "point (1 2)",
        "LINESTRING(0 0, 1 1)",
        "MULTIPOINT((0 0), (1 1))",
        "MULTIPOINT(0 0, 1 1)",
        "MULTILINESTRING((0 0, 1 1), (2 2, 3 3))",
        "MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))",
        "GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1))",
        "POLYGON Z ((0 0 1, 1 0 1, 1 1 1, 0 0 1))",
        "POINT EMPTY",
    ):
        for name in ("S_INTERSECTS", "S_DISJOINT", "S_EQUALS", "S_TOUCHES"):
            parsed = parse(f"{name}(geom, {wkt})")
            assert isinstance(parsed, Spatial) and isinstance(parsed.right, Geometry)
            assert parsed.right.geometry.equals_exact(
                shapely.force_2d(shapely.from_wkt(wkt)), 0
            ) or (parsed.right.geometry.is_empty and "EMPTY" in wkt)
            assert not shapely.has_z(parsed.right.geometry)


def test_temporal_predicates() -> None:
    assert parse("T_BEFORE(d, DATE('2020-01-01'))") == Temporal(
        "T_BEFORE", Property("d"), Scalar(date(2020, 1, 1), "date")
    )
    assert parse("t_intersects(ts, INTERVAL('2020-01-01', '..'))") == Temporal(
        "T_INTERSECTS", Property("ts"), Interval(date(2020, 1, 1), None)
    )
    assert parse("T_AFTER(ts, INTERVAL('..', '2020-01-01T10:00:00Z'))") == Temporal(
        "T_AFTER", Property("ts"), Interval(None, datetime(2020, 1, 1, 10, tzinfo=UTC))
    )


@pytest.mark.parametrize(
    ("filter_text", "fragment", "position"),
    [
        ("", "the filter is empty", 0),
        ("   ", "the filter is empty", 0),
        ("(area = 1", "expected ')' to close the '(' at character 1", 9),
        ("((area = 1)", "expected ')' to close the '(' at character 1", 11),
        ("area = 1)", "this ')' has no matching '('", 8),
        ("area = 1 name = 'x'", "unexpected 'name' after a complete condition", 9),
        ("area = 1 AND", "expected a condition but found the end of the filter", 12),
        ("AND area = 1", "expected a condition but found 'AND'", 0),
        ("area = ", "expected a property or a value", 7),
        ("area", None, None),
        ("area 3", "expected a comparison", 5),
        ("area != 3", "write <> for 'not equal to'", 5),
        ("area == 3", "write a single =", 5),
        ("area = 3;", "unexpected character ';'", 8),
        ("name = 'abc", "no closing single quote", 7),
        ('"name = 1', "no closing double quote", 0),
        ("area BETWEEN 1 OR 2", "expected AND but found 'OR'", 15),
        ("area IN ()", "expected a property or a value but found ')'", 9),
        ("area IN (1, 2", "expected ',' or ')' in the list after IN", 13),
        ("area IS 3", "expected NULL", 8),
        ("name = NULL", "found the keyword NULL", 7),
        ("d = DATE('2020-02-30')", "not a calendar date", 9),
        ("d = DATE('31/01/2020')", "a date is written YYYY-MM-DD", 9),
        ("ts = TIMESTAMP('2020-01-01T10:00:00')", "has no time zone", 15),
        ("ts = TIMESTAMP('2020-01-01')", "a timestamp is written", 15),
        ("S_INTERSECTS(geom, POINT(1))", "invalid POINT geometry", 19),
        ("S_INTERSECTS(geom, POLYGON((0 0, 1 0)))", "invalid POLYGON geometry", 19),
        ("S_INTERSECTS(geom, POLYGON((0 0, 1 1, 1 0, 0 1, 0 0)))", "Self-intersection", 19),
        ("S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1, 0 0))", "expected ')' after the two", 48),
        ("S_INTERSECTS(geom, LINESTRING(0 0, 1 1)", "expected ')' after the two", 39),
        ("S_INTERSECTS(geom, POINT(1 2) AND area = 1", "expected ')' after the two", 30),
        ("S_WITHIN(geom)", "expected ',' between the two arguments of S_WITHIN", 13),
        ("S_WITHIN(geom, BBOX(1, 2, 3))", "BBOX takes 4 numbers", 15),
        ("S_WITHIN(geom, BBOX(1, 2, 'x', 4))", "a number in BBOX", 26),
        ("A_CONTAINS(tags, ('a'))", "unknown function A_CONTAINS", 0),
        ("T_DURING(ts, INTERVAL('2020-01-01', '2021-01-01'))", "compares two intervals", 0),
        ("T_AFTER(ts, INTERVAL('2021-01-01', '2020-01-01'))", "ends before it starts", 12),
        ("T_AFTER(ts, INTERVAL('yesterday', '..'))", "an interval bound is a date", 21),
        ("name = S_INTERSECTS(geom, POINT(1 2))", "is a condition, not a value", 7),
    ],
)
def test_syntax_errors_say_what_and_where(
    filter_text: str, fragment: str | None, position: int | None
) -> None:
    if fragment is None:
        # A bare property is a boolean condition: only the compiler can refuse it.
        with pytest.raises(CQL2Error, match="needs a boolean but the property 'area' is a number"):
            compile_filter(filter_text, QUERYABLES)
        return
    with pytest.raises(CQL2Error) as raised:
        parse(filter_text)
    assert fragment in raised.value.message
    assert raised.value.position == position
    assert str(raised.value).endswith(f"(at character {position + 1})")


# --- Compiling ---


def test_compiles_to_bound_parameters_only() -> None:
    sql, params = compile_filter(
        "name = 'x''; DROP TABLE t; --' AND area IN (1, 2.5) OR d > DATE('2020-01-01')",
        QUERYABLES,
    )
    assert sql == (
        "(((t.name = CAST(:cql0 AS text)) AND (t.area IN (:cql1, :cql2))) "
        "OR (t.d > CAST(:cql3 AS date)))"
    )
    assert params == {
        "cql0": "x'; DROP TABLE t; --",
        "cql1": 1,
        "cql2": 2.5,
        "cql3": date(2020, 1, 1),
    }


def test_value_types_of_parameters() -> None:
    _, params = compile_filter(
        "ok = TRUE AND ts < TIMESTAMP('2020-01-01T00:00:00Z') AND area > 2", QUERYABLES
    )
    assert params == {"cql0": True, "cql1": datetime(2020, 1, 1, tzinfo=UTC), "cql2": 2}
    assert params["cql1"].tzinfo is not None  # type: ignore[attr-defined]


def test_parameter_prefix() -> None:
    sql, params = to_sql(parse("area = 1 OR area = 2"), QUERYABLES, param_prefix="f_")
    assert sql == "((t.area = :f_0) OR (t.area = :f_1))"
    assert params == {"f_0": 1, "f_1": 2}
    with pytest.raises(ValueError, match="param_prefix"):
        to_sql(parse("area = 1"), QUERYABLES, param_prefix="x; --")


def test_spatial_sql_and_transform() -> None:
    sql, params = compile_filter("S_INTERSECTS(geom, POINT(1 2))", QUERYABLES)
    assert sql == "ST_Intersects(t.geom, ST_GeomFromText(:cql0, 4326))"
    assert params == {"cql0": "POINT (1 2)"}
    sql, _ = compile_filter("S_CONTAINS(geom, POINT(1 2))", QUERYABLES, filter_srid=3857)
    assert sql == "ST_Contains(t.geom, ST_Transform(ST_GeomFromText(:cql0, 3857), 4326))"
    names = ("S_DISJOINT", "S_WITHIN", "S_EQUALS", "S_TOUCHES", "S_CROSSES", "S_OVERLAPS")
    for name in names:
        sql, _ = compile_filter(f"{name}(geom, POINT(1 2))", QUERYABLES)
        assert sql.startswith("ST_" + name[2:].capitalize() + "(t.geom, ")


def test_literal_coordinates_keep_full_precision() -> None:
    _, params = compile_filter("S_INTERSECTS(geom, POINT(12.123456789012 -0.1))", QUERYABLES)
    assert params["cql0"] == "POINT (12.123456789012 -0.1)"


def test_swap_axes_swaps_literal_geometries() -> None:
    _, params = compile_filter(
        "S_INTERSECTS(geom, LINESTRING(10 20, 30 40))", QUERYABLES, swap_axes=True
    )
    assert params["cql0"] == "LINESTRING (20 10, 40 30)"
    _, params = compile_filter(
        "S_INTERSECTS(geom, BBOX(10, 20, 30, 40))", QUERYABLES, swap_axes=True
    )
    assert shapely.from_wkt(params["cql0"]).equals(box(20, 10, 40, 30))  # type: ignore[arg-type]


def test_bbox_across_the_antimeridian_is_split() -> None:
    _, params = compile_filter("S_INTERSECTS(geom, BBOX(170, -10, -170, 10))", QUERYABLES)
    geometry = shapely.from_wkt(params["cql0"])  # type: ignore[arg-type]
    assert geometry.equals(box(170, -10, 180, 10).union(box(-180, -10, -170, 10)))
    with pytest.raises(CQL2Error, match="right of the upper corner"):
        compile_filter("S_INTERSECTS(geom, BBOX(10, 0, 5, 1))", QUERYABLES, filter_srid=3857)
    with pytest.raises(CQL2Error, match="above the upper corner"):
        compile_filter("S_INTERSECTS(geom, BBOX(0, 10, 1, 5))", QUERYABLES)


@pytest.mark.parametrize(
    ("filter_text", "fragment", "position"),
    [
        ("nmae = 'x'", "unknown property 'nmae'. Did you mean 'name'?", 0),
        ("S_WITHIN(shape, POINT(1 2))", "unknown property 'shape'", 9),
        ("area = 'x'", "compares the property 'area', a number, with the text 'x', a string", 7),
        ("'x' < area", "compares the text 'x', a string, with the property 'area', a number", 6),
        ("d = 3", "a date, with the value 3, a number", 4),
        ("name = TRUE", "a string, with the value True, a boolean", 7),
        ("area LIKE '1%'", "LIKE needs a string but the property 'area' is a number", 0),
        ("name LIKE 3", "LIKE needs a string but the value 3 is a number", 10),
        ("CASEI(area) = 'x'", "CASEI needs a string", 6),
        ("area BETWEEN 1 AND 'x'", "BETWEEN compares the property 'area'", 19),
        ("ok BETWEEN TRUE AND FALSE", "BETWEEN cannot be used with boolean values", 3),
        ("name IN ('a', 2)", "IN compares the property 'name', a string, with the value 2", 14),
        ("ok > FALSE", "cannot be compared with >", 3),
        ("geom = POINT(1 2)", "use S_EQUALS", 5),
        (
            "S_INTERSECTS(name, POINT(1 2))",
            "needs geometries but the property 'name' is a string",
            13,
        ),
        ("S_INTERSECTS(geom, area)", "the property 'area' is a number", 19),
        ("T_BEFORE(name, DATE('2020-01-01'))", "needs dates or timestamps", 9),
        ("T_EQUALS(d, INTERVAL('2020-01-01', '..'))", "never true", 0),
        ("area = INTERVAL('2020-01-01', '..')", "INTERVAL can only be used in T_", 7),
        ("area", "needs a boolean", 0),
    ],
)
def test_type_errors_say_what_and_where(filter_text: str, fragment: str, position: int) -> None:
    with pytest.raises(CQL2Error) as raised:
        compile_filter(filter_text, QUERYABLES)
    assert fragment in raised.value.message
    assert raised.value.position == position


def test_deep_nesting_is_refused_politely() -> None:
    assert parse("(" * 100 + "area = 1" + ")" * 100) == cmp("=", "area", 1)
    with pytest.raises(CQL2Error, match="nests NOT or parentheses over 100 deep"):
        parse("(" * 101 + "area = 1" + ")" * 101)
    with pytest.raises(CQL2Error, match="nests"):
        parse("NOT " * 5000 + "area = 1")


def test_unknown_property_lists_the_known_ones() -> None:
    with pytest.raises(CQL2Error) as raised:
        compile_filter("colour = 'red'", QUERYABLES)
    assert "area, d, geom, name, ok, ts" in str(raised.value)


# --- Executed on PostGIS ---

ROWS = [
    (
        1,
        "Alpha field",
        12.5,
        date(2020, 1, 15),
        datetime(2020, 1, 15, 8, tzinfo=UTC),
        True,
        box(0, 0, 2, 2),
    ),
    (
        2,
        "alpha road",
        150.0,
        date(2021, 6, 30),
        datetime(2021, 6, 30, 23, 30, tzinfo=UTC),
        False,
        LineString([(1, 1), (5, 5)]),
    ),
    (
        3,
        "Bravo",
        99.9,
        date(2019, 12, 31),
        datetime(2019, 12, 31, 23, 59, 59, tzinfo=UTC),
        True,
        Point(3, 3),
    ),
    (4, "O'Brien's plot", None, None, None, None, box(10, 10, 12, 12)),
    (
        5,
        "Charlie_1",
        0.0,
        date(2021, 1, 1),
        datetime(2021, 1, 1, tzinfo=UTC),
        False,
        Point(179.5, 0.5),
    ),
    (6, "CharlieX1", -5.0, date(2022, 3, 1), datetime(2022, 3, 1, 12, tzinfo=UTC), True, None),
    (7, None, 7.0, date(2020, 6, 1), datetime(2020, 6, 1, tzinfo=UTC), None, Point(0.5, 0.5)),
]
ID, NAME, AREA, D, TS, OK, GEOM = range(7)
Row = tuple


def spatial(predicate: str, other: object) -> Callable[[Row], bool]:
    return lambda r: r[GEOM] is not None and getattr(r[GEOM], predicate)(other)


QUERY_POLYGON = box(0.25, 0.25, 3.5, 3.5)
TO_3857 = Transformer.from_crs(4326, 3857, always_xy=True)
DAY_2021_06_30 = (datetime(2021, 6, 30, tzinfo=UTC), datetime(2021, 7, 1, tzinfo=UTC))
CASES: list[tuple[str, Callable[[Row], bool]]] = [
    ("name = 'Bravo'", lambda r: r[NAME] == "Bravo"),
    ("name <> 'Bravo'", lambda r: r[NAME] is not None and r[NAME] != "Bravo"),
    ("name = 'O''Brien''s plot'", lambda r: r[NAME] == "O'Brien's plot"),
    ("area < 12.5", lambda r: r[AREA] is not None and r[AREA] < 12.5),
    ("area <= 12.5", lambda r: r[AREA] is not None and r[AREA] <= 12.5),
    ("area > 0", lambda r: r[AREA] is not None and r[AREA] > 0),
    ("-5 >= area", lambda r: r[AREA] is not None and r[AREA] <= -5),
    ("name LIKE 'alpha%'", lambda r: r[NAME] is not None and r[NAME].startswith("alpha")),
    ("CASEI(name) LIKE CASEI('ALPHA%')", lambda r: (r[NAME] or "").lower().startswith("alpha")),
    ("name LIKE '_ravo'", lambda r: r[NAME] == "Bravo"),
    ("name LIKE 'Charlie_1'", lambda r: r[NAME] in ("Charlie_1", "CharlieX1")),
    ("name LIKE 'Charlie\\_1'", lambda r: r[NAME] == "Charlie_1"),
    ("name NOT LIKE '%a%'", lambda r: r[NAME] is not None and "a" not in r[NAME]),
    ("area BETWEEN 0 AND 99.9", lambda r: r[AREA] is not None and 0 <= r[AREA] <= 99.9),
    ("area NOT BETWEEN 0 AND 99.9", lambda r: r[AREA] is not None and not 0 <= r[AREA] <= 99.9),
    ("name IN ('Bravo', 'CharlieX1', 'nobody')", lambda r: r[NAME] in ("Bravo", "CharlieX1")),
    ("area NOT IN (0, 150)", lambda r: r[AREA] is not None and r[AREA] not in (0, 150)),
    ("area IS NULL", lambda r: r[AREA] is None),
    ("geom IS NOT NULL", lambda r: r[GEOM] is not None),
    ("ok", lambda r: r[OK] is True),
    ("NOT ok", lambda r: r[OK] is False),
    ("ok = FALSE", lambda r: r[OK] is False),
    ("d >= DATE('2021-01-01')", lambda r: r[D] is not None and r[D] >= date(2021, 1, 1)),
    (
        "ts < TIMESTAMP('2021-01-01T00:00:00Z')",
        lambda r: r[TS] is not None and r[TS] < datetime(2021, 1, 1, tzinfo=UTC),
    ),
    (
        "ts = TIMESTAMP('2021-01-01T01:00:00+01:00')",
        lambda r: r[TS] == datetime(2021, 1, 1, tzinfo=UTC),
    ),
    (
        "area > 10 AND NOT (name = 'Bravo' OR d < DATE('2020-06-01'))",
        lambda r: (
            r[AREA] is not None
            and r[AREA] > 10
            and r[NAME] is not None
            and r[D] is not None
            and not (r[NAME] == "Bravo" or r[D] < date(2020, 6, 1))
        ),
    ),
    (
        "area < 1 OR ok AND name LIKE 'A%'",
        lambda r: (
            (r[AREA] is not None and r[AREA] < 1)
            or (r[OK] is True and (r[NAME] or "").startswith("A"))
        ),
    ),
    (
        "S_INTERSECTS(geom, POLYGON((0.25 0.25, 3.5 0.25, 3.5 3.5, 0.25 3.5, 0.25 0.25)))",
        spatial("intersects", QUERY_POLYGON),
    ),
    (
        "S_DISJOINT(geom, POLYGON((0.25 0.25, 3.5 0.25, 3.5 3.5, 0.25 3.5, 0.25 0.25)))",
        spatial("disjoint", QUERY_POLYGON),
    ),
    ("S_WITHIN(geom, BBOX(-1, -1, 6, 6))", spatial("within", box(-1, -1, 6, 6))),
    ("S_CONTAINS(geom, POINT(1 1))", spatial("contains", Point(1, 1))),
    ("S_TOUCHES(geom, POINT(2 2))", spatial("touches", Point(2, 2))),
    (
        "S_CROSSES(geom, LINESTRING(-1 1.5, 3 1.5))",
        spatial("crosses", LineString([(-1, 1.5), (3, 1.5)])),
    ),
    ("S_OVERLAPS(geom, POLYGON((1 1, 3 1, 3 3, 1 3, 1 1)))", spatial("overlaps", box(1, 1, 3, 3))),
    ("S_EQUALS(geom, POINT(3 3))", spatial("equals", Point(3, 3))),
    (
        "S_INTERSECTS(geom, MULTIPOINT((3 3), (11 11)))",
        spatial("intersects", shapely.MultiPoint([(3, 3), (11, 11)])),
    ),
    ("S_INTERSECTS(geom, BBOX(179, 0, -179, 1))", lambda r: r[ID] == 5),
    (
        "S_INTERSECTS(geom, BBOX(9, 9, 11, 11)) OR S_EQUALS(POINT(3 3), geom)",
        lambda r: r[ID] in (3, 4),
    ),
    ("T_BEFORE(d, DATE('2020-01-15'))", lambda r: r[D] is not None and r[D] < date(2020, 1, 15)),
    ("T_AFTER(d, DATE('2021-06-30'))", lambda r: r[D] is not None and r[D] > date(2021, 6, 30)),
    ("T_EQUALS(d, DATE('2021-06-30'))", lambda r: r[D] == date(2021, 6, 30)),
    ("T_DISJOINT(d, DATE('2021-06-30'))", lambda r: r[D] is not None and r[D] != date(2021, 6, 30)),
    (
        "T_INTERSECTS(d, INTERVAL('2020-01-15', '2021-01-01'))",
        lambda r: r[D] is not None and date(2020, 1, 15) <= r[D] <= date(2021, 1, 1),
    ),
    (
        "T_INTERSECTS(ts, DATE('2021-06-30'))",
        lambda r: r[TS] is not None and DAY_2021_06_30[0] <= r[TS] < DAY_2021_06_30[1],
    ),
    (
        "T_INTERSECTS(ts, INTERVAL('2020-01-15', '2021-01-01'))",
        lambda r: (
            r[TS] is not None
            and datetime(2020, 1, 15, tzinfo=UTC) <= r[TS] < datetime(2021, 1, 2, tzinfo=UTC)
        ),
    ),
    ("T_INTERSECTS(ts, INTERVAL('..', '..'))", lambda r: r[TS] is not None),
    ("T_DISJOINT(ts, INTERVAL('..', '..'))", lambda r: False),
    (
        "T_DISJOINT(ts, INTERVAL('..', '2020-12-31'))",
        lambda r: r[TS] is not None and r[TS] >= datetime(2021, 1, 1, tzinfo=UTC),
    ),
    (
        "T_AFTER(ts, INTERVAL('2019-01-01', '2020-06-01'))",
        lambda r: r[TS] is not None and r[TS] >= datetime(2020, 6, 2, tzinfo=UTC),
    ),
    (
        "T_BEFORE(INTERVAL('..', '2021-01-01T00:00:00Z'), ts)",
        lambda r: r[TS] is not None and r[TS] > datetime(2021, 1, 1, tzinfo=UTC),
    ),
    (
        "T_INTERSECTS(d, TIMESTAMP('2021-06-30T23:30:00Z'))",
        lambda r: r[D] == date(2021, 6, 30),
    ),
]


@pytest.fixture
def table(conn: Connection) -> Connection:
    conn.execute(
        text(
            "CREATE TEMP TABLE t (id int, name text, area double precision, d date, "
            "ts timestamptz, ok boolean, geom geometry(Geometry, 4326))"
        )
    )
    for row in ROWS:
        values = dict(zip(("id", "name", "area", "d", "ts", "ok"), row[:6], strict=True))
        values["geom"] = None if row[GEOM] is None else row[GEOM].wkt
        conn.execute(
            text(
                "INSERT INTO t VALUES (:id, :name, :area, :d, :ts, :ok, "
                "ST_GeomFromText(:geom, 4326))"
            ),
            values,
        )
    return conn


def selected(conn: Connection, filter_text: str, **options: object) -> list[int]:
    sql, params = compile_filter(filter_text, QUERYABLES, **options)  # type: ignore[arg-type]
    return list(
        conn.execute(text(f"SELECT t.id FROM t WHERE {sql} ORDER BY t.id"), params).scalars()
    )


def test_filters_select_the_rows_python_expects(table: Connection) -> None:
    for filter_text, predicate in CASES:
        expected = [row[ID] for row in ROWS if predicate(row)]
        assert selected(table, filter_text) == expected, filter_text


def test_every_case_selects_something_and_not_everything() -> None:
    """Guards the cases above against passing by selecting nothing or everything."""
    trivial = {"T_DISJOINT(ts, INTERVAL('..', '..'))"}
    for filter_text, predicate in CASES:
        count = sum(1 for row in ROWS if predicate(row))
        assert filter_text in trivial or 0 < count < len(ROWS), filter_text


def test_filter_geometries_in_another_crs(table: Connection) -> None:
    projected = shapely.transform(
        QUERY_POLYGON, lambda xy: np.column_stack(TO_3857.transform(xy[:, 0], xy[:, 1]))
    )
    filter_text = f"S_INTERSECTS(geom, {projected.wkt})"
    expected = [r[ID] for r in ROWS if r[GEOM] is not None and r[GEOM].intersects(QUERY_POLYGON)]
    assert selected(table, filter_text, filter_srid=3857) == expected
    x0, y0 = TO_3857.transform(9, 9)
    x1, y1 = TO_3857.transform(11, 11)
    assert selected(
        table, f"S_INTERSECTS(geom, BBOX({x0}, {y0}, {x1}, {y1}))", filter_srid=3857
    ) == [4]


def test_filter_geometries_in_latitude_longitude_order(table: Connection) -> None:
    assert selected(table, "S_EQUALS(geom, POINT(0.5 179.5))", swap_axes=True) == [5]
    assert selected(table, "S_INTERSECTS(geom, BBOX(0, 179, 1, -179))", swap_axes=True) == [5]
    assert selected(table, "S_INTERSECTS(geom, BBOX(9, 9, 11, 11))", swap_axes=True) == [4]
