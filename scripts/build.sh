#!/usr/bin/env bash
# Builds the app in release (Trunk, wasm-opt -Oz), precompresses it, and builds the server.
# Usage: build.sh [release|debug]   (the server's profile; the app is always a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
profile=${1:-release}
say() { printf '==> %s\n' "$*"; }

say "fetching crates (Trunk builds offline)"
cargo fetch --locked
say "building the app (trunk build --release)"
trunk build --release --offline
say "building the server ($profile)"
if [ "$profile" = release ]; then cargo build --locked -p server --release; else cargo build --locked -p server; fi
say "precompressing dist/ (brotli, gzip)"
"target/$profile/server" precompress
