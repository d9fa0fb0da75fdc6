#!/bin/bash
# The postgres image's entrypoint contract (see Dockerfile), for the twtix CI stand-in.
set -euo pipefail
if [ "${1:-}" != "postgres" ]; then exec "$@"; fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "${POSTGRES_PASSWORD:-}" ] || { echo "postgres: POSTGRES_PASSWORD is not set: the database is uninitialized" >&2; exit 1; }
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA" >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  # A temporary server on the Unix socket only: a TCP health check must not see it as ready.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  export PGUSER="$user" PGHOST=/var/run/postgresql
  if [ "$db" != postgres ]; then
    psql -v ON_ERROR_STOP=1 -q -d postgres --set db="$db" <<<'CREATE DATABASE :"db";'
  fi
  export PGDATABASE="$db"
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "postgres: running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql) echo "postgres: running $f"; psql -v ON_ERROR_STOP=1 -q -f "$f" ;;
      *) [ -e "$f" ] && echo "postgres: ignoring $f" ;;
    esac
  done
  unset PGDATABASE
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "postgres: database $db initialised in $PGDATA"
fi
exec postgres -c listen_addresses='*' "${@:2}"
