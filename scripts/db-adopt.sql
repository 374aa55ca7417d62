-- Gives the owner role the tables, sequences, views and functions of the schema that another
-- role created (a database whose migrations ran as a superuser, before the service had roles
-- of its own); the objects of extensions (PostGIS) stay their creator's. Run by a superuser
-- in the service's database:
--
--   psql -v owner=landrelease_owner -d landrelease -f db-adopt.sql
\set ON_ERROR_STOP on

-- The schema belongs to whoever owns the database (as PostgreSQL 15 makes it), so that the
-- owner role may create in it: a schema made anew by a superuser belongs to that superuser.
ALTER SCHEMA public OWNER TO pg_database_owner;

SELECT format('ALTER %s %s OWNER TO %I', kind, name, :'owner')
  FROM (
    SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                          WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind,
           c.oid::regclass::text AS name, c.relowner AS owner, c.oid, 'pg_class'::regclass AS cls
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
       -- a table's own sequences (identity, serial) follow their table
       AND NOT EXISTS (
           SELECT FROM pg_depend d
            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
              AND d.deptype IN ('a', 'i'))
    UNION ALL
    SELECT 'FUNCTION', p.oid::regprocedure::text, p.proowner, p.oid, 'pg_proc'::regclass
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
  ) AS o
 WHERE o.owner <> (SELECT oid FROM pg_roles WHERE rolname = :'owner')
   AND NOT EXISTS (
       SELECT FROM pg_depend d
        WHERE d.classid = o.cls AND d.objid = o.oid AND d.deptype = 'e') \gexec
