"""The independent reference with the positional tolerance, on hand-made cases whose answers
are known from the geometry alone (metres in UTM: geodesic areas differ from them by the
projection's scale factor, below 0.1 %)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import shapely
import shapely.geometry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import box

from tests.support.reference import (
    RULES,
    ReferenceModel,
    RefFact,
    along_geodesics,
    area_m2,
    is_narrow,
    narrow_parts,
)
from tests.support.shapes import rect
from tests.test_ledger_properties import _day
from tests.test_ledger_tolerance import edge_to_edge, near_copies

EPS = 0.01  # the model's default tolerance, in metres
D1, D2, D3, LATER = date(2014, 1, 1), date(2015, 1, 1), date(2016, 1, 1), date(2020, 1, 1)
SQUARE = rect(0, 0, 100, 100)


def near(value: float, nominal: float, rel: float = 2e-3) -> bool:
    return value == pytest.approx(nominal, rel=rel)


def exact(geometry) -> float:
    """The geodesic area of a polygon as the reference draws it."""
    return area_m2(along_geodesics(geometry))


def models(facts: list[RefFact]) -> tuple[ReferenceModel, ReferenceModel]:
    """The model without tolerance and with the default one."""
    return ReferenceModel(facts), ReferenceModel(facts, tolerance_m=EPS)


def test_a_clearance_half_the_tolerance_inside_the_edge_changes_the_whole_hazard() -> None:
    inset = 0.5 * EPS
    clearance = rect(inset, inset, 100 - inset, 100 - inset)
    facts = [
        RefFact(D1, 1, "record SHA", SQUARE, "H1"),
        RefFact(D2, 2, "clear", clearance, "H1"),
    ]
    strict, tolerant = models(facts)
    frame = 100**2 - (100 - 2 * inset) ** 2  # the strip along the four edges
    assert near(strict.totals(LATER)["SHA"], frame)  # without tolerance the strip stays
    assert tolerant.totals(LATER) == {"SHA": 0.0, "CHA": 0.0}
    assert tolerant.changed_by_fact(2) == pytest.approx(exact(SQUARE), rel=1e-9)
    assert near(tolerant.absorbed_by_fact(2), frame)
    assert strict.absorbed_by_fact(2) == 0.0
    assert near(tolerant.flows(D1, LATER)["cleared"], 100**2)


def test_a_clearance_three_tolerances_inside_leaves_the_strip() -> None:
    inset = 3 * EPS
    clearance = rect(inset, inset, 100 - inset, 100 - inset)
    _, tolerant = models(
        [RefFact(D1, 1, "record SHA", SQUARE, "H1"), RefFact(D2, 2, "clear", clearance, "H1")]
    )
    assert near(tolerant.totals(LATER)["SHA"], 100**2 - (100 - 2 * inset) ** 2)
    assert tolerant.absorbed_by_fact(2) == 0.0
    assert tolerant.changed_by_fact(2) == pytest.approx(exact(clearance), rel=1e-9)


def test_a_duplicate_shifted_by_less_than_the_tolerance_discovers_nothing() -> None:
    shift = 0.3 * EPS
    duplicate = rect(shift, shift, 100 + shift, 100 + shift)
    facts = [
        RefFact(D1, 1, "record SHA", SQUARE, "H1"),
        RefFact(D2, 2, "record SHA", duplicate, "H2"),
    ]
    strict, tolerant = models(facts)
    assert near(strict.changed_by("H2")["discovered"], 2 * 100 * shift, rel=1e-2)
    assert tolerant.changed_by("H2") == {"discovered": 0.0, "confirmed": 0.0}
    assert tolerant.totals(LATER)["SHA"] == pytest.approx(exact(SQUARE), rel=1e-9)
    # Three tolerances away the L-shaped strip is land of its own, and is discovered.
    far = rect(3 * EPS, 3 * EPS, 100 + 3 * EPS, 100 + 3 * EPS)
    _, wider = models([facts[0], RefFact(D2, 2, "record SHA", far, "H2")])
    assert near(wider.changed_by("H2")["discovered"], 2 * 100 * 3 * EPS, rel=1e-2)


def test_a_cha_record_overlapping_an_sha_hazard_by_a_narrow_strip_changes_none_of_it() -> None:
    overlap = 0.4 * EPS
    neighbour = rect(100 - overlap, 0, 200, 100)
    facts = [
        RefFact(D1, 1, "record SHA", SQUARE, "H1"),
        RefFact(D2, 2, "record CHA", neighbour, "H2"),
    ]
    strict, tolerant = models(facts)
    assert near(strict.changed_by("H2")["confirmed"], 100 * overlap, rel=1e-2)
    assert tolerant.changed_by("H2")["confirmed"] == 0.0
    assert tolerant.remaining_by_hazard(LATER)["H1"] == pytest.approx(exact(SQUARE), rel=1e-9)
    # The strip is SHA land of H1: H2 discovers the rest of its polygon.
    strip = exact(neighbour) - tolerant.changed_by("H2")["discovered"]
    assert near(strip, 100 * overlap, rel=1e-2)


def test_a_clearance_overlapping_the_next_hazard_by_a_narrow_strip_leaves_it_alone() -> None:
    next_door = rect(100, 0, 200, 100)
    clearance = rect(100 - 0.4 * EPS, -1, 201, 101)  # overshoots H2, reaches into H1
    facts = [
        RefFact(D1, 1, "record SHA", SQUARE, "H1"),
        RefFact(D1, 2, "record SHA", next_door, "H2"),
        RefFact(D2, 3, "clear", clearance, "H2"),
    ]
    strict, tolerant = models(facts)
    assert strict.remaining_by_hazard(LATER)["H1"] < exact(SQUARE) - 0.3
    assert tolerant.remaining_by_hazard(LATER) == {"H1": pytest.approx(exact(SQUARE), rel=1e-9)}
    assert tolerant.changed_by_fact(3) == pytest.approx(exact(next_door), rel=1e-9)


def test_only_the_narrow_part_left_outside_is_absorbed() -> None:
    # The clearance leaves a 0.4 ε strip on the west side and half the square on the east.
    clearance = rect(0.4 * EPS, -1, 50, 101)
    _, tolerant = models(
        [RefFact(D1, 1, "record SHA", SQUARE, "H1"), RefFact(D2, 2, "clear", clearance, "H1")]
    )
    assert near(tolerant.totals(LATER)["SHA"], 50 * 100)
    assert near(tolerant.absorbed_by_fact(2), 0.4 * EPS * 100, rel=1e-2)
    assert tolerant.totals(LATER)["SHA"] + tolerant.changed_by_fact(2) == pytest.approx(
        exact(SQUARE), rel=1e-9
    )


def test_a_gap_narrower_than_the_tolerance_stays_unrecorded() -> None:
    gap = 0.5 * EPS
    east = rect(100 + gap, 0, 200, 100)
    facts = [
        RefFact(D1, 1, "record SHA", SQUARE, "H1"),
        RefFact(D1, 2, "record SHA", east, "H2"),
        RefFact(D2, 3, "record SHA", rect(0, 0, 200, 100), "H3"),
    ]
    strict, tolerant = models(facts)
    assert near(strict.changed_by("H3")["discovered"], 100 * gap, rel=1e-2)
    assert tolerant.changed_by("H3")["discovered"] == 0.0
    assert tolerant.totals(LATER)["SHA"] == pytest.approx(exact(SQUARE) + exact(east), rel=1e-9)


def test_absorbed_land_moves_between_states_like_any_other() -> None:
    inset = 0.5 * EPS
    inner = rect(inset, inset, 100 - inset, 100 - inset)
    facts = [
        RefFact(D1, 1, "record SHA", SQUARE, "H1"),
        RefFact(D2, 2, "confirm", inner, "H1"),
        RefFact(D3, 3, "clear", inner, "H1"),
        # Contamination found again on the cleared land, drawn just inside its edge.
        RefFact(LATER, 4, "record CHA", inner, "H2"),
    ]
    _, tolerant = models(facts)
    whole = exact(SQUARE)
    assert tolerant.totals(D2) == {"SHA": 0.0, "CHA": pytest.approx(whole, rel=1e-9)}
    assert tolerant.totals(D3) == {"SHA": 0.0, "CHA": 0.0}
    assert tolerant.changed_by("H2")["discovered"] == pytest.approx(whole, rel=1e-9)
    # Each of the three facts takes the frame outside its polygon along with the rest.
    for order in (2, 3, 4):
        assert near(tolerant.absorbed_by_fact(order), 100**2 - (100 - 2 * inset) ** 2)
    flows = tolerant.flows(date(2000, 1, 1), LATER)
    assert flows["confirmed"] == pytest.approx(whole, rel=1e-9)
    assert flows["cleared"] == pytest.approx(whole, rel=1e-9)
    assert flows["discovered"] == pytest.approx(2 * whole, rel=1e-9)


def test_the_worked_example_keeps_its_figures() -> None:
    eif = date(2010, 8, 1)
    facts = [
        RefFact(date(2009, 5, 1), 1, "record SHA", rect(0, 0, 500, 200), "H1"),
        RefFact(date(2012, 3, 1), 2, "record SHA", rect(450, 0, 650, 200), "H2"),
        RefFact(date(2013, 6, 1), 3, "confirm", rect(0, 0, 150, 200), "H1"),
        RefFact(date(2014, 6, 1), 4, "cancel", rect(150, 0, 400, 200), "H1"),
        RefFact(date(2015, 6, 1), 5, "clear", rect(-10, 0, 150, 200), "H1"),
        RefFact(date(2016, 6, 1), 6, "reduce", rect(450, 0, 550, 200), "H2"),
    ]
    strict, tolerant = models(facts)
    assert near(tolerant.totals(eif)["SHA"], 100_000) and tolerant.totals(eif)["CHA"] == 0
    flows = tolerant.flows(eif, date(2016, 12, 31))
    assert near(flows["discovered"], 30_000)
    assert near(flows["cancelled"], 50_000)
    assert near(flows["reduced"], 20_000)
    assert near(flows["cleared"], 30_000)
    assert near(tolerant.changed_by_fact(5), 30_000)  # the overshoot is counted nowhere
    end = tolerant.totals(date(2016, 12, 31))
    assert near(end["SHA"], 30_000)
    # Where the lon/lat edges of the confirmation and the clearance meet, the model without
    # tolerance keeps a sliver of CHA; with it the clearance takes it.
    assert 0 < strict.totals(date(2016, 12, 31))["CHA"] < 0.01
    assert end["CHA"] == 0.0
    for on in (eif, date(2013, 6, 1), date(2020, 1, 1)):
        for state, m2 in strict.totals(on).items():
            assert tolerant.totals(on)[state] == pytest.approx(m2, abs=0.01)


def _point_histories(model: ReferenceModel) -> list[str | None]:
    """The final state of each face, following one point per face through the facts: the
    model without tolerance as it was first written."""
    states = []
    for _, point, _ in model.faces:
        state = None
        for fact in model.facts:
            if fact.geometry.contains(point):
                state = RULES[fact.kind](state)
        states.append(state)
    return states


def test_without_tolerance_each_face_follows_its_own_point() -> None:
    ring = rect(40, 40, 300, 260).difference(rect(120, 120, 200, 180))
    facts = [
        RefFact(D1, 1, "record SHA", rect(0, 0, 200, 200), "H1"),
        RefFact(D1, 2, "record CHA", ring, "H2"),
        RefFact(D2, 5, "cancel", rect(100, -10, 180, 150), "H1"),
        RefFact(D2, 3, "reduce", rect(150, 150, 250, 250), "H2"),
        RefFact(D3, 4, "record SHA", rect(90, 90, 110, 300), "H3"),
        RefFact(D3, 6, "correct", rect(0, 0, 50, 50), "H1"),
    ]
    model = ReferenceModel(facts)
    final = [changes[-1].after if changes else None for _, changes in model.changes()]
    assert final == _point_histories(model)
    assert set(final) >= {"SHA", "CHA", "cancelled", "reduced", "corrected"}


@pytest.mark.parametrize(
    ("shape", "narrow"),
    [
        (box(0, 0, 400, 0.009), True),
        (box(0, 0, 400, 0.019), True),  # no point farther than 1 cm from its edge
        (box(0, 0, 400, 0.021), False),
        (box(0, 0, 0.0199, 0.0199), True),
        (shapely.Point(0, 0).buffer(0.0099, quad_segs=64), True),
        (shapely.Point(0, 0).buffer(0.0101, quad_segs=64), False),
        # An L-shaped strip and a frame: their convex hulls are wide, the strips are not.
        (box(0, 0, 300, 0.018).union(box(0, 0, 0.018, 200)), True),
        (box(0, 0, 300, 0.022).union(box(0, 0, 0.022, 200)), False),
        (box(0, 0, 300, 200).difference(box(0.018, 0.018, 299.982, 199.982)), True),
        (box(0, 0, 300, 200).difference(box(0.022, 0.022, 299.978, 199.978)), False),
        (box(0, 0, 300, 200), False),
    ],
)
def test_narrowness_is_the_depth_of_the_largest_disc_inside(shape, narrow: bool) -> None:
    assert is_narrow(shape, EPS) is narrow
    assert is_narrow(shape, 0.0) is False


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.one_of(near_copies(), edge_to_edge()))
def test_the_reference_keeps_no_narrow_piece_and_absorbs_only_what_it_changes(scenario) -> None:
    """The consequences the rule promises, on the reference itself: no piece of land is
    narrower than ε, and a fact's absorbed land is part of its effective area and all of it
    beyond its own polygon's area."""
    hazards, events, order = scenario
    facts = []
    for position, (what, index) in enumerate(order):
        if what == "hazard":
            h = hazards[index]
            kind, day, geometry = f"record {h.hazard_class.value}", h.day, h.geometry
        else:
            e = events[index]
            h = hazards[e.hazard]
            kind, day, geometry = e.kind.value, e.day, e.geometry
        facts.append(RefFact(_day(day), position, kind, geometry, h.reference))
    model = ReferenceModel(facts, tolerance_m=EPS)
    for state, piece in model.pieces():
        assert not narrow_parts(piece, EPS), (state, piece.wkt)
    for fact in facts:
        changed, absorbed = model.changed_by_fact(fact.order), model.absorbed_by_fact(fact.order)
        assert 0.0 <= absorbed <= changed
        requested = exact(fact.geometry)
        # The faces' areas add up to the polygon's to about 1e-8 of it (each face is measured
        # on its own, with its own rounding).
        assert changed <= requested + absorbed + 1e-7 * requested


def test_a_later_polygon_along_earlier_edges_leaves_the_past_as_it_was() -> None:
    """Two hazards, a confirmation and a reduction, then a clearance drawn with the first
    hazard's land as the service served it: coordinates rounded to 1e-9°, its edges a few
    hundred nanometres from the recorded ones. Floating-point noding of these edges once left
    a face straddling a hazard's edge, and the later clearance changed the figures of ten
    years before it."""
    path = Path(__file__).parent / "data" / "edges_that_nearly_meet.geojson"
    features = json.loads(path.read_text())["features"]
    facts = [
        RefFact(
            _day(f["properties"]["day"]),
            order,
            f["properties"]["kind"],
            shapely.geometry.shape(f["geometry"]),
            f["properties"]["hazard"],
        )
        for order, f in enumerate(features)
    ]
    *history, later = facts
    first_day = history[0].on
    before = ReferenceModel(history, tolerance_m=EPS)
    after = ReferenceModel(facts, tolerance_m=EPS)
    assert after.totals(first_day) == pytest.approx(before.totals(first_day), abs=1e-3)
    assert after.flows(first_day.replace(year=2000), first_day) == pytest.approx(
        before.flows(first_day.replace(year=2000), first_day), abs=1e-3
    )
    # The clearance takes the hazard's land whole.
    assert after.remaining_by_hazard(later.on).get("H0", 0.0) == 0.0
