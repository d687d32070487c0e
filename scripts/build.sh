#!/usr/bin/env bash
# Builds the app in release (Trunk, wasm-opt as index.html says), precompresses it, and builds the server.
# Usage: build.sh [release|debug]   (the server's profile; the app is always a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
profile=${1:-release}
say() { printf '==> %s\n' "$*"; }

say "fetching crates (Trunk builds offline)"
cargo fetch --locked
# One Trunk build per audience and area (domain::pages::Bundle): the configurator (a customer's
# first load), locations, checkout, account, showroom, the shop (all customer pages, for showroom
# screens), the staff desk and test-drive booking. Each builds into its own folder; their hashed
# files never collide, so they merge into one dist/.
rm -rf dist target/dist-parts
# index.html is the template (the shop build); each other build differs by its binary and
# features: the configurator's `lean`, the words of the staff desk and the test drives (`desk`,
# `drive`: locales/). Written beside it, as Trunk reads asset paths relative to the page.
# Each line: the build's HTML in dist/, its binary, its cargo features.
builds="configurator.html configurator lean
index.html smart1-app -
locations.html locations -
checkout.html checkout -
account.html account -
showroom.html showroom -
agent.html agent desk
drive.html drive drive"
while read -r entry bin features; do
    source_html=index.html
    if [ "$entry" != index.html ]; then
        source_html=.build-$entry
        attrs="data-bin=\"$bin\""
        [ "$features" = - ] || attrs="$attrs data-cargo-features=\"$features\""
        sed "s/data-bin=\"smart1-app\"/$attrs/" index.html > "$source_html"
    fi
    say "building the app: $entry (trunk build --release)"
    trunk build --release --offline=true --dist "target/dist-parts/${entry%.html}" "$source_html" </dev/null
    # Trunk leaves wasm-bindgen's JS glue as written; terser makes it a third of the size.
    # (Deterministic, so the hashed name still names one content.)
    for js in "target/dist-parts/${entry%.html}"/*.js; do
        terser "$js" --module --compress --mangle --output "$js"
    done
done <<< "$builds"
mkdir -p dist
while read -r entry _; do
    part=target/dist-parts/${entry%.html}
    mv "$part/index.html" "$part/.page" # Trunk names every output index.html
    cp -R "$part"/. dist/
    mv dist/.page "dist/$entry"
done <<< "$builds"
say "building the server ($profile)"
if [ "$profile" = release ]; then cargo build --locked -p server --release; else cargo build --locked -p server; fi
say "painting first screens (public/shells -> dist/pages)"
"target/$profile/server" paint --shells public/shells
say "precompressing dist/ (brotli, gzip)"
"target/$profile/server" precompress
