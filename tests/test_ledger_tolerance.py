"""Facts whose edges nearly meet: polygons read back from the application, polygons shrunk,
grown or shifted by less than the positional tolerance, and hazards drawn edge to edge by two
teams. Every figure must match the independent reference applying the tolerance rule, no
piece of land narrower than the tolerance may be kept, and a hazard released with its own
served polygon keeps nothing."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx
import pytest
import shapely
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st
from shapely import affinity
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.accounting import figures
from app.db import engine, owner_engine
from app.errors import InvalidGeometry
from app.ledger.states import Contamination, EventKind, HazardClass
from app.services import recording
from app.settings import LedgerSettings
from app.storage import effects, records
from tests.support.reference import ReferenceModel, RefFact, area_m2, in_metres, narrow_parts
from tests.support.shapes import ORIGIN_E, ORIGIN_N, lonlat, utm
from tests.test_ledger_properties import (
    ACCEPT_ALL,
    EventPlan,
    HazardPlan,
    _day,
    _hazards_first_only_where_needed,
    scenarios,
    shapes,
)

# The application's tolerance, or the model's default (1 cm) while it has no such setting.
# Facts are recorded straight through the engine, with no database fixture to mark them.
pytestmark = pytest.mark.db

EPS: float = LedgerSettings().tolerance_m
TODAY = date(2030, 1, 1)
# Ledger data only: the API callers' users and tokens stay from one example to the next.
LEDGER_DATA = (
    "land_state, hazard_land, event_voids, events, hazards, imports, programme_versions, "
    "audit_log, regions"
)
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
RELEASES = [EventKind.CLEAR, EventKind.REDUCE, EventKind.CORRECT, EventKind.CANCEL]


def close(expected: float) -> object:
    return pytest.approx(expected, rel=1e-6, abs=1.0)


@dataclass
class Ledger:
    """What was recorded through the service layer: the facts in force as the reference sees
    them, each fact's ledger seq by its recording position, and the application's answers."""

    conn: Connection
    facts: list[RefFact] = field(default_factory=list)
    seqs: dict[int, int] = field(default_factory=dict)
    answers: list[recording.HazardRecorded | recording.EventRecorded] = field(default_factory=list)
    hazards: dict[str, HazardPlan] = field(default_factory=dict)

    def hazard(self, plan: HazardPlan) -> None:
        position = len(self.seqs)
        with self.conn.begin():
            answer = recording.record_hazard(
                self.conn,
                recording.NewHazard(
                    reference=plan.reference,
                    hazard_class=plan.hazard_class,
                    contamination=plan.contamination,
                    recorded_on=_day(plan.day),
                    footprint=_multi(plan.geometry),
                ),
                today=TODAY,
            )
            self.seqs[position] = records.hazard_by_reference(self.conn, plan.reference).seq
        self.answers.append(answer)
        self.hazards[plan.reference] = plan
        self.facts.append(
            RefFact(
                _day(plan.day),
                position,
                f"record {plan.hazard_class.value}",
                plan.geometry,
                plan.reference,
                plan.contamination.value,
            )
        )

    def event(
        self, reference: str, kind: EventKind, on: date, geometry: BaseGeometry, voided: bool
    ) -> recording.EventRecorded:
        position = len(self.seqs)
        with self.conn.begin():
            answer = recording.record_event(
                self.conn,
                reference,
                recording.NewEvent(kind=kind, occurred_on=on, footprint=_multi(geometry)),
                ACCEPT_ALL,
                today=TODAY,
            )
            self.seqs[position] = records.event_by_id(self.conn, answer.id).seq
        self.answers.append(answer)
        if not voided:
            contamination = self.hazards[reference].contamination.value
            self.facts.append(RefFact(on, position, kind.value, geometry, reference, contamination))
        return answer

    def play(self, hazards: list[HazardPlan], events: list[EventPlan], order) -> None:
        """Record a scenario in its order; voids come last, so every voided event was first
        in force for a while."""
        ids: dict[int, int] = {}
        for what, index in order:
            if what == "hazard":
                self.hazard(hazards[index])
            else:
                e = events[index]
                h = hazards[e.hazard]
                ids[index] = self.event(h.reference, e.kind, _day(e.day), e.geometry, e.voided).id
        for index, e in enumerate(events):
            if e.voided:
                with self.conn.begin():
                    recording.void_event(self.conn, ids[index], "entered by mistake")

    @property
    def scale(self) -> float:
        return sum(area_m2(h.geometry) for h in self.hazards.values())


def _multi(geometry: BaseGeometry) -> MultiPolygon:
    return geometry if isinstance(geometry, MultiPolygon) else MultiPolygon([geometry])


def _empty_ledger() -> None:
    with owner_engine().begin() as conn:
        conn.execute(text(f"TRUNCATE {LEDGER_DATA} RESTART IDENTITY CASCADE"))


def check_against_reference(ledger: Ledger) -> dict[str, ReferenceModel]:
    """Every figure of the application against the reference with the tolerance rule, and
    the land as stored: counted once, never overlapping, never narrow. Returns the models."""
    conn = ledger.conn
    days = sorted({f.on for f in ledger.facts} | {_day(-1), _day(4000)})
    checkpoints = days + [d - timedelta(days=1) for d in days]
    balance_noise = 1e-9 * max(ledger.scale, 1.0)
    models = {
        scope: ReferenceModel(ledger.facts, contamination, tolerance_m=EPS)
        for scope, contamination in (("all", None), ("CMR", "CMR"))
    }
    for scope, reference in models.items():
        for on in checkpoints:
            expected = reference.totals(on)
            actual = figures.totals(conn, on, scope)
            assert actual.sha_m2 == close(expected["SHA"]), ("SHA", scope, on)
            assert actual.cha_m2 == close(expected["CHA"]), ("CHA", scope, on)
        for start, end in itertools.pairwise(days):
            period = figures.land_release(conn, start, end, scope)
            assert abs(period.balance_error_m2) <= balance_noise, (scope, start, end)
            for flow, m2 in reference.flows(start, end).items():
                assert period.flows_m2[flow] == close(m2), (flow, scope, start, end)
        # Each fact's effective area, voided ones included (they change nothing).
        changed = effects.effects_of_facts(conn, list(ledger.seqs.values()), scope)
        for position, seq in ledger.seqs.items():
            expected_m2 = reference.changed_by_fact(position)
            assert changed[seq].effective_m2 == close(expected_m2), (scope, position)

    # Remaining land per hazard: as the reference says, and adding up to the national figure.
    for on in days:
        by_hazard = _remaining_by_hazard(conn, on)
        expected = models["all"].remaining_by_hazard(on)
        for reference_code in set(by_hazard) | set(expected):
            assert by_hazard.get(reference_code, 0.0) == close(expected.get(reference_code, 0.0)), (
                reference_code,
                on,
            )
        national = figures.totals(conn, on)
        assert sum(by_hazard.values()) == pytest.approx(
            national.sha_m2 + national.cha_m2, rel=1e-9, abs=1e-6
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
    assert union_m2 == pytest.approx(sum_m2, rel=1e-6, abs=1e-3)
    alive = shapely.from_wkb(
        conn.execute(
            text(
                "SELECT ST_AsBinary(geom) FROM land_state "
                "WHERE scope = 'all' AND until_on IS NULL AND known_until IS NULL"
            )
        )
        .scalars()
        .all()
    )
    for i, a in enumerate(alive):
        for b in alive[i + 1 :]:
            assert shapely.intersection(a, b).area <= 1e-12  # alive pieces never overlap

    narrow = _narrow_pieces(conn)
    assert not narrow, f"{len(narrow)} stored pieces of land are narrower than {EPS} m: " + (
        "; ".join(_described(what, part) for what, part in narrow[:3])
    )
    return models


def _remaining_by_hazard(conn: Connection, on: date) -> dict[str, float]:
    return dict(
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


def _narrow_pieces(conn: Connection) -> list[tuple[str, BaseGeometry]]:
    """Every polygon of a stored piece of land (any scope, any version still known) that
    is narrow as the reference measures it, with what it is."""
    rows = conn.execute(
        text(
            """
            SELECT s.scope, string_agg(DISTINCT s.state, '/'), min(h.reference),
                   ST_AsBinary(s.geom) AS geometry
              FROM land_state s JOIN hazards h ON h.id = s.hazard_id
             WHERE s.known_until IS NULL
             GROUP BY s.scope, ST_AsBinary(s.geom)
            """
        )
    ).all()
    return [
        (f"{states} land of {hazard} ({scope})", part)
        for scope, states, hazard, wkb in rows
        for part in narrow_parts(shapely.from_wkb(wkb), EPS)
    ]


def _described(what: str, part: BaseGeometry) -> str:
    width = 2 * shapely.maximum_inscribed_circle(in_metres(part), EPS / 1000).length
    return f"{what}: a part {width * 1000:.3f} mm wide, {area_m2(part):.6f} m²"


def check_answers(ledger: Ledger) -> None:
    """What the application answered when each fact was recorded: the land it changed
    outside its polygon is part of its effective area, and explains all of it beyond the
    polygon's own area."""
    for answer in ledger.answers:
        absorbed = answer.absorbed_m2
        if isinstance(answer, recording.EventRecorded):
            effective, requested = answer.effective_m2, answer.requested_m2
        else:
            effective = answer.discovered_m2 + answer.confirmed_m2
            requested = answer.footprint_m2
        assert 0.0 <= absorbed <= effective + 1e-6, answer
        assert effective <= requested + absorbed + 1e-9 * requested + 1e-6, answer


# (a) Polygons read back from the application.


@EXAMPLES
@given(
    scenarios(),
    st.lists(st.tuples(st.integers(0, 3), st.sampled_from(RELEASES)), min_size=1, max_size=2),
)
def test_a_hazard_released_with_its_own_served_polygon_keeps_nothing(
    client: httpx.Client, scenario, releases
) -> None:
    """After any history, a release drawn with a hazard's land exactly as the API serves it
    (rounded to its digits) takes all of that land it can change."""
    hazards, events, order = scenario
    note(f"hazards: {[h.geometry.wkt for h in hazards]}")
    note(f"events: {[(e.kind, e.geometry.wkt) for e in events]}")
    _empty_ledger()
    released: list[tuple[str, EventKind, date]] = []
    with engine().connect() as conn:
        ledger = Ledger(conn)
        ledger.play(hazards, events, order)
        for i, (index, kind) in enumerate(releases):
            reference = hazards[index % len(hazards)].reference
            on = _day(3600 + i)  # after every other fact
            served = _served(client, reference, on)
            if served["geometry"] is None:
                continue  # the hazard holds no land any more
            try:
                ledger.event(reference, kind, on, shape(served["geometry"]), voided=False)
            except InvalidGeometry as error:
                pytest.fail(
                    f"hazard {reference} is served as {served['sha_m2'] + served['cha_m2']:.6f}"
                    f" m² of land that is refused when sent back as a polygon ({error})"
                )
            released.append((reference, kind, on))
            after = _served(client, reference, on)
            kept = after["sha_m2"] if kind is EventKind.CANCEL else after["remaining_m2"]
            assert kept == 0, (
                f"hazard {reference} keeps {kept:.6f} m² after a {kind.value} drawn with its "
                "own served polygon"
            )
        models = check_against_reference(ledger)
        check_answers(ledger)
    # The reference agrees: the rule leaves the hazard nothing.
    for reference, kind, on in released:
        states = ["SHA"] if kind is EventKind.CANCEL else ["SHA", "CHA"]
        assert models["all"].remaining_by_hazard(on, states).get(reference, 0.0) == 0.0


def _served(client: httpx.Client, reference: str, on: date) -> dict:
    response = client.get(f"/api/v1/hazards/{reference}", params={"as_of": on.isoformat()})
    assert response.status_code == 200, response.text
    feature = response.json()
    return {"geometry": feature["geometry"], **feature["properties"]}


# (b) Polygons shrunk, grown or shifted by less than the tolerance.


@st.composite
def nearly(draw: st.DrawFn, geometry: BaseGeometry) -> BaseGeometry:
    """The polygon drawn again by someone else, less than the tolerance away from it:
    buffered in metres by 0.3 to 0.8 ε inwards or outwards, shifted by up to 0.4 ε in each
    direction, or the same."""
    how = draw(st.sampled_from(["shrink", "grow", "shift", "same"]))
    if how == "same":
        return geometry
    local = utm(geometry)
    if how == "shift":
        dx, dy = (draw(st.integers(-4, 4)) * EPS / 10 for _ in range(2))
        return lonlat(affinity.translate(local, dx, dy))
    distance = draw(st.integers(3, 8)) * EPS / 10
    return lonlat(local.buffer(distance if how == "grow" else -distance, join_style="mitre"))


@st.composite
def near_copies(draw: st.DrawFn):
    hazards = [
        HazardPlan(
            reference=f"H{i}",
            hazard_class=draw(st.sampled_from(list(HazardClass))),
            contamination=draw(st.sampled_from([Contamination.CMR, Contamination.AP_MINE])),
            day=draw(st.integers(0, 2000)),
            geometry=draw(shapes()),
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    base = len(hazards)
    events = []
    for _ in range(draw(st.integers(1, 5))):
        source = draw(st.integers(0, base - 1))
        geometry = draw(nearly(hazards[source].geometry))
        if draw(st.integers(0, 3)) == 0:
            # Another team records the same hazard again.
            hazards.append(
                HazardPlan(
                    reference=f"H{len(hazards)}",
                    hazard_class=draw(st.sampled_from(list(HazardClass))),
                    contamination=draw(st.sampled_from([Contamination.CMR, Contamination.AP_MINE])),
                    day=hazards[source].day + draw(st.integers(0, 1500)),
                    geometry=geometry,
                )
            )
            continue
        owner = source if draw(st.booleans()) else draw(st.integers(0, len(hazards) - 1))
        events.append(_event_plan(draw, hazards, owner, geometry))
    for _ in range(draw(st.integers(0, 2))):
        owner = draw(st.integers(0, len(hazards) - 1))
        events.append(_event_plan(draw, hazards, owner, draw(shapes())))
    return hazards, events, _recording_order(draw, hazards, events)


def _event_plan(draw: st.DrawFn, hazards: list[HazardPlan], owner: int, geometry) -> EventPlan:
    return EventPlan(
        hazard=owner,
        kind=draw(st.sampled_from(list(EventKind))),
        day=hazards[owner].day + draw(st.integers(0, 1500)),
        geometry=geometry,
        voided=draw(st.integers(0, 7)) == 0,
    )


def _recording_order(draw: st.DrawFn, hazards: list[HazardPlan], events: list[EventPlan]):
    """Random, except that a hazard comes before its own events (as ``scenarios`` does)."""
    items = [("hazard", i) for i in range(len(hazards))] + [
        ("event", i) for i in range(len(events))
    ]
    order = draw(st.permutations(items))
    if draw(st.booleans()):
        return _hazards_first_only_where_needed(order, events)
    return [x for x in order if x[0] == "hazard"] + [x for x in order if x[0] == "event"]


# A hazard drawn again over a larger one, confirmed twice a few millimetres apart, the first
# confirmation then voided: the land it had set apart is one piece again, and the second
# confirmation takes all of it (a replay of the voided land piece by piece left a band).
_REDRAWN = (
    "POLYGON ((102.61954778017757 19.42878037138439, 102.61953461889858 19.42968331366005, "
    "102.61905873645432 19.42967706979198, 102.61907190035835 19.42877412782916, "
    "102.61954778017757 19.42878037138439))",
    "POLYGON ((102.61954778017757 19.42878037138439, 102.61953330273035 19.42977360788221, "
    "102.61905742002357 19.429767363982858, 102.61907190035835 19.42877412782916, "
    "102.61954778017757 19.42878037138439))",
    "POLYGON ((102.61954775122996 19.428780398098088, 102.61907192851623 19.42877415529208, "
    "102.6190587654022 19.429677043078392, 102.61953459074049 19.429683286197186, "
    "102.61954775122996 19.428780398098088))",
    "POLYGON ((102.61954780912521 19.428780344670702, 102.61907187220046 19.42877410036625, "
    "102.61905870750645 19.429677096505568, 102.61953464705668 19.42968334112291, "
    "102.61954780912521 19.428780344670702))",
)
_VOIDED_CONFIRMATION = (
    [
        HazardPlan("H0", HazardClass.SHA, Contamination.CMR, 1, shapely.from_wkt(_REDRAWN[0])),
        HazardPlan("H1", HazardClass.SHA, Contamination.CMR, 0, shapely.from_wkt(_REDRAWN[1])),
    ],
    [
        EventPlan(0, EventKind.CONFIRM, 1, shapely.from_wkt(_REDRAWN[2]), True),
        EventPlan(0, EventKind.CONFIRM, 1, shapely.from_wkt(_REDRAWN[3]), False),
    ],
    [("hazard", 0), ("hazard", 1), ("event", 0), ("event", 1)],
)


@EXAMPLES
@given(near_copies())
@example(_VOIDED_CONFIRMATION)
def test_polygons_drawn_again_less_than_the_tolerance_away(scenario) -> None:
    hazards, events, order = scenario
    note(f"hazards: {[h.geometry.wkt for h in hazards]}")
    note(f"events: {[(e.hazard, e.kind, e.day, e.geometry.wkt) for e in events]}")
    _empty_ledger()
    with engine().connect() as conn:
        ledger = Ledger(conn)
        ledger.play(hazards, events, order)
        check_against_reference(ledger)
        check_answers(ledger)


# (c) Adjacent hazards drawn edge to edge by two teams.


@st.composite
def edge_to_edge(draw: st.DrawFn):
    """A block of land split into strips, each surveyed by its own team: every team draws
    the shared edge itself, its vertices up to 0.4 ε off the true line on either side, so
    neighbours overlap or leave a gap narrower than the tolerance."""
    x0 = ORIGIN_E + draw(st.integers(0, 30)) * 10
    y0 = ORIGIN_N + draw(st.integers(0, 30)) * 10
    width = draw(st.integers(10, 40)) * 10
    height = draw(st.integers(5, 40)) * 10
    teams = draw(st.integers(2, 3))
    cuts = [x0 + width * k / teams for k in range(1, teams)]
    count = draw(st.integers(2, 6))
    ys = [y0 + height * j / (count - 1) for j in range(count)]

    def drawn_edge(x: float) -> list[tuple[float, float]]:
        offsets = draw(st.lists(st.integers(-4, 4), min_size=count, max_size=count))
        return [(x + o * EPS / 10, y) for o, y in zip(offsets, ys, strict=True)]

    angle = draw(st.sampled_from([0, 0, 17, 45]))
    centre = (x0 + width / 2, y0 + height / 2)

    def placed(polygon: Polygon) -> BaseGeometry:
        return lonlat(affinity.rotate(polygon, angle, origin=centre))

    strips = []
    for i in range(teams):
        left = [(x0, y0), (x0, y0 + height)] if i == 0 else drawn_edge(cuts[i - 1])
        right = [(x0 + width, y0), (x0 + width, y0 + height)] if i == teams - 1 else None
        right = right or drawn_edge(cuts[i])
        strips.append(placed(Polygon([left[0], *right, *reversed(left[1:])])))
    block = placed(
        Polygon([(x0, y0), (x0 + width, y0), (x0 + width, y0 + height), (x0, y0 + height)])
    )
    hazards = [
        HazardPlan(
            reference=f"H{i}",
            hazard_class=draw(st.sampled_from(list(HazardClass))),
            contamination=draw(st.sampled_from([Contamination.CMR, Contamination.AP_MINE])),
            day=draw(st.integers(0, 2000)),
            geometry=strip,
        )
        for i, strip in enumerate(strips)
    ]
    events = []
    for _ in range(draw(st.integers(1, 4))):
        owner = draw(st.integers(0, len(hazards) - 1))
        choice = draw(st.sampled_from(["own", "own", "nearly", "block", "other"]))
        if choice == "own":
            geometry = hazards[owner].geometry
        elif choice == "nearly":
            geometry = draw(nearly(hazards[owner].geometry))
        elif choice == "block":
            geometry = block
        else:
            geometry = draw(shapes())
        events.append(_event_plan(draw, hazards, owner, geometry))
    return hazards, events, _recording_order(draw, hazards, events)


@EXAMPLES
@given(edge_to_edge())
def test_hazards_drawn_edge_to_edge_by_two_teams(scenario) -> None:
    hazards, events, order = scenario
    note(f"hazards: {[(h.hazard_class, h.day, h.geometry.wkt) for h in hazards]}")
    note(f"events: {[(e.hazard, e.kind, e.day, e.geometry.wkt) for e in events]}")
    _empty_ledger()
    with engine().connect() as conn:
        ledger = Ledger(conn)
        ledger.play(hazards, events, order)
        check_against_reference(ledger)
        check_answers(ledger)
