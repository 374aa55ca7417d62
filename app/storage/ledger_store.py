"""Reading and writing the ledger's facts and land-state pieces in PostGIS."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.geo.polygons import as_multipolygon
from app.ledger.parcels import Parcel, Stint
from app.ledger.replay import LedgerFact
from app.ledger.states import EventKind, HazardClass, LandState, LedgerKey

ALL = "all"

# Every fact of the ledger, hazard records and events alike, in one shape: those approved,
# and those of :with_seqs (pending facts being previewed). Voided events are left out: the
# figures behave as if they never happened.
FACTS = """
    SELECT h.seq, h.recorded_on AS on_date, h.id AS hazard_id, h.hazard_class AS kind,
           h.contamination, h.footprint
      FROM hazards h
     WHERE h.status = 'approved' OR h.seq = ANY(:with_seqs)
    UNION ALL
    SELECT e.seq, e.occurred_on, e.hazard_id, e.kind, h.contamination, e.footprint
      FROM events e JOIN hazards h ON h.id = e.hazard_id
     WHERE (e.status = 'approved' OR e.seq = ANY(:with_seqs))
       AND (h.status = 'approved' OR h.seq = ANY(:with_seqs))
       AND NOT EXISTS (SELECT 1 FROM event_voids v WHERE v.event_id = e.id)
"""


def lock_ledger(conn: Connection) -> datetime:
    """Serialise writers (a fact's effect depends on every fact recorded before it) and return
    the ledger time of this transaction: taken once the lock is held, so that ledger times
    follow the order in which writes become visible."""
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('landrelease.ledger'))"))
    return conn.execute(text("SELECT clock_timestamp()")).scalar_one()


def knowledge(known_at: datetime | None, alias: str = "") -> tuple[str, dict]:
    """SQL condition on land-state rows: as the database stands now, or as it stood then."""
    prefix = f"{alias}." if alias else ""
    if known_at is None:
        return f"{prefix}known_until IS NULL", {}
    return (
        f"{prefix}known_from <= :known_at "
        f"AND ({prefix}known_until IS NULL OR {prefix}known_until > :known_at)",
        {"known_at": known_at},
    )


def fact_kind(kind: str) -> EventKind | HazardClass:
    return HazardClass(kind) if kind in HazardClass.__members__ else EventKind(kind)


def active_facts(
    conn: Connection,
    scope: str,
    region: BaseGeometry | None = None,
    start: LedgerKey | None = None,
    with_seqs: Sequence[int] = (),
) -> list[LedgerFact]:
    """Approved facts of ``scope`` (and the pending ones of ``with_seqs``) in ledger order;
    only those overlapping ``region`` and from ``start`` on, when given."""
    conditions = ["(:scope = 'all' OR f.contamination = :scope)"]
    params: dict = {"scope": scope, "with_seqs": list(with_seqs)}
    if region is not None:
        conditions.append("ST_Intersects(f.footprint, ST_GeomFromWKB(:region, 4326))")
        params["region"] = region.wkb
    if start is not None:
        conditions.append("(f.on_date, f.seq) >= (:on, :seq)")
        params.update(on=start.on, seq=start.seq)
    rows = conn.execute(
        text(
            f"""
            SELECT f.seq, f.on_date, f.hazard_id, f.kind, ST_AsBinary(f.footprint),
                   f.contamination
              FROM ({FACTS}) f
             WHERE {" AND ".join(conditions)}
             ORDER BY f.on_date, f.seq
            """
        ),
        params,
    )
    return [
        LedgerFact(LedgerKey(on, seq), hazard_id, fact_kind(kind), shapely.from_wkb(wkb), c)
        for seq, on, hazard_id, kind, wkb, c in rows
    ]


def rows_overlapping(
    conn: Connection, scopes: Sequence[str], region: BaseGeometry
) -> dict[str, list[tuple[int, BaseGeometry, float, Stint]]]:
    """Stored rows (stints of every time) whose land overlaps or touches ``region``, by scope."""
    rows = conn.execute(
        text(
            """
            SELECT scope, id, ST_AsBinary(geom), area_m2, state, previous_state, hazard_id,
                   since_on, since_seq, until_on, until_seq
              FROM land_state
             WHERE scope = ANY(:scopes) AND known_until IS NULL
               AND ST_Intersects(geom, ST_GeomFromWKB(:region, 4326))
            """
        ),
        {"scopes": list(scopes), "region": region.wkb},
    )
    by_scope: dict[str, list[tuple[int, BaseGeometry, float, Stint]]] = {s: [] for s in scopes}
    for scope, row_id, wkb, area_m2, *rest in rows:
        by_scope[scope].append((row_id, shapely.from_wkb(wkb), area_m2, _stint(rest)))
    return by_scope


def _stint(row: Sequence) -> Stint:
    state, previous, hazard_id, since_on, since_seq, until_on, until_seq = row
    return Stint(
        state=LandState(state),
        previous=LandState(previous) if previous else None,
        hazard_id=hazard_id,
        since=LedgerKey(since_on, since_seq),
        until=LedgerKey(until_on, until_seq) if until_seq is not None else None,
    )


_COLUMNS = (
    "scope, geom, area_m2, state, previous_state, hazard_id, "
    "since_on, since_seq, until_on, until_seq, known_from"
)


def _rows(
    scoped: Iterable[tuple[str, Parcel]], geometry: Callable, at: datetime
) -> Iterator[tuple]:
    for scope, parcel in scoped:
        geom = geometry(as_multipolygon(parcel.geometry))
        for stint in parcel.stints:
            yield (
                scope,
                geom,
                parcel.area_m2,
                stint.state.value,
                stint.previous.value if stint.previous else None,
                stint.hazard_id,
                stint.since.on,
                stint.since.seq,
                stint.until.on if stint.until else None,
                stint.until.seq if stint.until else None,
                at,
            )


def replace_parcels(
    conn: Connection,
    removed_ids: list[int],
    scoped: Iterable[tuple[str, Parcel]],
    at: datetime,
) -> None:
    """Retire the removed rows and add the new ones, both at ledger time ``at``: old versions
    stay, so the land state as it stood at any past moment can still be read."""
    if removed_ids:
        conn.execute(
            text("UPDATE land_state SET known_until = :at WHERE id = ANY(:ids)"),
            {"ids": removed_ids, "at": at},
        )
    names = (
        "scope",
        "geom",
        "area",
        "state",
        "previous",
        "hazard_id",
        "since_on",
        "since_seq",
        "until_on",
        "until_seq",
        "known_from",
    )
    rows = [dict(zip(names, row, strict=True)) for row in _rows(scoped, _wkb, at)]
    if rows:
        conn.execute(
            text(
                f"""
                INSERT INTO land_state ({_COLUMNS})
                VALUES (:scope, ST_GeomFromWKB(:geom, 4326), :area, :state, :previous,
                        :hazard_id, :since_on, :since_seq, :until_on, :until_seq, :known_from)
                """
            ),
            rows,
        )


def copy_parcels(conn: Connection, scoped: Iterable[tuple[str, Parcel]], at: datetime) -> int:
    """Bulk-write (scope, parcel) pairs with COPY (used when the whole ledger is rebuilt)."""
    count = 0
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY land_state ({_COLUMNS}) FROM STDIN") as copy:
        for row in _rows(scoped, _ewkb_hex, at):
            copy.write_row(row)
            count += 1
    return count


def _wkb(geometry: BaseGeometry) -> bytes:
    return geometry.wkb


def _ewkb_hex(geometry: BaseGeometry) -> str:
    return shapely.to_wkb(shapely.set_srid(geometry, 4326), hex=True, include_srid=True)


def scopes_of(contamination: str) -> tuple[str, str]:
    """The models a fact takes part in: the national one and its contamination type's."""
    return (ALL, contamination)
