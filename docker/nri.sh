#!/usr/bin/env bash
# Runs ./nri inside a container (docker-compose.yml): the repository is mounted at /nri and the host's Maven
# repository at /m2. <module>/target/classpath.txt names jars by their absolute host paths; map each onto the mounts:
# .../.m2/repository/X -> /m2/X and <repo>/<module>/target/<jar> -> /nri/<module>/target/<jar>.
# NRI_APP=analytics runs the analytics service alone, on the analytics module's own (small) class path.
set -euo pipefail

case "${NRI_APP:-cli}" in
  cli)       cp_file=/nri/cli/target/classpath.txt; jar=/nri/cli/target/nri-cli.jar; main=dev.nristream.cli.Nri ;;
  analytics) cp_file=/nri/analytics/target/classpath.txt; jar=/nri/analytics/target/nri-analytics.jar
             main=dev.nristream.analytics.AnalyticsCommand ;;
  *)         echo "nri: NRI_APP must be cli or analytics, got '${NRI_APP}'" >&2; exit 2 ;;
esac
if [[ ! -f "$jar" || ! -f "$cp_file" ]]; then
  echo "nri: $jar or $cp_file is missing: build on the host first (mvn -B -DskipTests package)" >&2
  exit 2
fi

classpath="$jar"
# read returns 1 at the end of a file without a final newline (classpath.txt has none); the array is filled anyway.
IFS=':' read -r -a entries < "$cp_file" || true
for entry in "${entries[@]}"; do
  case "$entry" in
    */.m2/repository/*) mapped="/m2/${entry#*/.m2/repository/}" ;;
    */target/*.jar)     rest="${entry%/target/*}"; mapped="/nri/${rest##*/}/target/${entry##*/target/}" ;;
    *)                  mapped="$entry" ;;
  esac
  if [[ ! -e "$mapped" ]]; then
    echo "nri: classpath entry $entry (mapped to $mapped) is not in the container: is the Maven repository" \
         "mounted (NRI_M2_REPO, default ~/.m2/repository) and the build current?" >&2
    exit 2
  fi
  classpath="$classpath:$mapped"
done

# shellcheck disable=SC2086
# The class path goes through the environment, as in ./nri: ONNX Runtime overflows its thread stack when the process
# command line is long.
export CLASSPATH="$classpath"
exec java ${JAVA_OPTS:-} -Dnri.project.root=/nri -Dnri.shared.data=/data "$main" "$@"
