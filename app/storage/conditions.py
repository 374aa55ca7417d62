"""The conditions that queries share, each written once: which land-state rows hold land on
a date and as known at a moment, and which facts are official, in force, not voided, or
visible to a caller (``View``).

Each condition is SQL over a table alias. A value it needs is a bind parameter (``:as_of``,
``:scope``, ``:known_at``, ...): the functions that know the value return it with the SQL
as a ``Clause``; the others leave it to the query, which binds it once for all its parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app.geo.bbox import Box
from app.ledger.scopes import NATIONAL
from app.ledger.states import LandState
from app.storage.sql import TRUE, Clause, all_of

# Land-state rows (``s``: one row per stint of a piece of land)


def alive(alias: str = "s", on: str = ":as_of") -> str:
    """The row's stint was under way once every fact dated ``on`` or earlier had happened
    (``on``: an SQL date, the bind parameter :as_of unless said). The SQL form of
    ``Stint.alive_on``."""
    return f"{alias}.since_on <= {on} AND ({alias}.until_on IS NULL OR {alias}.until_on > {on})"


def alive_during(alias: str = "s", on: str = ":as_of") -> str:
    """``alive`` as the range of the row's stint holding the date: the same rows, in the form
    an index on ``daterange(since_on, until_on)`` finds (migration 0021), where a scan by
    ``alive`` would read every stint. Written beside ``alive``, not instead of it."""
    return f"daterange({alias}.since_on, {alias}.until_on) @> {on}"


def known(alias: str = "s", at: datetime | None = None) -> Clause:
    """The row belonged to the land state as the database held it at ``at`` (None: now):
    rows are retired, never deleted, when the land is replayed."""
    if at is None:
        return Clause(f"{alias}.known_until IS NULL")
    return Clause(
        f"{alias}.known_from <= :known_at "
        f"AND ({alias}.known_until IS NULL OR {alias}.known_until > :known_at)",
        {"known_at": at},
    )


def contaminated(alias: str = "s") -> str:
    """The row's land is suspected or confirmed: remaining land."""
    states = ", ".join(f"'{state.value}'" for state in (LandState.SHA, LandState.CHA))
    return f"{alias}.state IN ({states})"


def remaining_land(as_of: date, scope: str, known_at: datetime | None, alias: str = "s") -> Clause:
    """Rows of the contaminated land of ``scope`` on ``as_of``, as known at ``known_at``."""
    return all_of(
        [
            Clause(f"{alias}.scope = :scope", {"scope": scope}),
            Clause(contaminated(alias)),
            Clause(alive(alias), {"as_of": as_of}),
            known(alias, known_at),
        ]
    )


# Facts: hazard records (``h``) and events (``e``)


def official(alias: str) -> str:
    """The fact is approved: it counts in the official figures."""
    return f"{alias}.status = 'approved'"


def holds_reference(alias: str) -> str:
    """The hazard keeps its reference: a rejected or withdrawn submission gives it back, so
    that a corrected one may be sent under it."""
    return f"{alias}.status NOT IN ('rejected', 'withdrawn')"


def submitted(alias: str) -> str:
    """The fact came with an upload, or went through review (or awaits it): it was not an
    official record of the authority made at once (those are reviewed as they are
    recorded)."""
    return (
        f"({alias}.import_id IS NOT NULL OR {alias}.status <> 'approved' "
        f"OR {alias}.reviewed_at IS DISTINCT FROM {alias}.recorded_at)"
    )


def in_force(alias: str) -> str:
    """The fact takes part in a replay: official, or one of the pending facts of
    :with_seqs (sequence numbers) being previewed."""
    return f"({official(alias)} OR {alias}.seq = ANY(:with_seqs))"


def void_known(void_alias: str = "v", known_at: datetime | None = None) -> Clause:
    """A void (row of event_voids) that was recorded by ``known_at`` (None: any)."""
    if known_at is None:
        return TRUE
    return Clause(f"{void_alias}.recorded_at <= :known_at", {"known_at": known_at})


def not_voided(event_alias: str = "e", known_at: datetime | None = None) -> Clause:
    """The event was not voided (as known at ``known_at``, None: now): figures behave as if
    a voided event never happened."""
    voided = all_of([Clause(f"v.event_id = {event_alias}.id"), void_known("v", known_at)])
    return Clause(f"NOT EXISTS (SELECT 1 FROM event_voids v WHERE {voided.sql})", voided.params)


def of_organisations(alias: str, organisations: frozenset[int] | None) -> Clause:
    """The row belongs to one of ``organisations`` (None: to any, or to none)."""
    if organisations is None:
        return TRUE
    return Clause(
        f"{alias}.organisation_id = ANY(:organisations)", {"organisations": sorted(organisations)}
    )


@dataclass(frozen=True)
class View:
    """What a query shows: the date of the figures, the scope, the moment of knowledge and
    the organisations whose submissions not yet approved the caller may see."""

    as_of: date
    scope: str = NATIONAL
    known_at: datetime | None = None
    # Pending and rejected submissions: of every organisation (None), of these, or none.
    unapproved_of: frozenset[int] | None = frozenset()


def visible(alias: str, view: View) -> Clause:
    """Hazards or events rows (``alias``) that ``view`` shows: the official ones, and the
    submissions not yet approved of the organisations it may see. As known at a past
    moment: the official records of then, nothing pending."""
    if view.known_at is not None:
        return Clause(
            f"{official(alias)} "
            f"AND coalesce({alias}.reviewed_at, {alias}.recorded_at) <= :known_at",
            {"known_at": view.known_at},
        )
    if view.unapproved_of == frozenset():
        return Clause(official(alias))
    of_theirs = all_of(
        [Clause(f"{alias}.status <> 'approved'"), of_organisations(alias, view.unapproved_of)]
    )
    return Clause(f"({official(alias)} OR ({of_theirs.sql}))", of_theirs.params)


# Places


def within_boxes(column: str, boxes: Sequence[Box]) -> Clause:
    """The bounding box of the geometry ``column`` meets one of ``boxes`` (lon/lat)."""
    params: dict[str, float] = {}
    parts: list[str] = []
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        names = [f"box{i}_{corner}" for corner in ("x0", "y0", "x1", "y1")]
        params.update(zip(names, (x0, y0, x1, y1), strict=True))
        parts.append(f"{column} && ST_MakeEnvelope({', '.join(':' + n for n in names)}, 4326)")
    if not parts:
        return TRUE
    return Clause(parts[0] if len(parts) == 1 else f"({' OR '.join(parts)})", params)
