#!/usr/bin/env bash
# Benchmark: POST /api/pulse/schedule on loopback with 4 keep-alive connections against the real
# daemon jar; every pulse is committed to H2 and synced to the disk before its 201. Prints throughput and
# latency percentiles, then checks that every acknowledged pulse is in the queue.
# Usage: bench/prompt/run.sh [REQUESTS] [CONNECTIONS]     (JAVA_OPTS adds daemon JVM flags)
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS=${1:-20000}
CONNS=${2:-4}
WARMUP=${WARMUP:-5000}
[ -f target/pulse.jar ] || ./mvnw -B -ntp -q -o package -DskipTests
WORK=$(mktemp -d)
cp target/pulse.jar "$WORK/bench-daemon.jar"  # its own name: a shared machine's 'pkill -f pulse.jar' must not end the run
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TOKEN=bench-token-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
env -i PATH="$PATH" HOME="$WORK" PULSE_STATE_DIR="$WORK/state" PULSE_API_PORT="$PORT" PULSE_API_TOKEN="$TOKEN" \
  PULSE_LOG_LEVEL=warn PULSE_PROMPT_COMMAND=true \
  java ${JAVA_OPTS:-} -jar "$WORK/bench-daemon.jar" daemon >"$WORK/daemon.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$PORT/api/health" >/dev/null || { echo "daemon did not start:"; cat "$WORK/daemon.log"; exit 1; }
echo "== POST /api/pulse/schedule, $CONNS connections, $WARMUP warm-up + $REQUESTS measured requests ($(nproc) cores)"
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }  # daemon user+system time in clock ticks
java bench/prompt/LoadGen.java "$PORT" "$TOKEN" "$CONNS" "$WARMUP" 0   # warm-up: JIT, pools, caches
# fsyncs of the database file so far (pulse_store_syncs_total; absent on builds before it existed)
syncs() { curl -fs "http://127.0.0.1:$PORT/metrics" | awk '/^pulse_store_syncs_total/ {print int($2); f=1} END {if (!f) print -1}'; }
C0=$(cpu)
S0=$(syncs)
java bench/prompt/LoadGen.java "$PORT" "$TOKEN" "$CONNS" 0 "$REQUESTS"
C1=$(cpu)
S1=$(syncs)
if [ "$S0" -ge 0 ]; then
  awk -v s=$((S1 - S0)) -v n="$REQUESTS" 'BEGIN { printf "syncs       %d fsyncs for %d acknowledged pulses: %.2f per request\n", s, n, s / n }'
else
  echo "syncs       none counted (this build does not sync)"
fi
awk -v t=$((C1 - C0)) -v hz="$(getconf CLK_TCK)" -v n="$REQUESTS" \
  'BEGIN { printf "daemon cpu  %.0f us per request (user+system; independent of other load on the machine)\n", t / hz * 1e6 / n }'
echo "load        $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15-min load average on $(nproc) cores)"
PENDING=$(curl -fs "http://127.0.0.1:$PORT/api/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["queue"]["pending"])')
echo "stored      $PENDING pending pulses (expected $((WARMUP + REQUESTS)))"
