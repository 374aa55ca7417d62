"""The stored land and the facts a replay needs, gathered until nothing more can matter.

A fact changes land next to its polygon too (the positional tolerance), and whether it does
depends on the whole piece of land it meets: replays therefore work on whole pieces, never
on pieces clipped to a polygon. Replaying a piece from a date on needs every fact from that
date on that reaches it, and each such fact needs every piece it reaches: both are gathered
in turns until a turn finds nothing new (one turn when facts are entered in date order).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from app.ledger.facts import LedgerFact
from app.ledger.states import LedgerKey
from app.storage import land_state
from app.storage.facts import facts_overlapping
from app.storage.land_state import StoredRow


@dataclass(frozen=True)
class Change:
    """A fact entered, voided or approved: its polygon, its key and the scopes it is in.

    ``changed`` lists facts whose land must be replayed although their polygons may not
    reach it (a voided fact: the land it took in beyond its polygon). ``own_polygon`` says
    that ``polygon`` is the polygon of the fact of ``start`` (its geometry is then not read
    back from the database).
    """

    polygon: BaseGeometry
    start: LedgerKey
    scopes: tuple[str, ...]
    changed: tuple[int, ...] = ()
    own_polygon: bool = True


@dataclass
class ReplayGroup:
    """Changes whose land meets, replayed together from the earliest of their dates."""

    start: LedgerKey
    scopes: list[str]
    rows: list[StoredRow]  # stored rows, as land_state.rows_overlapping gives them, each once
    facts: list[LedgerFact]  # active facts from ``start`` on, in ledger order


@dataclass
class _Gathered:
    """What one change reaches so far."""

    start: LedgerKey
    seeds: set[int] = field(default_factory=set)  # facts whose polygons were looked around
    rows: dict[int, tuple] = field(default_factory=dict)
    facts: dict[int, LedgerFact] = field(default_factory=dict)
    pieces: set[bytes] = field(default_factory=set)  # piece geometries looked around


class Reach:
    """The land and facts that a batch of changes reaches."""

    def __init__(self, changes: Sequence[Change], gathered: list[_Gathered]) -> None:
        self._changes = changes
        self._gathered = gathered

    def groups(self) -> Iterator[ReplayGroup]:
        for members in _linked(self._changes, self._gathered):
            start = min(self._gathered[i].start for i in members)
            rows = {row_id: row for i in members for row_id, row in self._gathered[i].rows.items()}
            facts = {
                seq: fact
                for i in members
                for seq, fact in self._gathered[i].facts.items()
                if fact.key >= start
            }
            yield ReplayGroup(
                start,
                sorted({s for i in members for s in self._changes[i].scopes}),
                list(rows.values()),
                sorted(facts.values(), key=lambda f: f.key),
            )


def gather(
    conn: Connection,
    changes: Sequence[Change],
    with_seqs: Sequence[int] = (),
    scopes: Sequence[str] | None = None,
) -> Reach:
    """Gather, for each change, the stored pieces and the active facts (and the pending
    ones of ``with_seqs``) its replay needs, in ``scopes`` (default: the changes' own)."""
    scopes = sorted({s for c in changes for s in c.scopes}) if scopes is None else list(scopes)
    gathered = [_Gathered(c.start, {c.start.seq} if c.own_polygon else set()) for c in changes]
    # Polygons to look around next: (change index, polygon); the changes' own first.
    todo: list[tuple[int, BaseGeometry]] = [(i, c.polygon) for i, c in enumerate(changes)]
    changed_by = [c.changed for c in changes]
    known_geometry = {c.start.seq: c.polygon for c in changes if c.own_polygon}
    while todo:
        _look_around(conn, todo, scopes, changed_by, gathered, with_seqs, known_geometry)
        changed_by = [() for _ in changes]
        # Changes replayed together start together: each then needs the facts from the
        # group's start on.
        for members in _linked(changes, gathered):
            start = min(gathered[i].start for i in members)
            for i in members:
                gathered[i].start = start
        todo = []
        for i, found in enumerate(gathered):
            for fact in found.facts.values():
                if fact.key >= found.start and fact.key.seq not in found.seeds:
                    found.seeds.add(fact.key.seq)
                    todo.append((i, fact.geometry))
    return Reach(changes, gathered)


def _look_around(
    conn: Connection,
    todo: list[tuple[int, BaseGeometry]],
    scopes: list[str],
    changed_by: list[tuple[int, ...]],
    gathered: list[_Gathered],
    with_seqs: Sequence[int],
    known_geometry: dict[int, BaseGeometry],
) -> None:
    """One turn: the pieces meeting the polygons of ``todo``, then the facts meeting those
    polygons or the pieces found."""
    owners = [i for i, _ in todo]
    chosen = [changed_by[i] for i in owners]
    rows = land_state.rows_overlapping(conn, scopes, [g for _, g in todo], chosen)
    around: list[tuple[int, BaseGeometry]] = list(todo)
    for row in rows:
        found = gathered[owners[row[0]]]
        found.rows.setdefault(row[2], row)
        wkb = row[3].wkb
        if wkb not in found.pieces:
            found.pieces.add(wkb)
            around.append((owners[row[0]], row[3]))
    facts = facts_overlapping(
        conn, [g for _, g in around], with_seqs=with_seqs, known_geometry=known_geometry
    )
    for index, fact in facts:
        gathered[around[index][0]].facts.setdefault(fact.key.seq, fact)


def _linked(changes: Sequence[Change], gathered: list[_Gathered]) -> list[list[int]]:
    """Changes that reach one stored row, or whose polygons and facts meet, go together."""
    links: list[tuple[int, int]] = []
    first_owner: dict[int, int] = {}
    for i, found in enumerate(gathered):
        for row_id in found.rows:
            links.append((first_owner.setdefault(row_id, i), i))
    polygons: list[BaseGeometry] = []
    owner: list[int] = []
    for i, (change, found) in enumerate(zip(changes, gathered, strict=True)):
        polygons.append(change.polygon)
        owner.append(i)
        for fact in found.facts.values():
            if fact.key >= found.start:
                polygons.append(fact.geometry)
                owner.append(i)
    if len(set(owner)) > 1:
        left, right = shapely.STRtree(polygons).query(polygons, predicate="intersects")
        links.extend((owner[a], owner[b]) for a, b in zip(left, right, strict=True))
    return connected(len(changes), links)


def connected(count: int, links: list[tuple[int, int]]) -> list[list[int]]:
    """Indexes 0..count-1 grouped by the links between them (each group in index order)."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(count):
        groups[root(i)].append(i)
    return list(groups.values())
