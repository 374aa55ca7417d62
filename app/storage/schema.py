"""Emptying the database of the schema the migrations made, so that the tests and the
benchmarks start from nothing and run the migrations themselves."""

from __future__ import annotations

from sqlalchemy import Connection, text


def drop_schema_objects(conn: Connection) -> None:
    """Drop every table, sequence and function of the connected owner role. A superuser
    (a database without roles of its own) drops and makes the public schema anew instead;
    PostGIS, which only a superuser creates, stays otherwise."""
    if conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    else:
        conn.execute(text("DROP OWNED BY CURRENT_USER CASCADE"))
