#!/usr/bin/env bash
# The published hub starts and serves on a machine without .NET: run from `make publish-test`
# (part of `make bench`) after `make publish`. It runs dist/ticker-hub/Ticker.PushHub with an
# environment holding no .NET at all (no dotnet on PATH, no DOTNET_ROOT), against the project-local
# PostgreSQL; checks readiness, a tick through the history API and the live quote, and that SIGTERM
# ends it with exit code 0.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
hub="${1:-$root/dist/ticker-hub}/Ticker.PushHub"
[ -x "$hub" ] || { echo "published-smoke: $hub not found; run make publish" >&2; exit 1; }
connection="$("$root/Database/local-cluster.sh" start)"
port=$((20000 + RANDOM % 10000)); grpc=$((port + 1))
log="$(mktemp)"
# From its own folder, as the systemd unit runs it: the dashboard is served from ./wwwroot.
cd "$(dirname "$hub")"
env -i PATH=/nonexistent HOME="$HOME" ConnectionStrings__Ticker="$connection" \
  "$hub" --urls "http://127.0.0.1:$port;http://127.0.0.1:$grpc" --Hub:GrpcPort=$grpc \
  --Feed:Enabled=false --Turn:Enabled=false --WebRtc:Port=0 --WebRtc:ListenAddress=127.0.0.1 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
fail() { echo "published-smoke: $*" >&2; tail -n 30 "$log" >&2; exit 1; }

for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$port/healthz/ready" >/dev/null && break
  kill -0 $pid 2>/dev/null || fail "the hub exited"
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/healthz/ready" >/dev/null || fail "not ready after a minute"

symbol="PUB$RANDOM"
(cd "$root" && Database/local-cluster.sh psql -qc "INSERT INTO ticks (symbol, price, size) VALUES ('$symbol', 42.5, 7)")
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/api/quotes?symbols=$symbol" | grep -q '42.5' && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/api/quotes?symbols=$symbol" | grep -q '42.5' || fail "the tick did not reach /api/quotes"
curl -fs "http://127.0.0.1:$port/" | grep -qi '<html' || fail "the dashboard is not served"
curl -fs "http://127.0.0.1:$port/metrics" | grep -q 'ticker_ingest_ticks_total' || fail "/metrics lacks ticker_ingest_ticks_total"

kill -TERM $pid
code=0; wait $pid || code=$?
[ "$code" = 0 ] || fail "exit code $code after SIGTERM"
echo "published-smoke: $hub started without .NET installed, served the dashboard, history, live quotes and metrics, and stopped cleanly"
