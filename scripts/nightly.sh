#!/usr/bin/env bash
# Nightly perf-chaos: every shipped scenario against the demo system, failing on an SLO
# failure or a regression against results/baselines/. Uses k6 when it is on PATH and the
# Toxiproxy at $TOXIPROXY_URL when it answers; otherwise the built-in engine and proxy.
# Options pass through: --scenarios a,b --duration 20s --out results/nightly --store kv|redis
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
exec node --import tsx scripts/nightly.ts "$@"
