#!/usr/bin/env bash
# The database users of the Compose stack, created once when the postgres image initialises an
# empty data directory (/docker-entrypoint-initdb.d), as the superuser POSTGRES_USER. Each job gets
# its own user, so none can touch another's data (docs/operations.md, "Database roles"):
#
#   TEMPORAL_DB_USER   owns the Temporal databases (TEMPORAL_DB, TEMPORAL_VISIBILITY_DB) and nothing else;
#   PPKS_OWNER_USER    owns the service's database PPKS_DB: the API migrates it with this user;
#   PPKS_RUNTIME_USER  logs in for the API and the worker; a member of ppks_runtime, which the
#                      migrations grant exactly what the code does with each table: on the audit
#                      trail and the access log only INSERT and SELECT.
#
# Passwords come from the files *_PASSWORD_FILE names (Compose secrets), never from the environment.
# Names are settings only so that tests/e2e/compose-env.test.ts can run this script against a
# shared PostgreSQL under names of its own. Re-running it against a server that has these users
# fails (CREATE ROLE): it is meant for an empty server.
set -euo pipefail

: "${TEMPORAL_DB_USER:=temporal}" "${TEMPORAL_DB:=temporal}" "${TEMPORAL_VISIBILITY_DB:=temporal_visibility}"
: "${PPKS_DB:=ppks}" "${PPKS_OWNER_USER:=ppks_owner}" "${PPKS_RUNTIME_USER:=ppks_app}"
: "${TEMPORAL_DB_PASSWORD_FILE:=/run/secrets/temporal_db_password}"
: "${PPKS_OWNER_PASSWORD_FILE:=/run/secrets/ppks_owner_db_password}"
: "${PPKS_RUNTIME_PASSWORD_FILE:=/run/secrets/ppks_app_db_password}"

secret() {
  local value
  value="$(tr -d '\r\n' <"$1")"
  if [ -z "$value" ]; then
    echo "init-roles.sh: $1 is empty" >&2
    exit 1
  fi
  printf '%s' "$value"
}

# Assignments, so that a missing or empty file stops the script (set -e) before psql runs.
temporal_password="$(secret "$TEMPORAL_DB_PASSWORD_FILE")"
owner_password="$(secret "$PPKS_OWNER_PASSWORD_FILE")"
runtime_password="$(secret "$PPKS_RUNTIME_PASSWORD_FILE")"

# psql's :'name' and :"name" quote the values as a literal and an identifier: a password may hold
# any character. Variables are not interpolated inside DO blocks, hence the \gexec for the one
# conditional statement.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v temporal_user="$TEMPORAL_DB_USER" -v temporal_password="$temporal_password" \
  -v temporal_db="$TEMPORAL_DB" -v temporal_visibility_db="$TEMPORAL_VISIBILITY_DB" \
  -v ppks_db="$PPKS_DB" \
  -v owner_user="$PPKS_OWNER_USER" -v owner_password="$owner_password" \
  -v runtime_user="$PPKS_RUNTIME_USER" -v runtime_password="$runtime_password" <<'SQL'
-- Temporal: its two databases, which temporal-setup fills with temporal-sql-tool.
CREATE ROLE :"temporal_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'temporal_password';
CREATE DATABASE :"temporal_db" OWNER :"temporal_user";
CREATE DATABASE :"temporal_visibility_db" OWNER :"temporal_user";
REVOKE ALL ON DATABASE :"temporal_db", :"temporal_visibility_db" FROM PUBLIC;

-- The service: the owner of its tables, and the group role its processes log in through. The
-- migration db/migrations/1765584060000_runtime-role.sql would create ppks_runtime itself, but
-- the owner may not create roles; created here, the migration only grants it its rights.
CREATE ROLE :"owner_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE DATABASE :"ppks_db" OWNER :"owner_user";
REVOKE ALL ON DATABASE :"ppks_db" FROM PUBLIC;
SELECT 'CREATE ROLE ppks_runtime NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ppks_runtime')
\gexec
CREATE ROLE :"runtime_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'runtime_password' IN ROLE ppks_runtime;
GRANT CONNECT ON DATABASE :"ppks_db" TO ppks_runtime;
SQL
