#!/usr/bin/env bash
# `make bench`: every benchmark with its figures.
#   1. rule engine (criterion): possible values after one choice on the smart #1 catalog
#   2. the engine on the Renault rule set (../shared or RENAULT_DIR): compile to a decision
#      diagram and count, and possible values per choice over 1000 sold cars replayed, natively
#      and as WebAssembly in Node's V8; the same on a generated large instance (random buyers)
#   3. bytes a fresh browser loads before /, /configure, /locations, /checkout, /agent are usable
#   4. Lighthouse (mobile, median of 3) on /, /configure, /locations, /checkout
#   5. each build's wasm by crate (twiggy)
#   6. click on a choice -> new price on screen, over 100 choices, in Chromium
#   7. a burst of 200 parallel registrations: server peak memory and /api/health latency; a
#      location's 28 days of test-drive availability (p50, p99)
#   8. order intake at 50 connections on SQLite (synchronous=FULL) and PostgreSQL: orders/s,
#      p50/p99/max, errors, then acknowledged = stored (scripts/bench-orders.sh)
# 3, 4 and 6 run against the release build that `make run` serves, on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
scripts/setup.sh bench
scripts/build.sh release

printf '\n==> rule engine (criterion)\n'
cargo bench --locked -p domain --bench engine -p rules --bench renault 2>&1 | grep -E '^[a-z].*|time:'

renault=${RENAULT_DIR:-$(cd .. && pwd)/shared/benchmarks/renault}
printf '\n==> Renault medium, native (target/release/xcsp)\n'
cargo build --locked --release -p rules --bin xcsp
target/release/xcsp count            # compiled to a decision diagram, then counted
target/release/xcsp count --search   # the search engine, for comparison
target/release/xcsp replay --cars 1000
printf '\n==> Renault medium, WebAssembly in V8 (wasm32-wasip1 under node:wasi)\n'
rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1
cargo build --locked --release --target wasm32-wasip1 -p rules --bin xcsp
(cd e2e && node --no-warnings bench/xcsp-wasm.mjs ../target/wasm32-wasip1/release/xcsp.wasm "$renault" count)
(cd e2e && node --no-warnings bench/xcsp-wasm.mjs ../target/wasm32-wasip1/release/xcsp.wasm "$renault" replay --cars 1000)

generated=$(mktemp -d)
printf '\n==> generated large instance (xcsp generate: 260 variables of 2 to 1,000 values, 320 tables over 3 to 6 variables, one of 100,000 tuples), native\n'
target/release/xcsp generate "$generated/large.xml"
/usr/bin/time -f 'peak memory: %M KB' target/release/xcsp count "$generated/large.xml"
target/release/xcsp walk "$generated/large.xml" --walks 20
printf '\n==> generated large instance, WebAssembly in V8\n'
(cd e2e && XCSP_FILES=large.xml node --no-warnings bench/xcsp-wasm.mjs ../target/wasm32-wasip1/release/xcsp.wasm "$generated" walk --walks 20)
rm -rf "$generated"

tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
start_server target/release/server "$tmp"
printf '\n==> bytes before usable, per page, fresh browser (%s)\n' "$BASE_URL"
(cd e2e && BASE_URL=$BASE_URL node bench/page-weight.mjs)
printf '\n==> Lighthouse 12.2.3, mobile defaults\n'
(cd e2e && BASE_URL=$BASE_URL node bench/lighthouse.mjs 3)
printf '\n==> each build'"'"'s wasm by crate (twiggy, before wasm-opt; the 12 largest shares)\n'
for build in configurator locations checkout account showroom drive agent smart1-app; do
    printf -- '-- %s\n' "$build"
    python3 e2e/bench/wasm-crates.py "target/wasm32-unknown-unknown/wasm-release/$build.wasm" | sed -n '1,13p;$p'
done
printf '\n==> click -> price, 100 choices\n'
(cd e2e && BASE_URL=$BASE_URL node bench/click-to-price.mjs)
printf '\n==> 200 parallel registrations: peak RSS of the server, /api/health p50/p99 during the burst\n'
cargo test --locked --release -p server --test burst -- --nocapture 2>&1 | grep -E 'burst|RSS|health|test result'
printf '\n==> test-drive availability of one location, 28 days (budget: 5 ms p99)\n'
cargo test --locked --release -p server --test test_drives bench_availability -- --ignored --nocapture 2>&1 | grep -E 'availability|test result'

stop_server
scripts/bench-orders.sh sqlite postgres
