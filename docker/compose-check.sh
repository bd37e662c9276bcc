#!/usr/bin/env bash
# docker/compose-check.sh — runs docker-compose.yml for real and checks the stack end to end.
#
# Installs what it needs when missing (docker.io, docker-compose, debootstrap: Debian packages), starts dockerd when
# none answers (logging to target/compose-logs/dockerd.log), builds local stand-ins for the official images from a
# debootstrapped Debian base and Maven Central jars (docker/local/; cached: an image whose input hash exists is not
# rebuilt), then `docker-compose --profile springs up -d` and checks, with the mocap replay and the springs feed:
#   - the job is RUNNING in Flink's REST API;
#   - nri.graphs and nri.forecasts receive records (read_committed, from the published broker port);
#   - the analytics answer over HTTP with live scenes;
#   - dead letters: only MODEL_MISMATCH (the mocap frames, until a 3D model ships; see docker-compose.yml);
#   - `docker-compose restart taskmanager` mid-stream: the job restores its latest checkpoint, output continues and
#     no (scene, window) has two graphs;
#   - `docker-compose down -v` leaves no container, network or volume of the project.
# Every container's log is kept under target/compose-logs/ on failure. Each wait is bounded; timings are printed.
#
# Usage: docker/compose-check.sh [--keep-up]   (--keep-up: leave the stack running after a successful check)
# Environment: NRI_CHECK_PROJECT (compose project name, default nri-check), NRI_CHECK_STREAM_S (seconds of stream
# before the restart, default 45).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
logs="$root/target/compose-logs"
project="${NRI_CHECK_PROJECT:-nri-check}"
stream_s="${NRI_CHECK_STREAM_S:-45}"
keep_up=0
case "${1:-}" in
  --keep-up) keep_up=1 ;;
  -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "compose-check: unknown argument $1 (--keep-up or --help)" >&2; exit 2 ;;
esac

t_start=$(date +%s)
t_step=$t_start
timings=()
step() {
  local now; now=$(date +%s)
  timings+=("$(printf '%-34s %4ds' "$1" $((now - t_step)))")
  t_step=$now
  echo "compose-check: [$((now - t_start))s] $1 done"
}
say() { echo "compose-check: [$(($(date +%s) - t_start))s] $*"; }
fail() { echo "compose-check: FAILED: $*" >&2; exit 1; }

# Polls CMD (a shell snippet) every 3 s until it succeeds or SECONDS pass.
wait_for() {
  local seconds=$1 what=$2 cmd=$3 deadline=$(($(date +%s) + $1))
  until eval "$cmd" >/dev/null 2>&1; do
    (($(date +%s) < deadline)) || fail "$what: not within ${seconds}s"
    sleep 3
  done
}

mkdir -p "$logs"
# One check at a time per checkout: two would share the published ports and tear down each other's project.
exec 8>"$logs/.lock"
flock -n 8 || fail "another compose-check is running (lock $logs/.lock)"

# --- tools -------------------------------------------------------------------------------------------------------
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  for attempt in 1 2 3 4 5 6; do   # another apt-get may hold the lock for a while
    if timeout 600 apt-get install -y -qq "${missing[@]}" >"$logs/apt.log" 2>&1; then break; fi
    ((attempt < 6)) || { tail -n 20 "$logs/apt.log" >&2; fail "apt-get install ${missing[*]}"; }
    sleep 20
  done
fi
step "tools"

# --- dockerd -----------------------------------------------------------------------------------------------------
if ! timeout 20 docker info >/dev/null 2>&1; then
  say "starting dockerd (log: $logs/dockerd.log)"
  nohup dockerd >>"$logs/dockerd.log" 2>&1 &
  wait_for 60 "dockerd answering" "timeout 10 docker info"
fi
step "dockerd"

# --- local images -------------------------------------------------------------------------------------------------
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -n1; }
kafka_version=$(pom_property kafka.version)
flink_version=$(pom_property flink.version)
log4j_version=$(pom_property log4j.version)
apicurio_version=$(pom_property apicurio.version)

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }
# A tag from everything an image is built from: its directory under docker/local (not target/) and extra strings.
input_hash() {
  local dir=$1; shift
  { (cd "$dir" && find . \( -name target -o -name lib -o -name jdk -o -name '*.tar.gz' \) -prune -o -type f -print0 \
      | sort -z | xargs -0 sha256sum); printf '%s\n' "$@"; } \
    | sha256sum | cut -c1-12
}

base=nri-local/debian:bookworm-minbase
if ! image_exists "$base"; then
  say "debootstrap bookworm (minbase) for $base"
  rootfs=$(mktemp -d /tmp/nri-rootfs.XXXXXX)
  mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
  timeout 900 debootstrap --variant=minbase bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" \
    >"$logs/debootstrap.log" 2>&1 || { tail -n 20 "$logs/debootstrap.log" >&2; fail "debootstrap"; }
  tar -C "$rootfs" -c . | docker import -c 'CMD ["bash"]' - "$base" >/dev/null
  rm -rf "$rootfs"
fi
step "image: debian base"

build_image() {   # NAME TAG CONTEXT [--build-arg ...]
  local name=$1 tag=$2 context=$3; shift 3
  if image_exists "$tag"; then say "image $tag cached"; return; fi
  say "building $tag"
  timeout 900 docker build -q -t "$tag" "$@" "$context" >"$logs/build-$name.log" 2>&1 \
    || { tail -n 30 "$logs/build-$name.log" >&2; fail "docker build $name"; }
}

jre=nri-local/jre:$(input_hash docker/local/jre "$base")
build_image jre "$jre" docker/local/jre --build-arg BASE="$base"
step "image: jre"

# Jars come from Maven on the host (the local repository, else Maven Central), never from inside a container.
maven_libs() {   # DIR [-Dprop=value ...]
  local dir=$1; shift
  rm -rf "$dir/lib" "$dir/target"
  if ! mvn -B -ntp -q -o -f "$dir/pom.xml" "$@" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory=lib >"$logs/mvn-$(basename "$dir").log" 2>&1; then
    timeout 600 mvn -B -ntp -q -f "$dir/pom.xml" "$@" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory=lib >"$logs/mvn-$(basename "$dir").log" 2>&1 \
      || { tail -n 30 "$logs/mvn-$(basename "$dir").log" >&2; fail "resolving the jars of $dir"; }
  fi
}

kafka=nri-local/kafka:$(input_hash docker/local/kafka "$jre" "$kafka_version" "$log4j_version")
if ! image_exists "$kafka"; then
  maven_libs docker/local/kafka -Dkafka.version="$kafka_version" -Dlog4j.version="$log4j_version"
  build_image kafka "$kafka" docker/local/kafka --build-arg BASE="$jre"
  rm -rf docker/local/kafka/lib
fi
step "image: kafka"

flink=nri-local/flink:$(input_hash docker/local/flink "$jre" "$flink_version" "$log4j_version")
if ! image_exists "$flink"; then
  maven_libs docker/local/flink
  build_image flink "$flink" docker/local/flink --build-arg BASE="$jre"
  rm -rf docker/local/flink/lib
fi
step "image: flink"

# Apicurio Registry 3.3 needs Java 21+: the same JDK the tests use, found under /usr/lib/jvm.
registry_java=""
for j in /usr/lib/jvm/*/bin/java; do
  v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
  if [[ -n "$v" && "${v%%.*}" -ge 21 ]]; then registry_java="$(dirname "$(dirname "$j")")"; break; fi
done
[[ -n "$registry_java" ]] || fail "no Java 21+ JDK under /usr/lib/jvm for the registry image"
apicurio_tgz="$HOME/.m2/repository/io/apicurio/apicurio-registry-app/$apicurio_version/apicurio-registry-app-$apicurio_version-all.tar.gz"
if [[ ! -f "$apicurio_tgz" ]]; then
  mvn -B -ntp -q dependency:get -Dartifact="io.apicurio:apicurio-registry-app:$apicurio_version:tar.gz:all" \
    >"$logs/mvn-apicurio.log" 2>&1 || fail "fetching Apicurio Registry $apicurio_version (see $logs/mvn-apicurio.log)"
fi
registry=nri-local/registry:$(input_hash docker/local/registry "$base" "$apicurio_version" \
  "$registry_java $(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$registry_java/release")")
if ! image_exists "$registry"; then
  rm -rf docker/local/registry/jdk docker/local/registry/apicurio-registry.tar.gz
  cp -al "$registry_java" docker/local/registry/jdk 2>/dev/null || cp -a "$registry_java" docker/local/registry/jdk
  cp -l "$apicurio_tgz" docker/local/registry/apicurio-registry.tar.gz 2>/dev/null \
    || cp "$apicurio_tgz" docker/local/registry/apicurio-registry.tar.gz
  build_image registry "$registry" docker/local/registry --build-arg BASE="$base"
  rm -rf docker/local/registry/jdk docker/local/registry/apicurio-registry.tar.gz
fi
step "image: registry"

# --- the build the containers run -----------------------------------------------------------------------------------
job_jar=flink-jobs/target/nri-flink-jobs-0.1.0-SNAPSHOT-job.jar
if [[ ! -f cli/target/nri-cli.jar || ! -f cli/target/classpath.txt || ! -f "$job_jar" ]]; then
  say "building the project (mvn package, tests skipped)"
  timeout 1200 mvn -B -ntp -q package -DskipTests >"$logs/mvn-package.log" 2>&1 \
    || { tail -n 30 "$logs/mvn-package.log" >&2; fail "mvn package"; }
fi
step "project build"

# --- up -------------------------------------------------------------------------------------------------------------
export COMPOSE_PROJECT_NAME="$project"
export NRI_KAFKA_IMAGE="$kafka" NRI_FLINK_IMAGE="$flink" NRI_REGISTRY_IMAGE="$registry" NRI_JRE_IMAGE="$jre"
export NRI_REGISTRY_URL=http://schema-registry:8081/apis/ccompat/v7
# Lighter than the defaults on a shared 2-core machine: no C2 JIT at start-up (ONNX inference is native anyway),
# and the mocap trial at 30 of its 120 frames/s (its frames are only dead-lettered until a 3D model ships).
export NRI_FLINK_JAVA_OPTS="${NRI_FLINK_JAVA_OPTS--XX:TieredStopAtLevel=1}"
export NRI_APP_JAVA_OPTS="${NRI_APP_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
export NRI_MOCAP_FPS="${NRI_MOCAP_FPS:-30}"
compose() { timeout "${compose_timeout:-180}" docker-compose --profile springs "$@"; }

keep_logs() {
  local s
  docker-compose --profile springs ps >"$logs/ps.txt" 2>&1 || true
  for s in $(docker-compose --profile springs ps --services 2>/dev/null); do
    timeout 60 docker-compose --profile springs logs --no-color --timestamps "$s" >"$logs/$s.log" 2>&1 || true
  done
}
finish() {
  local rc=$?
  trap - EXIT
  if ((rc != 0)); then
    say "failed: keeping every container's log in $logs/"
    keep_logs
  fi
  if ((rc != 0 || keep_up == 0)); then
    compose_timeout=120 compose down -v --remove-orphans >"$logs/down.log" 2>&1 || true
  fi
  exit $rc
}
trap finish EXIT
trap 'exit 130' INT TERM

compose down -v --remove-orphans >"$logs/down.log" 2>&1 || true   # leftovers of an interrupted run
say "docker-compose up -d (project $project)"
compose_timeout=420 compose up -d >"$logs/up.log" 2>&1 || { cat "$logs/up.log" >&2; fail "docker-compose up"; }
step "docker-compose up -d"

# --- checks -------------------------------------------------------------------------------------------------------
flink_job() { curl -sf --max-time 5 http://127.0.0.1:8082/jobs/overview; }
job_state() { flink_job | python3 -c 'import json,sys; j=json.load(sys.stdin)["jobs"]; print(j[0]["state"] if j else "NONE")'; }
job_id() { flink_job | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["jid"])'; }
# RUNNING with every task running (a job is RUNNING while its tasks still wait for slots).
tasks_running() {
  curl -sf --max-time 5 "http://127.0.0.1:8082/jobs/$(job_id)" | python3 -c '
import json,sys
j=json.load(sys.stdin); c=j["status-counts"] if "status-counts" in j else {}
tasks=sum(v["parallelism"] for v in j["vertices"])
sys.exit(0 if j["state"]=="RUNNING" and all(v["status"]=="RUNNING" for v in j["vertices"]) else 1)'
}
wait_for 480 "Flink job RUNNING with all tasks running" tasks_running
say "job $(job_id) RUNNING"
step "job running"

export CLASSPATH="$root/cli/target/nri-cli.jar:$(cat cli/target/classpath.txt)"
probe() { timeout 120 java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn docker/check/TopicProbe.java \
  127.0.0.1:9092 http://127.0.0.1:8081/apis/ccompat/v7 sim- 2>>"$logs/probe.log"; }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])$2)" "$1"; }

wait_for 360 "first graphs and forecasts on nri.graphs / nri.forecasts" \
  '[[ $(field "$(probe)" "[\"graphs\"]>0 and json.loads(sys.argv[1])[\"forecasts\"]>0") == True ]]'
step "first graphs and forecasts"

# Analytics: healthy, and the scenes it lists are the ones the job writes graphs for.
wait_for 240 "analytics /health" 'curl -sf --max-time 5 http://127.0.0.1:8090/health'
wait_for 120 "analytics listing live scenes" \
  '[[ $(curl -sf --max-time 5 http://127.0.0.1:8090/scenes | python3 -c "import json,sys; print(len(json.load(sys.stdin)[\"scenes\"]))") -gt 0 ]]'
scenes_json=$(curl -sf --max-time 5 http://127.0.0.1:8090/scenes)
scene=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["scenes"][0])' "$scenes_json" 2>/dev/null \
  || python3 -c 'import json,sys; print(json.loads(sys.argv[1])["scenes"][0]["scene_id"])' "$scenes_json")
curl -sf --max-time 5 "http://127.0.0.1:8090/scenes/$scene/graph" >/dev/null || fail "analytics /scenes/$scene/graph"
say "analytics: $scenes_json"
step "analytics"

say "streaming ${stream_s}s before the restart"
sleep "$stream_s"
before=$(probe)
say "before restart: $before"
graphs_before=$(field "$before" '["graphs"]')
checkpoints_before=$(curl -sf --max-time 5 "http://127.0.0.1:8082/jobs/$(job_id)/checkpoints" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["completed"])')
((checkpoints_before > 0)) || fail "no completed checkpoint before the restart"
step "stream before restart"

# --- restart check ----------------------------------------------------------------------------------------------
say "docker-compose restart taskmanager"
compose restart taskmanager >"$logs/restart.log" 2>&1 || fail "docker-compose restart taskmanager"
restored() {
  curl -sf --max-time 5 "http://127.0.0.1:8082/jobs/$(job_id)/checkpoints" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)["latest"]["restored"]; sys.exit(0 if r else 1)'
}
wait_for 420 "job restored from a checkpoint after the TaskManager restart" restored
wait_for 420 "job RUNNING again after the TaskManager restart" tasks_running
restored_id=$(curl -sf --max-time 5 "http://127.0.0.1:8082/jobs/$(job_id)/checkpoints" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["latest"]["restored"]["id"])')
say "job restored checkpoint $restored_id"
step "taskmanager restart + recovery"

wait_for 360 "graphs continuing after the restart" \
  '(( $(field "$(probe)" "[\"graphs\"]") > graphs_before + 20 ))'
after=$(probe)
say "after restart: $after"
[[ $(field "$after" '["duplicate_graph_keys"]') == 0 ]] \
  || fail "duplicate graphs per (scene, window) after the restart: $(field "$after" '["duplicate_examples"]')"
# The scored feed's scenes (sim-...) must have none; the mocap frames are all dead letters until a 3D model ships
# (MODEL_MISMATCH alone; LATE when they share the topic with the springs feed, whose event times are hours ahead).
[[ $(field "$after" '["scored_dead_letters"]') == "{}" ]] \
  || fail "dead letters for the scored scenes: $(field "$after" '["scored_dead_letters"]')"
other=$(field "$after" '["other_dead_letters"]')
[[ $(python3 -c 'import ast,sys; print(set(ast.literal_eval(sys.argv[1])) <= {"MODEL_MISMATCH", "LATE"})' "$other") == True ]] \
  || fail "unexpected dead letters for the mocap scenes: $other"
step "output continues, no duplicates"

docker stats --no-stream --format 'table {{.Name}}\t{{.MemUsage}}\t{{.CPUPerc}}' >"$logs/stats.txt" 2>&1 || true
cat "$logs/stats.txt"

# --- down -----------------------------------------------------------------------------------------------------------
if ((keep_up)); then
  say "stack left running (--keep-up): docker-compose -p $project --profile springs down -v to stop it"
else
  compose_timeout=180 compose down -v --remove-orphans >"$logs/down.log" 2>&1 || fail "docker-compose down -v"
  left=$(docker ps -aq --filter "label=com.docker.compose.project=$project"; \
         docker volume ls -q --filter "label=com.docker.compose.project=$project"; \
         docker network ls -q --filter "label=com.docker.compose.project=$project")
  [[ -z "$left" ]] || fail "left behind after down -v: $left"
  step "docker-compose down -v"
fi

echo "compose-check: PASSED in $(($(date +%s) - t_start))s"
printf '  %s\n' "${timings[@]}"
