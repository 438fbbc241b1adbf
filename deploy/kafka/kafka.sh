#!/usr/bin/env bash
# Run a real single-node Apache Kafka broker (KRaft, combined broker+controller)
# from Maven Central jars -- no Docker, no tarball. See README.md.
#
#   kafka.sh fetch|start|stop|status|kill9|pause|resume|client-config [USER]|run CLASS [ARGS...]
#
# Settings (environment): KAFKA_VERSION (3.9.x, the default from pom.xml, or 4.x such as
# 4.3.2, the release current Strimzi runs), KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_DATA_DIR,
# KAFKA_HEAP, KAFKA_OPTS (extra broker JVM flags, e.g. JMX or debugging).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$REPO/.data/kafka-$KAFKA_PORT}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"

# log.dirs and the pid-ownership check below need an absolute path.
DATA_DIR="$(realpath -m "$KAFKA_DATA_DIR")"
PID_FILE="$DATA_DIR/kafka.pid"
PROPS="$DATA_DIR/server.properties"
SERVER_LOG="$DATA_DIR/server.log"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
# Identities: TLS material and SCRAM passwords live in the data dir (gitignored, never committed).
TLS_DIR="$DATA_DIR/tls"
CREDENTIALS_DIR="$DATA_DIR/credentials"
# One SCRAM user per service, one for the state portal, and the harness's super user. Keep in step
# with kafkaUsers in libs/messaging/src/kafka-acls.ts (its unit test checks this line).
KAFKA_USERS=(admin gateway applications payments delivery districts portal)
# The principal of the broker's own certificate on its controller listener (mutual TLS).
BROKER_PRINCIPAL="User:C=BG,O=Sofia Municipality,OU=kafka,CN=localhost"
# The probe is a JVM doing a TLS handshake and SCRAM: on a loaded 2-core box a restart after
# kill -9 (every service reconnecting at once) has taken over 90 s.
READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-180}"
STOP_TIMEOUT=30

# The default version comes from the POM so bumping it there is the only change needed.
KAFKA_VERSION="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")}"
[[ "$KAFKA_VERSION" =~ ^[34]\.[0-9]+\.[0-9]+$ ]] || { echo "kafka: KAFKA_VERSION must be 3.x.y or 4.x.y, not '$KAFKA_VERSION'" >&2; exit 1; }
# Each version's jars in a folder of their own, so 3.9 and 4.x live side by side.
LIB="$HERE/lib/$KAFKA_VERSION"
FETCHED_STAMP="$LIB/.fetched"
# Kafka 4 logs through log4j 2 (and has its own POM for that); 3.9 through log4j 1 (reload4j).
if [[ "$KAFKA_VERSION" == 4.* ]]; then
  POM="$HERE/pom-kafka4.xml"
  BROKER_LOGGING="-Dlog4j2.configurationFile=file:$HERE/log4j2.properties"
  TOOLS_LOGGING="-Dlog4j2.configurationFile=file:$HERE/tools-log4j2.properties"
else
  POM="$HERE/pom.xml"
  BROKER_LOGGING="-Dlog4j.configuration=file:$HERE/log4j.properties"
  TOOLS_LOGGING="-Dlog4j.configuration=file:$HERE/tools-log4j.properties"
fi
# AppCDS archive of the classes the broker loads (~45 MB). Loading classes from
# it instead of ~60 jars cuts ~2 s off every warm start on 2 cores. The JVM
# writes it at its first clean exit (CDS_NEW, one per port so parallel brokers
# never write the same file) and `stop` moves it into place. It sits next to
# the jars it describes, so a re-fetch discards it together with them.
CDS="$LIB/kafka-cds.jsa"
CDS_NEW="$CDS.new-$KAFKA_PORT"

die() { echo "kafka: $*" >&2; exit 1; }

# Data dir shown relative to the repo when it lives inside it (shorter output).
pretty_dir() { case "$DATA_DIR" in "$REPO"/*) echo "${DATA_DIR#"$REPO"/}" ;; *) echo "$DATA_DIR" ;; esac; }

# ---------------------------------------------------------------- jars ----

fetch() {
  mkdir -p "$LIB"
  # Two brokers started at once (different ports) must not both run Maven into lib/.
  exec 9>"$LIB/.fetch.lock"
  flock 9
  # The stamp is written only after Maven succeeded, so a half-finished copy is
  # never mistaken for a complete one.
  if [[ ! -e "$FETCHED_STAMP" ]]; then
    echo "kafka: fetching Kafka $KAFKA_VERSION jars via Maven (once; cached in ~/.m2) ..." >&2
    # Drop anything half-copied so the classpath never mixes versions.
    rm -f "$LIB"/*.jar "$CDS"*
    # Output kept in a file: even with -q, Maven 3.8 prints stray ANSI resets.
    mvn -q -B -f "$POM" -Dkafka.version="$KAFKA_VERSION" -Dlib.dir="$LIB" dependency:copy-dependencies \
      >"$LIB/maven.log" 2>&1 \
      || { cat "$LIB/maven.log" >&2; die "maven could not fetch the jars (see output above)"; }
    [[ -e "$LIB/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "maven ran but $LIB/kafka_2.13-$KAFKA_VERSION.jar is missing"
    touch "$FETCHED_STAMP"
  fi
  exec 9>&-   # release the lock; also keeps the fd out of the broker process
}

# Short-lived helper JVMs (storage format, readiness probe): C1-only JIT and a
# small heap start noticeably faster on 2 cores. Never used for the broker.
tool_java() {
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    "$TOOLS_LOGGING" -cp "$LIB/*" "$@"
}

# ------------------------------------------------------------- process ----

read_pid() { [[ -s "$PID_FILE" ]] && cat "$PID_FILE"; }

# True if $1 is alive AND is the broker started for this data dir. Guards
# against a stale pid file whose pid was reused by an unrelated process.
is_our_broker() {
  local pid="$1"
  local cmdline
  cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || return 1
  [[ "$cmdline" == *"kafka.Kafka $PROPS"* ]]
}

# Process state letter from /proc (field after the "(comm)").
proc_state() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1; }
# 'T' = stopped by SIGSTOP (our `pause`).
is_paused() { [[ "$(proc_state "$1")" == T ]]; }
# Gone or a zombie (a zombie holds no ports; whoever reaps it is not our concern).
is_dead() { ! kill -0 "$1" 2>/dev/null || [[ "$(proc_state "$1")" == Z ]]; }

# Cheap TCP check. Not sufficient alone: the kernel still accepts connections
# for a paused or half-started broker.
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Real Kafka-protocol check: a metadata round trip via the admin client.
# Short client timeouts so a not-yet-ready broker fails fast instead of hanging.
kafka_answers() {
  local cfg="$DATA_DIR/probe.properties"
  (umask 077 && client_properties admin >"$cfg")
  printf 'request.timeout.ms=10000\ndefault.api.timeout.ms=15000\n' >>"$cfg"
  tool_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" \
    --command-config "$cfg" --list >/dev/null 2>&1
}

check_heap() {
  # The project budget is <= 512 MB broker heap.
  local xmx n
  xmx="$(grep -oE -- '-Xmx[0-9]+[kKmMgG]?' <<<"$KAFKA_HEAP" | tail -n1)" || die "KAFKA_HEAP must contain -Xmx"
  n="${xmx//[^0-9]/}"
  case "$xmx" in
    *[gG]) n=$((n * 1024)) ;;
    *[mM]) ;;
    *[kK]) n=$((n / 1024)) ;;
    *)     n=$((n / 1024 / 1024)) ;;
  esac
  ((n <= 512)) || die "KAFKA_HEAP $xmx exceeds the 512 MB limit"
}

password_of() { cat "$CREDENTIALS_DIR/$1.password"; }

# A PEM file as one properties value (Kafka's PEM parser ignores the whitespace).
pem_value() { tr '\n' ' ' <"$1"; }

jaas() { printf 'org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";' "$1" "$(password_of "$1")"; }

# Client settings of a CLI tool connecting as USER (the readiness probe; `run` with --command-config).
client_properties() {
  cat <<EOF
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$(jaas "$1")
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.cert.pem
EOF
}

# TLS material from the project's PKI tool: a CA of this broker's own and its server certificate.
ensure_tls() {
  [[ -s "$TLS_DIR/server.key.pem" && -s "$TLS_DIR/ca.cert.pem" ]] && return 0
  local script="$REPO/dist/tools/pki/kafka-broker-tls.js"
  [[ -e "$script" ]] || die "$script is missing: run 'npm run build' first (it makes the broker's TLS certificate)"
  node "$script" "$TLS_DIR" || die "could not make the broker's TLS certificate"
}

# A random password per user, made once per data dir (before its format), readable by this account only.
ensure_passwords() {
  mkdir -p "$CREDENTIALS_DIR"
  chmod 700 "$CREDENTIALS_DIR"
  local user
  for user in "${KAFKA_USERS[@]}"; do
    [[ -s "$CREDENTIALS_DIR/$user.password" ]] && continue
    (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$CREDENTIALS_DIR/$user.password")
  done
}

# server.properties holds the admin password: this account only.
write_config() {
  (umask 077 && write_properties)
}

write_properties() {
  cat >"$PROPS" <<EOF
# Generated by deploy/kafka/kafka.sh on every start -- edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
# Clients: TLS, and SCRAM-SHA-512 names who they are. The controller listener (loopback only) takes
# only this broker's own certificate (mutual TLS; the CA's key was thrown away after signing it).
listeners=CLIENT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=CLIENT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CLIENT:SASL_SSL,CONTROLLER:SSL
inter.broker.listener.name=CLIENT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=$(jaas admin)
listener.name.controller.ssl.client.auth=required
ssl.keystore.type=PEM
ssl.keystore.certificate.chain=$(pem_value "$TLS_DIR/server.cert.pem")
ssl.keystore.key=$(pem_value "$TLS_DIR/server.key.pem")
ssl.truststore.type=PEM
ssl.truststore.certificates=$(pem_value "$TLS_DIR/ca.cert.pem")

# Nothing is allowed unless an ACL allows it (the harness applies them from kafka-acls.ts); the
# admin user and the broker itself are the super users.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;$BROKER_PRINCIPAL
log.dirs=$DATA_DIR/logs

# Topics are created explicitly by the application, never by a typo.
auto.create.topics.enable=false

# Single node: every internal topic must have RF 1 / ISR 1 or it cannot be created.
default.replication.factor=1
num.partitions=1
offsets.topic.replication.factor=1
# Fewer __consumer_offsets partitions = faster first start on 2 cores.
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=6

# Consumers join a group immediately instead of waiting 3s for more members.
group.initial.rebalance.delay.ms=0

# After a crash (kill -9) the restarted controller still holds the old broker
# registration and rejects the new one until the session expires: with the
# default 9s that adds ~9s to every crash restart. 4s keeps a margin for GC
# pauses / a busy 2-core box while making chaos restarts quick.
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=1000

# Fewer threads than the server-sized defaults; plenty for a dev/test box.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF
}

# Format KRaft storage once. meta.properties marks a formatted log dir, so warm
# starts skip two extra JVM launches.
format_storage() {
  # A data dir remembers which Kafka formatted it: going back from 4.x to 3.9 on it would fail obscurely.
  local formatted_by="$DATA_DIR/kafka-version"
  if [[ -e "$DATA_DIR/logs/meta.properties" ]]; then
    if [[ -e "$formatted_by" && "$(cut -d. -f1 "$formatted_by")" != "${KAFKA_VERSION%%.*}" ]]; then
      die "$(pretty_dir) was formatted by Kafka $(cat "$formatted_by"); use another KAFKA_DATA_DIR for $KAFKA_VERSION or remove it"
    fi
    return 0
  fi
  echo "$KAFKA_VERSION" >"$formatted_by"
  local cluster_id user scram=()
  cluster_id="$(tool_java kafka.tools.StorageTool random-uuid)" || die "could not generate a cluster id"
  # The SCRAM users go into the first metadata, so the broker knows them before any client connects.
  for user in "${KAFKA_USERS[@]}"; do
    scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(password_of "$user")]")
  done
  tool_java kafka.tools.StorageTool format --config "$PROPS" --cluster-id "$cluster_id" \
    --ignore-formatted "${scram[@]}" >/dev/null || die "storage format failed"
}

# -------------------------------------------------------------- commands ----

cmd_start() {
  check_heap
  local pid t0=$SECONDS
  pid="$(read_pid || true)"

  if [[ -n "$pid" ]] && is_our_broker "$pid"; then
    is_paused "$pid" && die "broker pid $pid is paused; run '$0 resume'"
    # Ours and alive: either already up (idempotent start) or still starting
    # (e.g. a concurrent start) -- waiting covers both.
    wait_ready "$pid"
    echo "kafka: already up on $BOOTSTRAP (pid $pid, data $(pretty_dir))"
    return 0
  fi
  rm -f "$PID_FILE"   # stale

  # A broker that was just killed may still be releasing its sockets on a loaded machine: give it a few seconds.
  local waited=0
  while { port_open "$KAFKA_PORT" || port_open "$KAFKA_CONTROLLER_PORT"; } && ((waited < 50)); do
    sleep 0.2
    waited=$((waited + 1))
  done
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is in use by something that is not this broker"
  port_open "$KAFKA_CONTROLLER_PORT" && die "controller port $KAFKA_CONTROLLER_PORT is already in use"

  fetch
  mkdir -p "$DATA_DIR/logs"
  # Makes the data dir invisible to git wherever it lives.
  [[ -e "$DATA_DIR/.gitignore" ]] || echo '*' >"$DATA_DIR/.gitignore"
  if [[ -e "$DATA_DIR/logs/meta.properties" ]]; then
    [[ -s "$CREDENTIALS_DIR/admin.password" ]] \
      || die "$(pretty_dir) was formatted without SCRAM users (before identities); remove it to start afresh"
  else
    ensure_passwords
  fi
  ensure_tls
  write_config
  format_storage

  # setsid: own session, so Ctrl-C in the calling terminal or a test runner
  # killing its process group does not take the broker down; `stop` does.
  # No fork happens here (we are not a group leader), so $! is the JVM's pid.
  # SerialGC: lowest overhead with a <=512 MB heap on 2 cores.
  # ExitOnOutOfMemoryError: a dead broker is easier to diagnose than a wedged one.
  # stdout.log only gets ERROR lines (see log4j.properties) plus JVM crash output.
  local cds_opt="-XX:SharedArchiveFile=$CDS"
  if [[ ! -s "$CDS" ]]; then
    rm -f "$CDS_NEW"
    # Recording prints ~100 harmless "class not supported" warnings at exit.
    cds_opt="-XX:ArchiveClassesAtExit=$CDS_NEW -Xlog:cds*=off"
  fi
  # shellcheck disable=SC2086  # KAFKA_HEAP / KAFKA_OPTS / cds_opt are intentionally word-split
  setsid nohup "$JAVA" $KAFKA_HEAP ${KAFKA_OPTS:-} $cds_opt \
    -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    "$BROKER_LOGGING" -Dkafka.logs.dir="$DATA_DIR" \
    -cp "$LIB/*" kafka.Kafka "$PROPS" \
    >"$DATA_DIR/stdout.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"

  wait_ready "$pid"
  # The JVM silently ignores an archive that no longer matches (new JDK, jars
  # touched); drop it so the next run records a fresh one.
  grep -q 'Unable to use shared archive' "$DATA_DIR/stdout.log" && rm -f "$CDS"
  echo "kafka: up on $BOOTSTRAP (pid $pid, data $(pretty_dir), $((SECONDS - t0))s)"
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + READY_TIMEOUT))
  while ((SECONDS < deadline)); do
    if is_dead "$pid"; then
      rm -f "$PID_FILE"
      startup_failed "broker process $pid exited during startup"
    fi
    # TCP probe costs nothing; the JVM-based Kafka probe only runs once the port is open.
    if port_open "$KAFKA_PORT" && kafka_answers; then
      return 0
    fi
    sleep 0.5
  done
  startup_failed "broker pid $pid not answering on $BOOTSTRAP after ${READY_TIMEOUT}s (still running; '$0 stop' to clean up)"
}

startup_failed() {
  echo "kafka: $1" >&2
  for f in "$SERVER_LOG" "$DATA_DIR/stdout.log"; do
    [[ -s "$f" ]] || continue
    echo "---- last 30 lines of $f ----" >&2
    tail -n 30 "$f" >&2
  done
  exit 1
}

cmd_stop() {
  local pid
  pid="$(read_pid || true)"
  if [[ -z "$pid" ]] || ! is_our_broker "$pid"; then
    rm -f "$PID_FILE"
    echo "kafka: not running ($BOOTSTRAP)"
    return 0
  fi
  # SIGTERM triggers Kafka's orderly shutdown (flushes logs, closes segments
  # cleanly, so the next start skips log recovery). SIGCONT in case it was
  # paused: a stopped process would never act on the SIGTERM.
  kill -TERM "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while ! is_dead "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if ! is_dead "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    echo "kafka: pid $pid ignored SIGTERM for ${STOP_TIMEOUT}s, sent SIGKILL" >&2
    rm -f "$CDS_NEW"   # possibly cut off mid-write
  fi
  rm -f "$PID_FILE"
  # Clean exit -> the JVM finished writing the class archive (if asked to).
  [[ -s "$CDS_NEW" && ! -e "$CDS" ]] && mv "$CDS_NEW" "$CDS"
  rm -f "$CDS_NEW"
  echo "kafka: stopped ($BOOTSTRAP, pid $pid)"
}

cmd_status() {
  local pid
  pid="$(read_pid || true)"
  if [[ -z "$pid" ]] || ! is_our_broker "$pid"; then
    echo "kafka: not running ($BOOTSTRAP)"; return 1
  fi
  if is_paused "$pid"; then
    echo "kafka: paused (pid $pid)"; return 1
  fi
  if port_open "$KAFKA_PORT" && kafka_answers; then
    echo "kafka: up on $BOOTSTRAP (pid $pid, data $(pretty_dir))"; return 0
  fi
  echo "kafka: pid $pid alive but not answering on $BOOTSTRAP"; return 1
}

# Chaos helpers: signal our broker; fail if none is running.
signal_broker() {
  local sig="$1" what="$2" pid
  pid="$(read_pid || true)"
  [[ -n "$pid" ]] && is_our_broker "$pid" || die "not running ($BOOTSTRAP)"
  kill "-$sig" "$pid"
  if [[ "$sig" == KILL ]]; then
    # Wait for the kernel to reap it so a following `start` sees a free port.
    while ! is_dead "$pid"; do sleep 0.1; done
    rm -f "$PID_FILE" "$CDS_NEW"
  fi
  echo "kafka: $what (pid $pid)"
}

case "${1:-}" in
  fetch)  fetch; echo "kafka: jars for $KAFKA_VERSION in $LIB" ;;
  version) echo "$KAFKA_VERSION" ;;
  client-config)
    # Settings file for a CLI tool as USER (default admin): `run ... --command-config "$(kafka.sh client-config)"`.
    user="${2:-admin}"
    [[ -s "$CREDENTIALS_DIR/$user.password" ]] || die "no user '$user' in $(pretty_dir) (start the broker once first)"
    (umask 077 && client_properties "$user" >"$DATA_DIR/$user.properties")
    echo "$DATA_DIR/$user.properties"
    ;;
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  kill9)  signal_broker KILL "killed -9" ;;
  pause)  signal_broker STOP paused ;;
  resume) signal_broker CONT resumed ;;
  run)
    # Any CLI class from the jars, e.g.
    #   kafka.sh run org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
    [[ $# -ge 2 ]] || die "usage: $0 run CLASS [ARGS...]"
    shift; fetch
    exec "$JAVA" -Xmx256m -Djava.awt.headless=true "$TOOLS_LOGGING" -cp "$LIB/*" "$@"
    ;;
  *)
    echo "usage: $0 {fetch|start|stop|status|kill9|pause|resume|version|client-config [USER]|run CLASS [ARGS...]}" >&2
    exit 2
    ;;
esac
