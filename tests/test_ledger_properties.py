"""Random overlapping polygons and random facts, recorded in random order (so often back-dated)
and sometimes voided: every figure must match the independent face-by-face reference, land must
be counted once and the balance must hold for every period."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import shapely
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from shapely import affinity, box
from shapely.geometry import MultiPolygon
from sqlalchemy import text

from app.accounting import figures
from app.db import engine, owner_engine
from app.ledger.states import Contamination, EventKind, HazardClass
from app.services import recording
from app.settings import LedgerSettings
from tests.conftest import LEDGER_TABLES
from tests.support.reference import ReferenceModel, RefFact, area_m2
from tests.support.shapes import ORIGIN_E, ORIGIN_N, lonlat

# Accept every fact, even one that overshoots its hazard or changes nothing: the model must
# cope with all of them.
ACCEPT_ALL = LedgerSettings(
    outside_hazard_max_fraction=1.0, outside_hazard_max_m2=1e18, min_effective_m2=-1.0
)
DAY0 = date(2010, 1, 1)

pytestmark = pytest.mark.db  # records every scenario in PostGIS


@st.composite
def shapes(draw: st.DrawFn):
    # Hazards and survey polygons of 50 m to 400 m across, overlapping often.
    x0 = draw(st.integers(0, 40)) * 10
    y0 = draw(st.integers(0, 40)) * 10
    width = draw(st.integers(5, 40)) * 10
    height = draw(st.integers(5, 40)) * 10
    local = box(ORIGIN_E + x0, ORIGIN_N + y0, ORIGIN_E + x0 + width, ORIGIN_N + y0 + height)
    angle = draw(st.sampled_from([0, 0, 0, 17, 45]))
    if angle:
        local = affinity.rotate(local, angle, origin="centroid")
    if draw(st.booleans()) and width > 60 and height > 60:
        local = local.difference(local.centroid.buffer(min(width, height) / 5, quad_segs=4))
    return lonlat(local)


@dataclass
class HazardPlan:
    reference: str
    hazard_class: HazardClass
    contamination: Contamination
    day: int
    geometry: object


@dataclass
class EventPlan:
    hazard: int
    kind: EventKind
    day: int
    geometry: object
    voided: bool


@st.composite
def scenarios(draw: st.DrawFn):
    hazards = [
        HazardPlan(
            reference=f"H{i}",
            hazard_class=draw(st.sampled_from(list(HazardClass))),
            contamination=draw(st.sampled_from([Contamination.CMR, Contamination.AP_MINE])),
            day=draw(st.integers(0, 2000)),
            geometry=draw(shapes()),
        )
        for i in range(draw(st.integers(1, 4)))
    ]
    events = []
    for _ in range(draw(st.integers(0, 7))):
        h = draw(st.integers(0, len(hazards) - 1))
        events.append(
            EventPlan(
                hazard=h,
                kind=draw(st.sampled_from(list(EventKind))),
                day=hazards[h].day + draw(st.integers(0, 1500)),
                geometry=draw(shapes()),
                voided=draw(st.integers(0, 5)) == 0,
            )
        )
    # Recording order: random, except that a hazard comes before its own events.
    items = [("hazard", i) for i in range(len(hazards))] + [
        ("event", i) for i in range(len(events))
    ]
    order = draw(st.permutations(items))
    ordered = [x for x in order if x[0] == "hazard"] + [x for x in order if x[0] == "event"]
    if draw(st.booleans()):
        ordered = _hazards_first_only_where_needed(order, events)
    return hazards, events, ordered


def _hazards_first_only_where_needed(order, events):
    result, seen = [], set()
    pending = list(order)
    while pending:
        for item in pending:
            if item[0] == "hazard" or events[item[1]].hazard in seen:
                result.append(item)
                if item[0] == "hazard":
                    seen.add(item[1])
                pending.remove(item)
                break
    return result


def _day(n: int) -> date:
    return DAY0 + timedelta(days=n)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenarios())
def test_figures_match_the_reference(scenario) -> None:
    hazards, events, order = scenario
    note(f"hazards: {[h.geometry.wkt for h in hazards]}")
    note(f"events: {[e.geometry.wkt for e in events]}")
    with owner_engine().begin() as conn:
        conn.execute(text(f"TRUNCATE {LEDGER_TABLES} RESTART IDENTITY CASCADE"))

    ref_facts: list[RefFact] = []
    event_ids: dict[int, int] = {}
    with engine().connect() as conn:
        for position, (what, index) in enumerate(order):
            with conn.begin():
                if what == "hazard":
                    h = hazards[index]
                    recording.record_hazard(
                        conn,
                        recording.NewHazard(
                            reference=h.reference,
                            hazard_class=h.hazard_class,
                            contamination=h.contamination,
                            recorded_on=_day(h.day),
                            footprint=MultiPolygon([h.geometry]),
                        ),
                        today=date(2030, 1, 1),
                    )
                    ref_facts.append(
                        RefFact(
                            _day(h.day),
                            position,
                            f"record {h.hazard_class.value}",
                            h.geometry,
                            h.reference,
                            h.contamination.value,
                        )
                    )
                else:
                    e = events[index]
                    h = hazards[e.hazard]
                    result = recording.record_event(
                        conn,
                        h.reference,
                        recording.NewEvent(
                            kind=e.kind,
                            occurred_on=_day(e.day),
                            footprint=MultiPolygon([e.geometry]),
                        ),
                        ACCEPT_ALL,
                        today=date(2030, 1, 1),
                    )
                    event_ids[index] = result.id
                    if not e.voided:
                        ref_facts.append(
                            RefFact(
                                _day(e.day),
                                position,
                                e.kind.value,
                                e.geometry,
                                h.reference,
                                h.contamination.value,
                            )
                        )
        # Voids come last, so every voided event was first in force for a while.
        for index, e in enumerate(events):
            if e.voided:
                with conn.begin():
                    recording.void_event(conn, event_ids[index], "entered by mistake")

        scale = sum(area_m2(h.geometry) for h in hazards)
        tolerance = 1e-6 * scale
        days = sorted({f.on for f in ref_facts} | {_day(-1), _day(4000)})
        checkpoints = days + [d - timedelta(days=1) for d in days]

        for scope, contamination in (("all", None), ("CMR", "CMR")):
            reference = ReferenceModel(ref_facts, contamination)
            for on in checkpoints:
                expected = reference.totals(on)
                actual = figures.totals(conn, on, scope)
                assert actual.sha_m2 == pytest.approx(expected["SHA"], abs=tolerance), (scope, on)
                assert actual.cha_m2 == pytest.approx(expected["CHA"], abs=tolerance), (scope, on)
            for start, end in itertools.pairwise(days):
                period = figures.land_release(conn, start, end, scope)
                assert abs(period.balance_error_m2) <= 1e-9 * max(scale, 1.0), (scope, start, end)
                for flow, m2 in reference.flows(start, end).items():
                    assert period.flows_m2[flow] == pytest.approx(m2, abs=tolerance), (flow, scope)
            whole = figures.land_release(conn, days[0], days[-1], scope)
            assert abs(whole.balance_error_m2) <= 1e-9 * max(scale, 1.0)

        # Per-hazard remaining land adds up to the national figure and matches the reference.
        reference = ReferenceModel(ref_facts)
        for on in days:
            by_hazard = dict(
                conn.execute(
                    text(
                        """
                        SELECT h.reference, sum(s.area_m2) FROM land_state s
                          JOIN hazards h ON h.id = s.hazard_id
                         WHERE s.scope = 'all' AND s.state IN ('SHA', 'CHA')
                           AND s.known_until IS NULL
                           AND s.since_on <= :on AND (s.until_on IS NULL OR s.until_on > :on)
                         GROUP BY h.reference
                        """
                    ),
                    {"on": on},
                ).all()
            )
            expected = reference.remaining_by_hazard(on)
            for ref in set(by_hazard) | set(expected):
                assert by_hazard.get(ref, 0.0) == pytest.approx(
                    expected.get(ref, 0.0), abs=tolerance
                )

        # Counted once: the union of the contaminated pieces has the area of their sum.
        union_m2, sum_m2 = conn.execute(
            text(
                """
                SELECT coalesce(ST_Area(ST_Union(geom)::geography), 0), coalesce(sum(area_m2), 0)
                  FROM land_state
                 WHERE scope = 'all' AND state IN ('SHA', 'CHA') AND until_on IS NULL
                   AND known_until IS NULL
                """
            )
        ).one()
        assert union_m2 == pytest.approx(sum_m2, abs=tolerance)
        pieces = (
            conn.execute(
                text(
                    "SELECT ST_AsBinary(geom) FROM land_state "
                    "WHERE scope = 'all' AND until_on IS NULL AND known_until IS NULL"
                )
            )
            .scalars()
            .all()
        )
        geometries = shapely.from_wkb(pieces) if pieces else []
        for i, a in enumerate(geometries):
            for b in geometries[i + 1 :]:
                assert shapely.intersection(a, b).area <= 1e-12  # alive pieces never overlap
