"""SQL of the OGC endpoints: pages of features as GeoJSON text, single features, counts,
extents and vector tiles, all built by PostGIS (no geometry passes through Python)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, text

from app.ogc.collections import Collection
from app.ogc.crs import Crs
from app.storage.drawing import as_geojson

WEB_MERCATOR_WIDTH_M = 40075016.685578488  # the width of the world in EPSG:3857
METRES_PER_DEGREE = 111_320.0  # of latitude, about: tolerances only


@dataclass(frozen=True)
class Selection:
    """Which features of a collection a request wants."""

    as_of: date  # the date of the land state shown
    interval: tuple[date | None, date | None] | None = None  # on the collection's date column
    bbox_wkb: bytes | None = None  # a lon/lat polygon
    cql: tuple[str, dict[str, Any]] | None = None  # compiled filter and its parameters


@dataclass(frozen=True)
class Page:
    features: list[str]  # GeoJSON text of each feature
    has_next: bool


def _drawn(collection: Collection, crs: Crs) -> tuple[list[str], dict[str, Any]]:
    """The condition that a feature's land is something when drawn in ``crs`` (as
    ``_output_geometry`` draws it), with its parameters."""
    if collection.drawn is None:
        return [], {}
    return [collection.drawn], {"draw_srid": crs.srid, "draw_grid": float(f"1e-{crs.decimals}")}


def _conditions(collection: Collection, selection: Selection, crs: Crs) -> tuple[list[str], dict]:
    drawn, params = _drawn(collection, crs)
    conditions = [*collection.inner_where, *drawn]
    params["as_of"] = selection.as_of
    if selection.interval is not None and not collection.as_of_state:
        start, end = selection.interval
        if start is not None:
            conditions.append(f"{collection.temporal} >= :t_start")
            params["t_start"] = start
        if end is not None:
            conditions.append(f"{collection.temporal} <= :t_end")
            params["t_end"] = end
    if selection.bbox_wkb is not None:
        conditions.append(collection.bbox_condition)
        params["bbox"] = selection.bbox_wkb
    if selection.cql is not None:
        sql, cql_params = selection.cql
        conditions.append(sql)
        params.update(cql_params)
    return conditions, params


def _where(conditions: list[str]) -> str:
    return "WHERE " + " AND ".join(f"({c})" for c in conditions) if conditions else ""


def _bbox_param(sql: str) -> str:
    # :bbox arrives as WKB; PostGIS gets it as a geometry once, in the SQL text.
    return sql.replace(":bbox", "ST_GeomFromWKB(:bbox, 4326)")


def _output_geometry(expression: str, crs: Crs) -> str:
    if crs.lat_first:
        expression = f"ST_FlipCoordinates({expression})"
    elif crs.srid != 4326:
        expression = f"ST_Transform({expression}, {crs.srid:d})"
    # Options 0: no "crs" member (RFC 7946 has none; the Content-Crs header says it). Every
    # collection holds areas, served as MultiPolygons: clients such as GDAL decide a layer's
    # type from the first page, and a Polygon layer then refuses the MultiPolygons after it.
    return f"{as_geojson(expression, crs.decimals, 0, multi=True)}::json"


def _outer(order: str) -> str:
    """The inner ORDER BY (on table aliases) said of the page's columns."""
    return re.sub(r"\b[a-z]\.", "p.", order)


def _feature_sql(collection: Collection, crs: Crs) -> str:
    properties = ", ".join(f"'{name}', {sql}" for name, sql in collection.properties)
    return (
        "json_build_object('type', 'Feature', 'id', p._fid, "
        f"'geometry', {_output_geometry(collection.geometry, crs)}, "
        f"'properties', json_build_object({properties}))::text"
    )


def page(
    conn: Connection,
    collection: Collection,
    selection: Selection,
    crs: Crs,
    limit: int,
    offset: int,
) -> Page:
    conditions, params = _conditions(collection, selection, crs)
    sql = f"""
        SELECT {_feature_sql(collection, crs)}
          FROM (SELECT {collection.inner_columns}, {collection.fid_inner} AS _fid
                  FROM {collection.inner_from}
                 {_where(conditions)}
                 ORDER BY {collection.order}
                 LIMIT :limit OFFSET :offset) p
          {collection.detail}
         ORDER BY {_outer(collection.order)}
    """
    rows = conn.execute(
        text(_bbox_param(sql)), {**params, "limit": limit + 1, "offset": offset}
    ).scalars()
    features = list(rows)
    return Page(features[:limit], len(features) > limit)


def one(conn: Connection, collection: Collection, fid: str, as_of: date, crs: Crs) -> str | None:
    drawn, params = _drawn(collection, crs)
    conditions = [*collection.inner_where, *drawn, f"{collection.fid_inner} = :fid"]
    if collection.fid_type == "integer":
        if not fid.isdigit():
            return None
        key: Any = int(fid)
    else:
        key = fid
    sql = f"""
        SELECT {_feature_sql(collection, crs)}
          FROM (SELECT {collection.inner_columns}, {collection.fid_inner} AS _fid
                  FROM {collection.inner_from} {_where(conditions)} LIMIT 1) p
          {collection.detail}
    """
    return conn.execute(text(sql), {**params, "as_of": as_of, "fid": key}).scalar()


def count(conn: Connection, collection: Collection, selection: Selection, crs: Crs) -> int:
    """How many features ``page`` serves in ``crs``, over all pages."""
    conditions, params = _conditions(collection, selection, crs)
    sql = f"SELECT count(*) FROM {collection.inner_from} {_where(conditions)}"
    return conn.execute(text(_bbox_param(sql)), params).scalar_one()


def extent_version(conn: Connection) -> tuple:
    """Changes whenever the extent below may have: read on every request, cheaply."""
    return tuple(
        conn.execute(
            text("SELECT (SELECT max(id) FROM hazards), (SELECT count(*) FROM regions)")
        ).one()
    )


def extent(conn: Connection) -> tuple[float, float, float, float] | None:
    """Lon/lat extent of the data: the regions, or else the hazards."""
    row = conn.execute(
        text(
            """
            SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
              FROM (SELECT coalesce((SELECT ST_Extent(geom) FROM regions),
                                    (SELECT ST_Extent(footprint) FROM hazards)) AS e) x
            """
        )
    ).one()
    return None if row[0] is None else (row[0], row[1], row[2], row[3])


def temporal_extent(conn: Connection, collection: Collection) -> tuple[Any, Any] | None:
    if collection.as_of_state:
        return None
    column = collection.temporal
    sql = f"SELECT min({column}), max({column}) FROM {collection.inner_from}"
    row = conn.execute(text(sql)).one()
    return None if row[0] is None else (row[0], row[1])


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
    they could show. At most ``max_features`` per tile.
    """
    assert collection.tile_geometry is not None
    geometry = collection.tile_geometry
    columns = ", ".join(f"{sql} AS {name}" for name, sql, _ in collection.tile_properties)
    conditions = [
        *collection.inner_where,
        f"{geometry} && ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326)",
    ]
    if collection.tile_area is not None:
        conditions.append(f"{collection.tile_area} >= :min_area")
    sql = f"""
        WITH t AS (
            SELECT ST_AsMVTGeom(
                       ST_Transform(ST_Simplify({geometry}, :tolerance_degrees, true), 3857),
                       ST_TileEnvelope(:z, :x, :y), 4096, 64, true) AS geom,
                   {columns}
              FROM {collection.inner_from}
             {_where(conditions)}
             LIMIT :max_features
        )
        SELECT ST_AsMVT(t.*, :layer, 4096, 'geom') FROM t WHERE t.geom IS NOT NULL
    """
    unit_m = WEB_MERCATOR_WIDTH_M / 2**request.z / 4096  # at the equator
    # Ground size of a unit at the tile's latitude (Web Mercator stretches away from it).
    latitude = math.atan(math.sinh(math.pi * (1 - 2 * (request.y + 0.5) / 2**request.z)))
    ground_unit_m = unit_m * math.cos(latitude)
    data = conn.execute(
        text(sql),
        {
            "z": request.z,
            "x": request.x,
            "y": request.y,
            "as_of": request.as_of,
            "max_features": request.max_features,
            "tolerance_degrees": ground_unit_m / 2 / METRES_PER_DEGREE,
            "min_area": 0.25 * ground_unit_m**2,
            "layer": collection.id,
        },
    ).scalar()
    return bytes(data or b"")
