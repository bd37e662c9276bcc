#!/usr/bin/env bash
# The official Flink image's commands on a Maven-assembled runtime:
#   jobmanager            a session cluster's JobManager
#   standalone-job ARGS   application mode: the JobManager runs the jar in /opt/flink/usrlib with ARGS
#   taskmanager           a TaskManager
# FLINK_PROPERTIES (YAML lines) are merged into conf/config.yaml, replacing keys of the same name. Memory comes
# from Flink's own calculation (BashJavaUtils), as flink-dist's scripts do.
set -euo pipefail
conf=/opt/flink/conf
export CLASSPATH='/opt/flink/lib/*'   # a wildcard keeps the command line short (ONNX Runtime reads it; see ./nri)

{
  cat /opt/flink/conf-defaults/config.yaml
  echo "taskmanager.host: $(hostname -i | awk '{print $1}')"
  printf '%s\n' "${FLINK_PROPERTIES:-}"
} | awk -F': *' '/^[[:space:]]*(#|$)/ {next} {v[$1]=$0; if (!($1 in seen)) {seen[$1]=1; order[++n]=$1}}
                 END {for (i=1; i<=n; i++) print v[order[i]]}' > "$conf/config.yaml"
cp /opt/flink/conf-defaults/log4j-console.properties "$conf/"

java_opts=(
  -Dlog4j.configurationFile="file:$conf/log4j-console.properties"
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# Two result lines: the JVM's memory flags, then the dynamic properties the entrypoint must be given.
resource_params() {
  local out
  out="$(java -cp "$CLASSPATH" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$conf" 2>&1)" || {
    echo "$out" >&2; exit 1; }
  mapfile -t params < <(echo "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | tail -n 2)
  if [[ ${#params[@]} -ne 2 ]]; then echo "BashJavaUtils $1 gave no parameters:" >&2; echo "$out" >&2; exit 1; fi
}

# env.java.opts.all / .jobmanager / .taskmanager, as flink-dist's scripts read them.
java_opts_of() { sed -n "s/^env\.java\.opts\.$1: *//p" "$conf/config.yaml" | tail -n 1; }

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  jobmanager)
    resource_params GET_JM_RESOURCE_PARAMS
    # shellcheck disable=SC2086
    exec java ${params[0]} "${java_opts[@]}" $(java_opts_of all) $(java_opts_of jobmanager) \
      org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
      --configDir "$conf" --executionMode cluster ${params[1]} "$@" ;;
  standalone-job)
    resource_params GET_JM_RESOURCE_PARAMS
    # shellcheck disable=SC2086
    exec java ${params[0]} "${java_opts[@]}" $(java_opts_of all) $(java_opts_of jobmanager) \
      org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint --configDir "$conf" ${params[1]} "$@" ;;
  taskmanager)
    resource_params GET_TM_RESOURCE_PARAMS
    # shellcheck disable=SC2086
    exec java ${params[0]} "${java_opts[@]}" $(java_opts_of all) $(java_opts_of taskmanager) \
      org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
      --configDir "$conf" ${params[1]} "$@" ;;
  *)
    exec "$cmd" "$@" ;;
esac
