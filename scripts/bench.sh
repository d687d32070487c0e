#!/usr/bin/env bash
# `make bench`: every benchmark with its figures.
#   1. rule engine (criterion): possible values after one choice on the smart #1 catalog
#   2. page weight of /configure before it is usable: raw / gzip / brotli
#   3. click on a choice -> new price on screen, over 100 choices, in Chromium
# 2 and 3 run against the release build that `make run` serves, on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
scripts/setup.sh test
scripts/build.sh release

printf '\n==> rule engine (criterion)\n'
cargo bench --locked -p domain --bench engine 2>&1 | grep -E '^[a-z].*|time:'

tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
start_server target/release/server "$tmp"
printf '\n==> page weight of /configure (%s)\n' "$BASE_URL"
(cd e2e && BASE_URL=$BASE_URL node bench/page-weight.mjs)
printf '\n==> click -> price, 100 choices\n'
(cd e2e && BASE_URL=$BASE_URL node bench/click-to-price.mjs)
