#!/bin/bash
# The apache/kafka image's start contract (see ../Dockerfile), for the twtix CI stand-in.
set -euo pipefail
props=/opt/kafka/config/server.properties
: "${CLUSTER_ID:?CLUSTER_ID is required}"
# As the image's configure script: a SASL listener wants KAFKA_OPTS set (it expects a JAAS file).
if [[ "${KAFKA_ADVERTISED_LISTENERS:-}" == *SASL_* && -z "${KAFKA_OPTS:-}" ]]; then
  echo "KAFKA_OPTS environment variable not set"
  exit 1
fi
: >"$props"
while IFS='=' read -r name _; do
  case "$name" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_GC_LOG_OPTS | KAFKA_JMX_OPTS \
      | KAFKA_JMX_HOSTNAME | KAFKA_LOG4J_OPTS | KAFKA_LOG4J_ROOT_LOGLEVEL | KAFKA_LOG4J_LOGGERS \
      | KAFKA_TOOLS_LOG4J_LOGLEVEL | KAFKA_VERSION | KAFKA_DEBUG) continue ;;
    KAFKA_*) ;;
    *) continue ;;
  esac
  # As the image does: ___ is -, __ is _, _ is . (KAFKA_LOG_DIRS -> log.dirs).
  key="$(printf '%s' "${name#KAFKA_}" | tr '[:upper:]' '[:lower:]' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')"
  printf '%s=%s\n' "$key" "${!name}" >>"$props"
done < <(env)
sort -o "$props" "$props"

common=(-Djava.awt.headless=true -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties -cp '/opt/kafka/libs/*')
# Formats the log dirs once (meta.properties kept in the volume); later starts leave them as they are.
# shellcheck disable=SC2086
java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "${common[@]}" -Dtwtix.kafka.log.level=WARN \
  kafka.tools.StorageTool format --cluster-id "$CLUSTER_ID" --config "$props" --ignore-formatted
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:--Xmx1g -Xms1g} -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
  "${common[@]}" -Dtwtix.kafka.log.level="${KAFKA_LOG4J_ROOT_LOGLEVEL:-INFO}" kafka.Kafka "$props"
