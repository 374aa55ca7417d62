"""The land each hazard is served with (``hazard_land``), kept with the land state.

A hazard's remaining land, as the OGC API serves it, is the union of its suspected and
confirmed pieces in the national land state, drawn on the grid of the digits written. It is
worked out here when the hazard's land changes, in the transaction that changes it
(app.storage.land_state calls ``refresh`` after every write), rather than on every read.
It is the land of each hazard's open stints: the land as of every date on or after the
newest date in the land state (``NEWEST_LAND_DATE``); other dates are worked out as before.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from sqlalchemy import Connection, text
from sqlalchemy.exc import InternalError

from app.ledger.scopes import NATIONAL
from app.storage.conditions import contaminated, known
from app.storage.drawing import as_geojson, drawable_in_place, geojson_of, kept_when_drawn
from app.storage.figures import contaminated_sums
from app.storage.sql import Clause

# The grid the land is drawn on: that of the 9 digits written in degrees (OGC API, CRS84).
DEGREES_GRID = 1e-9

# The SQLSTATE of PostGIS's GEOS errors (internal_error), a TopologyException among them.
GEOS_FAILED = "XX000"

# Of the current national land state, the open stints of remaining land.
_OPEN_REMAINING = (
    f"s.scope = '{NATIONAL}' AND {known('s').sql} AND s.until_on IS NULL AND {contaminated('s')}"
)


def served_rows(source: str, rows: Clause, mended: bool, land: str = "a.land") -> Clause:
    """SQL selecting the kept land of the hazards of the land-state rows ``source`` (aliased
    ``s``) that the condition ``rows`` picks: its union (most hazards hold one piece, taken as
    it is), its SHA and CHA areas, whether some piece is something once drawn and the land
    drawn as the OGC API writes it in CRS84; ``land`` is how the union is selected.

    ``mended``: drawn by the migrations' SQL functions ``drawn_on_grid`` and ``drawable``,
    which mend GEOS's rare failures in exception blocks, a subtransaction per call. Otherwise
    by the same expressions without them: the same result where GEOS does not fail, and a
    failed statement where it does."""
    if mended:
        drawable = f"drawable(s.geom, 4326, {DEGREES_GRID})"
        geojson = as_geojson("a.land", 9, 0, multi=True)
        reduced = ""
    else:
        drawable = drawable_in_place("s.geom", DEGREES_GRID)
        geojson = geojson_of(kept_when_drawn("d.reduced"), 9, 0, multi=True)
        # OFFSET 0 keeps the subquery whole: the snap-rounding is done once, not per use.
        reduced = (
            f", LATERAL (SELECT ST_ReducePrecision(a.land, {DEGREES_GRID}) AS reduced OFFSET 0) d"
        )
    return Clause(
        f"""
        SELECT a.hazard_id, {land}, a.sha_m2, a.cha_m2, a.drawable, {geojson}
          FROM (SELECT s.hazard_id,
                       CASE WHEN count(*) = 1 THEN (array_agg(s.geom))[1]
                            ELSE ST_Multi(ST_Union(s.geom)) END AS land,
                       {contaminated_sums()},
                       bool_or({drawable}) AS drawable
                  FROM {source}
                 WHERE {rows.sql}
                 GROUP BY s.hazard_id) a{reduced}
        """,
        rows.params,
    )


def _write_served(rows: Clause, mended: bool) -> Clause:
    """SQL writing the kept land (``served_rows``) of the hazards the condition ``rows``
    (over ``s``) picks from the current land state."""
    served = served_rows(
        "land_state s", Clause(f"({rows.sql}) AND {_OPEN_REMAINING}", rows.params), mended
    )
    return Clause(
        "INSERT INTO hazard_land (hazard_id, land, sha_m2, cha_m2, drawable, drawn_geojson)"
        + served.sql,
        served.params,
    )


def refresh(conn: Connection, hazard_ids: AbstractSet[int] | list[int]) -> None:
    """Work out again the land of these hazards (those whose land-state rows were just
    written or retired).

    Written first without the mending functions, in one savepoint for the whole batch rather
    than a subtransaction per call of them (docs/benchmarks.md: a small saving); when GEOS
    fails on some hazard's land, the batch is written again with them."""
    if not hazard_ids:
        return
    ids = sorted(hazard_ids)
    conn.execute(text("DELETE FROM hazard_land WHERE hazard_id = ANY(:ids)"), {"ids": ids})
    rows = Clause("s.hazard_id = ANY(:ids)", {"ids": ids})
    try:
        with conn.begin_nested():
            _execute(conn, _write_served(rows, mended=False))
    except InternalError as failure:
        if getattr(failure.orig, "sqlstate", None) != GEOS_FAILED:
            raise
        _execute(conn, _write_served(rows, mended=True))


def _execute(conn: Connection, clause: Clause) -> None:
    conn.execute(text(clause.sql), clause.params)


def clear(conn: Connection) -> None:
    conn.execute(text("DELETE FROM hazard_land"))


def stale_hazards(conn: Connection) -> list[int]:
    """Hazards whose kept land differs from the land state (a check: none, ever)."""
    rows = conn.execute(
        text(
            f"""
            WITH now AS (
                SELECT s.hazard_id,
                       ST_Union(s.geom) AS land, {contaminated_sums()}
                  FROM land_state s WHERE {_OPEN_REMAINING} GROUP BY s.hazard_id
            )
            SELECT coalesce(now.hazard_id, kept.hazard_id)
              FROM now FULL JOIN hazard_land kept ON kept.hazard_id = now.hazard_id
             WHERE now.hazard_id IS NULL OR kept.hazard_id IS NULL
                OR abs(now.sha_m2 - kept.sha_m2) > 1e-6 * greatest(now.sha_m2, 1)
                OR abs(now.cha_m2 - kept.cha_m2) > 1e-6 * greatest(now.cha_m2, 1)
                OR NOT ST_Equals(now.land, kept.land)
             ORDER BY 1
            """
        )
    )
    return list(rows.scalars())


# SQL: the newest date of the current national land state (NULL: no land), read from an
# index. On that day and after, each hazard's land is that of its open stints, what
# ``hazard_land`` keeps: the stints of a piece follow each other, one ends on the day the
# next begins.
NEWEST_LAND_DATE = (
    f"SELECT max(s.since_on) FROM land_state s WHERE s.scope = '{NATIONAL}' AND {known('s').sql}"
)
