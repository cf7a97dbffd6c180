# Ticker — the two commands a user needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
CONFIG ?= Release
DOTNET ?= dotnet
CLUSTER := Database/local-cluster.sh
# The soak of make bench (docs/benchmarks.md): minutes to run it for.
SOAK_MINUTES ?= 30
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

# Debian packages `make run` needs: psql (the PostgreSQL server itself when initdb is missing, and
# Node.js/npm for the dashboard's build when npm is missing altogether).
RUN_PACKAGES := postgresql-client
# ... and what only the tests and benchmarks use: real peers (coturn), a real browser (chromium),
# packet loss (iproute2, iptables), a real load balancer (haproxy), the broker tier (nats-server, JetStream).
TEST_PACKAGES := coturn chromium iproute2 iptables haproxy nats-server
# ... and what `make run-cluster` needs beyond `make run`.
CLUSTER_PACKAGES := nats-server curl
PUBLISH_DIR ?= dist
RID ?= linux-x64

.PHONY: help deps deps-run install-packages build run run-cluster test test-fast bench bench-turn bench-webrtc db-start db-stop db-reset db-psql turn import import-symbols retention epoch token publish publish-test bench-rolling bench-hubs bench-broker lint clean

help:
	@echo "make run      run the whole service (local PostgreSQL, schema, simulated feed, hub, relay)"
	@echo "make run-cluster   broker mode on one machine: PostgreSQL, nats-server (JetStream), 2 publishers, 2 edge hubs"
	@echo "make test     run every test against a real PostgreSQL that the run starts itself"
	@echo "make test-fast   only the fast tier (codecs, parsers, fake-clock units): no PostgreSQL, no processes, no browser"
	@echo "make lint     check formatting, code style and the curated analyzer rules (dotnet format, no changes made)"
	@echo "make bench    run the benchmarks; figures go to docs/benchmarks.md (SOAK_MINUTES=30: the soak's length)"
	@echo "make turn ARGS=\"...\"   run the TURN relay standalone (coturn's option names)"
	@echo "make bench-broker   tick -> subscriber latency: direct hub vs publisher -> NATS JetStream -> edge hub, same run"
	@echo "make bench-hubs   PostgreSQL CPU per hub (walsender): 1 and 10 hubs on one database at 20,000 ticks/s"
	@echo "make bench-turn   TURN relay vs coturn CPU per datagram + hot-path allocations"
	@echo "make bench-webrtc   500 data-channel sessions; freshest-price age, WebSocket vs WebRTC under loss (root)"
	@echo "make import FILE=ticks.csv [ARGS=--bad-rows=skip]   import a CSV file of ticks"
	@echo "make import-symbols FILE=symbols.csv [ARGS=--bad-rows=skip]   load the symbol directory (docs/operations.md)"
	@echo "make retention ARGS=\"--older-than 30d\"   delete old ticks; positions stay (safe while hubs run)"
	@echo "make epoch [ARGS=\"--rotate 'restored backup'\"]   show (or start a new) epoch of positions"
	@echo "make token SUB=alice SYMBOLS=AAPL,MSFT SCOPES=subscribe,history TTL=1h   a development token (Auth:Jwt:Secret)"
	@echo "make db-start | db-stop | db-reset | db-psql   the project-local PostgreSQL (stop and reset leave no replication slot)"
	@echo "make publish  self-contained hub and relay under $(PUBLISH_DIR)/ for a server (docs/operations.md)"

# Installs missing Debian packages when run as root; otherwise says exactly what to install.
# deps-run: what `make run` needs; deps: that and what the tests and benchmarks need.
deps-run:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(RUN_PACKAGES)"

deps: deps-run
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_PACKAGES)"
	@# The independent WebRTC peer of the tests and benchmarks (libdatachannel, prebuilt, from npm).
	@if [ ! -d Tests/EndToEnd/node/node_modules ] || [ Tests/EndToEnd/node/package-lock.json -nt Tests/EndToEnd/node/node_modules ]; then \
	  npm ci --prefix Tests/EndToEnd/node --no-audit --no-fund --loglevel=error; \
	fi

install-packages:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "missing Debian packages; install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

build:
	$(DOTNET) build Ticker.sln -c $(CONFIG) -warnaserror -nologo -clp:ErrorsOnly

db-start:
	@$(CLUSTER) start >/dev/null

# Durable slots nobody reads would keep WAL while the cluster sits stopped: drop them first.
db-stop:
	@$(CLUSTER) drop-slots
	@$(CLUSTER) stop

# An empty ticker database (schema applied by the next start), and no replication slot left on it.
db-reset:
	@$(CLUSTER) reset >/dev/null

db-psql:
	@$(CLUSTER) psql

# ConnectionStrings__Ticker, when set, points everything at another server instead.
# The simulated feed belongs to this demo, never to the shipped defaults (a hub pointed at a real
# database must not write made-up prices into it); Feed__Enabled=false in the environment turns it off.
run: deps-run build
	@if [ -z "$$ConnectionStrings__Ticker" ]; then export ConnectionStrings__Ticker="$$($(CLUSTER) start)"; fi; \
	export Feed__Enabled="$${Feed__Enabled:-true}"; \
	cd PushHub && exec $(DOTNET) bin/$(CONFIG)/net10.0/Ticker.PushHub.dll $(ARGS)

# One brace, spacing and naming style everywhere: fails listing each place that dotnet format would change.
lint:
	$(DOTNET) restore Ticker.sln --verbosity quiet
	$(DOTNET) format Ticker.sln --verify-no-changes --no-restore

# Broker mode (docs/operations.md, "Broker mode"): prints what to open; Ctrl-C stops every process.
run-cluster: deps-run build
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(CLUSTER_PACKAGES)"
	CONFIG=$(CONFIG) PushHub/run-cluster.sh

test: deps build
	$(DOTNET) test Ticker.sln -c $(CONFIG) --no-build $(TEST_ARGS)

# The fast tier: test classes marked [Trait("Tier", "Fast")] need no PostgreSQL, no child process and
# no browser: nothing is installed or started beyond what the build restores (NuGet, the dashboard's npm).
test-fast: build
	$(DOTNET) test Ticker.sln -c $(CONFIG) --no-build --filter "Tier=Fast" $(TEST_ARGS)

bench: deps build
	Tests/Benchmarks/run.sh
	$(MAKE) bench-rolling
	$(MAKE) bench-hubs
	$(MAKE) bench-broker
	$(MAKE) publish-test
	$(DOTNET) Tests/Benchmarks/bin/$(CONFIG)/net10.0/Ticker.Benchmarks.dll soak $(SOAK_MINUTES)
	$(MAKE) bench-turn
	$(MAKE) bench-webrtc

# WebRTC figures (docs/benchmarks.md, section WebRTC): 500 data-channel sessions, then the age of the
# freshest price over WebSocket vs data channel with 0/1/5 % loss injected by iptables (needs root).
bench-webrtc: deps build
	$(DOTNET) Tests/Benchmarks/bin/$(CONFIG)/net10.0/Ticker.Benchmarks.dll webrtc-sessions 500
	$(DOTNET) Tests/Benchmarks/bin/$(CONFIG)/net10.0/Ticker.Benchmarks.dll webrtc-loss 30 0 5 20
	cd Tests/WebRtc.Benchmarks && $(DOTNET) bin/$(CONFIG)/net10.0/Ticker.WebRtc.Benchmarks.dll --filter '*' $(BENCH_ARGS)

# TURN relay figures (docs/benchmarks.md, section TURN relay): CPU per relayed datagram against Debian's coturn
# under turnutils_uclient load, then allocations on the hot path (BenchmarkDotNet).
bench-turn: deps
	$(DOTNET) build TurnRelay/TurnRelay.csproj -c $(CONFIG) -nologo -clp:ErrorsOnly
	$(DOTNET) build Tests/TurnRelay.Benchmarks/TurnRelay.Benchmarks.csproj -c $(CONFIG) -nologo -clp:ErrorsOnly
	CONFIG=$(CONFIG) Tests/TurnRelay.Benchmarks/relay-vs-coturn.sh
	cd Tests/TurnRelay.Benchmarks && $(DOTNET) bin/$(CONFIG)/net10.0/Ticker.TurnRelay.Benchmarks.dll --filter '*' $(BENCH_ARGS)

turn:
	$(DOTNET) build TurnRelay/TurnRelay.csproj -c $(CONFIG) -nologo -clp:ErrorsOnly
	$(DOTNET) TurnRelay/bin/$(CONFIG)/net10.0/Ticker.TurnRelay.dll $(ARGS)

import: build
	@test -n "$(FILE)" || { echo "usage: make import FILE=ticks.csv [ARGS=--bad-rows=skip]"; exit 2; }
	@if [ -z "$$ConnectionStrings__Ticker" ]; then export ConnectionStrings__Ticker="$$($(CLUSTER) start)"; fi; \
	$(DOTNET) PushHub/bin/$(CONFIG)/net10.0/Ticker.PushHub.dll import "$(abspath $(FILE))" $(ARGS)

import-symbols: build
	@test -n "$(FILE)" || { echo "usage: make import-symbols FILE=symbols.csv [ARGS=--bad-rows=skip]"; exit 2; }
	@if [ -z "$$ConnectionStrings__Ticker" ]; then export ConnectionStrings__Ticker="$$($(CLUSTER) start)"; fi; \
	$(DOTNET) PushHub/bin/$(CONFIG)/net10.0/Ticker.PushHub.dll import-symbols "$(abspath $(FILE))" $(ARGS)

retention epoch: build
	@if [ "$@" = retention ] && [ -z "$(ARGS)" ]; then echo 'usage: make retention ARGS="--older-than 30d"'; exit 2; fi
	@if [ -z "$$ConnectionStrings__Ticker" ]; then export ConnectionStrings__Ticker="$$($(CLUSTER) start)"; fi; \
	$(DOTNET) PushHub/bin/$(CONFIG)/net10.0/Ticker.PushHub.dll $@ $(ARGS)

# A self-contained hub and relay for a server: no .NET needed there, only PostgreSQL to point at.
# systemd units and the steps are in docs/operations.md ("Installing on a server").
publish:
	$(DOTNET) publish PushHub/PushHub.csproj -c $(CONFIG) -r $(RID) --self-contained -o $(PUBLISH_DIR)/ticker-hub -nologo -clp:ErrorsOnly
	$(DOTNET) publish TurnRelay/TurnRelay.csproj -c $(CONFIG) -r $(RID) --self-contained -o $(PUBLISH_DIR)/ticker-turn -nologo -clp:ErrorsOnly
	@echo "published: $(PUBLISH_DIR)/ticker-hub/Ticker.PushHub and $(PUBLISH_DIR)/ticker-turn/Ticker.TurnRelay"

# Rolling restart of three hubs behind HAProxy with 1,000 subscribers: p99 of close → first update on
# the new hub (docs/benchmarks.md, section Rolling restart).
bench-rolling: deps build
	TICKER_ROLLING_CLIENTS=1000 $(DOTNET) test Tests/PushHub.Tests/PushHub.Tests.csproj -c $(CONFIG) --no-build \
	  --filter "FullyQualifiedName~RollingRestartTests" --logger "console;verbosity=detailed"

# PostgreSQL's CPU per hub (walsender) at 20,000 ticks/s: one hub, then ten, on one database
# (docs/benchmarks.md, section Hubs per database; docs/operations.md, How many hubs one database serves).
# Broker mode (docs/benchmarks.md, section Broker mode): tick -> subscriber latency, direct hub vs publisher -> NATS -> edge.
bench-broker: deps build
	$(DOTNET) Tests/Benchmarks/bin/$(CONFIG)/net10.0/Ticker.Benchmarks.dll broker-latency 1000 30

bench-hubs: deps build
	$(DOTNET) Tests/Benchmarks/bin/$(CONFIG)/net10.0/Ticker.Benchmarks.dll hubs-walsender 1 20000 60
	$(DOTNET) Tests/Benchmarks/bin/$(CONFIG)/net10.0/Ticker.Benchmarks.dll hubs-walsender 10 20000 60

# The published folder starts and serves with no .NET installed (Tests/published-smoke.sh).
publish-test: publish
	Tests/published-smoke.sh $(PUBLISH_DIR)/ticker-hub

# A development token signed with Auth:Jwt:Secret (environment Auth__Jwt__Secret, or appsettings.json).
SUB ?= dev
SYMBOLS ?= *
SCOPES ?= subscribe,history,turn
TTL ?= 1h
token:
	@$(DOTNET) build PushHub/PushHub.csproj -c $(CONFIG) -nologo -v q -clp:ErrorsOnly >/dev/null
	@$(DOTNET) PushHub/bin/$(CONFIG)/net10.0/Ticker.PushHub.dll token --sub "$(SUB)" --symbols "$(SYMBOLS)" --scopes "$(SCOPES)" --ttl "$(TTL)" $(ARGS)

clean:
	$(DOTNET) clean Ticker.sln -nologo -v q
