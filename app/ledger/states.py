"""The land-state model: which state a point of land is in, and how each fact changes it.

A point that was never recorded has no state (``None``). Every fact changes the state of the
points inside its polygon according to ``next_state``; a fact never touches points outside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple


class LandState(StrEnum):
    SHA = "SHA"
    CHA = "CHA"
    CANCELLED = "cancelled"
    REDUCED = "reduced"
    CLEARED = "cleared"
    CORRECTED = "corrected"


CONTAMINATED = frozenset({LandState.SHA, LandState.CHA})
RELEASED = frozenset({LandState.CANCELLED, LandState.REDUCED, LandState.CLEARED})


class HazardClass(StrEnum):
    SHA = "SHA"
    CHA = "CHA"


class Contamination(StrEnum):
    CMR = "CMR"
    AP_MINE = "AP mine"
    AT_MINE = "AT mine"
    OTHER_ERW = "other ERW"


class EventKind(StrEnum):
    """Land-release facts recorded against a hazard (the hazard record itself is the other kind)."""

    CONFIRM = "confirm"
    CANCEL = "cancel"
    REDUCE = "reduce"
    CLEAR = "clear"
    CORRECT = "correct"


# What an event does to a contaminated point: {state before: state after}.
_EVENT_EFFECTS: dict[EventKind, dict[LandState, LandState]] = {
    EventKind.CONFIRM: {LandState.SHA: LandState.CHA},
    EventKind.CANCEL: {LandState.SHA: LandState.CANCELLED},
    EventKind.REDUCE: {LandState.SHA: LandState.REDUCED, LandState.CHA: LandState.REDUCED},
    EventKind.CLEAR: {LandState.SHA: LandState.CLEARED, LandState.CHA: LandState.CLEARED},
    EventKind.CORRECT: {LandState.SHA: LandState.CORRECTED, LandState.CHA: LandState.CORRECTED},
}

# Default release method per kind, as IMAS 07.11 names them.
DEFAULT_METHOD: dict[EventKind, str] = {
    EventKind.CONFIRM: "technical survey",
    EventKind.CANCEL: "non-technical survey",
    EventKind.REDUCE: "technical survey",
    EventKind.CLEAR: "clearance",
    EventKind.CORRECT: "correction",
}


class LedgerKey(NamedTuple):
    """Order of facts: by date of information, ties broken by order of recording."""

    on: date
    seq: int


def next_state(kind: EventKind | HazardClass, current: LandState | None) -> LandState | None:
    """The state a point moves to under a fact, or None when the fact does not change it.

    ``kind`` is an event kind, or a hazard class for the record of a hazard.
    """
    if isinstance(kind, HazardClass):
        if current is None or current not in CONTAMINATED:
            # Never recorded, released or corrected earlier: new contamination.
            return LandState(kind.value)
        if kind is HazardClass.CHA and current is LandState.SHA:
            return LandState.CHA
        return None
    return _EVENT_EFFECTS[kind].get(current) if current is not None else None


def changeable_states(kind: EventKind | HazardClass) -> frozenset[LandState | None]:
    """States (None for unrecorded land) that a fact of this kind can change."""
    if isinstance(kind, HazardClass):
        states: set[LandState | None] = {None, *RELEASED, LandState.CORRECTED}
        if kind is HazardClass.CHA:
            states.add(LandState.SHA)
        return frozenset(states)
    return frozenset(_EVENT_EFFECTS[kind])


FLOWS = ("discovered", "confirmed", "cancelled", "reduced", "cleared", "corrected")
# The flows of land released, by method (a correction releases nothing).
RELEASE_FLOWS = ("cancelled", "reduced", "cleared")


def flow_totals(
    transitions: Iterable[tuple[str | LandState | None, str | LandState, float]],
) -> dict[str, float]:
    """Add up (state before, state after, m²) transitions into the flows of a balance."""
    totals = dict.fromkeys(FLOWS, 0.0)
    for before, after, m2 in transitions:
        flow = transition_flow(LandState(before) if before else None, LandState(after))
        totals[flow] += float(m2)
    return totals


def changed_flows(
    transitions: Iterable[tuple[str | LandState | None, str | LandState, float]],
) -> dict[str, float]:
    """``flow_totals`` of what one fact changed: its flows with land in them only."""
    return {flow: m2 for flow, m2 in flow_totals(transitions).items() if m2}


def transition_flow(before: LandState | None, after: LandState) -> str:
    """Name of the land-release flow a transition belongs to (the columns of a balance)."""
    if after in CONTAMINATED and before not in CONTAMINATED:
        return "discovered"
    if before is LandState.SHA and after is LandState.CHA:
        return "confirmed"
    return {
        LandState.CANCELLED: "cancelled",
        LandState.REDUCED: "reduced",
        LandState.CLEARED: "cleared",
        LandState.CORRECTED: "corrected",
    }[after]


@dataclass(frozen=True)
class FactEffect:
    """What one fact changed: m² per flow (non-zero only), and how much of that land lies
    beyond the fact's own polygon, taken in under the positional tolerance."""

    flows: dict[str, float]
    absorbed_m2: float = 0.0

    @property
    def effective_m2(self) -> float:
        return sum(self.flows.values())


def fact_areas(requested_m2: float, effective_m2: float, absorbed_m2: float) -> tuple[float, float]:
    """(absorbed, ineffective) m² of a fact whose polygon measures ``requested_m2`` and that
    changed ``effective_m2``: the land it changed beyond its polygon, and the part of its
    polygon that changed nothing; so that effective ≤ requested + absorbed always.

    Both areas are measured with the land they belong to; where their sum exceeds the polygon
    by rounding noise (parts in a billion), that excess is counted as absorbed.
    """
    absorbed = min(effective_m2, max(absorbed_m2, effective_m2 - requested_m2))
    return absorbed, max(requested_m2 - (effective_m2 - absorbed), 0.0)
