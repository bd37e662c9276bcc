#!/usr/bin/env bash
# The apache/kafka image's convention: every KAFKA_X_Y variable is the broker property x.y ("__" stands for "_",
# "___" for "-"); CLUSTER_ID names the KRaft cluster the storage is formatted for on first start.
set -euo pipefail
props=/opt/kafka/config/server.properties
: > "$props"
while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_LOG4J_OPTS|KAFKA_JMX_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|KAFKA_GC_LOG_OPTS) continue ;;
    KAFKA_*) ;;
    *) continue ;;
  esac
  key="${name#KAFKA_}"
  key="$(echo "$key" | tr '[:upper:]' '[:lower:]' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')"
  printf '%s=%s\n' "$key" "$value" >> "$props"
done < <(env)
: "${CLUSTER_ID:?CLUSTER_ID must name the KRaft cluster}"
/opt/kafka/bin/kafka-storage.sh format --cluster-id "$CLUSTER_ID" --config "$props" --ignore-formatted
exec /opt/kafka/bin/kafka-server-start.sh "$props"
