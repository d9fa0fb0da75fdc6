#!/usr/bin/env bash
# Stop the local Kafka broker started by tools/kafka-start.sh. Idempotent.
#
#   tools/kafka-stop.sh           # SIGTERM (clean shutdown), wait, SIGKILL if it hangs
#   tools/kafka-stop.sh --wipe    # ... then delete the data dir (topics, offsets, metadata)
#   tools/kafka-stop.sh --kill    # SIGKILL at once: a crash, for fault tests (next start recovers)
#
# Env: KAFKA_HOME_DIR (default <repo>/.kafka), KAFKA_STOP_TIMEOUT (seconds before SIGKILL, default 60).
set -euo pipefail

scripts_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$scripts_dir/.." && pwd)"
home_dir="${KAFKA_HOME_DIR:-$repo/.kafka}"
pidfile="$home_dir/broker.pid"
stop_timeout="${KAFKA_STOP_TIMEOUT:-60}"

wipe=0
kill_now=0
for arg in "$@"; do
  case "$arg" in
    --wipe) wipe=1 ;;
    --kill) kill_now=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "kafka-stop: unknown option $arg (use --wipe, --kill)" >&2; exit 2 ;;
  esac
done

say() { echo "kafka-stop: $*"; }

is_broker() {
  local cmd
  kill -0 "$1" 2>/dev/null || return 1
  cmd="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *" kafka.Kafka "* ]]
}

wait_exit() { # pid seconds
  local n=$(($2 * 10))
  while ((n-- > 0)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  ! kill -0 "$1" 2>/dev/null
}

pid="$(cat "$pidfile" 2>/dev/null || true)"
if [[ "$pid" =~ ^[0-9]+$ ]] && is_broker "$pid"; then
  if ((kill_now)); then
    kill -KILL "$pid" 2>/dev/null || true
    wait_exit "$pid" 10 || { echo "kafka-stop: pid $pid survived SIGKILL" >&2; exit 1; }
    say "killed broker (pid $pid, SIGKILL)"
  else
    t0=$SECONDS
    kill -TERM "$pid" 2>/dev/null || true
    if wait_exit "$pid" "$stop_timeout"; then
      say "stopped broker (pid $pid, $((SECONDS - t0)) s)"
    else
      echo "kafka-stop: broker pid $pid still running after ${stop_timeout}s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      wait_exit "$pid" 10 || { echo "kafka-stop: pid $pid survived SIGKILL" >&2; exit 1; }
      say "killed broker (pid $pid)"
    fi
  fi
else
  say "no broker started by kafka-start.sh is running"
fi
rm -f "$pidfile"

if ((wipe)); then
  rm -rf "$home_dir/data" "$home_dir/data.ports" "$home_dir/data.scram"
  say "wiped $home_dir/data"
fi
