#!/usr/bin/env bash
# Relay efficiency: our relay and Debian's coturn under the same turnutils_uclient load, one after
# the other in the same run. Server CPU time = utime+stime from /proc/<pid>/stat before/after.
# Relayed datagrams = messages sent + messages echoed back (each crosses the relay once).
# Usage: relay-vs-coturn.sh [clients] [messages] [size]      (loopback only)
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENTS=${1:-100}
MESSAGES=${2:-1000}
SIZE=${3:-200}
CONFIG=${CONFIG:-Release}
DLL=TurnRelay/bin/$CONFIG/net10.0/Ticker.TurnRelay.dll
PEER_PORT=34900
TICKS=$(getconf CLK_TCK)
for tool in turnutils_uclient turnutils_peer turnserver; do
  command -v $tool >/dev/null || { echo "missing $tool: apt-get install coturn (make deps)"; exit 1; }
done
[ -f "$DLL" ] || dotnet build TurnRelay/TurnRelay.csproj -c "$CONFIG" -nologo -clp:ErrorsOnly
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

turnutils_peer -L 127.0.0.1 -p $PEER_PORT >"$WORK/peer.log" 2>&1 &
PIDS+=($!)

# run NAME PORT COMMAND... : starts the server, waits for it, loads it, prints a result line.
run() {
  local name=$1 port=$2; shift 2
  "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  PIDS+=($pid)
  for _ in $(seq 50); do
    timeout 1 turnutils_stunclient -p "$port" 127.0.0.1 2>/dev/null | grep -q reflexive && break
    sleep 0.2
  done
  local before; before=$(cpu_ticks $pid)
  local start; start=$(date +%s.%N)
  timeout 300 turnutils_uclient -u bench -w bench -e 127.0.0.1 -r $PEER_PORT -p "$port" \
    -m "$CLIENTS" -n "$MESSAGES" -l "$SIZE" 127.0.0.1 >"$WORK/$name.client" 2>&1 || true
  local end; end=$(date +%s.%N)
  local after; after=$(cpu_ticks $pid)
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  grep -h "stopped" "$WORK/$name.log" || true
  local sent recv lost rtt
  sent=$(sed -n 's/.*tot_send_msgs=\([0-9]*\), tot_recv_msgs=\([0-9]*\)$/\1/p' "$WORK/$name.client" | tail -1)
  recv=$(sed -n 's/.*tot_send_msgs=\([0-9]*\), tot_recv_msgs=\([0-9]*\)$/\2/p' "$WORK/$name.client" | tail -1)
  lost=$(grep -o 'Total lost packets.*' "$WORK/$name.client" | tail -1)
  rtt=$(grep -o 'Average round trip delay [0-9.]* ms' "$WORK/$name.client" | tail -1)
  local datagrams=$(( ${sent:-0} + ${recv:-0} ))
  local cpu_us=$(( (after - before) * 1000000 / TICKS ))
  local per=$(awk -v c=$cpu_us -v d=$datagrams 'BEGIN { if (d > 0) printf "%.2f", c / d; else print "n/a" }')
  printf '%-8s cpu=%8.3f s  datagrams=%8d  cpu/datagram=%6s us  wall=%6.2f s  %s  %s\n' \
    "$name" "$(awk -v c=$cpu_us 'BEGIN{print c/1e6}')" $datagrams "$per" "$(awk -v a=$start -v b=$end 'BEGIN{print b-a}')" "$lost" "$rtt"
  echo "$per" >"$WORK/$name.per"
}

ONLY=${ONLY:-}
echo "load: turnutils_uclient -m $CLIENTS -n $MESSAGES -l $SIZE, echo peer turnutils_peer on 127.0.0.1:$PEER_PORT"
[ "$ONLY" = coturn ] || run ticker 34780 dotnet "$DLL" -L 127.0.0.1 -p 34780 --min-port=40000 --max-port=44999 -r ticker -u bench:bench \
  --allow-loopback-peers --legacy-channel-numbers --user-quota=0 --total-quota=0 --no-tls
[ "$ONLY" = ticker ] || run coturn 34790 turnserver -n --no-cli --no-tls --no-dtls -L 127.0.0.1 -p 34790 --min-port=45000 --max-port=49999 \
  -r ticker -a -u bench:bench --allow-loopback-peers --no-stdout-log --log-file=/dev/null
[ -z "$ONLY" ] || exit 0
ours=$(cat "$WORK/ticker.per"); theirs=$(cat "$WORK/coturn.per")
echo "ratio ticker/coturn cpu per datagram: $(awk -v a="$ours" -v b="$theirs" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
