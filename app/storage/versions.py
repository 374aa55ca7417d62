"""Whether anything behind the figures changed: a stamp that moves with every write."""

from __future__ import annotations

from sqlalchemy import Connection, text


def figures_version(conn: Connection) -> tuple[int, ...]:
    """Changes whenever a fact, a void, a review, an import, the programme, the regions or the
    land state change: every write appends to the audit log (its last entry's time too, so
    that the stamp moves even where numbering starts again, as in an emptied test database)
    or adds land-state rows (rows are retired, never deleted). Each part reads an index."""
    row = conn.execute(
        text(
            """
            SELECT (SELECT coalesce(max(id), 0) FROM audit_log),
                   (SELECT coalesce(extract(epoch FROM max(at)) * 1e6, 0) FROM audit_log),
                   (SELECT coalesce(max(id), 0) FROM land_state),
                   (SELECT coalesce(max(id), 0) FROM programme_versions),
                   (SELECT coalesce(max(id), 0) FROM ledger_rules),
                   (SELECT count(*) FROM regions)
            """
        )
    ).one()
    return tuple(int(value) for value in row)
