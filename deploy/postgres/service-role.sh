#!/bin/sh
# Run by the postgres image when it initialises an empty volume (/docker-entrypoint-initdb.d, see
# compose.yaml): makes the service's own role SERVICE_ROLE (password SERVICE_ROLE_PASSWORD), which
# can sign in but is no superuser, cannot create roles or databases, and owns the service's
# database POSTGRES_DB (its migrations create the schemas and tables in it). The service signs in
# as this role only; `postgres` stays for administration. Running it again changes nothing but the
# password. A volume initialised before this script has tables owned by `postgres`: running it
# there (docker compose exec orders-db /docker-entrypoint-initdb.d/10-service-role.sh) is not
# enough, their ownership must move too (README, "Run with Docker Compose").
set -eu
: "${SERVICE_ROLE:?SERVICE_ROLE is not set}" "${SERVICE_ROLE_PASSWORD:?SERVICE_ROLE_PASSWORD is not set}"
: "${POSTGRES_DB:?POSTGRES_DB is not set}"
psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --dbname "$POSTGRES_DB" \
  --set role="$SERVICE_ROLE" --set password="$SERVICE_ROLE_PASSWORD" --set db="$POSTGRES_DB" <<'SQL'
SELECT format('CREATE ROLE %I', :'role')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'password';
ALTER DATABASE :"db" OWNER TO :"role";
ALTER SCHEMA public OWNER TO :"role";
SQL
echo "service-role: $SERVICE_ROLE owns database $POSTGRES_DB"
