"""SQL of the OGC endpoints: pages of features as GeoJSON text, single features, counts,
extents and vector tiles, all built by PostGIS (no geometry passes through Python).

Queries are composed from the collection's parts and the selection's conditions, each a
clause with its parameters (app.storage.sql); no SQL text is edited once written."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, text

from app.ogc.collections import Collection
from app.ogc.crs import Crs
from app.storage.drawing import as_geojson
from app.storage.sql import TRUE, Clause, merged, where

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


def _conditions(collection: Collection, selection: Selection, crs: Crs) -> list[Clause]:
    """The inner conditions of a selection: the collection's own, its date interval, its
    bbox and its filter, each with its parameters."""
    conditions = [*(Clause(c) for c in collection.inner_where), _drawn(collection, crs)]
    if selection.interval is not None and not collection.as_of_state:
        start, end = selection.interval
        if start is not None:
            conditions.append(Clause(f"{collection.temporal} >= :t_start", {"t_start": start}))
        if end is not None:
            conditions.append(Clause(f"{collection.temporal} <= :t_end", {"t_end": end}))
    if selection.bbox_wkb is not None:
        conditions.append(Clause(collection.bbox_condition(_BBOX), {"bbox": selection.bbox_wkb}))
    if selection.cql is not None:
        conditions.append(Clause(*selection.cql))
    return conditions


def _order(collection: Collection, outer: bool = False) -> str:
    """ORDER BY keys of the inner query (on its tables), or of the page (``p``)."""
    return ", ".join(f"p.{column}" if outer else inner for inner, column in collection.order)


def _output_geometry(expression: str, crs: Crs) -> str:
    if crs.lat_first:
        expression = f"ST_FlipCoordinates({expression})"
    elif crs.srid != 4326:
        expression = f"ST_Transform({expression}, {crs.srid:d})"
    # Options 0: no "crs" member (RFC 7946 has none; the Content-Crs header says it). Every
    # collection holds areas, served as MultiPolygons: clients such as GDAL decide a layer's
    # type from the first page, and a Polygon layer then refuses the MultiPolygons after it.
    return f"{as_geojson(expression, crs.decimals, 0, multi=True)}::json"


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
    found = where(_conditions(collection, selection, crs))
    sql = f"""
        SELECT {_feature_sql(collection, crs)}
          FROM (SELECT {collection.inner_columns}, {collection.fid_inner} AS _fid
                  FROM {collection.inner_from}
                 {found.sql}
                 ORDER BY {_order(collection)}
                 LIMIT :limit OFFSET :offset) p
          {collection.detail}
         ORDER BY {_order(collection, outer=True)}
    """
    params = merged(found.params, {"as_of": selection.as_of, "limit": limit + 1, "offset": offset})
    features = list(conn.execute(text(sql), params).scalars())
    return Page(features[:limit], len(features) > limit)


def one(conn: Connection, collection: Collection, fid: str, as_of: date, crs: Crs) -> str | None:
    if collection.fid_type == "integer":
        if not fid.isdigit():
            return None
        key: Any = int(fid)
    else:
        key = fid
    found = where(
        [
            *(Clause(c) for c in collection.inner_where),
            _drawn(collection, crs),
            Clause(f"{collection.fid_inner} = :fid", {"fid": key}),
        ]
    )
    sql = f"""
        SELECT {_feature_sql(collection, crs)}
          FROM (SELECT {collection.inner_columns}, {collection.fid_inner} AS _fid
                  FROM {collection.inner_from} {found.sql} LIMIT 1) p
          {collection.detail}
    """
    return conn.execute(text(sql), merged(found.params, {"as_of": as_of})).scalar()


def count(conn: Connection, collection: Collection, selection: Selection, crs: Crs) -> int:
    """How many features ``page`` serves in ``crs``, over all pages."""
    found = where(_conditions(collection, selection, crs))
    sql = f"SELECT count(*) FROM {collection.inner_from} {found.sql}"
    return conn.execute(text(sql), merged(found.params, {"as_of": selection.as_of})).scalar_one()


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
        *(Clause(c) for c in collection.inner_where),
        Clause(f"{geometry} && ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326)"),
    ]
    if collection.tile_area is not None:
        conditions.append(Clause(f"{collection.tile_area} >= :min_area"))
    sql = f"""
        WITH t AS (
            SELECT ST_AsMVTGeom(
                       ST_Transform(ST_Simplify({geometry}, :tolerance_degrees, true), 3857),
                       ST_TileEnvelope(:z, :x, :y), 4096, 64, true) AS geom,
                   {columns}
              FROM {collection.inner_from}
             {where(conditions).sql}
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
