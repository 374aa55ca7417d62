"""The feature collections served through OGC API – Features, as SQL.

Each collection is paged in an inner query over its own rows (filters, order, limit), and
only the rows of the page get their expensive parts (the union of the land a hazard holds
at a date, say) in lateral joins: a page of 10 costs 10 unions, whatever the offset.
Land is read from the replayed land state, so every figure is the ledger's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from app.auth.policy import Action
from app.ledger.scopes import NATIONAL
from app.ogc.cql2 import Queryable
from app.storage.conditions import alive, contaminated, known, not_voided, official
from app.storage.figures import contaminated_sums, land_class_sql, remaining_sql
from app.storage.regions import codes_within

# A land-state row of the national scope as the database holds it now...
CURRENT = f"s.scope = '{NATIONAL}' AND {known('s').sql}"
# ...and alive at :as_of.
ALIVE = f"{CURRENT} AND {alive('s')}"
CONTAMINATED = contaminated("s")
# A land-state row whose land is something when drawn (a migration's SQL function).
DRAWABLE = "drawable(s.geom, :draw_srid, :draw_grid)"


def meets(geometry: str, box: str) -> str:
    """SQL: the geometry ``geometry`` meets the geometry ``box`` (index-assisted)."""
    return f"{geometry} && {box} AND ST_Intersects({geometry}, {box})"


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
    properties: tuple[tuple[str, str], ...]  # (name, outer SQL)
    queryables: dict[str, Queryable]
    # Inner SQL: the feature meets the lon/lat geometry whose SQL it is given.
    bbox_condition: Callable[[str], str]
    # "as_of": datetime is the date of the state shown; otherwise an inner date column that
    # datetime filters on.
    temporal: str
    # numberMatched is given: only where counting is cheap whatever the size of the programme
    # (the regions); clients page until there is no next link otherwise.
    count_cheaply: bool
    # Vector tiles: the inner geometry drawn and the properties each tile feature carries
    # (inner SQL); None: the collection has no tiles.
    tile_geometry: str | None = None
    # (name, SQL, JSON type) of each property a vector tile carries.
    tile_properties: tuple[tuple[str, str, str], ...] = field(default=())
    tile_area: str | None = None  # inner SQL of a feature's area in m² (skips specks)
    # Inner SQL: the feature's land is something once drawn in the CRS :draw_srid on the
    # grid :draw_grid of the digits written. Features whose land is nothing there (pieces
    # micrometres wide that overlays leave along shared edges) are left out of pages,
    # single features and counts alike: never served with an empty geometry.
    drawn: str | None = None

    @property
    def as_of_state(self) -> bool:
        return self.temporal == "as_of"


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


HAZARDS = Collection(
    id="hazards",
    title="Hazardous areas (remaining contaminated land)",
    description="Each hazard's land still suspected (SHA) or confirmed (CHA) as of `datetime` "
    "(default today): its footprint minus what was cancelled, reduced, cleared or "
    "corrected, and minus land taken by later hazards. Areas in geodesic m².",
    action=Action.READ_HAZARDS,
    inner_from="hazards h",
    inner_where=(official("h"), "h.recorded_on <= :as_of"),
    inner_columns="h.id, h.reference, h.hazard_class, h.contamination, h.region, "
    "h.munitions, h.recorded_on, h.footprint_m2",
    order=(("h.reference", "reference"),),
    fid_inner="h.reference",
    fid_type="string",
    detail=f"JOIN LATERAL ({_land_of_hazard(CONTAMINATED)}) r ON true",
    geometry="r.geom",
    properties=(
        ("reference", "p.reference"),
        ("hazard_class", land_class_sql("r.cha_m2")),
        ("recorded_class", "p.hazard_class"),
        ("sha_m2", "r.sha_m2"),
        ("cha_m2", "r.cha_m2"),
        ("remaining_m2", remaining_sql("r.sha_m2", "r.cha_m2")),
        ("contamination", "p.contamination"),
        ("region", "p.region"),
        ("munitions", "array_to_string(p.munitions, ', ')"),
        ("recorded_on", "p.recorded_on"),
        ("footprint_m2", "p.footprint_m2"),
        ("as_of", "CAST(:as_of AS date)"),
    ),
    queryables={
        "reference": Queryable("h.reference", "string"),
        "recorded_class": Queryable("h.hazard_class", "string"),
        "contamination": Queryable("h.contamination", "string"),
        "region": Queryable("h.region", "string"),
        "recorded_on": Queryable("h.recorded_on", "date"),
        "footprint_m2": Queryable("h.footprint_m2", "number"),
        "geometry": Queryable(
            f"(SELECT ST_Union(s.geom) FROM land_state s WHERE s.hazard_id = h.id "
            f"AND {CONTAMINATED} AND {ALIVE})",
            "geometry",
        ),
    },
    bbox_condition=lambda box: (
        "EXISTS (SELECT 1 FROM land_state s WHERE s.hazard_id = h.id "
        f"AND {CONTAMINATED} AND {ALIVE} AND {meets('s.geom', box)})"
    ),
    temporal="as_of",
    count_cheaply=False,
    # A hazard holding contaminated land of which some piece is something when drawn.
    drawn=f"EXISTS (SELECT 1 FROM land_state s WHERE s.hazard_id = h.id AND {CONTAMINATED} "
    f"AND {ALIVE} AND {DRAWABLE})",
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
    properties=(
        ("reference", "p.reference"),
        ("hazard_class", "p.hazard_class"),
        ("contamination", "p.contamination"),
        ("region", "p.region"),
        ("munitions", "array_to_string(p.munitions, ', ')"),
        ("recorded_on", "p.recorded_on"),
        ("footprint_m2", "p.footprint_m2"),
        ("notes", "p.notes"),
    ),
    queryables={
        "reference": Queryable("h.reference", "string"),
        "hazard_class": Queryable("h.hazard_class", "string"),
        "contamination": Queryable("h.contamination", "string"),
        "region": Queryable("h.region", "string"),
        "recorded_on": Queryable("h.recorded_on", "date"),
        "footprint_m2": Queryable("h.footprint_m2", "number"),
        "geometry": Queryable("h.footprint", "geometry"),
    },
    bbox_condition=lambda box: meets("h.footprint", box),
    temporal="h.recorded_on",
    count_cheaply=False,
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
    properties=(
        ("hazard", "p.reference"),
        ("kind", "p.kind"),
        ("date", "p.occurred_on"),
        ("operator", "p.operator"),
        ("method", "p.method"),
        ("report_ref", "p.report_ref"),
        ("requested_m2", "p.requested_m2"),
        ("effective_m2", "coalesce(r.m2, 0)"),
        ("items", "p.items"),
    ),
    queryables={
        "hazard": Queryable("h.reference", "string"),
        "kind": Queryable("e.kind", "string"),
        "date": Queryable("e.occurred_on", "date"),
        "operator": Queryable("e.operator", "string"),
        "method": Queryable("e.method", "string"),
        "report_ref": Queryable("e.report_ref", "string"),
        "requested_m2": Queryable("e.requested_m2", "number"),
        "geometry": Queryable(
            f"(SELECT ST_Union(s.geom) FROM land_state s WHERE s.since_seq = e.seq AND {CURRENT})",
            "geometry",
        ),
    },
    bbox_condition=lambda box: (
        f"e.footprint && {box} AND EXISTS (SELECT 1 FROM land_state s "
        f"WHERE s.since_seq = e.seq AND {CURRENT} AND ST_Intersects(s.geom, {box}))"
    ),
    temporal="e.occurred_on",
    count_cheaply=False,
    # An event that changed land of which some piece is something when drawn.
    drawn=f"EXISTS (SELECT 1 FROM land_state s WHERE s.since_seq = e.seq "
    f"AND {CURRENT} AND {DRAWABLE})",
)

LAND = Collection(
    id="land",
    title="Land by state (IMAS land-release categories)",
    description="The land of every hazard as of `datetime`, cut into pieces that each had one "
    "history: suspected (SHA), confirmed (CHA), cancelled, reduced, cleared or corrected. "
    "Pieces never overlap. This is what the map and its vector tiles draw.",
    action=Action.READ_HAZARDS,
    inner_from="land_state s JOIN hazards h ON h.id = s.hazard_id",
    inner_where=(ALIVE,),
    inner_columns="s.id, s.geom, s.state, s.area_m2, s.region_code, s.since_on, h.reference, "
    "h.contamination",
    order=(("s.id", "id"),),
    fid_inner="s.id",
    fid_type="integer",
    detail="",
    geometry="p.geom",
    properties=(
        ("state", "p.state"),
        ("hazard", "p.reference"),
        ("contamination", "p.contamination"),
        ("area_m2", "p.area_m2"),
        ("region_code", "p.region_code"),
        ("since", "p.since_on"),
        ("as_of", "CAST(:as_of AS date)"),
    ),
    queryables={
        "state": Queryable("s.state", "string"),
        "hazard": Queryable("h.reference", "string"),
        "contamination": Queryable("h.contamination", "string"),
        "area_m2": Queryable("s.area_m2", "number"),
        "region_code": Queryable("s.region_code", "string"),
        "since": Queryable("s.since_on", "date"),
        "geometry": Queryable("s.geom", "geometry"),
    },
    bbox_condition=lambda box: meets("s.geom", box),
    temporal="as_of",
    count_cheaply=False,
    drawn=DRAWABLE,
    tile_geometry="s.geom",
    tile_area="s.area_m2",
    tile_properties=(
        ("state", "s.state", "string"),
        ("hazard", "h.reference", "string"),
        ("contamination", "h.contamination", "string"),
        ("area_m2", "s.area_m2", "number"),
    ),
)


REGIONS = Collection(
    id="regions",
    title="Administrative regions with their remaining contamination",
    description="Provinces (level 1) and districts (level 2) with the land still suspected "
    "or confirmed in each as of `datetime` (land crossing a boundary split by geometry).",
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
    properties=(
        ("code", "p.code"),
        ("name", "p.name"),
        ("level", "p.level"),
        ("parent_code", "p.parent_code"),
        ("area_m2", "p.area_m2"),
        ("sha_m2", "r.sha_m2"),
        ("cha_m2", "r.cha_m2"),
        ("remaining_m2", remaining_sql("r.sha_m2", "r.cha_m2")),
        ("as_of", "CAST(:as_of AS date)"),
        # Where a map puts the region's name: a point inside it.
        ("label_lon", "ST_X(ST_PointOnSurface(p.geom))"),
        ("label_lat", "ST_Y(ST_PointOnSurface(p.geom))"),
    ),
    queryables={
        "code": Queryable("g.code", "string"),
        "name": Queryable("g.name", "string"),
        "level": Queryable("g.level", "integer"),
        "parent_code": Queryable("g.parent_code", "string"),
        "area_m2": Queryable("g.area_m2", "number"),
        "geometry": Queryable("g.geom", "geometry"),
    },
    bbox_condition=lambda box: meets("g.geom", box),
    temporal="as_of",
    count_cheaply=True,
    tile_geometry="g.geom",
    tile_area="g.area_m2",
    tile_properties=(
        ("code", "g.code", "string"),
        ("name", "g.name", "string"),
        ("level", "g.level", "integer"),
        # The share of the region still contaminated: the national map's choropleth.
        (
            "remaining_share",
            "(SELECT coalesce(sum(s.area_m2), 0) FROM land_state s "
            f"WHERE s.region_code IN ({codes_within('g.code')}) "
            f"AND {CONTAMINATED} AND {ALIVE}) / g.area_m2",
            "number",
        ),
    ),
)

COLLECTIONS: dict[str, Collection] = {
    c.id: c for c in (HAZARDS, HAZARD_RECORDS, EVENTS, LAND, REGIONS)
}
