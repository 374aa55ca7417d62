"""Hazards drawn over land already recorded, named when they are recorded: exact duplicates of
a recorded polygon (the same minefield on two map sheets), and hazards whose land lies wholly
or mostly on contaminated land other hazards hold. The land-state model counts such land once
(a duplicate discovers nothing), so without a warning the record goes in silently and then
vanishes from the figures."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from app.storage import overlaps


def overlap_warnings(
    conn: Connection, footprints: dict[int, float], share_min: float
) -> dict[int, dict[str, Any]]:
    """For the hazards just recorded (id -> area of the polygon, m²), a warning for each that
    duplicates a recorded polygon or lies for ``share_min`` or more of its area on land other
    hazards hold before it: code, params (the hazards and the share) and message."""
    ids = list(footprints)
    duplicates = overlaps.exact_duplicates(conn, ids)
    underneath = overlaps.land_underneath(conn, ids)
    warnings: dict[int, dict[str, Any]] = {}
    for hazard_id, footprint_m2 in footprints.items():
        if hazard_id in duplicates:
            references = duplicates[hazard_id]
            warnings[hazard_id] = {
                "code": "import.duplicate_hazard",
                "params": {"hazards": ", ".join(references)},
                "hazards": [{"reference": r, "share": 1.0} for r in references],
                "share": 1.0,
                "message": f"the polygon is the same as hazard {', '.join(references)}'s",
            }
            continue
        below = underneath.get(hazard_id, [])
        share = min(sum(m2 for _, m2 in below) / footprint_m2, 1.0) if footprint_m2 else 0.0
        if below and share >= share_min:
            named = [{"reference": r, "share": min(m2 / footprint_m2, 1.0)} for r, m2 in below]
            listed = ", ".join(f"{h['reference']} ({h['share']:.0%})" for h in named)
            warnings[hazard_id] = {
                "code": "import.inside_recorded",
                "params": {"share_percent": round(share * 100), "hazards": listed},
                "hazards": named,
                "share": share,
                "message": f"{share:.0%} of its polygon lies on land already recorded for "
                f"hazards {listed}: that land is counted once, with them",
            }
    return warnings
