#!/usr/bin/env bash
# kafka-run-class.sh CLASS ARGS: the libs as a wildcard class path; log4j2 config by KAFKA_LOG4J_OPTS.
set -euo pipefail
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} ${KAFKA_OPTS:-} \
  ${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=/opt/kafka/config/tools-log4j2.properties} \
  -cp '/opt/kafka/libs/*' "$@"
