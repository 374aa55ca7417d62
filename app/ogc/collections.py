"""The feature collections served through OGC API – Features, as SQL.

Each collection is paged in an inner query over its own rows (filters, order, limit), and
only the rows of the page get their expensive parts (the union of the land a hazard holds
at a date, say) in lateral joins: a page of 10 costs 10 unions, whatever the offset.
Land is read from the replayed land state, so every figure is the ledger's own.

Every property a feature carries is also a queryable (``Field.inner``: the same value over
the inner rows), so a filter, a sort or a GIS client's pushed-down ``-where`` can name any
column it sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from app.auth.policy import Action
from app.ledger.scopes import NATIONAL
from app.ledger.states import Contamination, EventKind, HazardClass, LandState
from app.ogc.cql2 import Queryable, QueryableType
from app.storage.conditions import alive, alive_during, contaminated, known, not_voided, official
from app.storage.figures import contaminated_sums, land_class_sql, remaining_sql
from app.storage.regions import codes_within
from app.storage.served_land import NEWEST_LAND_DATE

# A land-state row of the national scope as the database holds it now...
CURRENT = f"s.scope = '{NATIONAL}' AND {known('s').sql}"
# ...and alive at :as_of.
ALIVE = f"{CURRENT} AND {alive('s')}"
# The same rows, as an index of the tiles finds them by tile and date together (migration
# 0021): a tile at a low zoom holds most of the country, where the geometry alone does not
# narrow the rows.
ALIVE_IN_TILE = f"{ALIVE} AND {alive_during('s')}"
CONTAMINATED = contaminated("s")
# A land-state row whose land is something when drawn (a migration's SQL function).
DRAWABLE = "drawable(s.geom, :draw_srid, :draw_grid)"

STATES = tuple(state.value for state in LandState)
CLASSES = tuple(c.value for c in HazardClass)
CONTAMINATIONS = tuple(c.value for c in Contamination)
KINDS = tuple(k.value for k in EventKind)


def meets(geometry: str, box: str) -> str:
    """SQL: the geometry ``geometry`` meets the geometry ``box`` (index-assisted)."""
    return f"{geometry} && {box} AND ST_Intersects({geometry}, {box})"


@dataclass(frozen=True)
class Field:
    """A property of the features: its value on the page (``outer``, over the page ``p``
    and the lateral joins) and over the inner rows (``inner``: filters and sorting)."""

    name: str
    outer: str
    inner: str
    type: QueryableType
    enum: tuple[str | int, ...] | None = None  # the values it can take, where fixed


@dataclass(frozen=True)
class Tiles:
    """The vector tiles of a collection: rows, their geometry, and what each carries."""

    from_: str
    where: tuple[str, ...]  # conditions (SQL over ``from_``, :as_of bound)
    geometry: str
    area: str  # SQL of a feature's area in m² (skips specks)
    # (name, SQL, JSON type) of each property a tile feature carries.
    properties: tuple[tuple[str, str, str], ...]
    max_zoom: int  # beyond it, clients overzoom (the tile matrix set goes further)
    # The geometry already in Web Mercator and simplified at the tolerance of
    # app.ogc.queries.LOW_ZOOM_TOLERANCE_M, drawn instead at zooms up to LOW_ZOOM_MAX.
    low_zoom_geometry: str | None = None


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str
    action: Action  # what a caller must be allowed to do to read it
    inner_from: str
    inner_where: tuple[str, ...]
    inner_columns: str
    order: tuple[tuple[str, str], ...]  # (inner expression, column of the page) of each key
    fid_inner: str
    fid_type: Literal["string", "integer"]
    detail: str  # lateral joins on the page ``p``
    geometry: str  # outer, lon/lat
    fields: tuple[Field, ...]
    geometry_inner: str  # the geometry as a queryable (inner SQL)
    # Inner SQL: the feature meets the lon/lat geometry whose SQL it is given.
    bbox_condition: Callable[[str], str]
    # ``datetime`` (OGC API – Features Part 1) meets each feature's own date, or the
    # interval (from, until: the end excluded, NULL for open) its land held its state.
    # Empty: the features have no date of their own.
    own_date: tuple[str, ...]
    # The land is shown as of a date (``as_of``, default today): conditions on the inner
    # rows that hold then. None: the collection's features do not change with the date.
    as_of_where: tuple[str, ...] | None
    # Inner SQL of the extent of the collection's data (ST_Extent over its rows), :as_of
    # bound to today.
    extent_sql: str
    tiles: Tiles | None = None
    # Inner SQL: the feature's land is something once drawn in the CRS :draw_srid on the
    # grid :draw_grid of the digits written. Features whose land is nothing there (pieces
    # micrometres wide that overlays leave along shared edges) are left out of pages,
    # single features and counts alike: never served with an empty geometry.
    drawn: str | None = None
    # Outer SQL: the feature's geometry already drawn in CRS84 as GeoJSON text, served as it
    # is when CRS84 is asked for (None: ``geometry`` is drawn per request).
    drawn_geojson: str | None = None

    @property
    def as_of_state(self) -> bool:
        return self.as_of_where is not None

    @property
    def queryables(self) -> dict[str, Queryable]:
        found = {f.name: Queryable(f.inner, f.type) for f in self.fields}
        found["geometry"] = Queryable(self.geometry_inner, "geometry")
        return found

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _land_of_hazard(states: str) -> str:
    # Most hazards hold one piece: it is taken as it is, and only several are dissolved.
    return f"""
        SELECT sha_m2, cha_m2,
               CASE WHEN cardinality(pieces) = 1 THEN pieces[1] ELSE ST_Union(pieces) END
                   AS geom
          FROM (SELECT {contaminated_sums()}, array_agg(s.geom) AS pieces
                  FROM land_state s
                 WHERE s.hazard_id = p.id AND {states} AND {ALIVE}) a
    """


def _hazard_m2(state: str | None) -> str:
    """Inner SQL: the m² of a hazard's land in ``state`` (None: SHA and CHA) as of :as_of."""
    states = CONTAMINATED if state is None else f"s.state = '{state}'"
    return (
        f"(SELECT coalesce(sum(s.area_m2), 0) FROM land_state s "
        f"WHERE s.hazard_id = h.id AND {states} AND {ALIVE})"
    )


def _region_m2(state: str | None) -> str:
    """Inner SQL: the m² of land in ``state`` (None: SHA and CHA) in the region ``g`` and
    every region inside it, as of :as_of."""
    states = CONTAMINATED if state is None else f"s.state = '{state}'"
    return (
        f"(SELECT coalesce(sum(s.area_m2), 0) FROM land_state s "
        f"WHERE s.region_code IN ({codes_within('g.code')}) AND {states} AND {ALIVE})"
    )


def _event_m2() -> str:
    """Inner SQL: the m² of land the event ``e`` changed."""
    return (
        "(SELECT coalesce(sum(s.area_m2), 0) FROM land_state s "
        f"WHERE s.since_seq = e.seq AND {CURRENT})"
    )


# The columns a hazard record shows as it was surveyed, in ``hazards`` and ``hazard-records``.
REFERENCE = Field("reference", "p.reference", "h.reference", "string")
CONTAMINATION = Field(
    "contamination", "p.contamination", "h.contamination", "string", CONTAMINATIONS
)
REGION = Field("region", "p.region", "h.region", "string")
MUNITIONS = Field(
    "munitions",
    "array_to_string(p.munitions, ', ')",
    "array_to_string(h.munitions, ', ')",
    "string",
)
RECORDED_ON = Field("recorded_on", "p.recorded_on", "h.recorded_on", "date")
FOOTPRINT_M2 = Field("footprint_m2", "p.footprint_m2", "h.footprint_m2", "number")

HAZARD_LAND = (
    f"EXISTS (SELECT 1 FROM land_state s WHERE s.hazard_id = h.id AND {CONTAMINATED} AND {ALIVE}"
)

HAZARDS = Collection(
    id="hazards",
    title="Hazardous areas (remaining contaminated land)",
    description="Each hazard's land still suspected (SHA) or confirmed (CHA) as of `as_of` "
    "(default today): its footprint minus what was cancelled, reduced, cleared or "
    "corrected, and minus land taken by later hazards. `datetime` filters on the hazard's "
    "date of information. Areas in geodesic m².",
    action=Action.READ_HAZARDS,
    inner_from="hazards h",
    inner_where=(official("h"),),
    inner_columns="h.id, h.reference, h.hazard_class, h.contamination, h.region, "
    "h.munitions, h.recorded_on, h.footprint_m2",
    order=(("h.reference", "reference"),),
    fid_inner="h.reference",
    fid_type="string",
    detail=f"JOIN LATERAL ({_land_of_hazard(CONTAMINATED)}) r ON true",
    geometry="r.geom",
    fields=(
        REFERENCE,
        Field(
            "hazard_class",
            land_class_sql("r.cha_m2"),
            land_class_sql(_hazard_m2(LandState.CHA.value)),
            "string",
            CLASSES,
        ),
        Field("recorded_class", "p.hazard_class", "h.hazard_class", "string", CLASSES),
        Field("sha_m2", "r.sha_m2", _hazard_m2(LandState.SHA.value), "number"),
        Field("cha_m2", "r.cha_m2", _hazard_m2(LandState.CHA.value), "number"),
        Field("remaining_m2", remaining_sql("r.sha_m2", "r.cha_m2"), _hazard_m2(None), "number"),
        CONTAMINATION,
        REGION,
        MUNITIONS,
        RECORDED_ON,
        FOOTPRINT_M2,
    ),
    geometry_inner=f"(SELECT ST_Union(s.geom) FROM land_state s WHERE s.hazard_id = h.id "
    f"AND {CONTAMINATED} AND {ALIVE})",
    bbox_condition=lambda box: f"{HAZARD_LAND} AND {meets('s.geom', box)})",
    own_date=("h.recorded_on",),
    as_of_where=("h.recorded_on <= :as_of",),
    extent_sql=f"SELECT ST_Extent(s.geom) FROM land_state s WHERE {CONTAMINATED} AND {ALIVE}",
    # A hazard holding contaminated land of which some piece is something when drawn.
    drawn=f"{HAZARD_LAND} AND {DRAWABLE})",
    # Each hazard's remaining land, piece by piece, in the class of each piece.
    tiles=Tiles(
        from_="land_state s JOIN hazards h ON h.id = s.hazard_id",
        where=(ALIVE_IN_TILE, CONTAMINATED),
        geometry="s.geom",
        low_zoom_geometry="s.low_zoom_geom",  # national rows known today (migration 0020)
        area="s.area_m2",
        properties=(
            ("reference", "h.reference", "string"),
            ("hazard_class", "s.state", "string"),
            ("recorded_class", "h.hazard_class", "string"),
            ("contamination", "h.contamination", "string"),
            ("area_m2", "s.area_m2", "number"),
        ),
        max_zoom=16,
    ),
)


def _kept(expression: str) -> str:
    """Inner SQL: ``expression`` over the kept land ``k`` of the hazard ``h``."""
    return f"(SELECT {expression} FROM hazard_land k WHERE k.hazard_id = h.id)"


# The hazards served from their kept land (``hazard_land``: app.storage.served_land), the
# union of each hazard's open stints already drawn on the CRS84 grid. It is their land as of
# every date on or after the newest date of the land state, and is served for those dates
# (app.ogc.served); the others are worked out from the land state (``HAZARDS``).
HAZARDS_KEPT = replace(
    HAZARDS,
    # On and after the newest date of the land state only: before it, nothing (and the land
    # is worked out from the land state).
    inner_where=(*HAZARDS.inner_where, f":as_of >= coalesce(({NEWEST_LAND_DATE}), :as_of)"),
    detail="JOIN hazard_land k ON k.hazard_id = p.id",
    geometry="k.land",
    drawn_geojson="k.drawn_geojson",
    fields=tuple(
        {
            "hazard_class": Field(
                "hazard_class",
                land_class_sql("k.cha_m2"),
                land_class_sql(_kept("k.cha_m2")),
                "string",
                CLASSES,
            ),
            "sha_m2": Field("sha_m2", "k.sha_m2", _kept("k.sha_m2"), "number"),
            "cha_m2": Field("cha_m2", "k.cha_m2", _kept("k.cha_m2"), "number"),
            "remaining_m2": Field(
                "remaining_m2",
                remaining_sql("k.sha_m2", "k.cha_m2"),
                _kept(remaining_sql("k.sha_m2", "k.cha_m2")),
                "number",
            ),
        }.get(f.name, f)
        for f in HAZARDS.fields
    ),
    geometry_inner=_kept("k.land"),
    bbox_condition=lambda box: (
        f"EXISTS (SELECT 1 FROM hazard_land k WHERE k.hazard_id = h.id AND {meets('k.land', box)})"
    ),
    # Whether the land is something once drawn in CRS84: this form serves that CRS alone.
    drawn="EXISTS (SELECT 1 FROM hazard_land k WHERE k.hazard_id = h.id AND k.drawable)",
)

HAZARD_RECORDS = Collection(
    id="hazard-records",
    title="Hazard records (footprints as surveyed)",
    description="The polygon of each approved hazard record as the survey team drew it, "
    "whatever happened to its land since. `datetime` filters on the date of information.",
    action=Action.READ_HAZARDS,
    inner_from="hazards h",
    inner_where=(official("h"),),
    inner_columns="h.reference, h.hazard_class, h.contamination, h.region, h.munitions, "
    "h.recorded_on, h.footprint_m2, h.notes, h.footprint",
    order=(("h.reference", "reference"),),
    fid_inner="h.reference",
    fid_type="string",
    detail="",
    geometry="p.footprint",
    fields=(
        REFERENCE,
        Field("hazard_class", "p.hazard_class", "h.hazard_class", "string", CLASSES),
        CONTAMINATION,
        REGION,
        MUNITIONS,
        RECORDED_ON,
        FOOTPRINT_M2,
        Field("notes", "p.notes", "h.notes", "string"),
    ),
    geometry_inner="h.footprint",
    bbox_condition=lambda box: meets("h.footprint", box),
    own_date=("h.recorded_on",),
    as_of_where=None,
    extent_sql=f"SELECT ST_Extent(h.footprint) FROM hazards h WHERE {official('h')}",
    drawn="drawable(h.footprint, :draw_srid, :draw_grid)",
)

EVENTS = Collection(
    id="events",
    title="Land-release events (effective land)",
    description="Each official fact of the ledger (cancellation, reduction, clearance, "
    "confirmation, correction) with the land it actually changed (its effective geometry), "
    "which may be less than the polygon submitted. `datetime` filters on the date of the fact.",
    action=Action.READ_HAZARDS,
    inner_from="events e JOIN hazards h ON h.id = e.hazard_id",
    inner_where=(
        official("e"),
        official("h"),
        not_voided("e").sql,
    ),
    inner_columns="e.id, e.seq, h.reference, e.kind, e.occurred_on, e.operator, e.method, "
    "e.report_ref, e.requested_m2, e.items",
    order=(("e.id", "id"),),
    fid_inner="e.id",
    fid_type="integer",
    detail=f"""LEFT JOIN LATERAL (
        SELECT sum(s.area_m2) AS m2, ST_Union(s.geom) AS geom FROM land_state s
         WHERE s.since_seq = p.seq AND {CURRENT}
    ) r ON true""",
    geometry="r.geom",
    fields=(
        Field("id", "p.id", "e.id", "integer"),
        Field("hazard", "p.reference", "h.reference", "string"),
        Field("kind", "p.kind", "e.kind", "string", KINDS),
        Field("date", "p.occurred_on", "e.occurred_on", "date"),
        Field("operator", "p.operator", "e.operator", "string"),
        Field("method", "p.method", "e.method", "string"),
        Field("report_ref", "p.report_ref", "e.report_ref", "string"),
        Field("requested_m2", "p.requested_m2", "e.requested_m2", "number"),
        Field("effective_m2", "coalesce(r.m2, 0)", _event_m2(), "number"),
        # Items destroyed by type, as JSON: filtered on as text (LIKE '%"BLU-26"%').
        Field("items", "p.items", "CAST(e.items AS text)", "string"),
    ),
    geometry_inner=f"(SELECT ST_Union(s.geom) FROM land_state s WHERE s.since_seq = e.seq "
    f"AND {CURRENT})",
    bbox_condition=lambda box: (
        f"e.footprint && {box} AND EXISTS (SELECT 1 FROM land_state s "
        f"WHERE s.since_seq = e.seq AND {CURRENT} AND ST_Intersects(s.geom, {box}))"
    ),
    own_date=("e.occurred_on",),
    as_of_where=None,
    extent_sql="SELECT ST_Extent(e.footprint) FROM events e JOIN hazards h ON h.id = e.hazard_id "
    f"WHERE {official('e')} AND {official('h')} AND {not_voided('e').sql}",
    # An event that changed land of which some piece is something when drawn.
    drawn=f"EXISTS (SELECT 1 FROM land_state s WHERE s.since_seq = e.seq "
    f"AND {CURRENT} AND {DRAWABLE})",
)

LAND = Collection(
    id="land",
    title="Land by state (IMAS land-release categories)",
    description="The land of every hazard as of `as_of` (default today), cut into pieces "
    "that each had one history: suspected (SHA), confirmed (CHA), cancelled, reduced, "
    "cleared or corrected. Pieces of one date never overlap. `datetime` selects the pieces "
    "whose state held at some time in it (from `since` until the day before `until`). This "
    "is what the map and its vector tiles draw.",
    action=Action.READ_HAZARDS,
    inner_from="land_state s JOIN hazards h ON h.id = s.hazard_id",
    inner_where=(CURRENT,),
    inner_columns="s.id, s.geom, s.state, s.area_m2, s.region_code, s.since_on, s.until_on, "
    "h.reference, h.contamination",
    order=(("s.id", "id"),),
    fid_inner="s.id",
    fid_type="integer",
    detail="",
    geometry="p.geom",
    fields=(
        Field("id", "p.id", "s.id", "integer"),
        Field("state", "p.state", "s.state", "string", STATES),
        Field("hazard", "p.reference", "h.reference", "string"),
        Field("contamination", "p.contamination", "h.contamination", "string", CONTAMINATIONS),
        Field("area_m2", "p.area_m2", "s.area_m2", "number"),
        Field("region_code", "p.region_code", "s.region_code", "string"),
        Field("since", "p.since_on", "s.since_on", "date"),
        Field("until", "p.until_on", "s.until_on", "date"),
    ),
    geometry_inner="s.geom",
    bbox_condition=lambda box: meets("s.geom", box),
    own_date=("s.since_on", "s.until_on"),
    as_of_where=(alive("s"),),
    extent_sql=f"SELECT ST_Extent(s.geom) FROM land_state s WHERE {ALIVE}",
    drawn=DRAWABLE,
    tiles=Tiles(
        from_="land_state s JOIN hazards h ON h.id = s.hazard_id",
        where=(ALIVE_IN_TILE,),
        geometry="s.geom",
        low_zoom_geometry="s.low_zoom_geom",  # national rows known today (migration 0020)
        area="s.area_m2",
        properties=(
            ("state", "s.state", "string"),
            ("hazard", "h.reference", "string"),
            ("contamination", "h.contamination", "string"),
            ("area_m2", "s.area_m2", "number"),
        ),
        max_zoom=16,
    ),
)


_SHARE = f"{_region_m2(None)} / g.area_m2"

REGIONS = Collection(
    id="regions",
    title="Administrative regions with their remaining contamination",
    description="Provinces (level 1) and districts (level 2) with the land still suspected "
    "or confirmed in each as of `as_of` (default today; land crossing a boundary split by "
    "geometry).",
    action=Action.READ_TOTALS,
    inner_from="regions g",
    inner_where=(),
    inner_columns="g.code, g.name, g.level, g.parent_code, g.area_m2, g.geom",
    order=(("g.level", "level"), ("g.code", "code")),
    fid_inner="g.code",
    fid_type="string",
    detail=f"""LEFT JOIN LATERAL (
        SELECT {contaminated_sums()}
          FROM land_state s
         WHERE s.region_code IN ({codes_within("p.code")})
           AND {CONTAMINATED} AND {ALIVE}
    ) r ON true""",
    geometry="p.geom",
    fields=(
        Field("code", "p.code", "g.code", "string"),
        Field("name", "p.name", "g.name", "string"),
        Field("level", "p.level", "g.level", "integer", (1, 2)),
        Field("parent_code", "p.parent_code", "g.parent_code", "string"),
        Field("area_m2", "p.area_m2", "g.area_m2", "number"),
        Field("sha_m2", "r.sha_m2", _region_m2(LandState.SHA.value), "number"),
        Field("cha_m2", "r.cha_m2", _region_m2(LandState.CHA.value), "number"),
        Field("remaining_m2", remaining_sql("r.sha_m2", "r.cha_m2"), _region_m2(None), "number"),
        # The share of the region still contaminated: the national map's choropleth.
        Field(
            "remaining_share",
            f"{remaining_sql('r.sha_m2', 'r.cha_m2')} / p.area_m2",
            _SHARE,
            "number",
        ),
        # Where a map puts the region's name: a point inside it.
        Field(
            "label_lon",
            "ST_X(ST_PointOnSurface(p.geom))",
            "ST_X(ST_PointOnSurface(g.geom))",
            "number",
        ),
        Field(
            "label_lat",
            "ST_Y(ST_PointOnSurface(p.geom))",
            "ST_Y(ST_PointOnSurface(g.geom))",
            "number",
        ),
    ),
    geometry_inner="g.geom",
    bbox_condition=lambda box: meets("g.geom", box),
    own_date=(),
    as_of_where=(),
    extent_sql="SELECT ST_Extent(g.geom) FROM regions g",
    tiles=Tiles(
        from_="regions g",
        where=(),
        geometry="g.geom",
        area="g.area_m2",
        properties=(
            ("code", "g.code", "string"),
            ("name", "g.name", "string"),
            ("level", "g.level", "integer"),
            ("remaining_share", _SHARE, "number"),
        ),
        max_zoom=12,
    ),
)

# The kept form of a collection, by id (``app.ogc.served`` asks it first).
KEPT_FORMS: dict[str, Collection] = {HAZARDS.id: HAZARDS_KEPT}

COLLECTIONS: dict[str, Collection] = {
    c.id: c for c in (HAZARDS, HAZARD_RECORDS, EVENTS, LAND, REGIONS)
}
# The collections whose tiles the dataset tileset (/ogc/tiles) joins, bottom layer first:
# what the style draws.
DATASET_TILES = (REGIONS, LAND)
