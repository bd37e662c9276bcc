#!/usr/bin/env bash
# Honours the Confluent image's SCHEMA_REGISTRY_LISTENERS (the port to serve on); the other SCHEMA_REGISTRY_*
# settings have no Apicurio counterpart here (in-memory storage, BACKWARD is checked by the build).
set -euo pipefail
listener="${SCHEMA_REGISTRY_LISTENERS:-http://0.0.0.0:8081}"
port="${listener##*:}"
exec /opt/java/bin/java -Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -Dquarkus.http.host=0.0.0.0 -Dquarkus.http.port="$port" -Dquarkus.management.port=9000 \
  -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 \
  -Dquarkus.http.access-log.enabled=false -Dquarkus.otel.sdk.disabled=true \
  -jar /opt/apicurio/quarkus-run.jar
