#!/usr/bin/env bash
# make run-cluster: broker mode on one machine — the project-local PostgreSQL, nats-server with
# JetStream, two publishers (one leads, one stands by) and two edge hubs. The simulated feed runs in
# the first publisher's process (it writes to PostgreSQL; it is not what leads). Ctrl-C stops it all.
# Ports: NATS_PORT (4222), edges EDGE1_PORT/EDGE2_PORT (8080/8082, gRPC on +1), publishers 8090/8092.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
NATS_PORT=${NATS_PORT:-4222}
EDGE1_PORT=${EDGE1_PORT:-8080}
EDGE2_PORT=${EDGE2_PORT:-8082}
PUB1_PORT=${PUB1_PORT:-8090}
PUB2_PORT=${PUB2_PORT:-8092}
CONFIG=${CONFIG:-Release}
hub="$root/PushHub/bin/$CONFIG/net10.0/Ticker.PushHub.dll"
mkdir -p "$root/.local/nats" "$root/.local/cluster-logs"
logs="$root/.local/cluster-logs"

if [ -z "${ConnectionStrings__Ticker:-}" ]; then
  ConnectionStrings__Ticker="$(Database/local-cluster.sh start)"
  export ConnectionStrings__Ticker
fi

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

nats-server -js -a 127.0.0.1 -p "$NATS_PORT" -sd "$root/.local/nats" >"$logs/nats.log" 2>&1 &
pids+=($!)

# start NAME MODE PORT [extra settings...]: one hub process (the same executable in every role).
start() {
  local name=$1 mode=$2 port=$3
  shift 3
  (cd "$root/PushHub" && exec env Ingest__Mode="$mode" Nats__Url="nats://127.0.0.1:$NATS_PORT" Turn__Enabled=false WebRtc__Port=0 \
    Hub__GrpcPort=$((port + 1)) "$@" dotnet "$hub" --urls "http://127.0.0.1:$port;http://127.0.0.1:$((port + 1))" \
    >"$logs/$name.log" 2>&1) &
  pids+=($!)
}

start publisher-1 publisher "$PUB1_PORT" Feed__Enabled="${Feed__Enabled:-true}"
start publisher-2 publisher "$PUB2_PORT" Feed__Enabled=false
start edge-1 edge "$EDGE1_PORT" Feed__Enabled=false
start edge-2 edge "$EDGE2_PORT" Feed__Enabled=false

ready() { curl -fsS -o /dev/null "http://127.0.0.1:$1/healthz/ready" 2>/dev/null; }
for port in "$PUB1_PORT" "$PUB2_PORT" "$EDGE1_PORT" "$EDGE2_PORT"; do
  for _ in $(seq 1 120); do ready "$port" && break; sleep 0.5; done
done

cat <<INFO
Ticker broker cluster (logs in .local/cluster-logs/):
  PostgreSQL   ${ConnectionStrings__Ticker}
  NATS         nats://127.0.0.1:$NATS_PORT (JetStream, store .local/nats, stream TICKER)
  edge hub 1   dashboard http://127.0.0.1:$EDGE1_PORT/   WebSocket ws://127.0.0.1:$EDGE1_PORT/ws   gRPC 127.0.0.1:$((EDGE1_PORT + 1))
  edge hub 2   dashboard http://127.0.0.1:$EDGE2_PORT/   WebSocket ws://127.0.0.1:$EDGE2_PORT/ws   gRPC 127.0.0.1:$((EDGE2_PORT + 1))
  publishers   http://127.0.0.1:$PUB1_PORT/healthz/ready   http://127.0.0.1:$PUB2_PORT/healthz/ready   (role: leader or standby)
Try a failover: kill -9 the leading publisher (its /healthz says "leading"); the other takes over within seconds.
Ctrl-C stops everything.
INFO
wait -n "${pids[@]}" || true
