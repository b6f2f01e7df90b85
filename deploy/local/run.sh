#!/usr/bin/env bash
# Runs the whole mesh on this machine: PostgreSQL, a Kafka broker (KRaft, from Maven-resolved jars), an SMTP sink
# (GreenMail) and the five services, then loads the example workflows of deploy/examples.
#
#   deploy/local/run.sh          build if needed, start everything, load examples, stay in the foreground (Ctrl-C stops)
#   deploy/local/run.sh --detach same, but return once everything is up
#   deploy/local/run.sh stop     stop what a detached run started
#
# HTTP_ALLOWED_HOSTS=127.0.0.1 lets HttpRequest call local receivers (the benchmark's sink does); by default
# internal addresses are refused. JAVA_OPTS adds JVM flags to every service (e.g. a profiler).
#
# Every API needs `Authorization: Bearer <key>`. The launcher makes an operator key once (deploy/local/.run/operator-key,
# given to every service as ENGAGEFLOW_OPERATOR_KEY) and, with it, an admin key of the example workspace
# (deploy/local/.run/api-key), which loads the examples and which the README's curl lines use. Both are kept across
# runs; delete a file to get a new one.
#
# The admin console is at http://127.0.0.1:8080/console/ (sign in with that admin key); its connected-apps page calls
# integration-actions-service on :8084, which this launcher lets the console's origin call (CORS).
#
# State (Kafka data, logs, pids, keys) lives in deploy/local/.run (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUN="$ROOT/deploy/local/.run"
LIB="$RUN/lib"
LOGS="$RUN/logs"
PIDS="$RUN/pids"
KAFKA_PORT="${KAFKA_PORT:-9092}"
SMTP_PORT="${SMTP_PORT:-2525}"
MAIL_API_PORT="${MAIL_API_PORT:-8025}"
WS="${EXAMPLE_WORKSPACE:-acme}"
SERVICES=(trigger-service:8081:engageflow_trigger orchestrator-service:8080:engageflow_orchestrator
          contact-actions-service:8082:engageflow_contact reward-actions-service:8083:engageflow_reward
          integration-actions-service:8084:engageflow_integration)

log() { printf '[engageflow] %s\n' "$*"; }

# Stops one group of processes: SIGTERM to each, wait up to $2 seconds for all of them to exit, then SIGKILL what is
# left and wait for it. Returns only when none of them is alive.
stop_group() { # label seconds name...
  local label=$1 secs=$2; shift 2
  local pids=() names=()
  for name in "$@"; do
    local f="$PIDS/$name.pid"
    [ -e "$f" ] || continue
    local pid; pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping $name ($pid)"; kill "$pid" 2>/dev/null || true
      pids+=("$pid"); names+=("$name")
    fi
    rm -f "$f"
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  local deadline=$((SECONDS + secs))
  while [ $SECONDS -lt $deadline ]; do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && return 0
    sleep 0.2
  done
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      log "${names[$i]} did not stop within ${secs}s: killing it"; kill -9 "${pids[$i]}" 2>/dev/null || true
    fi
  done
  for pid in "${pids[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
}

# In order: the services (they still need the broker to commit and leave their groups), then Kafka, then the SMTP
# sink; every process is gone when this returns.
stop_all() {
  [ -d "$PIDS" ] || return 0
  local services=()
  for entry in "${SERVICES[@]}"; do services+=("${entry%%:*}"); done
  for f in "$PIDS"/*.pid; do # replicas and anything else started beside the five
    [ -e "$f" ] || continue
    local name; name=$(basename "$f" .pid)
    case " ${services[*]} kafka greenmail " in *" $name "*) ;; *) services+=("$name");; esac
  done
  stop_group services 20 "${services[@]}"
  stop_group kafka 30 kafka
  stop_group "smtp sink" 10 greenmail
}

if [ "${1:-}" = "stop" ]; then stop_all; exit 0; fi
DETACH=0; [ "${1:-}" = "--detach" ] && DETACH=1

mkdir -p "$LOGS" "$PIDS"
stop_all

# 1. PostgreSQL and one database per service
"$ROOT/deploy/local/ensure-postgres.sh"
for entry in "${SERVICES[@]}"; do
  db="${entry##*:}"
  if ! psql -h 127.0.0.1 -U postgres -Atc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    log "creating database $db"; psql -h 127.0.0.1 -U postgres -qc "create database $db"
  fi
done

# 2. The services, built unless already packaged (SKIP_BUILD=1 to never build, BUILD=1 to always)
need_build=${BUILD:-0}
for entry in "${SERVICES[@]}"; do
  [ -f "$ROOT/${entry%%:*}/target/quarkus-app/quarkus-run.jar" ] || need_build=1
done
if [ "$need_build" = 1 ] && [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the services (./mvnw package, tests skipped)"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests -DskipE2E=true install)
fi

# 3. Kafka broker and SMTP sink jars, resolved by Maven
if [ ! -f "$LIB/.complete" ]; then
  log "resolving Kafka and GreenMail jars"
  rm -rf "$LIB"
  (cd "$ROOT" && ./mvnw -B -q -f deploy/local/runtime/pom.xml dependency:copy-dependencies -DoutputDirectory="$LIB")
  touch "$LIB/.complete"
fi
KAFKA_CP=$(ls "$LIB"/*.jar | grep -v greenmail-standalone | tr '\n' ':')

start() { # name logfile command...
  local name=$1 logfile=$2; shift 2
  nohup "$@" >"$logfile" 2>&1 &
  echo $! >"$PIDS/$name.pid"
}

wait_for() { # description seconds test-command...
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 "$secs"); do if "$@" >/dev/null 2>&1; then return 0; fi; sleep 1; done
  log "$what did not come up; see $LOGS"; exit 1
}

# 4. Kafka (KRaft, single node)
KDIR="$RUN/kafka"
mkdir -p "$KDIR"
cat >"$KDIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$((KAFKA_PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$((KAFKA_PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KDIR/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
cat >"$KDIR/log4j2.properties" <<'PROPS'
rootLogger.level=INFO
rootLogger.appenderRef.out.ref=out
appender.out.type=Console
appender.out.name=out
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=%d{HH:mm:ss.SSS} %-5p [%c{1}] %m%n
logger.kafka.name=kafka
logger.kafka.level=INFO
logger.apache.name=org.apache.kafka
logger.apache.level=WARN
PROPS
if [ ! -f "$KDIR/data/meta.properties" ]; then
  CLUSTER_ID=$(java -cp "$KAFKA_CP" -Dlog4j2.configurationFile="$KDIR/log4j2.properties" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
  java -cp "$KAFKA_CP" -Dlog4j2.configurationFile="$KDIR/log4j2.properties" kafka.tools.StorageTool format \
    --standalone -t "$CLUSTER_ID" -c "$KDIR/server.properties" >"$LOGS/kafka-format.log" 2>&1
fi
log "starting Kafka on 127.0.0.1:$KAFKA_PORT"
start kafka "$LOGS/kafka.log" java -Xmx512m -cp "$KAFKA_CP" -Dlog4j2.configurationFile="$KDIR/log4j2.properties" \
  kafka.Kafka "$KDIR/server.properties"
wait_for "Kafka" 60 grep -q "Kafka Server started" "$LOGS/kafka.log"

# 5. SMTP sink: mail the services send lands here (REST API and inbox on 127.0.0.1:$MAIL_API_PORT)
log "starting GreenMail SMTP on 127.0.0.1:$SMTP_PORT"
start greenmail "$LOGS/greenmail.log" java -Xmx128m -Dgreenmail.smtp.hostname=127.0.0.1 \
  -Dgreenmail.smtp.port="$SMTP_PORT" -Dgreenmail.imap.hostname=127.0.0.1 -Dgreenmail.imap.port=3143 \
  -Dgreenmail.auth.disabled -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$MAIL_API_PORT" \
  -jar "$LIB/greenmail-standalone-2.1.3.jar"

# Connected-app secrets: a key of this checkout's own, made once and kept with the database (prod refuses the built-in one)
if [ -z "${ENGAGEFLOW_INTEGRATION_SECRET_KEY:-}" ]; then
  if [ ! -s "$RUN/secret-key" ]; then (umask 077; head -c 32 /dev/urandom | base64 >"$RUN/secret-key"); fi
  export ENGAGEFLOW_INTEGRATION_SECRET_KEY="$(cat "$RUN/secret-key")"
fi

# The operator key: may do everything on every workspace (it creates a workspace's first keys); made once, kept
if [ ! -s "$RUN/operator-key" ]; then
  (umask 077; printf 'efo_%s\n' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" >"$RUN/operator-key")
fi
chmod 600 "$RUN/operator-key"
export ENGAGEFLOW_OPERATOR_KEY="$(cat "$RUN/operator-key")"

# 6. The five services
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name port db <<<"$entry"
  log "starting $name on :$port"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM flags for every service (profiling, heap)
  start "$name" "$LOGS/$name.log" java -Xmx256m ${JAVA_OPTS:-} \
    -Dquarkus.http.port="$port" \
    -Dkafka.bootstrap.servers="127.0.0.1:$KAFKA_PORT" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://127.0.0.1:5432/$db" \
    -Dquarkus.datasource.reactive.url="postgresql://127.0.0.1:5432/$db" \
    $( [ "$name" = contact-actions-service ] && echo "-Dquarkus.mailer.port=$SMTP_PORT" ) \
    $( [ "$name" = integration-actions-service ] && [ -n "${HTTP_ALLOWED_HOSTS:-}" ] && \
       echo "-Dengageflow.http-request.allowed-hosts=$HTTP_ALLOWED_HOSTS" ) \
    $( [ "$name" = integration-actions-service ] && \
       echo "-Dquarkus.http.cors.enabled=true -Dquarkus.http.cors.origins=http://localhost:8080,http://127.0.0.1:8080" ) \
    $( [ "$name" = orchestrator-service ] && echo "-Dengageflow.console.integration-url=http://127.0.0.1:8084" ) \
    -jar "$ROOT/$name/target/quarkus-app/quarkus-run.jar"
done
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name port db <<<"$entry"
  wait_for "$name" 90 curl -sf --max-time 5 "http://127.0.0.1:$port/q/health/ready"
  log "$name is ready"
done

# 7. An admin key of the example workspace in $RUN/api-key: the one there if it still works (an admin-only GET
# answers 200), else a new one made with the operator key (a key is shown once, at creation)
API_KEY_FILE="$RUN/api-key"
works() { # key: is it an admin key of $WS?
  curl -sf -o /dev/null -H "Authorization: Bearer $1" "http://127.0.0.1:8080/api/workspaces/$WS/api-keys"
}
if [ -s "$API_KEY_FILE" ] && works "$(cat "$API_KEY_FILE")"; then
  log "admin key of workspace $WS: $API_KEY_FILE (kept)"
else
  created=$(curl -sf -X POST -H "Authorization: Bearer $ENGAGEFLOW_OPERATOR_KEY" -H 'Content-Type: application/json' \
    --data '{"name": "deploy/local/run.sh", "role": "admin"}' "http://127.0.0.1:8080/api/workspaces/$WS/api-keys") \
    || { log "could not create an admin key of workspace $WS; see $LOGS/orchestrator-service.log"; exit 1; }
  (umask 077; printf '%s' "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])' >"$API_KEY_FILE")
  log "admin key of workspace $WS: $API_KEY_FILE (new)"
fi
chmod 600 "$API_KEY_FILE"
API_KEY="$(cat "$API_KEY_FILE")"
api() { curl -H "Authorization: Bearer $API_KEY" "$@"; }

# 8. Example data: workflows (created and activated) and a coupon offer
for def in "$ROOT"/deploy/examples/*.json; do
  id=$(basename "$def" .json)
  if api -sf "http://127.0.0.1:8080/api/workspaces/$WS/workflows/$id" >/dev/null; then
    api -sf -X PUT -H 'Content-Type: application/json' --data-binary "@$def" \
      "http://127.0.0.1:8080/api/workspaces/$WS/workflows/$id" >/dev/null
  else
    body=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["id"]=sys.argv[2]; print(json.dumps(d))' "$def" "$id")
    api -sf -X POST -H 'Content-Type: application/json' --data "$body" \
      "http://127.0.0.1:8080/api/workspaces/$WS/workflows" >/dev/null
  fi
  api -sf -X POST "http://127.0.0.1:8080/api/workspaces/$WS/workflows/$id/activate" >/dev/null
  log "workflow $id loaded and active in workspace $WS"
done
api -s -o /dev/null -X POST -H 'Content-Type: application/json' \
  --data '{"name": "10% Discount", "totalLimit": 1000}' "http://127.0.0.1:8083/api/workspaces/$WS/coupon-offers" || true

cat <<MSG

The mesh is up. Try the reference's first example (every API takes the admin key of $API_KEY_FILE):

  KEY=\$(cat $API_KEY_FILE)
  curl -s -X POST -H "Authorization: Bearer \$KEY" -H 'Content-Type: application/json' \\
    http://127.0.0.1:8081/api/workspaces/$WS/triggers \\
    -d '{"eventId": "demo-1", "type": "DataCaptured", "contact": {"id": "c-1", "email": "ann@example.com", "firstName": "Ann"}}'
  curl -s -H "Authorization: Bearer \$KEY" 'http://127.0.0.1:8080/api/workspaces/$WS/instances?contactId=c-1'

The admin console: http://127.0.0.1:8080/console/ — sign in with the key in $API_KEY_FILE.
Mail sent lands in GreenMail (http://127.0.0.1:$MAIL_API_PORT); logs are in $LOGS.
MSG

if [ "$DETACH" = 1 ]; then log "detached; stop with deploy/local/run.sh stop"; exit 0; fi
trap 'stop_all; exit 0' INT TERM
log "running; Ctrl-C stops everything"
while true; do sleep 3600; done
