#!/usr/bin/env bash
# `make run`: installs what is missing, builds, and serves the product on http://127.0.0.1:8080
# with its SQLite database in var/smart1.sqlite (override with BIND, DATABASE_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
scripts/build.sh release
export BIND=${BIND:-127.0.0.1:8080}
# Links in mail come from this, never from a request's headers (the server refuses to send mail
# without it): the address this command serves, unless the caller names the public one.
export PUBLIC_ORIGIN=${PUBLIC_ORIGIN:-http://$BIND}
printf '==> starting the server: http://%s (Ctrl-C stops it)\n' "$BIND"
exec target/release/server
