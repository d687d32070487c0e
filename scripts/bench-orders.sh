#!/usr/bin/env bash
# Order intake at launch-day load (part of `make bench`, also runs alone):
# the release server on a free port, first on SQLite (WAL, synchronous=FULL), then on a temporary
# PostgreSQL cluster (scripts/postgres.sh, as `make test` uses); the load generator
# (crates/server/examples/loadgen.rs) keeps CONNECTIONS kept-alive connections busy with
# POST /api/orders for SECONDS with fresh Idempotency-Keys, then SECONDS more with 10 % retried
# keys, and checks the database: acknowledged orders = stored orders, none twice. Before, on
# SQLite: GET / and a hashed asset on one kept-alive connection (crates/server/examples/latency.rs).
# The load generator runs on the same machine and shares its cores with the server.
#   CONNECTIONS=50 SECONDS_PER_PHASE=60 [BENCH_SERVER=path] scripts/bench-orders.sh [sqlite|postgres]...
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
connections=${CONNECTIONS:-50}
seconds=${SECONDS_PER_PHASE:-60}
databases=("$@")
[ ${#databases[@]} -gt 0 ] || databases=(sqlite postgres)

cargo build --locked --release -p server --bin server
cargo build --locked --release -p server --example loadgen --example latency
loadgen=${CARGO_TARGET_DIR:-target}/release/examples/loadgen
# BENCH_SERVER: another server binary to measure with the same load generator (a before/after
# comparison on one machine in one run, e.g. a release build of the previous commit).
server=${BENCH_SERVER:-${CARGO_TARGET_DIR:-target}/release/server}

tmp=$(mktemp -d)
pg=""
cleanup() {
    stop_server
    if [ -n "$pg" ]; then scripts/postgres.sh stop "$pg"; rm -rf "$pg"; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/dist"
[ -d dist ] && export DIST_DIR=$PWD/dist || export DIST_DIR=$tmp/dist
export RUST_LOG=warn
# The load generator is one account at one address: lift the order limits for it.
export ORDERS_PER_ACCOUNT_PER_HOUR=1000000000 ORDERS_PER_ADDRESS_PER_HOUR=1000000000

for database in "${databases[@]}"; do
    case "$database" in
        sqlite)
            start_server "$server" "$tmp"
            url="sqlite://$tmp/server.sqlite"
            ;;
        postgres)
            pg=$(mktemp -d) # its own folder: postgres.sh hands it to the postgres user
            url=$(scripts/postgres.sh start "$pg")
            BIND=127.0.0.1:0 DATABASE_URL=$url "$server" > "$tmp/pg-server.out" 2> "$tmp/pg-server.err" &
            SERVER_PID=$!
            BASE_URL=""
            for _ in $(seq 1 300); do
                BASE_URL=$(grep -Eo 'http://127\.0\.0\.1:[0-9]+' "$tmp/pg-server.out" | head -1 || true)
                [ -n "$BASE_URL" ] && break
                sleep 0.1
            done
            [ -n "$BASE_URL" ] || { cat "$tmp/pg-server.err" >&2; exit 1; }
            ;;
        *) echo "unknown database $database (sqlite|postgres)" >&2; exit 2 ;;
    esac
    if [ "$database" = sqlite ]; then
        # The first visit's document and one hashed asset, on a kept-alive connection.
        asset=$(cd "$DIST_DIR" && ls configurator-*.js 2>/dev/null | grep -v '\.br$\|\.gz$' | head -1 || true)
        printf '\n==> GET latency, one kept-alive connection\n'
        "${CARGO_TARGET_DIR:-target}/release/examples/latency" "$BASE_URL" / ${asset:+/$asset}
    fi
    printf '\n==> order intake, %s: %s connections, %s s fresh keys + %s s with 10 %% retries\n' \
        "$database" "$connections" "$seconds" "$seconds"
    "$loadgen" "$BASE_URL" "$url" --connections "$connections" --seconds "$seconds" --retry-percent 10
    if [ "$database" = sqlite ]; then # the WAL file keeps its longest length: is it bounded?
        echo "    WAL at its longest: $(( $(stat -c %s "$tmp/server.sqlite-wal") / 1048576 )) MB; database file: $(( $(stat -c %s "$tmp/server.sqlite") / 1048576 )) MB"
    fi
    stop_server
    if [ "$database" = postgres ]; then scripts/postgres.sh stop "$pg"; rm -rf "$pg"; pg=""; fi
done
