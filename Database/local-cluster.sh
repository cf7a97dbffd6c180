#!/usr/bin/env bash
# A private PostgreSQL cluster for development and tests, kept under the checkout's git-ignored
# .local/pg folder: its own port, its own socket directory, loopback only, wal_level=logical.
#
#   local-cluster.sh start    start it (initdb on first use; reuse when running); prints the
#                             connection string on stdout, everything else goes to stderr
#   local-cluster.sh stop     stop it cleanly (fast shutdown)
#   local-cluster.sh drop-slots   drop every replication slot no connection uses (they would keep WAL)
#   local-cluster.sh reset    drop the ticker database and its slots, and create it empty
#   local-cluster.sh status   say whether it runs, and where
#   local-cluster.sh psql     open psql on the ticker database
#
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${TICKER_PG_DIR:-$root/.local/pg}"
data="$dir/data"
sock="$dir/run"
log="$dir/postgres.log"
database="ticker"

say() { echo "local-cluster: $*" >&2; }
die() { say "$*"; exit 1; }

find_bin() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return
  fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$newest" ] && [ -x "$newest/initdb" ] && { echo "$newest"; return; }
  if [ "$(id -u)" = 0 ]; then
    say "installing the PostgreSQL server (Debian package postgresql)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 \
      || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
    find_bin
    return
  fi
  die "PostgreSQL server binaries not found. Install them: sudo apt-get install postgresql"
}

bin="$(find_bin)"

# Run a PostgreSQL program as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A port derived from the folder's path, so two checkouts on one machine pick different ports;
# if it is taken, the next free one. Chosen once and remembered.
pick_port() {
  if [ -f "$dir/port" ]; then cat "$dir/port"; return; fi
  local port=$((54000 + $(printf '%s' "$dir" | cksum | cut -d' ' -f1) % 1000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port" >"$dir/port"
  echo "$port"
}

connection_string() {
  echo "Host=127.0.0.1;Port=$(cat "$dir/port");Username=postgres;Database=$database;Include Error Detail=true"
}

is_running() {
  [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1
}

# A cluster that is starting up or shutting down refuses connections for a moment: wait until it
# accepts them, or until it has stopped (then the caller starts it).
wait_ready() {
  local i
  for i in $(seq 1 120); do
    as_owner "$bin/pg_isready" -q -h "$sock" -p "$(cat "$dir/port")" && return 0
    is_running || return 1
    sleep 0.5
  done
  return 1
}

init_cluster() {
  say "creating a new cluster in $data"
  mkdir -p "$dir" "$sock"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown -R postgres: "$dir"
    runuser -u postgres -- test -x "$dir" \
      || die "the postgres user cannot reach $dir: give the parent folders o+x, or set TICKER_PG_DIR"
  fi
  # Trust on loopback only: this cluster is a private development database.
  as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  local port
  port="$(pick_port)"
  cat >>"$data/postgresql.conf" <<EOF

# --- Ticker's private cluster (Database/local-cluster.sh) ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
wal_level = logical
max_replication_slots = 64
max_wal_senders = 64
max_connections = 300
shared_buffers = 256MB
max_wal_size = 4GB
EOF
  [ "$(id -u)" = 0 ] && chown postgres: "$dir/port"
}

start() {
  mkdir -p "$dir"
  exec 9>"$dir/.lock"
  flock 9  # two runs starting at once: one initialises and starts, the other then reuses
  [ -f "$data/PG_VERSION" ] || init_cluster
  if is_running && wait_ready; then
    say "reusing the running cluster on port $(cat "$dir/port")"
  else
    say "starting PostgreSQL on 127.0.0.1:$(cat "$dir/port") (log: $log)"
    [ "$(id -u)" = 0 ] && { touch "$log"; chown postgres: "$log"; }
    as_owner "$bin/pg_ctl" start -D "$data" -l "$log" -w -t 60 -s 9>&- \
      || { tail -n 20 "$log" >&2; die "PostgreSQL did not start"; }
  fi
  local exists
  exists="$(as_owner "$bin/psql" -h "$sock" -p "$(cat "$dir/port")" -U postgres -d postgres -Atqc \
    "SELECT 1 FROM pg_database WHERE datname = '$database'")"
  [ "$exists" = 1 ] || as_owner "$bin/psql" -h "$sock" -p "$(cat "$dir/port")" -U postgres -d postgres -qc \
    "CREATE DATABASE $database" >&2
  connection_string
}

stop() {
  if is_running; then
    as_owner "$bin/pg_ctl" stop -D "$data" -m fast -w -s
    say "stopped"
  else
    say "not running"
  fi
}

psql_admin() {
  as_owner "$bin/psql" -h "$sock" -p "$(cat "$dir/port")" -U postgres -d postgres -Atq "$@"
}

# Durable slots outlive whoever made them (a hub with Ingest:SlotName, an older version's
# ticker_hub); temporary ones die with their connection. Drop the ones nobody reads.
drop_slots() {
  is_running || { say "not running"; return 0; }
  local dropped
  dropped="$(psql_admin -c "SELECT pg_drop_replication_slot(slot_name), slot_name FROM pg_replication_slots WHERE NOT active" | cut -d'|' -f2)"
  [ -z "$dropped" ] || say "dropped idle replication slots: $(echo $dropped)"
}

reset() {
  start >/dev/null
  # End every session on the database (hubs included), so its slots are idle and it can be dropped.
  psql_admin -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$database' AND pid <> pg_backend_pid()" >/dev/null
  local i
  for i in $(seq 1 50); do  # a terminated walsender releases its slot a moment later
    psql_admin -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '$database' AND NOT active" >/dev/null
    [ -z "$(psql_admin -c "SELECT 1 FROM pg_replication_slots WHERE database = '$database'")" ] && break
    sleep 0.2
  done
  psql_admin -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
  say "dropped the $database database and its replication slots"
  start
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  drop-slots) drop_slots ;;
  reset) reset ;;
  status)
    if is_running; then say "running on 127.0.0.1:$(cat "$dir/port"), data in $data"; connection_string
    else say "not running"; exit 3; fi ;;
  psql)
    shift
    exec "$bin/psql" -h 127.0.0.1 -p "$(cat "$dir/port")" -U postgres -d "$database" "$@" ;;
  *) echo "usage: $0 start|stop|status|psql|drop-slots|reset" >&2; exit 2 ;;
esac
