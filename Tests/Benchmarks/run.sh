#!/usr/bin/env bash
# make bench: the store and pipeline benchmarks against the project-local PostgreSQL.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bench="dotnet Tests/Benchmarks/bin/Release/net10.0/Ticker.Benchmarks.dll"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB; $(psql --version)"
$bench store-append
$bench store-queries
$bench symbol-search
$bench ingest-drain
$bench ingest-live 20000 500 60
BENCH_PGBENCH_FEED=1 $bench ingest-live 20000 500 60
# Memory over a long run: 10,000 ticks/s across 5,000 symbols for 10 minutes.
$bench ingest-live 10000 5000 600
# Subscribe/disconnect cost of the fan-out: 10,000 queues x 1,000 symbols at once.
$bench resubscribe 10000 1000
