#!/usr/bin/env bash
# Restart the local Kafka broker, keeping its data (topics, committed offsets).
#
#   tools/kafka-restart.sh          # clean stop (SIGTERM), then start and wait until it answers
#   tools/kafka-restart.sh --kill   # crash (SIGKILL), then start: the broker recovers its logs
#
# Same env as tools/kafka-start.sh / tools/kafka-stop.sh.
set -euo pipefail

scripts_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for arg in "$@"; do
  case "$arg" in
    --kill) ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "kafka-restart: unknown option $arg (only --kill; a restart keeps the data)" >&2; exit 2 ;;
  esac
done

"$scripts_dir/kafka-stop.sh" "$@"
exec "$scripts_dir/kafka-start.sh"
