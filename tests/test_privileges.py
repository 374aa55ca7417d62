"""History no one can rewrite: connected as the service's own role (as the service and every
other test are), each way of rewriting the ledger that a superuser connection allows is
refused by the database itself, and the history is intact afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.db import engine, owner_engine
from app.storage.privileges import (
    DELETED_BY_THE_SERVICE,
    TABLE_GRANTS,
    owned_tables,
    service_role_problems,
)
from tests.support.shapes import new_event, new_hazard, rect

pytestmark = pytest.mark.db

HISTORY = ("hazards", "events", "event_voids", "audit_log", "imports", "programme_versions")

# Each attempt runs alone, in a transaction of its own, as the service's role.
REWRITES = {
    "truncate the audit log": ["TRUNCATE audit_log"],
    "truncate the events and what refers to them": ["TRUNCATE events CASCADE"],
    "truncate the hazards": ["TRUNCATE hazards CASCADE"],
    "truncate the land state": ["TRUNCATE land_state"],
    "turn triggers off by replication role, then delete": [
        "SET session_replication_role = replica",
        "DELETE FROM events",
    ],
    "turn triggers off for the transaction": ["SET LOCAL session_replication_role = replica"],
    "delete events": ["DELETE FROM events"],
    "delete hazards": ["DELETE FROM hazards"],
    "delete a void": ["DELETE FROM event_voids"],
    "delete the audit log": ["DELETE FROM audit_log"],
    "delete imports": ["DELETE FROM imports"],
    "delete programme versions": ["DELETE FROM programme_versions"],
    "delete land-state rows": ["DELETE FROM land_state"],
    "move a hazard": ["UPDATE hazards SET footprint = ST_Multi(ST_Buffer(footprint, 0.1))"],
    "rename a hazard": ["UPDATE hazards SET reference = reference || '-x'"],
    "re-date an event": ["UPDATE events SET occurred_on = occurred_on - 1"],
    "re-word the audit log": ["UPDATE audit_log SET action = 'nothing'"],
    "re-open a review": ["UPDATE hazards SET status = 'pending'"],
    "disable a trigger": ["ALTER TABLE events DISABLE TRIGGER events_append_only"],
    "disable every trigger": ["ALTER TABLE audit_log DISABLE TRIGGER ALL"],
    "drop a trigger": ["DROP TRIGGER hazards_append_only ON hazards"],
    "replace the trigger function": [
        "CREATE OR REPLACE FUNCTION refuse_history_rewrite() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$"
    ],
    "drop the audit log": ["DROP TABLE audit_log"],
    "drop a check": ["ALTER TABLE hazards DROP CONSTRAINT hazards_hazard_class_check"],
    "take a table over": ["ALTER TABLE events OWNER TO CURRENT_USER"],
    # A grant by a role without the right is a warning only: the delete after it is refused.
    "grant itself deletes": ["GRANT DELETE ON events TO CURRENT_USER", "DELETE FROM events"],
    "become the owner": ["SET ROLE {owner}"],
    "create a function of its own": [
        "CREATE FUNCTION public.nothing() RETURNS int LANGUAGE sql AS 'SELECT 1'"
    ],
    "add a trigger of its own": [
        "CREATE TRIGGER sneaky BEFORE INSERT ON events FOR EACH ROW "
        "EXECUTE FUNCTION refuse_history_rewrite()"
    ],
    "run a program on the server": ["COPY audit_log (action) FROM PROGRAM 'true'"],
    "rewrite the review columns of an approved fact": [
        "UPDATE events SET status = 'rejected', review_reason = 'gone'"
    ],
}


@pytest.fixture
def history(client) -> dict[str, int]:
    """A hazard, a clearance, a void, the programme: rows in every history table."""
    assert client.post("/api/v1/hazards", json=new_hazard("H-1", rect(0, 0, 300, 200))).is_success
    first = client.post(
        "/api/v1/hazards/H-1/events", json=new_event(rect(0, 0, 100, 200), "clear", "2016-01-01")
    )
    second = client.post(
        "/api/v1/hazards/H-1/events", json=new_event(rect(100, 0, 200, 200), "clear", "2017-01-01")
    )
    assert first.is_success and second.is_success
    voided = client.post(f"/api/v1/events/{second.json()['id']}/void", json={"reason": "twice"})
    assert voided.is_success
    return _counts()


def _counts() -> dict[str, int]:
    with owner_engine().connect() as conn:
        return {
            table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in (*HISTORY, "land_state")
        }


def _owner_role() -> str:
    return owner_engine().url.username or ""


@pytest.mark.parametrize("statements", REWRITES.values(), ids=REWRITES.keys())
def test_the_database_refuses_every_rewrite_of_history(history, statements) -> None:
    refused = None
    with engine().connect() as conn:
        try:
            for statement in statements:
                conn.execute(text(statement.format(owner=_owner_role())))
        except DBAPIError as error:
            refused = error
        finally:
            conn.rollback()
    assert refused is not None, f"the service's role could run: {statements}"
    # Refused for want of a right (42501), not for some other reason.
    assert refused.orig.sqlstate == "42501", refused.orig
    assert _counts() == history


def test_the_service_role_owns_nothing_and_holds_no_power() -> None:
    with owner_engine().connect() as conn:
        service = engine().url.username
        assert service and service != _owner_role(), "the tests must connect as the service role"
        assert service_role_problems(conn, service) == []
        flags = conn.execute(
            text(
                "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls "
                "FROM pg_roles WHERE rolname = :r"
            ),
            {"r": service},
        ).one()
        assert not any(flags)
        owned = conn.execute(
            text(
                "SELECT count(*) FROM pg_class WHERE relowner = "
                "(SELECT oid FROM pg_roles WHERE rolname = :r)"
            ),
            {"r": service},
        ).scalar_one()
        assert owned == 0


def test_no_table_can_be_emptied_or_rewritten_whole_by_the_service() -> None:
    """What the service role holds on every table: never TRUNCATE, TRIGGER or REFERENCES,
    never DELETE but on the two tables that are no history; UPDATE on the history only of
    the review columns."""
    service = engine().url.username
    with owner_engine().connect() as conn:
        tables = owned_tables(conn)
        assert set(tables) == set(TABLE_GRANTS)
        for table in tables:
            rights = ["TRUNCATE", "TRIGGER", "REFERENCES"]
            if table not in DELETED_BY_THE_SERVICE:
                rights.append("DELETE")
            for right in rights:
                held = conn.execute(
                    text("SELECT has_table_privilege(:r, :t, :p)"),
                    {"r": service, "t": table, "p": right},
                ).scalar_one()
                assert not held, (table, right)
        for table in HISTORY:
            updatable = set(
                conn.execute(
                    text(
                        "SELECT column_name FROM information_schema.column_privileges "
                        "WHERE grantee = :r AND table_name = :t AND privilege_type = 'UPDATE'"
                    ),
                    {"r": service, "t": table},
                ).scalars()
            )
            expected = (
                {"status", "reviewed_by", "reviewed_at", "review_reason"}
                if table in ("hazards", "events")
                else set()
            )
            assert updatable == expected, table
