"""What the service's database role may do, table by table (docs/operations.md, "Database
roles").

The owner role owns every table and runs the migrations; the service connects as a role that
owns nothing. It reads what it serves and appends to the history (facts, voids, the audit
log, imports, programme versions); it updates only the columns a use case changes: a
submission's review (the ledger's trigger lets a pending row become approved or rejected,
once, and nothing else), the moment a land-state row stopped being current, a token's
revocation. It can delete nothing, and, owning nothing, it can neither truncate, alter nor
drop a table or a trigger; session_replication_role is a superuser's setting.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

REVIEW_COLUMNS = "status, reviewed_by, reviewed_at, review_reason"

TABLE_GRANTS: dict[str, str] = {
    # The ledger's history: read and appended to; a pending submission is reviewed once.
    "hazards": f"SELECT, INSERT, UPDATE ({REVIEW_COLUMNS})",
    "events": f"SELECT, INSERT, UPDATE ({REVIEW_COLUMNS})",
    "event_voids": "SELECT, INSERT",
    "audit_log": "SELECT, INSERT",
    "imports": "SELECT, INSERT",
    "programme_versions": "SELECT, INSERT",
    "ledger_rules": "SELECT, INSERT",
    # Derived by the replay: rows are added and retired, never deleted.
    "land_state": "SELECT, INSERT, UPDATE (known_until)",
    # Each hazard's current land, kept for reading: rewritten whenever its land changes.
    "hazard_land": "SELECT, INSERT, DELETE",
    # One submission per file: held by an import, given back when it is withdrawn or rejected.
    "imported_files": "SELECT, INSERT, DELETE",
    # What phones sent (the instance and its photos) and the polygons as submitted before
    # clipping: appended to only.
    "phone_submissions": "SELECT, INSERT",
    "phone_attachments": "SELECT, INSERT",
    "event_overshoots": "SELECT, INSERT",
    # Hazards recorded without a polygon: appended to only.
    "unmapped_hazards": "SELECT, INSERT",
    # Accounts: created by the commands and sign-in; a token is revoked, never deleted; a
    # password is set again (and its Digest form kept when a sign-in first checks it).
    "organisations": "SELECT, INSERT",
    "users": "SELECT, INSERT, UPDATE (password_hash, digest_ha1)",
    "api_tokens": "SELECT, INSERT, UPDATE (revoked_at)",
    # Loaded by the maintenance command (as the owner): read only.
    "regions": "SELECT",
    "basemap_features": "SELECT",
    "basemap_sources": "SELECT",
    "alembic_version": "SELECT",
}
# Tables that are no history, whose rows the service deletes: a cache of each hazard's land,
# and the hold of a file by the upload that sent it.
DELETED_BY_THE_SERVICE = frozenset({"hazard_land", "imported_files"})
# The ledger's order, and an import's number taken before its features are recorded (the
# file is held under it first).
SEQUENCE_GRANTS = {"ledger_seq": "USAGE", "imports_id_seq": "USAGE"}
# The owner's ANALYZE of the tables a long write grows (migration 0013).
FUNCTION_GRANTS = {"analyse_ledger(boolean)": "EXECUTE"}


class UnsafeServiceRole(Exception):
    """The service's role would hold more than it needs."""


def owned_tables(conn: Connection) -> list[str]:
    """The tables of the schema that the connected role owns (none of an extension)."""
    return list(
        conn.execute(
            text(
                """
                SELECT c.relname FROM pg_class c
                 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
                   AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                   AND NOT EXISTS (SELECT FROM pg_depend d
                                    WHERE d.classid = 'pg_class'::regclass
                                      AND d.objid = c.oid AND d.deptype = 'e')
                 ORDER BY c.relname
                """
            )
        ).scalars()
    )


def service_role_problems(conn: Connection, role: str) -> list[str]:
    """Why ``role`` cannot serve with least privilege (empty: it can)."""
    row = conn.execute(
        text(
            """
            SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
                   r.rolname = current_user AS is_owner,
                   pg_has_role(r.rolname, current_user, 'MEMBER') AS acts_as_owner
              FROM pg_roles r WHERE r.rolname = :role
            """
        ),
        {"role": role},
    ).first()
    if row is None:
        return [f"there is no role {role!r}"]
    checks = {
        "is a superuser": row.rolsuper,
        "bypasses row security": row.rolbypassrls,
        "may create roles": row.rolcreaterole,
        "may create databases": row.rolcreatedb,
        "is the owner of the tables": row.is_owner,
        "holds the rights of the owner of the tables": row.acts_as_owner and not row.is_owner,
    }
    return [f"the role {role} {problem}" for problem, bad in checks.items() if bad]


def grant_service_role(conn: Connection, role: str) -> None:
    """Give ``role`` exactly the rights of ``TABLE_GRANTS`` (and no other) on the tables the
    connected role owns; refused when a table has no entry (a migration added one: decide
    what the service may do with it) or when the role would hold more than it needs."""
    problems = service_role_problems(conn, role)
    if problems:
        raise UnsafeServiceRole("; ".join(problems))
    tables = owned_tables(conn)
    unlisted = sorted(set(tables) - set(TABLE_GRANTS))
    if unlisted:
        raise UnsafeServiceRole(
            f"no rights are decided for the table(s) {', '.join(unlisted)}: add them to "
            "app/storage/privileges.py"
        )
    grantee = conn.dialect.identifier_preparer.quote(role)
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {grantee}"))
    for table in tables:
        conn.execute(text(f"REVOKE ALL ON TABLE {table} FROM {grantee}"))
        conn.execute(text(f"GRANT {TABLE_GRANTS[table]} ON TABLE {table} TO {grantee}"))
    for sequence, rights in SEQUENCE_GRANTS.items():
        conn.execute(text(f"REVOKE ALL ON SEQUENCE {sequence} FROM {grantee}"))
        conn.execute(text(f"GRANT {rights} ON SEQUENCE {sequence} TO {grantee}"))
    for function, rights in FUNCTION_GRANTS.items():
        conn.execute(text(f"GRANT {rights} ON FUNCTION {function} TO {grantee}"))
