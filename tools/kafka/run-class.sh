#!/usr/bin/env bash
# Run a Kafka CLI class on the jars fetched by tools/kafka-start.sh (.kafka/lib), e.g.
#   tools/kafka/run-class.sh org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
#   tools/kafka/run-class.sh org.apache.kafka.tools.ConsoleProducer --bootstrap-server 127.0.0.1:9092 --topic t
#   tools/kafka/run-class.sh org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server 127.0.0.1:9092 \
#     --topic t --from-beginning --max-messages 1
# Env: KAFKA_HOME_DIR (default <repo>/.kafka), KAFKA_TOOLS_HEAP_OPTS (default -Xmx256m),
#      KAFKA_TOOLS_LOG_LEVEL (default WARN; logs go to stderr).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
home_dir="${KAFKA_HOME_DIR:-$repo/.kafka}"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ $# -lt 1 ]]; then
  echo "usage: $0 MAIN_CLASS [ARGS...]" >&2
  exit 2
fi
if [[ ! -f "$home_dir/lib/.complete" ]]; then
  echo "run-class: $home_dir/lib is missing; run tools/kafka-start.sh first" >&2
  exit 1
fi

# Client JVMs: small heap, C1 only and serial GC start fastest on a 2-core machine.
# shellcheck disable=SC2086
exec "$java_bin" ${KAFKA_TOOLS_HEAP_OPTS:--Xmx256m} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -Djava.awt.headless=true -Dlog4j2.shutdownHookEnabled=false \
  -Dlog4j2.configurationFile="$here/log4j2.properties" \
  -Dtwtix.kafka.log.level="${KAFKA_TOOLS_LOG_LEVEL:-WARN}" -Dtwtix.kafka.log.target=SYSTEM_ERR \
  -cp "$home_dir/lib/*" "$@"
