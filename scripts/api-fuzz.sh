#!/usr/bin/env bash
# scripts/api-fuzz.sh BASE_URL: schemathesis (PyPI, pinned by setup.sh) over every operation of
# BASE_URL/api/openapi.json, signed in, at least 50 examples per operation. It fails on a 5xx, a
# response that breaks its documented schema, content type or headers, or a status the document
# does not list for the operation.
#
#   1. Registers a fresh account (random address and strong random password) and takes its
#      session cookie. With SERVER_BIN and DATABASE_URL set (the server's binary and database, as
#      `make test` has them), the account is also made staff of partner P01, so the staff desk's
#      operations are tested past their 403.
#   2. Every operation except register, login and logout, with that session (those three would
#      replace or end it mid-run and leave the rest testing only 401s).
#   3. Register, login and logout on their own.
# Password resets answer 503 `mail_unavailable` on a server without SMTP_URL (documented, but a
# 5xx): then that one operation runs without the "no server error" check, and the script says so.
#
# Settings: scripts/schemathesis.toml. Work files (hypothesis' example database, which replays
# earlier failures first) in target/api-fuzz/. Optional: SEED=N for a reproducible run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
base=${1:?usage: scripts/api-fuzz.sh BASE_URL (e.g. http://127.0.0.1:8080)}
base=${base%/}
st=$root/tools/venv/bin/st
[ -x "$st" ] || scripts/setup.sh fuzz >/dev/null
say() { printf '==> %s\n' "$*"; }

work=$root/target/api-fuzz
mkdir -p "$work"
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT

email="fuzz-$(date +%s)-$RANDOM@example.de"
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
say "registering $email"
status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -X POST "$base/api/auth/register" \
    -H 'X-Requested-With: smart1-app' -H 'Content-Type: application/json' \
    --data "{\"email\": \"$email\", \"password\": \"$password\"}")
[ "$status" = 201 ] || { echo "registration answered $status, not 201" >&2; exit 1; }
SMART1_SESSION=$(awk '$6 == "smart1_session" { print $7 }' "$jar")
[ -n "$SMART1_SESSION" ] || { echo "no session cookie after registration" >&2; exit 1; }
export SMART1_SESSION

if [ -n "${SERVER_BIN:-}" ] && [ -n "${DATABASE_URL:-}" ]; then
    say "making $email staff of P01 (staff desk operations)"
    DATABASE_URL=$DATABASE_URL "$SERVER_BIN" staff-add --email "$email" --partner P01
else
    say "SERVER_BIN/DATABASE_URL not set: the staff desk's operations answer 403 only"
fi

checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection,missing_required_header,unsupported_method,allow_header_conformance,ignored_auth,use_after_free,ensure_resource_availability
summary=$(mktemp)
trap 'rm -f "$jar" "$summary"' EXIT
run() { # label, st run options...
    local label=$1; shift
    say "schemathesis: $label"
    # Bounded: a run takes well under a minute; a hanging server must not hang `make test`.
    (cd "$work" && timeout 300 "$st" --config-file "$root/scripts/schemathesis.toml" run "$base/api/openapi.json" \
        --checks "$checks" ${SEED:+--seed "$SEED"} "$@") 2>&1 | tee -a "$summary"
    return "${PIPESTATUS[0]}"
}

# Without a mail relay a reset request is a documented 503; probe once (it takes one of the
# address's 5 reset requests per 15 minutes, which the run uses up anyway).
mail=yes
probe=$(curl -sS -X POST "$base/api/auth/reset-request" -H 'X-Requested-With: smart1-app' \
    -H 'Content-Type: application/json' --data '{"email": "nobody@example.de"}')
case $probe in *mail_unavailable*) mail=no ;; esac

failed=0
session_ending=(--exclude-operation-id register --exclude-operation-id login --exclude-operation-id logout)
if [ "$mail" = no ]; then
    session_ending+=(--exclude-operation-id request_password_reset)
fi
run "every operation that keeps the session" "${session_ending[@]}" || failed=1
# Stateful testing follows links, and these have none.
run "register, login, logout" --phases examples,coverage,fuzzing \
    --include-operation-id register --include-operation-id login --include-operation-id logout || failed=1
if [ "$mail" = no ]; then
    echo "NOTE: the server sends no mail (no SMTP_URL): reset requests answer 503 mail_unavailable;"
    echo "      that operation runs without the not_a_server_error check"
    checks=${checks/not_a_server_error,/}
    run "password reset requests (no mail relay)" --phases examples,coverage,fuzzing --include-operation-id request_password_reset || failed=1
fi
# Every operation of the document was exercised: the runs' "Tested: N" add up to the document's
# operation count ("Selected: n/TOTAL"). A run that silently tests fewer fails.
total=$(grep -Eo 'Selected: [0-9]+/[0-9]+' "$summary" | head -1 | cut -d/ -f2)
tested=$(grep -Eo 'Tested: [0-9]+' "$summary" | awk '{s += $2} END {print s + 0}')
if [ -z "$total" ] || [ "$tested" -lt "$total" ]; then
    echo "FAILED: schemathesis exercised ${tested} of ${total:-?} operations of the document"
    failed=1
else
    say "schemathesis exercised all $total operations of the document"
fi
# ...and the document still has every operation recorded (one dropped from it is no pass).
want=$(awk '$1 == "schemathesis-operations" {print $2}' "$(dirname "$0")/test-counts")
echo "schemathesis-operations: $tested exercised (at least ${want:-?} recorded)"
if [ -z "$want" ] || [ "$tested" -lt "$want" ]; then
    echo "FAILED: schemathesis exercised $tested operations; scripts/test-counts records ${want:-nothing}"
    failed=1
fi
exit "$failed"
