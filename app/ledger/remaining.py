"""Remaining land: the contaminated land still to be released, and the class it gives its
hazard. Every figure of remaining land, and every hazard shown by its land, follows these
two rules (their SQL form, for queries that build documents in PostGIS, is in
app.storage.figures)."""

from __future__ import annotations

from app.ledger.states import HazardClass


def remaining_m2(sha_m2: float, cha_m2: float) -> float:
    """Land still contaminated: the suspected and the confirmed together (pieces never
    overlap, so each m² counts once)."""
    return sha_m2 + cha_m2


def land_class(cha_m2: float) -> HazardClass:
    """The class of a hazard as its remaining land has it: confirmed (CHA) as soon as any
    of it is, suspected (SHA) otherwise."""
    return HazardClass.CHA if cha_m2 > 0 else HazardClass.SHA
