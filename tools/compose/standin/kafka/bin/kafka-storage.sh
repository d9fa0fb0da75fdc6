#!/bin/bash
# kafka-storage.sh as the apache/kafka image has it (format, --add-scram ...; KAFKA_HEAP_OPTS sets
# the JVM's heap).
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:--Xmx256m} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.awt.headless=true \
  -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties -Dtwtix.kafka.log.level=WARN \
  -Dtwtix.kafka.log.target=SYSTEM_ERR -cp '/opt/kafka/libs/*' kafka.tools.StorageTool "$@"
