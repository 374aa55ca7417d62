"""Figures with pending submissions approved: the official figures shifted by the pieces a
preview replaces (those removed) and the pieces it puts in their place (those added)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from app.accounting.figures import LandRelease, Totals
from app.ledger.pieces import Piece
from app.ledger.states import FLOWS, LandState, flow_totals


def piece_totals(pieces: Iterable[Piece], as_of: date) -> dict[str, float]:
    """SHA and CHA of a set of pieces after every fact dated ``as_of`` or earlier."""
    result = {LandState.SHA.value: 0.0, LandState.CHA.value: 0.0}
    for piece in pieces:
        for stint in piece.stints:
            if stint.alive_on(as_of) and stint.state.value in result:
                result[stint.state.value] += piece.area_m2
    return result


def piece_flows(pieces: Iterable[Piece], start: date, end: date) -> dict[str, float]:
    """Land-release flows of a set of pieces over (start, end]."""
    return flow_totals(
        (s.previous, s.state, p.area_m2)
        for p in pieces
        for s in p.stints
        if start < s.since.on <= end
    )


def shifted_totals(official: Totals, added: list[Piece], removed: list[Piece]) -> Totals:
    """``official`` with the ``removed`` pieces replaced by the ``added`` ones."""
    plus, minus = piece_totals(added, official.as_of), piece_totals(removed, official.as_of)
    return Totals(
        official.as_of,
        official.sha_m2 + plus["SHA"] - minus["SHA"],
        official.cha_m2 + plus["CHA"] - minus["CHA"],
    )


def shifted_land_release(
    official: LandRelease, added: list[Piece], removed: list[Piece]
) -> LandRelease:
    """The balance with the ``removed`` pieces replaced by the ``added`` ones."""
    start, end = official.start.as_of, official.end.as_of
    plus, minus = piece_flows(added, start, end), piece_flows(removed, start, end)
    flows = {f: official.flows_m2[f] + plus[f] - minus[f] for f in FLOWS}
    return LandRelease(
        shifted_totals(official.start, added, removed),
        shifted_totals(official.end, added, removed),
        flows,
    )
