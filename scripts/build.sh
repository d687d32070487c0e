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
# One Trunk build per audience (domain::pages::Bundle): the configurator (a customer's first
# load), the shop (every other customer page), the staff desk and test-drive booking. Each builds into its own
# folder; their hashed files never collide, so they merge into one dist/.
rm -rf dist target/dist-parts
# index.html is the template: the other builds differ by their binary (and the configurator's
# `lean` feature). Written beside it, as Trunk reads asset paths relative to the page.
sed 's/data-bin="smart1-app"/data-bin="configurator" data-cargo-features="lean"/' index.html > .build-configurator.html
# The staff desk and test-drive builds add their own words (features `desk`, `drive`: locales/).
sed 's/data-bin="smart1-app"/data-bin="agent" data-cargo-features="desk"/' index.html > .build-agent.html
sed 's/data-bin="smart1-app"/data-bin="drive" data-cargo-features="drive"/' index.html > .build-drive.html
for entry in configurator.html index.html agent.html drive.html; do
    source_html=$entry
    [ "$entry" = index.html ] || source_html=.build-$entry
    say "building the app: $entry (trunk build --release)"
    trunk build --release --offline=true --dist "target/dist-parts/${entry%.html}" "$source_html"
    # Trunk leaves wasm-bindgen's JS glue as written; terser makes it a third of the size.
    # (Deterministic, so the hashed name still names one content.)
    for js in "target/dist-parts/${entry%.html}"/*.js; do
        terser "$js" --module --compress --mangle --output "$js"
    done
done
mkdir -p dist
for entry in configurator.html index.html agent.html drive.html; do
    part=target/dist-parts/${entry%.html}
    mv "$part/index.html" "$part/.page" # Trunk names every output index.html
    cp -R "$part"/. dist/
    mv dist/.page "dist/$entry"
done
say "building the server ($profile)"
if [ "$profile" = release ]; then cargo build --locked -p server --release; else cargo build --locked -p server; fi
say "painting first screens (public/shells -> dist/pages)"
"target/$profile/server" paint --shells public/shells
say "precompressing dist/ (brotli, gzip)"
"target/$profile/server" precompress
