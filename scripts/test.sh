#!/usr/bin/env bash
# `make test`: installs what is missing, then runs every check and suite:
#   rustfmt, clippy -D warnings, native tests (rule engine, domain, server against real SQLite,
#   app logic), the server tests again against a temporary PostgreSQL cluster (Debian's postgresql),
#   the app's browser tests (wasm-pack test, headless Chromium), the end-to-end journeys against
#   the real server with the release app (on a free port with a temporary database) in Chromium,
#   Firefox ESR and WebKitGTK, and then schemathesis over the server's OpenAPI document
#   (scripts/api-fuzz.sh) against a fresh server of its own.
# It runs every suite even when one fails, then prints one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}

. scripts/lib.sh
scripts/setup.sh test || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

# Every temporary file of the run (logs, databases, browser profiles: Chromium leaves its
# scoped_dir folders behind when chromedriver ends it) lives in one folder removed at the end,
# so runs do not fill /tmp. Readable by others: the PostgreSQL pass runs as the postgres user.
run_tmp=$(mktemp -d)
chmod 755 "$run_tmp"
trap 'stop_server; rm -rf "$run_tmp"' EXIT
export TMPDIR=$run_tmp

# A full run builds about 20 GB (native tests, the wasm bundles): say so before it fails halfway.
free_gb=$(df -Pk . | awk 'NR == 2 {print int($4 / 1048576)}')
echo "free disk space here: ${free_gb} GB"
[ "$free_gb" -ge 25 ] || echo "WARNING: less than 25 GB free; the builds may run out of space"

passed=0
failed=0
logs=$(mktemp -d)
say() { printf '\n==> %s\n' "$*"; }

# A check that is one pass or one failure (formatting, lints, a build).
check() { # name, command...
    local name=$1; shift
    say "$name"
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
}

# A suite that ran fewer tests than scripts/test-counts records for it fails: a reporter or
# harness change that silently runs nothing (or half) is a failure, not a pass. Raise a count
# when a suite grows.
at_least() { # suite, tests run
    local want
    want=$(awk -v s="$1" '$1 == s {print $2}' scripts/test-counts)
    echo "$1: $2 tests run (at least ${want:-?} recorded)"
    if [ -z "$want" ] || [ "$2" -lt "$want" ]; then
        echo "FAILED: $1 ran $2 tests; scripts/test-counts records ${want:-nothing} for it"
        failed=$((failed + 1))
    fi
}

# Sums "test result: ... N passed; M failed" lines of cargo's test harness (native and wasm),
# then checks the suite's count.
count_cargo() { # suite, log, exit status
    local p f
    p=$(grep -Eo '[0-9]+ passed' "$2" | awk '{s += $1} END {print s + 0}')
    f=$(grep -Eo '[0-9]+ failed' "$2" | awk '{s += $1} END {print s + 0}')
    if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # a build error runs no test: still a failure
    passed=$((passed + p)); failed=$((failed + f))
    at_least "$1" $((p + f))
}

# A node:test suite in e2e/ (its TAP summary counted), then its count checked.
node_suite() { # suite, command...
    local suite=$1 status p f; shift
    (cd e2e && "$@") 2>&1 | tee "$logs/$suite.log"
    status=${PIPESTATUS[0]}
    p=$(awk '/^# pass / {print $3}' "$logs/$suite.log"); f=$(awk '/^# fail / {print $3}' "$logs/$suite.log")
    p=${p:-0}; f=${f:-0}
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
    at_least "$suite" $((p + f))
}

check "cargo fmt --check" cargo fmt --all --check
check "cargo clippy (deny warnings)" cargo clippy --locked --workspace --all-targets -- -D warnings
check "cargo clippy, the lean configurator build (wasm)" cargo clippy --locked -p smart1-app --target wasm32-unknown-unknown --features lean --bins -- -D warnings
check "no import circles between modules (scripts/import-cycles.py)" python3 scripts/import-cycles.py crates
check "no function over 100 lines in the server, the domain and the rule engine (scripts/long-functions.py)" python3 scripts/long-functions.py 100 crates/server/src crates/domain/src crates/rules/src
check "no component or function over 150 lines in the app (scripts/long-functions.py)" python3 scripts/long-functions.py 150 src

say "native tests: rule engine, domain, server (real SQLite), app logic"
cargo test --locked --workspace --no-fail-fast 2>&1 | tee "$logs/native.log"
count_cargo native "$logs/native.log" "${PIPESTATUS[0]}"

say "server tests again, against PostgreSQL (temporary cluster on a free port)"
pgdir=$(mktemp -d)
if pg_url=$(scripts/postgres.sh start "$pgdir"); then
    echo "PostgreSQL at $pg_url"
    TEST_DATABASE_URL=$pg_url cargo test --locked -p server --no-fail-fast 2>&1 | tee "$logs/postgres.log"
    count_cargo postgres "$logs/postgres.log" "${PIPESTATUS[0]}"
    scripts/postgres.sh stop "$pgdir"
else
    echo "FAILED: could not start PostgreSQL"; failed=$((failed + 1))
fi
rm -rf "$pgdir"

say "app browser tests: wasm-pack test --headless --chrome"
wasm-pack test --headless --chrome --mode no-install 2>&1 | tee "$logs/wasm.log"
count_cargo wasm "$logs/wasm.log" "${PIPESTATUS[0]}"

say "end-to-end: release app + server on a free port, temporary database"
if scripts/build.sh debug 2>&1 | tee "$logs/build.log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
    passed=$((passed + 1))
    tmp=$(mktemp -d)
    # The suite registers many accounts and orders from one address (21 from one account for the
    # desk's pager): lift those limits (30 accounts, 10 orders per account, 60 per address an hour).
    # Mail goes to a port where the password-reset test listens with its own SMTP sink.
    smtp_port=$(free_port)
    # Webhooks go to a port where nobody listens until the staff desk's test starts a receiver:
    # after one attempt an order's event is dead, and staff send it again from the desk.
    webhook_port=$(free_port)
    if REGISTRATIONS_PER_HOUR=1000 ORDERS_PER_ACCOUNT_PER_HOUR=1000 ORDERS_PER_ADDRESS_PER_HOUR=1000 SMTP_URL="smtp://127.0.0.1:$smtp_port" \
        ORDER_WEBHOOK_URLS="oem=http://127.0.0.1:$webhook_port/hook" WEBHOOK_SECRET=whsec_ZTJlLXdlYmhvb2stc2VjcmV0 \
        RELAY_MAX_ATTEMPTS=1 RELAY_POLL_MS=100 start_server target/debug/server "$tmp"; then
        echo "server at $BASE_URL"
        # The server binary and its database, so tests can provision staff accounts with it.
        server_bin=$PWD/target/debug/server
        export BASE_URL SERVER_BIN=$server_bin DATABASE_URL="sqlite://$tmp/server.sqlite" SMTP_PORT=$smtp_port \
            WEBHOOK_PORT=$webhook_port WEBHOOK_SECRET=whsec_ZTJlLXdlYmhvb2stc2VjcmV0
        say "end-to-end in Chromium: every journey (playwright-core)"
        node_suite e2e-chromium node --test --test-concurrency=1 tests/
        say "end-to-end in Firefox ESR: the core journey and offline (puppeteer-core, WebDriver BiDi)"
        node_suite e2e-firefox node --test --test-concurrency=1 engines/firefox.test.mjs
        say "end-to-end in WebKitGTK: the core journey, offline and every page's first load (WebKitWebDriver, Xvfb)"
        node_suite e2e-webkit xvfb-run -a -s "-screen 0 1920x1080x24" node --test --test-concurrency=1 engines/webkit.test.mjs engines/webkit-pages.test.mjs
        unset DATABASE_URL
        # Whatever the journeys saw, the server must not have answered 5xx or logged an error.
        stop_server
        check "server log of the end-to-end journeys" scripts/log-check.sh "$tmp/server.out"
    else
        failed=$((failed + 1))
    fi
    stop_server
    # schemathesis on a server of its own: fresh database, throttles unspent (the journeys spend
    # the address's sign-in and reset allowances); registrations and orders lifted as for the
    # journeys, so its examples reach past 429 (which it also meets: reset requests, sign-ins).
    fuzz=$(mktemp -d)
    if REGISTRATIONS_PER_HOUR=1000 ORDERS_PER_ACCOUNT_PER_HOUR=100000 ORDERS_PER_ADDRESS_PER_HOUR=100000 \
        SMTP_URL="smtp://127.0.0.1:$smtp_port" \
        start_server target/debug/server "$fuzz"; then
        check "schemathesis over /api/openapi.json (signed in, 50+ examples per operation)" \
            env SERVER_BIN="$PWD/target/debug/server" DATABASE_URL="sqlite://$fuzz/server.sqlite" scripts/api-fuzz.sh "$BASE_URL"
        stop_server
        check "server log of the schemathesis run" scripts/log-check.sh "$fuzz/server.out"
    else
        failed=$((failed + 1))
    fi
    rm -rf "$fuzz"
    rm -rf "$tmp"
else
    failed=$((failed + 1)); echo "FAILED: build for the end-to-end suite"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
