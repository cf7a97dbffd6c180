# Ticker — the two commands a user needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
CONFIG ?= Release
DOTNET ?= dotnet
CLUSTER := Database/local-cluster.sh
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

# Debian packages the tests use: real peers (coturn), a real browser (chromium), psql.
# Node.js and npm (the dashboard's build) are installed only when npm is missing altogether.
DEBIAN_PACKAGES := coturn chromium postgresql-client iproute2 iptables

.PHONY: help deps build run test bench bench-turn bench-webrtc db-start db-stop db-psql turn import token clean

help:
	@echo "make run      run the whole service (local PostgreSQL, schema, simulated feed, hub, relay)"
	@echo "make test     run every test against a real PostgreSQL that the run starts itself"
	@echo "make bench    run the benchmarks; figures go to docs/benchmarks.md"
	@echo "make turn ARGS=\"...\"   run the TURN relay standalone (coturn's option names)"
	@echo "make bench-turn   TURN relay vs coturn CPU per datagram + hot-path allocations"
	@echo "make bench-webrtc   500 data-channel sessions; freshest-price age, WebSocket vs WebRTC under loss (root)"
	@echo "make import FILE=ticks.csv [ARGS=--bad-rows=skip]   import a CSV file of ticks"
	@echo "make token SUB=alice SYMBOLS=AAPL,MSFT SCOPES=subscribe,history TTL=1h   a development token (Auth:Jwt:Secret)"
	@echo "make db-start | db-stop | db-psql   the project-local PostgreSQL"

# Installs missing Debian packages when run as root; otherwise says exactly what to install.
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
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
	@# The independent WebRTC peer of the tests and benchmarks (libdatachannel, prebuilt, from npm).
	@if [ ! -d Tests/EndToEnd/node/node_modules ] || [ Tests/EndToEnd/node/package-lock.json -nt Tests/EndToEnd/node/node_modules ]; then \
	  npm ci --prefix Tests/EndToEnd/node --no-audit --no-fund --loglevel=error; \
	fi

build:
	$(DOTNET) build Ticker.sln -c $(CONFIG) -warnaserror -nologo -clp:ErrorsOnly

db-start:
	@$(CLUSTER) start >/dev/null

db-stop:
	@$(CLUSTER) stop

db-psql:
	@$(CLUSTER) psql

# ConnectionStrings__Ticker, when set, points everything at another server instead.
run: deps build
	@if [ -z "$$ConnectionStrings__Ticker" ]; then export ConnectionStrings__Ticker="$$($(CLUSTER) start)"; fi; \
	cd PushHub && exec $(DOTNET) bin/$(CONFIG)/net10.0/Ticker.PushHub.dll $(ARGS)

test: deps build
	$(DOTNET) test Ticker.sln -c $(CONFIG) --no-build $(TEST_ARGS)

bench: deps build
	Tests/Benchmarks/run.sh
	$(MAKE) bench-turn
	$(MAKE) bench-webrtc

# WebRTC figures (docs/benchmarks.md, section WebRTC): 500 data-channel sessions, then the age of the
# freshest price over WebSocket vs data channel with 0/1/5 % loss injected by iptables (needs root).
bench-webrtc: deps build
	$(DOTNET) Tests/Benchmarks/bin/$(CONFIG)/net10.0/Ticker.Benchmarks.dll webrtc-sessions 500
	$(DOTNET) Tests/Benchmarks/bin/$(CONFIG)/net10.0/Ticker.Benchmarks.dll webrtc-loss 30 0 1 5
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
