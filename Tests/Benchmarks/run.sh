#!/usr/bin/env bash
# make bench: the store and pipeline benchmarks against the project-local PostgreSQL.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bench="dotnet Tests/Benchmarks/bin/Release/net10.0/Ticker.Benchmarks.dll"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB; $(psql --version)"
$bench store-append
$bench store-queries
