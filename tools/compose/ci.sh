#!/usr/bin/env bash
# `docker compose up` for real, in CI (issue 14). On a machine with no registry:
#   1. installs/starts Docker and Compose v2 (install.sh) and builds the stand-in base images
#      (images.sh, cached between runs);
#   2. builds twtix:local and starts compose.yaml (+ compose.ci.yaml: the stand-in images only)
#      as project twtix-ci with a .env generated here (random POSTGRES_PASSWORD), waiting for
#      every health check; reports the time from `up` to healthy;
#   3. least privilege: the ingress and the storefront cannot reach a database or Kafka, each
#      service signs in as its own non-superuser role, orders may not write the tickets topic and
#      Kafka refuses a client without a password; then the end-to-end story (tests/e2e/remote.test.ts) through the published ingress port;
#   4. kills the orders service's process (a crash: the restart policy must bring it back healthy),
#      then the invariant checker (tools/invariants) inside the Compose network against every
#      service's database and the broker: nothing lost;
#   5. `down` and `up` again (the volumes stay): a user made before signs in, the orders are there;
#   6. always `down -v` on exit. Exits non-zero on any failure.
# Env: INGRESS_PORT (default 18080, not the 8080 other tests use), COMPOSE_CI_KEEP=1 (no down -v).
# Every container's log ends up in test-results/compose.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS
step() { echo; echo "=== compose: $* ($((SECONDS - started))s)"; }
fail() { echo "compose/ci: $*" >&2; exit 1; }

port="${INGRESS_PORT:-18080}"
base="http://127.0.0.1:$port"
work="$(mktemp -d)"
env_file="$work/compose-ci.env"
dc() { docker compose -p twtix-ci --env-file "$env_file" -f compose.yaml -f compose.ci.yaml "$@"; }

cleanup() {
  local rc=$?
  if [ -f "$env_file" ]; then
    mkdir -p test-results
    dc logs --no-color --timestamps >test-results/compose.log 2>&1 || true
  fi
  if [ "$rc" -ne 0 ] && [ -f "$env_file" ]; then
    echo "---- failed with $rc: docker compose ps, warnings and errors (all: test-results/compose.log) ----" >&2
    dc ps -a >&2 || true
    grep -E '"level":"(warn|error)"|" 5[0-9][0-9] |FATAL|ERROR|Exception' test-results/compose.log | tail -40 >&2 || true
    dc logs --no-color --tail 15 >&2 || true
  fi
  if [ -z "${COMPOSE_CI_KEEP:-}" ] && [ -f "$env_file" ]; then
    dc down -v --remove-orphans --timeout 20 >/dev/null 2>&1 || true
  fi
  # Kept for `docker compose` by hand.
  if [ -n "${COMPOSE_CI_KEEP:-}" ] && [ -f "$env_file" ]; then
    mkdir -p test-results && cp "$env_file" test-results/compose-ci.env
    echo "kept: docker compose -p twtix-ci --env-file test-results/compose-ci.env -f compose.yaml -f compose.ci.yaml ..."
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

step "Docker and Compose (tools/compose/install.sh)"
bash tools/compose/install.sh

step "stand-in base images (tools/compose/images.sh)"
t=$SECONDS
bash tools/compose/images.sh
echo "stand-in images: $((SECONDS - t))s"

# The project's .env, made here: a fresh password per run, nothing committed.
secret() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
cat >"$env_file" <<ENV
POSTGRES_PASSWORD=$(secret)
AUTH_DB_PASSWORD=$(secret)
TICKETS_DB_PASSWORD=$(secret)
ORDERS_DB_PASSWORD=$(secret)
EXPIRATION_DB_PASSWORD=$(secret)
PAYMENTS_DB_PASSWORD=$(secret)
AUTH_KEY_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)
KAFKA_ADMIN_PASSWORD=$(secret)
AUTH_KAFKA_PASSWORD=$(secret)
TICKETS_KAFKA_PASSWORD=$(secret)
ORDERS_KAFKA_PASSWORD=$(secret)
EXPIRATION_KAFKA_PASSWORD=$(secret)
PAYMENTS_KAFKA_PASSWORD=$(secret)
INGRESS_PORT=$port
PAYMENTS_OFFLINE=true
ORDER_HOLD_SECONDS=4
LOG_LEVEL=info
# The e2e suite comes from one address: nginx's per-address rates would throttle the test.
INGRESS_AUTH_RATE=1000r/s
INGRESS_WRITE_RATE=1000r/s
ENV
pg_password="$(sed -n 's/^POSTGRES_PASSWORD=//p' "$env_file")"
kafka_admin_password="$(sed -n 's/^KAFKA_ADMIN_PASSWORD=//p' "$env_file")"

step "build twtix:local"
t=$SECONDS
# Every service runs the one image twtix:local: built once (through auth's build section), not six
# times over, which left a dangling copy per service and run; `up` then finds it and builds nothing.
dc build --quiet auth
docker image inspect twtix:local >/dev/null
echo "twtix:local built in $((SECONDS - t))s"

wait_healthy() { # what
  local t=$SECONDS
  dc up -d --wait --wait-timeout 420 || fail "$1: not healthy"
  echo "$1: up -> every container healthy in $((SECONDS - t))s"
}

step "up (first start: empty volumes)"
dc down -v --remove-orphans >/dev/null 2>&1 || true
wait_healthy "first up"
dc ps --format 'table {{.Service}}\t{{.Status}}'
curl -sf "$base/health" >/dev/null || fail "the ingress does not answer on $base"
curl -sf "$base/api/openapi.json" >/dev/null || fail "no OpenAPI document through the ingress"
curl -sf "$base/" >/dev/null || fail "no storefront page through the ingress"

step "least privilege: networks and database roles"
# The ingress and the storefront (edge) must not reach a database or Kafka (backend): not by name,
# not by address.
for target in orders-db:5432 kafka:9092; do
  ip="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$(dc ps -q "${target%:*}")")"
  for from in ingress storefront; do
    if dc exec -T "$from" getent hosts "${target%:*}" >/dev/null 2>&1; then
      fail "$from resolves ${target%:*}"
    fi
    if dc exec -T "$from" timeout 3 bash -c "exec 3<>/dev/tcp/$ip/${target#*:}" 2>/dev/null; then
      fail "$from reaches ${target%:*} at $ip:${target#*:}"
    fi
  done
done
# ... while a service does (orders: its database and Kafka).
dc exec -T orders node -e "
  const net = require('node:net')
  const reach = (host, port) => new Promise((ok, ko) => {
    const s = net.connect(port, host, () => { s.end(); ok() }).on('error', ko)
  })
  Promise.all([reach('orders-db', 5432), reach('kafka', 9092)]).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1) })
" || fail "orders does not reach its database and Kafka"
# Each service signs in as its own role, no superuser, which owns its tables.
for svc in auth tickets orders expiration payments; do
  row="$(dc exec -T "$svc-db" psql -U postgres -d "twtix_$svc" -tAc "
    SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb,
      (SELECT count(*) FROM pg_tables t WHERE t.schemaname NOT IN ('pg_catalog', 'information_schema')
         AND t.tableowner <> r.rolname),
      (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = current_database()
         AND a.usename = 'postgres' AND a.pid <> pg_backend_pid())
    FROM pg_roles r WHERE r.rolname = 'twtix_$svc'")"
  [ "$row" = "f|f|f|0|0" ] || fail "$svc-db: role twtix_$svc (superuser|createrole|createdb|tables owned by others|postgres sessions) is $row"
done
echo "edge cannot reach backend; each service is its own non-superuser role owning its tables"
# Kafka: orders, signed in as itself, cannot write the tickets topic (ACLs), and no one gets in
# without a password.
dc exec -T orders node -e "
  const { Kafka } = require('kafkajs')
  const { KAFKA_BROKERS: b, KAFKA_SASL_MECHANISM: m, KAFKA_SASL_USERNAME: u, KAFKA_SASL_PASSWORD: p } = process.env
  const client = (sasl) => new Kafka({ brokers: b.split(','), sasl, logLevel: 0, retry: { retries: 0 } })
  const forged = async () => {
    const producer = client({ mechanism: m.toLowerCase(), username: u, password: p }).producer()
    await producer.connect()
    try {
      await producer.send({ topic: 'tickets', messages: [{ key: 'k', value: '{}' }] })
      return 'orders wrote to tickets'
    } catch (e) {
      return /TOPIC_AUTHORIZATION_FAILED/.test(e.type || e.message) ? '' : 'unexpected: ' + e.message
    } finally { await producer.disconnect() }
  }
  const anonymous = async () => {
    const admin = client(undefined).admin()
    try { await admin.connect(); await admin.listTopics(); return 'a client without a password listed topics' }
    catch { return '' } finally { await admin.disconnect() }
  }
  Promise.all([forged(), anonymous()]).then((r) => {
    const failed = r.filter(Boolean)
    if (failed.length) { console.error(failed.join('; ')); process.exit(1) }
  }, (e) => { console.error(e.message); process.exit(1) })
" || fail "Kafka ACLs: a service could write another's topic, or SASL let a stranger in"
echo "kafka: orders may not write tickets; no password, no connection"

step "end to end through the ingress ($base)"
E2E_BASE_URL="$base" E2E_HOLD_SECONDS=4 npx vitest run tests/e2e/remote.test.ts

# A user made now must still sign in after down/up.
email="compose-ci-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')@example.test"
password="correct horse battery staple"
api() { # method path [json] -> prints the status
  curl -s -o "$work/body" -w '%{http_code}' -X "$1" -H 'content-type: application/json' \
    ${3:+--data "$3"} "$base$2"
}
status="$(api POST /api/users/signup "{\"email\":\"$email\",\"password\":\"$password\"}")"
[ "$status" = 201 ] || fail "signup answered $status: $(cat "$work/body")"

orders_count() {
  dc exec -T orders-db psql -U postgres -d twtix_orders -tAc 'SELECT count(*) FROM orders.orders'
}
orders_before="$(orders_count)"
[ "$orders_before" -gt 0 ] || fail "the e2e story left no order"

step "crash: SIGKILL the orders service's process; the restart policy brings it back"
cid="$(dc ps -q orders)"
restarts="$(docker inspect -f '{{.RestartCount}}' "$cid")"
# `docker kill` counts as a manual stop, which the restart policy honours: kill the process
# itself, as the kernel's OOM killer or a crash would.
kill -KILL "$(docker inspect -f '{{.State.Pid}}' "$cid")"
t=$SECONDS
until [ "$(docker inspect -f '{{.RestartCount}}' "$cid")" -gt "$restarts" ]; do
  [ $((SECONDS - t)) -lt 60 ] || fail "orders was not restarted"
  sleep 1
done
until [ "$(docker inspect -f '{{.State.Health.Status}}' "$cid")" = healthy ]; do
  [ $((SECONDS - t)) -lt 180 ] || fail "orders did not come back healthy"
  sleep 1
done
echo "orders restarted and healthy in $((SECONDS - t))s"
# Through the ingress: orders answers (401 without a session), not a 502.
status="$(api GET /api/orders)"
[ "$status" = 401 ] || fail "GET /api/orders through the ingress answered $status after the restart"

step "invariants (tools/invariants, inside the Compose network): nothing lost"
# Expired holds and payments settle within a few seconds; the checker allows 10 s of grace.
sleep 5
# In auth's container (the image holds the checker) without auth's DATABASE_URL (one database).
dc run --rm --no-deps -T -e DATABASE_URL= \
  -e "PG_URL=postgres://postgres:$pg_password@{service}-db:5432/postgres" \
  -e KAFKA_BROKERS=kafka:9092 -e KAFKA_SASL_MECHANISM=SCRAM-SHA-512 -e KAFKA_SASL_USERNAME=admin \
  -e "KAFKA_SASL_PASSWORD=$kafka_admin_password" \
  auth node --import tsx tools/invariants/check.ts

step "down, then up again: the data survived"
dc down --timeout 20
wait_healthy "second up"
status="$(api POST /api/users/signin "{\"email\":\"$email\",\"password\":\"$password\"}")"
[ "$status" = 200 ] || fail "the user made before down cannot sign in ($status: $(cat "$work/body"))"
orders_after="$(orders_count)"
[ "$orders_after" = "$orders_before" ] || fail "orders before down: $orders_before, after up: $orders_after"
echo "user $email signs in; $orders_after orders kept"

step "image"
docker image ls twtix:local
echo "compose CI passed in $((SECONDS - started))s"
