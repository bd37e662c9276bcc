#!/usr/bin/env bash
# docker/compose-check.sh — runs docker-compose.yml for real and checks the stack end to end.
#
# Installs what it needs when missing (docker.io, docker-compose, debootstrap: Debian packages), starts dockerd when
# none answers (logging to target/compose-logs/dockerd.log), builds local stand-ins for the official images from a
# debootstrapped Debian base, the host's JDKs and Maven Central jars (docker/local/; cached: an image whose input
# hash exists is not rebuilt), then `docker-compose --profile springs up -d` and checks, with the mocap replay, the
# basketball replay and the springs feed:
#   - the job is RUNNING in Flink's REST API;
#   - nri.graphs and nri.forecasts receive records (read_committed, from the published broker port);
#   - the analytics answer over HTTP with live scenes;
#   - each feed scored by its own model: the springs scenes by NRI_MODEL_DIR, the mocap trial by models/mocap35
#     (graphs of cmu-... scenes with model mocap35), the real basketball plays by models/nba (cle4-... scenes);
#     no dead letters for the springs scenes, no MODEL_MISMATCH;
#   - `docker-compose restart taskmanager` mid-stream: the job restores its latest checkpoint, output continues and
#     no (scene, window) has two graphs;
#   - `docker-compose down -v` leaves no container, network or volume of the project.
# Every container's log is kept under target/compose-logs/ on failure. Each wait is bounded; timings are printed.
#
# Usage: docker/compose-check.sh [--keep-up] [--stop-dockerd]
#   --keep-up       leave the stack running after a successful check
#   --stop-dockerd  stop the dockerd this script started when it exits (CI); the image cache stays on disk
# Exit status: 0 passed; 3 Docker cannot run on this machine (dockerd did not start; the reason is printed and in
# target/compose-logs/docker-unavailable.txt), nothing was checked; anything else: the check failed.
# Environment: NRI_CHECK_PROJECT (compose project name, default nri-check), NRI_CHECK_STREAM_S (seconds of stream
# before the restart, default 20), NRI_DATA_DIR (the data directory, default ../shared/data; the mocap replay reads
# cmu-mocap/subject35 and nba-tracking there).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
logs="$root/target/compose-logs"
project="${NRI_CHECK_PROJECT:-nri-check}"
stream_s="${NRI_CHECK_STREAM_S:-20}"
keep_up=0
stop_dockerd=0
for arg in "$@"; do
  case "$arg" in
    --keep-up) keep_up=1 ;;
    --stop-dockerd) stop_dockerd=1 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compose-check: unknown argument $arg (--keep-up, --stop-dockerd or --help)" >&2; exit 2 ;;
  esac
done

t_start=$(date +%s)
t_step=$t_start
timings=()
step() {
  local now; now=$(date +%s)
  timings+=("$(printf '%-34s %4ds   (load average %s)' "$1" $((now - t_step)) "$(cut -d' ' -f1-3 /proc/loadavg)")")
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
# A previous run's logs would pass for this one's.
find "$logs" -maxdepth 1 -type f ! -name .lock -delete
say "$(date -u '+%F %T') UTC, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The mocap replay reads CMU subject 35 from the data directory (compose resolves a relative path from here).
data_dir="${NRI_DATA_DIR:-../shared/data}"
[[ -d "$data_dir/cmu-mocap/subject35" ]] \
  || fail "no $data_dir/cmu-mocap/subject35: set NRI_DATA_DIR to the data directory (default ../shared/data)"
data_dir=$(cd "$data_dir" && pwd)

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
    # A fresh machine's package lists may be missing or stale.
    ((attempt > 1)) || timeout 300 apt-get update -qq >>"$logs/apt.log" 2>&1 || true
    sleep 10
  done
fi
step "tools"

# --- cleanup on exit ---------------------------------------------------------------------------------------------
tasks=()            # background image tasks still running: "name:pid"
stack_up=0          # docker-compose up was called: on failure keep the logs, then take the stack down
dockerd_pid=""      # the dockerd this script started, if any

export COMPOSE_PROJECT_NAME="$project"
compose() { timeout "${compose_timeout:-180}" docker-compose --profile springs "$@"; }
keep_logs() {
  local s
  timeout 60 docker-compose --profile springs ps >"$logs/ps.txt" 2>&1 || true
  for s in $(timeout 60 docker-compose --profile springs ps --services 2>/dev/null); do
    timeout 60 docker-compose --profile springs logs --no-color --timestamps "$s" >"$logs/$s.log" 2>&1 || true
  done
}
# A process and all its descendants (collected before any is killed: orphans lose their parent link).
tree() { local c; echo "$1"; for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do tree "$c"; done; }
stop_tree() {
  local pids p
  pids=$(tree "$1")
  # shellcheck disable=SC2086
  kill $pids 2>/dev/null || true
  for _ in $(seq 60); do
    for p in $pids; do kill -0 "$p" 2>/dev/null && break; p=""; done
    [[ -z "$p" ]] && return 0
    sleep 1
  done
  # shellcheck disable=SC2086
  kill -9 $pids 2>/dev/null || true
}
finish() {
  local rc=$? t
  trap - EXIT
  set +e
  for t in "${tasks[@]}"; do stop_tree "${t#*:}"; done
  if ((stack_up)); then
    if ((rc != 0)); then
      say "failed: keeping every container's log in $logs/"
      keep_logs
    fi
    if ((rc != 0 || keep_up == 0)); then
      compose_timeout=150 compose down -v --remove-orphans >>"$logs/down.log" 2>&1 \
        || echo "compose-check: docker-compose down -v failed (see $logs/down.log)" >&2
    fi
  fi
  if [[ -n "$dockerd_pid" ]] && ((stop_dockerd)) && ! ((keep_up && rc == 0)); then
    say "stopping the dockerd this check started (pid $dockerd_pid)"
    stop_tree "$dockerd_pid"
  fi
  exit $rc
}
trap finish EXIT
trap 'exit 130' INT TERM

# --- dockerd -----------------------------------------------------------------------------------------------------
# Exit status 3 only when the Docker daemon cannot run here at all: callers (.ci/run) report that loudly and go on;
# every later failure is the check's own.
docker_unavailable() {
  {
    echo "$1"
    echo "last lines of $logs/dockerd.log:"
    tail -n 15 "$logs/dockerd.log" 2>/dev/null | sed 's/^/  /'
  } >"$logs/docker-unavailable.txt"
  echo "compose-check: Docker cannot run on this machine: $1" >&2
  sed -n '2,$p' "$logs/docker-unavailable.txt" >&2
  exit 3
}
if ! timeout 20 docker info >/dev/null 2>&1; then
  say "starting dockerd (log: $logs/dockerd.log)"
  # Its own session: a timeout or Ctrl-C aimed at this script's process group must not take the daemon down
  # before finish() has removed the containers.
  setsid dockerd >>"$logs/dockerd.log" 2>&1 </dev/null &
  dockerd_pid=$!
  deadline=$(($(date +%s) + 120))
  until timeout 10 docker info >/dev/null 2>&1; do
    if ! kill -0 "$dockerd_pid" 2>/dev/null; then
      wait "$dockerd_pid" && rc=0 || rc=$?
      dockerd_pid=""
      docker_unavailable "dockerd exited with status $rc during start-up"
    fi
    (($(date +%s) < deadline)) || docker_unavailable "dockerd did not answer within 120 s"
    sleep 2
  done
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
# The JDK under /usr/lib/jvm whose major version satisfies TEST (a bash arithmetic test on $v), e.g. 'v == 17'.
find_jdk() {
  local j v
  for j in /usr/lib/jvm/*/bin/java; do
    v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
    v=${v%%.*}
    if [[ -n "$v" ]] && (($1)); then dirname "$(dirname "$(readlink -f "$j")")"; return 0; fi
  done
  return 1
}
jdk_id() { echo "$1 $(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$1/release")"; }

# The runtime of the JRE image (and so of Kafka, Flink and our apps): the host's OpenJDK 17, the build's JDK.
app_java=$(find_jdk 'v == 17') || fail "no Java 17 JDK under /usr/lib/jvm for the JRE image (apt-get install openjdk-17-jdk-headless)"
# Apicurio Registry 3.3 needs Java 21+: the same JDK the tests use.
registry_java=$(find_jdk 'v >= 21') || fail "no Java 21+ JDK under /usr/lib/jvm for the registry image"

base=nri-local/debian:bookworm-minbase
jre=nri-local/jre:$(input_hash docker/local/jre "$base" "$(jdk_id "$app_java")")
kafka=nri-local/kafka:$(input_hash docker/local/kafka "$jre" "$kafka_version" "$log4j_version")
flink=nri-local/flink:$(input_hash docker/local/flink "$jre" "$flink_version" "$log4j_version")
registry=nri-local/registry:$(input_hash docker/local/registry "$base" "$apicurio_version" "$(jdk_id "$registry_java")")
apicurio_tgz="$HOME/.m2/repository/io/apicurio/apicurio-registry-app/$apicurio_version/apicurio-registry-app-$apicurio_version-all.tar.gz"

# Image work runs as background tasks, side by side where one does not need another: the Debian base (network and
# dpkg) while Maven resolves the jars, then the JRE and registry images, then Kafka and Flink. Each task logs to
# $logs/NAME.log; its time goes into the summary.
task() {   # NAME FUNCTION [ARGS]
  local name=$1; shift
  (
    t0=$(date +%s)
    "$@"
    echo "$(($(date +%s) - t0))" >"$logs/$name.seconds"
  ) >"$logs/$name.log" 2>&1 &
  tasks+=("$name:$!")
}
wait_task() {   # NAME
  local name=$1 t rest=()
  for t in "${tasks[@]}"; do
    if [[ "${t%%:*}" == "$name" ]]; then
      if ! wait "${t#*:}"; then tail -n 30 "$logs/$name.log" >&2; fail "$name (log: $logs/$name.log)"; fi
    else
      rest+=("$t")
    fi
  done
  tasks=(${rest[@]+"${rest[@]}"})
  if [[ -f "$logs/$name.seconds" ]]; then
    timings+=("$(printf '  %-32s %4ds' "$name (side by side)" "$(cat "$logs/$name.seconds")")")
  fi
}

build_base() {
  local rootfs mirror
  rootfs=$(mktemp -d /tmp/nri-rootfs.XXXXXX)
  mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
  echo "debootstrap --variant=minbase bookworm from ${mirror:-http://deb.debian.org/debian}"
  timeout 900 debootstrap --variant=minbase bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" \
    || { rm -rf "$rootfs"; return 1; }
  tar -C "$rootfs" -c . | timeout 300 docker import -c 'CMD ["bash"]' - "$base"
  rm -rf "$rootfs"
}

# Jars come from Maven on the host (the local repository, else Maven Central), never from inside a container.
maven_libs() {   # DIR [-Dprop=value ...]
  local dir=$1; shift
  rm -rf "$dir/lib" "$dir/target"
  if ! mvn -B -ntp -q -o -f "$dir/pom.xml" "$@" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory=lib; then
    echo "not all in the local repository: resolving from Maven Central"
    timeout 600 mvn -B -ntp -q -f "$dir/pom.xml" "$@" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory=lib
  fi
}
fetch_jars() {
  if ! image_exists "$registry" && [[ ! -f "$apicurio_tgz" ]]; then
    timeout 600 mvn -B -ntp -q dependency:get -Dartifact="io.apicurio:apicurio-registry-app:$apicurio_version:tar.gz:all"
  fi
  if ! image_exists "$kafka"; then
    maven_libs docker/local/kafka -Dkafka.version="$kafka_version" -Dlog4j.version="$log4j_version"
  fi
  if ! image_exists "$flink"; then
    maven_libs docker/local/flink
  fi
}

# The JDK goes in with its symlinks into /etc resolved (Debian's points its conf and cacerts there), without what
# only compiling needs.
copy_jdk() {   # FROM TO
  rm -rf "$2" && mkdir -p "$2"
  tar -C "$1" -chf - --exclude=./jmods --exclude=./include --exclude=./man --exclude=./docs --exclude=./lib/src.zip \
      --exclude=./lib/ct.sym --exclude=./lib/libatk-wrapper.so --exclude=./demo . | tar -C "$2" -xf -
}

docker_build() {   # TAG CONTEXT [--build-arg ...]
  local tag=$1 context=$2; shift 2
  echo "docker build $tag"
  timeout 900 docker build -q -t "$tag" "$@" "$context"
}
build_jre() {
  copy_jdk "$app_java" docker/local/jre/jdk
  docker_build "$jre" docker/local/jre --build-arg BASE="$base"
  rm -rf docker/local/jre/jdk
}
build_registry() {
  rm -rf docker/local/registry/jdk docker/local/registry/apicurio-registry.tar.gz
  copy_jdk "$registry_java" docker/local/registry/jdk
  cp -l "$apicurio_tgz" docker/local/registry/apicurio-registry.tar.gz 2>/dev/null \
    || cp "$apicurio_tgz" docker/local/registry/apicurio-registry.tar.gz
  docker_build "$registry" docker/local/registry --build-arg BASE="$base"
  rm -rf docker/local/registry/jdk docker/local/registry/apicurio-registry.tar.gz
}
build_kafka() {
  docker_build "$kafka" docker/local/kafka --build-arg BASE="$jre"
  rm -rf docker/local/kafka/lib
}
build_flink() {
  docker_build "$flink" docker/local/flink --build-arg BASE="$jre"
  rm -rf docker/local/flink/lib
}

for image in "$base" "$jre" "$kafka" "$flink" "$registry"; do
  image_exists "$image" && say "image $image cached" || say "image $image to build"
done
image_exists "$base" || task base build_base
task jars fetch_jars
wait_task base
image_exists "$jre" || task jre build_jre
wait_task jars
image_exists "$registry" || task registry build_registry
wait_task jre
image_exists "$kafka" || task kafka build_kafka
image_exists "$flink" || task flink build_flink
wait_task registry
wait_task kafka
wait_task flink
step "images"

# --- the build the containers run -----------------------------------------------------------------------------------
job_jar=flink-jobs/target/nri-flink-jobs-0.1.0-SNAPSHOT-job.jar
built=(cli/target/nri-cli.jar cli/target/classpath.txt analytics/target/nri-analytics.jar
       analytics/target/classpath.txt "$job_jar")
for f in "${built[@]}"; do
  [[ -f "$f" ]] && continue
  say "$f is missing: building the project (mvn package, tests skipped)"
  timeout 1200 mvn -B -ntp -q package -DskipTests >"$logs/mvn-package.log" 2>&1 \
    || { tail -n 30 "$logs/mvn-package.log" >&2; fail "mvn package"; }
  break
done
# The probe that reads the topics, compiled once (the source launcher would compile it on every poll).
export CLASSPATH="$root/cli/target/nri-cli.jar:$(cat cli/target/classpath.txt)"
probe_classes="$root/target/compose-check/probe"
rm -rf "$probe_classes" && mkdir -p "$probe_classes"
timeout 300 javac -nowarn -d "$probe_classes" docker/check/TopicProbe.java >"$logs/probe-javac.log" 2>&1 \
  || { cat "$logs/probe-javac.log" >&2; fail "compiling docker/check/TopicProbe.java"; }
step "project build, probe compiled"

# --- up -------------------------------------------------------------------------------------------------------------
export NRI_KAFKA_IMAGE="$kafka" NRI_FLINK_IMAGE="$flink" NRI_REGISTRY_IMAGE="$registry" NRI_JRE_IMAGE="$jre"
export NRI_REGISTRY_URL=http://schema-registry:8081/apis/ccompat/v7
export NRI_DATA_DIR="$data_dir"
# Lighter than the defaults on a shared 2-core machine: no C2 JIT at start-up (ONNX inference is native anyway),
# and the mocap trial at 30 of its 120 frames/s (mocap35's own rate: the job has nothing to resample).
export NRI_FLINK_JAVA_OPTS="${NRI_FLINK_JAVA_OPTS--XX:TieredStopAtLevel=1}"
export NRI_APP_JAVA_OPTS="${NRI_APP_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
export NRI_MOCAP_FPS="${NRI_MOCAP_FPS:-30}"

compose down -v --remove-orphans >"$logs/down.log" 2>&1 || true   # leftovers of an interrupted run
stack_up=1
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

probe() { timeout 120 java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$probe_classes:$CLASSPATH" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn TopicProbe \
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
stats() {   # memory and CPU of every container now, appended to $logs/stats.txt under a heading
  { echo "== $1 (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    timeout 60 docker stats --no-stream --format 'table {{.Name}}\t{{.MemUsage}}\t{{.CPUPerc}}'; } >>"$logs/stats.txt" 2>&1 || true
}
stats "streaming, before the TaskManager restart"
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
# The springs scenes (sim-...) must have no dead letters, and no scene may lack a model (MODEL_MISMATCH): the job
# serves springs5-live, mocap35 and nba side by side (docker-compose.yml, "Model") ...
[[ $(field "$after" '["scored_dead_letters"]') == "{}" ]] \
  || fail "dead letters for the springs scenes: $(field "$after" '["scored_dead_letters"]')"
other=$(field "$after" '["other_dead_letters"]')
[[ $(python3 -c 'import ast,sys; print("MODEL_MISMATCH" not in ast.literal_eval(sys.argv[1]))' "$other") == True ]] \
  || fail "mocap or basketball frames found no model: $other"
# ... and the replayed trial went through Kafka into the job and came out as graphs of the motion-capture model.
models=$(field "$after" '["graph_models"]')
[[ " $models " == *" cmu:mocap35 "* ]] || fail "no graphs of the mocap replay from model mocap35 (scene:model seen: $models)"
[[ " $models " == *" sim:"* ]] || fail "no graphs of the springs scenes (scene:model seen: $models)"
[[ " $models " == *" cle4:nba "* ]] || fail "no graphs of the basketball replay from model nba (scene:model seen: $models)"
say "models by scene kind: $models; mocap and basketball dead letters: $other"
step "output continues, no duplicates"

stats "streaming, after the restart check"
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
