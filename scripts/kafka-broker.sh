#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft) on loopback, for tests, benchmarks and local runs.
#
#   scripts/kafka-broker.sh fetch            resolve Kafka's jars from Maven Central into the cache
#   scripts/kafka-broker.sh start [dir]      format (first time) and start; prints the bootstrap address
#   scripts/kafka-broker.sh stop [dir]       stop the broker started with that data directory, by its pid
#   scripts/kafka-broker.sh status [dir]
#   scripts/kafka-broker.sh cached           exit 0 when the jars are already in the cache
#
# Settings (environment): KAFKA_PORT (default 19092), KAFKA_CONTROLLER_PORT (default: the next port),
# KAFKA_DATA_DIR (default: a directory under the system temp dir named after the port),
# KAFKA_CACHE_DIR (default ~/.cache/liangxin-registry/kafka-$KAFKA_VERSION: the jars, outside the repo).
# Version 3.9 is the newest line whose protocol versions kafkajs still speaks (see docs/adr/0010).
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
SCALA_VERSION=2.13
CACHE_DIR="${KAFKA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/liangxin-registry/kafka-$KAFKA_VERSION}"
PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
DATA_DIR="${2:-${KAFKA_DATA_DIR:-${TMPDIR:-/tmp}/liangxin-kafka-$PORT}}"

log() { echo "kafka-broker: $*" >&2; }

fetch() {
  if [ -f "$CACHE_DIR/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is needed to resolve Kafka's jars"; exit 1; }
  command -v java >/dev/null || { log "Java 17+ is needed to run Kafka"; exit 1; }
  mkdir -p "$CACHE_DIR"
  # A throwaway POM: only its dependency list matters. reload4j is the logging backend Kafka 3.9 expects.
  cat >"$CACHE_DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>liangxin-registry</groupId>
  <artifactId>kafka-broker-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_$SCALA_VERSION</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
POM
  log "resolving org.apache.kafka:kafka_$SCALA_VERSION:$KAFKA_VERSION from Maven Central into $CACHE_DIR"
  mvn -q -B -f "$CACHE_DIR/pom.xml" dependency:copy-dependencies -DoutputDirectory="$CACHE_DIR/lib" -DincludeScope=runtime >&2
  touch "$CACHE_DIR/.complete"
}

pid_of() { [ -f "$DATA_DIR/broker.pid" ] && cat "$DATA_DIR/broker.pid" || true; }
running() { local pid; pid=$(pid_of); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

start() {
  fetch
  if running; then echo "127.0.0.1:$PORT"; return 0; fi
  mkdir -p "$DATA_DIR"
  cat >"$DATA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
log.dirs=$DATA_DIR/logs
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.flush.interval.messages=9223372036854775807
PROPS
  cat >"$DATA_DIR/log4j.properties" <<LOG4J
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$DATA_DIR/broker.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
LOG4J
  local java_opts=(-Xms128m -Xmx512m -XX:+UseSerialGC -Djava.awt.headless=true "-Dlog4j.configuration=file:$DATA_DIR/log4j.properties")
  if [ ! -f "$DATA_DIR/logs/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java "${java_opts[@]}" -cp "$CACHE_DIR/lib/*" kafka.tools.StorageTool random-uuid)
    java "${java_opts[@]}" -cp "$CACHE_DIR/lib/*" kafka.tools.StorageTool format --standalone \
      -t "$cluster_id" -c "$DATA_DIR/server.properties" >"$DATA_DIR/format.log" 2>&1 \
      || { cat "$DATA_DIR/format.log" >&2; exit 1; }
  fi
  nohup java "${java_opts[@]}" -cp "$CACHE_DIR/lib/*" kafka.Kafka "$DATA_DIR/server.properties" \
    >"$DATA_DIR/stdout.log" 2>&1 </dev/null &
  echo $! >"$DATA_DIR/broker.pid"
  for _ in $(seq 1 240); do
    if answers && grep -q "Transition from STARTING to STARTED" "$DATA_DIR/broker.log" 2>/dev/null; then
      echo "127.0.0.1:$PORT"; return 0
    fi
    if ! running; then log "the broker exited; its output:"; tail -n 30 "$DATA_DIR/stdout.log" "$DATA_DIR/broker.log" >&2 || true; exit 1; fi
    sleep 0.25
  done
  log "the broker did not answer on 127.0.0.1:$PORT within 60 s"; exit 1
}

stop() {
  local pid; pid=$(pid_of)
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then rm -f "$DATA_DIR/broker.pid"; return 0; fi
  kill "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || { rm -f "$DATA_DIR/broker.pid"; return 0; }; sleep 0.25; done
  log "the broker (pid $pid) did not stop within 30 s; killing it"
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$DATA_DIR/broker.pid"
}

case "${1:-}" in
  fetch) fetch ;;
  cached) [ -f "$CACHE_DIR/.complete" ] ;;
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running (pid $(pid_of)) on 127.0.0.1:$PORT"; else echo "stopped"; exit 3; fi ;;
  *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
