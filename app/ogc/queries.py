"""SQL of the OGC endpoints: pages of features as GeoJSON text, single features, counts,
extents and vector tiles, all built by PostGIS (no geometry passes through Python).

Queries are composed from the collection's parts and the selection's conditions, each a
clause with its parameters (app.storage.sql); no SQL text is edited once written."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import psycopg
from sqlalchemy import Connection, Dialect, TextClause, exc, text

from app.cancellation import refuse_if_client_gone
from app.ogc.collections import Collection
from app.ogc.crs import LON_LAT, Crs
from app.storage.drawing import as_geojson
from app.storage.sql import TRUE, Clause, merged, where

WEB_MERCATOR_WIDTH_M = 40075016.685578488  # the width of the world in EPSG:3857
METRES_PER_DEGREE = 111_320.0  # of latitude, about: tolerances only
# Tiles at zooms up to LOW_ZOOM_MAX draw the land kept in Web Mercator, simplified at this
# tolerance: an eighth of a tile unit at zoom 8 (migrations/versions/0020: the two agree).
LOW_ZOOM_MAX = 8
LOW_ZOOM_TOLERANCE_M = WEB_MERCATOR_WIDTH_M / 2**LOW_ZOOM_MAX / 4096 / 8
# For the rest of the transaction (a tile is read in the request's own).
NO_JIT = text("SELECT set_config('jit', 'off', true)")


@dataclass(frozen=True)
class Selection:
    """Which features of a collection a request wants."""

    as_of: date  # the date of the land state shown
    # Whether the features are those of the land as of ``as_of`` (collections that show a
    # state; the land only when no ``datetime`` asks for pieces of other dates).
    at_as_of: bool = True
    interval: tuple[date | None, date | None] | None = None  # ``datetime``, ends included
    bbox_wkb: bytes | None = None  # a lon/lat polygon
    cql: tuple[str, dict[str, Any]] | None = None  # compiled filter and its parameters

    def key(self) -> tuple:
        """What tells two selections apart (the count of one is kept for the other)."""
        cql = None if self.cql is None else (self.cql[0], tuple(sorted(self.cql[1].items())))
        return (self.as_of, self.at_as_of, self.interval, self.bbox_wkb, cql)


@dataclass(frozen=True)
class Shape:
    """How a page of features is written: its order, properties and geometry."""

    crs: Crs
    sort: tuple[tuple[str, bool], ...] = ()  # (field name, descending) of each key
    properties: tuple[str, ...] | None = None  # None: all
    skip_geometry: bool = False


@dataclass(frozen=True)
class Page:
    features: list[str]  # GeoJSON text of each feature
    has_next: bool
    data_version: str | None = None  # of the data it was read from (None: no feature)


@lru_cache(maxsize=1024)
def statement(sql: str) -> TextClause:
    """``text(sql)``, made once per SQL text: the same few statements serve most requests,
    and making one parses its text for parameters each time."""
    return text(sql)


@lru_cache(maxsize=1024)
def _driver_sql(sql: str, dialect: Dialect) -> str:
    return str(statement(sql).compile(dialect=dialect))


def _rows(conn: Connection, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
    """The rows of a statement, run on the connection's driver itself.

    Pages and features are what GIS clients ask for most, and SQLAlchemy's execution (its
    result objects, events and caches) cost about twice the driver's own work for them. The
    rest is as SQLAlchemy does it: no statement for a client that has gone, a failure raised
    as SQLAlchemy's error of its kind (the API answers by kind), a broken connection left out
    of the pool."""
    refuse_if_client_gone()
    driver_sql = _driver_sql(sql, conn.dialect)
    driver = conn.connection.driver_connection
    try:
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(driver_sql, params or {})
            return cursor.fetchall()
    except psycopg.Error as error:
        gone = conn.dialect.is_disconnect(error, driver, None)  # type: ignore[arg-type]
        if gone:
            conn.invalidate(error)
        raise exc.DBAPIError.instance(
            driver_sql, params, error, psycopg.Error, connection_invalidated=gone
        ) from error


# The bbox of a selection arrives as WKB and goes to PostGIS as a lon/lat geometry.
_BBOX = "ST_GeomFromWKB(:bbox, 4326)"


def _drawn(collection: Collection, crs: Crs) -> Clause:
    """The condition that a feature's land is something when drawn in ``crs`` (as
    ``_output_geometry`` draws it)."""
    if collection.drawn is None:
        return TRUE
    return Clause(
        collection.drawn, {"draw_srid": crs.srid, "draw_grid": float(f"1e-{crs.decimals}")}
    )


def _dated(collection: Collection, interval: tuple[date | None, date | None]) -> list[Clause]:
    """``datetime``: the feature's own date lies in the interval, or the interval its land
    held its state (from, until excluded) meets it."""
    start, end = interval
    conditions = []
    if len(collection.own_date) == 1:
        (on,) = collection.own_date
        if start is not None:
            conditions.append(Clause(f"{on} >= :t_start", {"t_start": start}))
        if end is not None:
            conditions.append(Clause(f"{on} <= :t_end", {"t_end": end}))
    else:
        since, until = collection.own_date
        if start is not None:
            conditions.append(
                Clause(f"({until} IS NULL OR {until} > :t_start)", {"t_start": start})
            )
        if end is not None:
            conditions.append(Clause(f"{since} <= :t_end", {"t_end": end}))
    return conditions


def _conditions(collection: Collection, selection: Selection, crs: Crs) -> list[Clause]:
    """The inner conditions of a selection: the collection's own, the date of the land
    shown, its date interval, its bbox and its filter, each with its parameters."""
    conditions = [*(Clause(c) for c in collection.inner_where), _drawn(collection, crs)]
    if collection.as_of_where is not None and selection.at_as_of:
        conditions += [Clause(c) for c in collection.as_of_where]
    if selection.interval is not None:
        conditions += _dated(collection, selection.interval)
    if selection.bbox_wkb is not None:
        conditions.append(Clause(collection.bbox_condition(_BBOX), {"bbox": selection.bbox_wkb}))
    if selection.cql is not None:
        conditions.append(Clause(*selection.cql))
    return conditions


def _sort_keys(collection: Collection, sort: tuple[tuple[str, bool], ...]) -> list[tuple[str, str]]:
    """(inner expression, page column) of each key: those asked for, then the collection's
    own order, which makes every order total (pages never repeat or skip a feature)."""
    keys = []
    for i, (name, descending) in enumerate(sort):
        found = collection.field(name)
        assert found is not None  # checked with the request
        direction = " DESC NULLS LAST" if descending else " ASC NULLS FIRST"
        keys.append((f"({found.inner}){direction}", f"p._sort{i}{direction}"))
    keys += [(inner, f"p.{column}") for inner, column in collection.order]
    return keys


def _output_geometry(expression: str, crs: Crs) -> str:
    if crs.lat_first:
        expression = f"ST_FlipCoordinates({expression})"
    elif crs.srid != 4326:
        expression = f"ST_Transform({expression}, {crs.srid:d})"
    # Options 0: no "crs" member (RFC 7946 has none; the Content-Crs header says it). Every
    # collection holds areas, served as MultiPolygons: clients such as GDAL decide a layer's
    # type from the first page, and a Polygon layer then refuses the MultiPolygons after it.
    return f"{as_geojson(expression, crs.decimals, 0, multi=True)}::json"


@lru_cache(maxsize=512)
def _feature_sql(collection: Collection, shape: Shape) -> str:
    """The SQL of a feature's GeoJSON text: its id, geometry and properties (written once
    per collection and shape, then kept)."""
    fields = collection.fields
    if shape.properties is not None:
        fields = tuple(f for f in fields if f.name in shape.properties)
    properties = ", ".join(f"'{f.name}', {f.outer}" for f in fields)
    if shape.skip_geometry:
        geometry = "NULL"
    elif collection.drawn_geojson is not None and shape.crs == LON_LAT:
        geometry = f"{collection.drawn_geojson}::json"
    else:
        geometry = _output_geometry(collection.geometry, shape.crs)
    return (
        "json_build_object('type', 'Feature', 'id', p._fid, "
        f"'geometry', {geometry}, "
        f"'properties', json_build_object({properties}))::text"
    )


def page(
    conn: Connection,
    collection: Collection,
    selection: Selection,
    shape: Shape,
    limit: int,
    offset: int,
) -> Page:
    found = where(_conditions(collection, selection, shape.crs))
    keys = _sort_keys(collection, shape.sort)
    sort_columns = "".join(
        f", {collection.field(name).inner} AS _sort{i}"  # type: ignore[union-attr]
        for i, (name, _) in enumerate(shape.sort)
    )
    sql = f"""
        SELECT {_feature_sql(collection, shape)}, {DATA_VERSION}
          FROM (SELECT {collection.inner_columns}, {collection.fid_inner} AS _fid{sort_columns}
                  FROM {collection.inner_from}
                 {found.sql}
                 ORDER BY {", ".join(inner for inner, _ in keys)}
                 LIMIT :limit OFFSET :offset) p
          {collection.detail}
         ORDER BY {", ".join(outer for _, outer in keys)}
    """
    params = merged(found.params, {"as_of": selection.as_of, "limit": limit + 1, "offset": offset})
    rows = _rows(conn, sql, params)
    features = [feature for feature, _ in rows]
    return Page(features[:limit], len(features) > limit, rows[0][1] if rows else None)


def one(
    conn: Connection, collection: Collection, fid: str, as_of: date, shape: Shape
) -> str | None:
    if collection.fid_type == "integer":
        if not fid.isdigit():
            return None
        key: Any = int(fid)
    else:
        key = fid
    # A feature of a collection that shows the land as of a date is one of that date; a
    # piece of land is found whatever its dates (its id names one stint).
    at_as_of = collection.as_of_where is not None and len(collection.own_date) < 2
    found = where(
        [
            *_conditions(collection, Selection(as_of, at_as_of), shape.crs),
            Clause(f"{collection.fid_inner} = :fid", {"fid": key}),
        ]
    )
    sql = f"""
        SELECT {_feature_sql(collection, shape)}
          FROM (SELECT {collection.inner_columns}, {collection.fid_inner} AS _fid
                  FROM {collection.inner_from} {found.sql} LIMIT 1) p
          {collection.detail}
    """
    rows = _rows(conn, sql, merged(found.params, {"as_of": as_of}))
    return rows[0][0] if rows else None


def count(conn: Connection, collection: Collection, selection: Selection, crs: Crs) -> Counted:
    """How many features ``page`` serves in ``crs``, over all pages."""
    found = where(_conditions(collection, selection, crs))
    sql = f"SELECT count(*), {DATA_VERSION} FROM {collection.inner_from} {found.sql}"
    params = merged(found.params, {"as_of": selection.as_of})
    ((matched, version),) = _rows(conn, sql, params)
    return Counted(matched, version)


@dataclass(frozen=True)
class Counted:
    matched: int
    data_version: str  # of the data counted


# Changes whenever what any collection serves may have: every write adds rows (hazard
# records, events, land-state rows: an approval or a void replays the land) or replaces the
# regions. Cheap (each maximum is read from an index), and read with the statements whose
# answers are kept (a page and its count say which data they saw). The newest row of each
# table, and the transaction that wrote it: ids alone could come again once a table is
# emptied and its numbering restarted.
DATA_VERSION = "concat_ws('/', {})".format(
    ", ".join(
        [
            *(
                f"(SELECT id || ':' || xmin::text FROM {table} ORDER BY id DESC LIMIT 1)"
                for table in ("hazards", "events", "land_state")
            ),
            "(SELECT count(*) || ':' || coalesce(max(xmin::text), '') FROM regions)",
        ]
    )
)


def data_version(conn: Connection) -> str:
    return str(_rows(conn, f"SELECT {DATA_VERSION}")[0][0])


def extent(conn: Connection, collection: Collection) -> tuple[float, float, float, float] | None:
    """Lon/lat extent of the collection's data (its land as of today, for the land)."""
    sql = (
        f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM ({collection.extent_sql}) x(e)"
    )
    row = conn.execute(statement(sql), {"as_of": date.today()}).one()
    return None if row[0] is None else (row[0], row[1], row[2], row[3])


def temporal_extent(conn: Connection, collection: Collection) -> tuple[Any, Any] | None:
    """The first and last of the features' own dates (None: open, or no dates)."""
    if not collection.own_date:
        return None
    first, *rest = collection.own_date
    last = rest[0] if rest else first
    conditions = where([Clause(c) for c in collection.inner_where])
    sql = (
        f"SELECT min({first}), CASE WHEN bool_or({last} IS NULL) THEN NULL ELSE max({last}) END, "
        f"count(*) FROM {collection.inner_from} {conditions.sql}"
    )
    row = conn.execute(statement(sql)).one()
    return None if row[2] == 0 else (row[0], row[1])


@dataclass(frozen=True)
class TileRequest:
    z: int
    x: int
    y: int
    as_of: date
    max_features: int


def tile(conn: Connection, collection: Collection, request: TileRequest) -> bytes:
    """A Mapbox Vector Tile of ``collection`` (empty bytes: no feature in the tile).

    Geometries are simplified to half a tile unit (1/4096 of the tile) before they are
    projected, clipped and quantised, and pieces smaller than a quarter of a tile unit, which
    quantisation would reduce to nothing, are skipped: low zooms stay light and lose nothing
    they could show. At most ``max_features`` per tile. Up to ``LOW_ZOOM_MAX``, where a tile
    covers most of the country, the pieces are read already projected and simplified (at
    most half a tile unit away from their land all the same).
    """
    tiles = collection.tiles
    assert tiles is not None
    columns = ", ".join(f"{sql} AS {name}" for name, sql, _ in tiles.properties)
    if tiles.low_zoom_geometry is not None and request.z <= LOW_ZOOM_MAX:
        # Kept in Web Mercator and simplified already: simplified again to the tile's own
        # tolerance, each piece departs from its land by at most both tolerances.
        low = tiles.low_zoom_geometry
        drawn = f"ST_Simplify({low}, :tolerance_m - {LOW_ZOOM_TOLERANCE_M!r}, true)"
    else:
        drawn = f"ST_Transform(ST_Simplify({tiles.geometry}, :tolerance_degrees, true), 3857)"
    conditions = [
        *(Clause(c) for c in tiles.where),
        # The full geometry decides which pieces are in the tile, from its index.
        Clause(f"{tiles.geometry} && ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326)"),
        Clause(f"{tiles.area} >= :min_area"),
    ]
    sql = f"""
        WITH t AS (
            SELECT ST_AsMVTGeom({drawn}, ST_TileEnvelope(:z, :x, :y), 4096, 64, true) AS geom,
                   {columns}
              FROM {tiles.from_}
             {where(conditions).sql}
             LIMIT :max_features
        )
        SELECT ST_AsMVT(t.*, :layer, 4096, 'geom') FROM t WHERE t.geom IS NOT NULL
    """
    unit_m = WEB_MERCATOR_WIDTH_M / 2**request.z / 4096  # at the equator
    # Ground size of a unit at the tile's latitude (Web Mercator stretches away from it).
    latitude = math.atan(math.sinh(math.pi * (1 - 2 * (request.y + 0.5) / 2**request.z)))
    ground_unit_m = unit_m * math.cos(latitude)
    # A low zoom's statement is costed high enough for PostgreSQL to compile it (JIT), which
    # takes longer than running it: the work is in PostGIS functions, which it cannot compile.
    conn.execute(NO_JIT)
    data = conn.execute(
        statement(sql),
        {
            "z": request.z,
            "x": request.x,
            "y": request.y,
            "as_of": request.as_of,
            "max_features": request.max_features,
            "tolerance_degrees": ground_unit_m / 2 / METRES_PER_DEGREE,
            "tolerance_m": unit_m / 2,
            "min_area": 0.25 * ground_unit_m**2,
            "layer": collection.id,
        },
    ).scalar()
    return bytes(data or b"")
