#!/bin/bash
# compose.yaml's kafka-format: formats the broker's storage once, with SCRAM credentials
# (SCRAM-SHA-256 and SCRAM-SHA-512) for each `user:password` of SCRAM_USERS, before the broker's
# first start. Runs in the broker's image, on its volume, with its KAFKA_* variables (turned into
# the properties the image would write: KAFKA_A_B is a.b, __ is _, ___ is -). A volume formatted
# before is left as it is (--ignore-formatted): users are then changed with kafka-configs.sh.
# Passwords are never printed.
set -euo pipefail
: "${CLUSTER_ID:?CLUSTER_ID is required}"
: "${SCRAM_USERS:?SCRAM_USERS is required (user:password ...)}"

props="$(mktemp)"
trap 'rm -f "$props"' EXIT
while IFS='=' read -r name _; do
  case "$name" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_GC_LOG_OPTS | KAFKA_JMX_OPTS \
      | KAFKA_LOG4J_OPTS | KAFKA_VERSION | KAFKA_DEBUG) continue ;;
    KAFKA_*) ;;
    *) continue ;;
  esac
  key="$(printf '%s' "${name#KAFKA_}" | tr '[:upper:]' '[:lower:]' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')"
  printf '%s=%s\n' "$key" "${!name}" >>"$props"
done < <(env)

args=()
users=()
for entry in $SCRAM_USERS; do
  user="${entry%%:*}"
  password="${entry#*:}"
  if [[ -z "$user" || -z "$password" || "$entry" != *:* ]]; then
    echo "kafka-format: SCRAM_USERS: an entry is not user:password" >&2
    exit 1
  fi
  args+=(--add-scram "SCRAM-SHA-256=[name=$user,password=$password]")
  args+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$password]")
  users+=("$user")
done

echo "kafka-format: SCRAM users ${users[*]} (if the storage is new)"
KAFKA_HEAP_OPTS="${KAFKA_FORMAT_HEAP_OPTS:--Xmx256m}" /opt/kafka/bin/kafka-storage.sh format \
  --cluster-id "$CLUSTER_ID" --config "$props" --ignore-formatted "${args[@]}"
