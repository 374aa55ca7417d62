"""Scopes: the land-state model runs on every hazard (the national scope) and, apart, on the
hazards of each contamination type with the facts that belong to them (CCM figures use the
CMR scope). A point can be in several types' scopes; in the national one it counts once."""

from __future__ import annotations

NATIONAL = "all"


def scopes_of(contamination: str) -> tuple[str, str]:
    """The scopes a fact takes part in: the national one and its contamination type's."""
    return (NATIONAL, contamination)


def in_scope(contamination: str, scope: str) -> bool:
    """Whether a fact of a hazard of ``contamination`` takes part in ``scope``."""
    return scope in scopes_of(contamination)
