-- The two roles of the service's database (docs/operations.md, "Database roles"), run by a
-- superuser with psql: scripts/pg.sh for the private cluster, scripts/db-init.sh in the
-- PostGIS container of compose.yaml.
--
--   psql -v owner=landrelease_owner -v service=landrelease_service \
--        -v owner_password= -v service_password= -v database=landrelease -f db-roles.sql
--
-- The owner owns the database and every table, and runs the migrations. The service connects
-- as a role that owns nothing and holds only the grants `python -m app db grant` gives it:
-- it can neither truncate, alter nor drop a table, nor disable a trigger, nor set
-- session_replication_role (a superuser's setting). An empty password leaves the role's
-- password as it is (the private cluster trusts its Unix socket).
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I', :'service')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'service') \gexec

-- Whatever they were before: roles that may log in and nothing more.
SELECT format(
    'ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', r)
  FROM unnest(ARRAY[:'owner', :'service']) AS r \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'owner', :'owner_password')
 WHERE :'owner_password' <> '' \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'service', :'service_password')
 WHERE :'service_password' <> '' \gexec
-- The service must not inherit the owner's rights through a membership.
SELECT format('REVOKE %I FROM %I', :'owner', :'service')
  FROM pg_auth_members m
 WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = :'owner')
   AND m.member = (SELECT oid FROM pg_roles WHERE rolname = :'service') \gexec

SELECT format('ALTER DATABASE %I OWNER TO %I', :'database', :'owner')
 WHERE EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
