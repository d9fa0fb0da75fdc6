#!/usr/bin/env bash
# Start a local single-node Apache Kafka 4.x broker (KRaft, combined broker+controller) without
# Docker, from Maven Central jars. Idempotent: if a broker already answers on the port, says so
# and exits 0.
#
#   tools/kafka-start.sh          # fetch jars once, format storage once, start, wait until ready
#
# Two client listeners (tools/kafka/server.properties): PLAINTEXT on KAFKA_PORT, unauthenticated
# and a super user, for the admin tools and test suites on this machine; SASL_PLAINTEXT on
# KAFKA_SASL_PORT, where each service signs in as its own SCRAM user (SCRAM-SHA-256 and -512) and
# may do what tools/kafka/setup.ts's ACLs allow it. The passwords are made once and kept in
# $KAFKA_HOME_DIR/scram/<user> (mode 600); $KAFKA_HOME_DIR/credentials.json names them with the
# listeners, for `npm run stack` and the ACL tests (KAFKA_CREDENTIALS_FILE). New storage gets the
# users at format time (--add-scram); storage formatted before gets them through the admin API.
# On a new or newly set up storage the topics and ACLs of the unprefixed topics are made
# (tools/kafka/setup.ts); `npm run stack` brings them up to date on every start, and a restart
# (the fault suite's) skips them: they live in the metadata log.
#
# Env:
#   KAFKA_PORT             PLAINTEXT port on 127.0.0.1 (default 9092)
#   KAFKA_CONTROLLER_PORT  CONTROLLER port on 127.0.0.1 (default KAFKA_PORT+1)
#   KAFKA_SASL_PORT        SASL_PLAINTEXT port on 127.0.0.1 (default KAFKA_PORT+2)
#   KAFKA_SCRAM_USERS      SCRAM users (default: admin and every service on the bus)
#   KAFKA_HOME_DIR         scratch dir for jars, data, log, pid (default <repo>/.kafka)
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to answer (default 90)
#   KAFKA_HEAP_OPTS        broker heap (default "-Xms256m -Xmx1g")
#   KAFKA_LOG_LEVEL        broker log level (default INFO)
#
# Layout of $KAFKA_HOME_DIR: lib/ (jars), data/ (log.dirs, KRaft metadata included),
# server.properties (generated from tools/kafka/server.properties), broker.log (+ broker.log.1,
# the previous run's), broker.pid. Stop with tools/kafka-stop.sh [--wipe].
set -euo pipefail

scripts_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$scripts_dir/.." && pwd)"
conf_dir="$scripts_dir/kafka"
run_class="$conf_dir/run-class.sh"

host=127.0.0.1
port="${KAFKA_PORT:-9092}"
cport="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
sport="${KAFKA_SASL_PORT:-$((port + 2))}"
# admin (a super user, as tools/kafka/server.properties says) and each service that uses the bus
# (tools/kafka/acls.test.ts checks the list against tools/topology.ts).
scram_users="${KAFKA_SCRAM_USERS:-admin auth tickets orders expiration payments}"
home_dir="${KAFKA_HOME_DIR:-$repo/.kafka}"
start_timeout="${KAFKA_START_TIMEOUT:-90}"
lib="$home_dir/lib"
data="$home_dir/data"
props="$home_dir/server.properties"
log="$home_dir/broker.log"
pidfile="$home_dir/broker.pid"
scram_dir="$home_dir/scram"
credentials="$home_dir/credentials.json"
# What the data dir's SCRAM users were last set to (a digest of users and passwords).
scram_stamp="$home_dir/data.scram"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

say() { echo "kafka-start: $*"; }
die() { echo "kafka-start: $*" >&2; exit 1; }

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$host/$1" 2>/dev/null; }

# pid of the broker this script started, if it is still running
broker_pid() {
  local pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local cmd
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *" kafka.Kafka "* ]] || return 1
  echo "$pid"
}

# A real Kafka request: list topics through the AdminClient (Metadata request). The client retries
# by itself while the broker is still starting; `timeout` bounds it.
kafka_answers() {
  local secs="$1"
  ((secs >= 1)) || secs=1
  timeout "$secs" "$run_class" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$host:$port" --list >/dev/null 2>&1
}

kafka_version() {
  local j
  for j in "$lib"/kafka-clients-*.jar; do
    j="${j##*/kafka-clients-}"
    echo "${j%.jar}"
    return
  done
}

# One password per user, made once: 48 hex digits.
ensure_passwords() {
  local u
  (umask 077 && mkdir -p "$scram_dir")
  for u in $scram_users; do
    [[ -s "$scram_dir/$u" ]] && continue
    (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$scram_dir/$u")
  done
}
password_of() { cat "$scram_dir/$1"; }
scram_digest() {
  local u
  for u in $scram_users; do echo "$u $(password_of "$u")"; done | sha256sum | cut -d' ' -f1
}
# Who the services are on this broker, for `npm run stack` and the ACL tests: not a log line.
write_credentials() {
  local u sep="" users=""
  for u in $scram_users; do
    users+="$sep\"$u\": \"$(password_of "$u")\""
    sep=", "
  done
  (umask 077 && cat >"$credentials.tmp" <<JSON
{
  "plaintext": "$host:$port",
  "brokers": "$host:$sport",
  "mechanism": "scram-sha-512",
  "users": { $users }
}
JSON
  )
  mv "$credentials.tmp" "$credentials"
}
# Storage formatted without these users (or with other passwords): set them through the admin API.
sync_scram_users() {
  local u pw
  [[ "$(cat "$scram_stamp" 2>/dev/null || true)" == "$(scram_digest)" ]] && return 0
  local mechanism
  for u in $scram_users; do
    pw="$(password_of "$u")"
    # One mechanism per request: KRaft refuses two changes to one user in a request.
    for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
      "$run_class" org.apache.kafka.tools.ConfigCommand --bootstrap-server "$host:$port" --alter \
        --entity-type users --entity-name "$u" --add-config "$mechanism=[password=$pw]" >/dev/null \
        || die "could not set the $mechanism credentials of $u"
    done
  done
  scram_digest >"$scram_stamp"
  say "SCRAM users set: $scram_users"
  acls_due=1
}
# Topics and ACLs (tools/kafka/setup.ts), through the PLAINTEXT listener.
setup_acls() {
  (cd "$repo" && KAFKA_BROKERS="$host:$port" KAFKA_SASL_MECHANISM='' KAFKA_SASL_USERNAME='' \
    KAFKA_SASL_PASSWORD='' node --import tsx tools/kafka/setup.ts) || die "tools/kafka/setup.ts failed"
}

tail_log() {
  echo "---- last lines of $log ----" >&2
  tail -n 60 "$log" >&2 2>/dev/null || true
  echo "----" >&2
}

command -v "$java_bin" >/dev/null || die "java not found (Java 17+ is needed)"
mkdir -p "$home_dir"

# One start at a time (e.g. parallel test setups): the second waits, then finds the broker running.
exec 9>"$home_dir/start.lock"
flock -w $((start_timeout + 300)) 9 || die "another kafka-start.sh holds $home_dir/start.lock"
ensure_passwords
write_credentials

# ---------------------------------------------------------------- already running?
launched=""
acls_due=""
if pid="$(broker_pid)"; then
  if port_open "$port" && kafka_answers 20; then
    say "Kafka broker already running on $host:$port (pid $pid)"
    sync_scram_users
    exit 0
  fi
  say "broker pid $pid is running but not answering yet; waiting for it"
  launched="$pid"
elif port_open "$port"; then
  if [[ -f "$lib/.complete" ]] && kafka_answers 20; then
    say "a Kafka broker already answers on $host:$port (not started by this script); nothing to do"
    exit 0
  fi
  [[ -f "$lib/.complete" ]] \
    || die "port $host:$port is in use (another checkout's broker? stop it first: npm run kafka:stop there)"
  die "port $host:$port is in use by something that does not answer as a Kafka broker"
fi

if [[ -z "$launched" ]]; then
  port_open "$cport" && die "controller port $host:$cport is already in use (set KAFKA_CONTROLLER_PORT)"
  port_open "$sport" && die "SASL port $host:$sport is already in use (set KAFKA_SASL_PORT)"

  # -------------------------------------------------------------- jars (once)
  pom_sum="$(sha256sum "$conf_dir/pom.xml" | cut -d' ' -f1)"
  if [[ "$(cat "$lib/.complete" 2>/dev/null || true)" != "$pom_sum" ]]; then
    command -v mvn >/dev/null || die "mvn not found (Maven is needed once, to fetch the Kafka jars)"
    say "fetching Kafka jars from Maven Central into $lib"
    tmp="$home_dir/lib.tmp.$$"
    rm -rf "$tmp"
    mvn -q -B -Dstyle.color=never -f "$conf_dir/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$tmp" >"$home_dir/fetch.log" 2>&1 \
      || { cat "$home_dir/fetch.log" >&2; rm -rf "$tmp"; die "mvn dependency:copy-dependencies failed"; }
    ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || { rm -rf "$tmp"; die "no kafka_2.13 jar was fetched"; }
    echo "$pom_sum" >"$tmp/.complete"
    rm -rf "$lib"
    mv "$tmp" "$lib"
  fi

  # -------------------------------------------------------------- config
  sed -e "s#127\.0\.0\.1:9092#$host:$port#g" \
      -e "s#127\.0\.0\.1:9093#$host:$cport#g" \
      -e "s#127\.0\.0\.1:9094#$host:$sport#g" \
      -e "s#^log\.dirs=.*#log.dirs=$data#" \
      "$conf_dir/server.properties" >"$props.tmp"
  mv "$props.tmp" "$props"

  # -------------------------------------------------------------- storage (once)
  # The controller's endpoint is written into the metadata log at format time, so a data dir
  # formatted for other ports cannot be reused.
  ports_file="$home_dir/data.ports"
  if [[ -f "$data/meta.properties" ]]; then
    if [[ -f "$ports_file" && "$(cat "$ports_file")" != "$port $cport" ]]; then
      die "$data was formatted for ports $(cat "$ports_file"), not $port $cport; run tools/kafka-stop.sh --wipe first"
    fi
  else
    rm -rf "$data"
    # a random cluster id: 16 bytes, base64url without padding, not starting with '-'
    cluster_id="-"
    while [[ "$cluster_id" == -* ]]; do
      cluster_id="$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    done
    say "formatting $data (cluster id $cluster_id, SCRAM users $scram_users)"
    scram_args=()
    for u in $scram_users; do
      pw="$(password_of "$u")"
      scram_args+=(--add-scram "SCRAM-SHA-256=[name=$u,password=$pw]" --add-scram "SCRAM-SHA-512=[name=$u,password=$pw]")
    done
    "$run_class" kafka.tools.StorageTool format --standalone \
      --cluster-id "$cluster_id" --config "$props" "${scram_args[@]}" >"$home_dir/format.log" 2>&1 \
      || { cat "$home_dir/format.log" >&2; die "storage format failed"; }
    echo "$port $cport" >"$ports_file"
    scram_digest >"$scram_stamp"
    acls_due=1
  fi

  # -------------------------------------------------------------- launch
  [[ -f "$log" ]] && mv -f "$log" "$log.1"
  rm -f "$pidfile"
  # The child writes its own pid (setsid may fork), then execs java: the pid file is the JVM's.
  # shellcheck disable=SC2086,SC2016
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" \
    "$java_bin" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g} \
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$conf_dir/log4j2.properties" \
    -Dtwtix.kafka.log.level="${KAFKA_LOG_LEVEL:-INFO}" -Dtwtix.kafka.log.target=SYSTEM_OUT \
    -cp "$lib/*" kafka.Kafka "$props" \
    </dev/null >>"$log" 2>&1 9>&- &
  for _ in $(seq 50); do [[ -s "$pidfile" ]] && break; sleep 0.1; done
  launched="$(cat "$pidfile" 2>/dev/null || true)"
  [[ -n "$launched" ]] || die "could not launch the broker"
fi

# ---------------------------------------------------------------- wait until it answers
start=$SECONDS
deadline=$((SECONDS + start_timeout))
while :; do
  if ! kill -0 "$launched" 2>/dev/null; then
    tail_log
    rm -f "$pidfile"
    die "the broker (pid $launched) exited during startup; log: $log"
  fi
  if port_open "$port" && kafka_answers $((deadline - SECONDS)); then
    say "Kafka $(kafka_version) broker ready on $host:$port, SASL/SCRAM on $host:$sport (pid $launched, $((SECONDS - start)) s; log $log)"
    sync_scram_users
    [[ -n "$acls_due" ]] && setup_acls
    say "credentials of each service: $credentials"
    exit 0
  fi
  if ((SECONDS >= deadline)); then
    tail_log
    echo "kafka-start: the broker did not answer on $host:$port within ${start_timeout}s; stopping it" >&2
    "$scripts_dir/kafka-stop.sh" >&2 || true
    exit 1
  fi
  sleep 0.5
done
