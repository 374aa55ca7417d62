"""Land-release events as a caller may see them (``View``): each with the land it changed,
as known at a moment; a hazard's timeline, one event, all of them with their land as WKB
for exports, and the items destroyed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, text

from app.geo.bbox import Box
from app.ledger.scopes import NATIONAL
from app.ledger.states import fact_areas
from app.storage import phone_submissions
from app.storage.conditions import (
    View,
    known,
    not_voided,
    official,
    visible,
    void_known,
    within_boxes,
)
from app.storage.drawing import as_geojson, drawn
from app.storage.sql import TRUE, Clause, all_of, merged


def _official(view: View) -> list[Clause]:
    """The official events (``e``, of hazards ``h``) the view shows: of its scope, and not
    voided as known at its moment."""
    return [
        visible("e", view),
        Clause(official("e")),
        TRUE
        if view.scope == NATIONAL
        else Clause("h.contamination = :scope", {"scope": view.scope}),
        not_voided("e", view.known_at),
    ]


def _events(view: View) -> Clause:
    """Events the view shows, with their hazard's reference, their void and the land each
    changed in the national scope."""
    now = known("s", view.known_at)
    voids = void_known("v", view.known_at)
    shown = visible("e", view)
    return Clause(
        f"""
        SELECT e.id, h.reference AS hazard_reference, e.kind, e.occurred_on AS date,
               e.operator, e.method, e.items, e.report_ref, e.requested_m2, e.recorded_at,
               e.recorded_by, e.organisation_id, e.status, e.reviewed_by, e.reviewed_at,
               e.review_reason, e.import_id,
               coalesce(eff.m2, 0) AS effective_m2, coalesce(eff.absorbed_m2, 0) AS absorbed_m2,
               v.reason AS void_reason, v.recorded_at AS voided_at, v.voided_by,
               {as_geojson("e.footprint")} AS geometry
          FROM events e
          JOIN hazards h ON h.id = e.hazard_id
          LEFT JOIN event_voids v ON v.event_id = e.id AND {voids.sql}
          LEFT JOIN LATERAL (
              SELECT sum(s.area_m2) AS m2, sum(s.absorbed_m2) AS absorbed_m2 FROM land_state s
               WHERE s.since_seq = e.seq AND s.scope = '{NATIONAL}' AND {now.sql}
          ) eff ON true
         WHERE {shown.sql}
        """,
        merged(now.params, voids.params, shown.params),
    )


def hazard_events(
    conn: Connection, hazard_id: int, view: View, changed_here: dict[int, float] | None = None
) -> list[dict[str, Any]]:
    """The hazard's events in ledger order, with the land each changed (national scope), and
    the events of other hazards that changed its land (``changed_here``: event id -> m²),
    each with ``changed_here_m2``."""
    others = changed_here or {}
    events = _events(view)
    rows = conn.execute(
        text(
            f"{events.sql} AND (e.hazard_id = :hazard_id OR e.id = ANY(:others)) "
            "ORDER BY e.occurred_on, e.seq"
        ),
        merged(events.params, {"hazard_id": hazard_id, "others": list(others)}),
    )
    timeline = [_event(row) for row in rows]
    for event in timeline:
        if event["id"] in others:
            event["changed_here_m2"] = others[event["id"]]
    return with_photos(conn, timeline)


def with_photos(conn: Connection, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events, each with the photos a phone sent with it: whoever sees an event (the view
    decided) sees its photos, and no one else."""
    sent = phone_submissions.photos_of_imports(
        conn, [e["import_id"] for e in events if e["import_id"] is not None]
    )
    for event in events:
        event["photos"] = sent.get(event["import_id"], [])
    return events


def event_detail(conn: Connection, event_id: int, view: View) -> dict[str, Any] | None:
    """The event of ``event_id`` as the view shows it (None when it shows none)."""
    events = _events(view)
    row = conn.execute(
        text(f"{events.sql} AND e.id = :id"), merged(events.params, {"id": event_id})
    ).first()
    return with_photos(conn, [_event(row)])[0] if row else None


def _event(row: Any) -> dict[str, Any]:
    values: dict[str, Any] = row._asdict()
    # The polygon submitted; none when it is thinner than the grid it is drawn on.
    values["geometry"] = json.loads(values["geometry"]) if values["geometry"] else None
    values["voided"] = values["voided_at"] is not None
    return _with_fact_areas(values)


def _with_fact_areas(event: dict[str, Any]) -> dict[str, Any]:
    event["absorbed_m2"], event["ineffective_m2"] = fact_areas(
        event["requested_m2"], event["effective_m2"], event["absorbed_m2"]
    )
    return event


def effective_areas(
    conn: Connection, view: View, boxes: Sequence[Box] | None
) -> list[dict[str, Any]]:
    """Every official event dated by the view's date with the land it changed (as WKB) and
    the part of its polygon that changed nothing (ineffective_m2)."""
    now = known("s", view.known_at)
    where = all_of(
        [
            *_official(view),
            Clause("e.occurred_on <= :as_of", {"as_of": view.as_of}),
            within_boxes("e.footprint", boxes or ()),
        ]
    )
    rows = conn.execute(
        text(
            f"""
            SELECT e.id, e.id AS event_id, h.reference AS hazard, e.kind,
                   e.occurred_on AS date, e.operator, e.method, e.items, e.report_ref,
                   e.requested_m2, eff.m2 AS effective_m2, eff.absorbed_m2,
                   ST_AsBinary(eff.geom) AS geometry
              FROM events e
              JOIN hazards h ON h.id = e.hazard_id
              JOIN LATERAL (
                  SELECT sum(s.area_m2) AS m2, sum(s.absorbed_m2) AS absorbed_m2,
                         ST_Union(s.geom) AS geom
                    FROM land_state s
                   WHERE s.since_seq = e.seq AND s.scope = :scope AND {now.sql}
              ) eff ON eff.geom IS NOT NULL
             WHERE {where.sql}
             ORDER BY e.occurred_on, e.seq
            """
        ),
        merged(where.params, now.params, {"scope": view.scope}),
    )
    return drawn(_with_fact_areas(row._asdict()) for row in rows)


def items_destroyed(
    conn: Connection, view: View, start: date, end: date
) -> list[tuple[int, str, int]]:
    """(year, item type, count) destroyed by official events dated in (start, end]."""
    where = all_of(
        [
            *_official(view),
            Clause(
                "e.occurred_on > :start AND e.occurred_on <= :end", {"start": start, "end": end}
            ),
        ]
    )
    rows = conn.execute(
        text(
            f"""
            SELECT extract(year FROM e.occurred_on)::int AS year, item.key AS type,
                   sum(item.value::bigint) AS count
              FROM events e
              JOIN hazards h ON h.id = e.hazard_id
              CROSS JOIN LATERAL jsonb_each_text(e.items) AS item
             WHERE {where.sql}
             GROUP BY 1, 2
             ORDER BY 1, 2
            """
        ),
        where.params,
    )
    return [(year, kind, int(count)) for year, kind, count in rows]
