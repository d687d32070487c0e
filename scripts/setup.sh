#!/usr/bin/env bash
# Installs what `make run` (setup.sh run) or `make test` (setup.sh test) needs, at pinned versions.
# Every step checks first and skips what is already there, so a second run installs nothing.
# Everything comes from crates.io, the npm registry or Debian's packages: no other downloads.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_PACK_VERSION=0.15.1
BINARYEN_VERSION=132
TWIGGY_VERSION=0.8.0
SCHEMATHESIS_VERSION=4.32.5
# The Node.js the npm tools and the end-to-end suite were verified with (its test reporter's
# "# pass N" lines are what `make test` counts): the machine's, from Debian or the base image.
NODE_MAJOR=20
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

say() { printf '==> %s\n' "$*"; }
have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q "$2"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"

need_wasm_target() {
    if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        say "wasm32 target: present"
    else
        say "wasm32 target: installing (rustup)"
        rustup target add wasm32-unknown-unknown
    fi
}

need_cargo_tool() { # binary, crate, version, extra cargo flags...
    local bin=$1 crate=$2 version=$3; shift 3
    if have_version "$bin" "$version"; then
        say "$crate $version: present"
    else
        say "$crate $version: installing with cargo (takes minutes, once)"
        cargo install "$crate" --version "$version" "$@"
    fi
}

need_npm_packages() { # folder
    local dir=$1
    if [ -d "$dir/node_modules" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
        say "npm packages in $dir: present"
    else
        say "npm packages in $dir: installing (npm ci)"
        (cd "$dir" && npm ci --no-audit --no-fund)
    fi
}

need_apt() { # command, package...
    local cmd=$1; shift
    if command -v "$cmd" >/dev/null 2>&1; then
        say "$cmd: present"
    else
        say "$cmd: installing from Debian ($*)"
        as_root apt-get install -y --no-install-recommends "$@" || { as_root apt-get update && as_root apt-get install -y --no-install-recommends "$@"; }
    fi
}

need_deb() { # package... (those without a command of their own: language files, libraries)
    local missing=()
    for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
    if [ ${#missing[@]} -eq 0 ]; then
        say "$*: present"
    else
        say "installing from Debian: ${missing[*]}"
        as_root apt-get install -y --no-install-recommends "${missing[@]}" || { as_root apt-get update && as_root apt-get install -y --no-install-recommends "${missing[@]}"; }
    fi
}

# Debian ships one version of each browser per release and replaces it with security updates, so
# an older one cannot be installed: the version the journeys were verified with is checked, and
# another one is named (not refused).
browser_version() { # package, verified version prefix
    local v
    v=$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null)
    case "$v" in
        "$2"*) say "$1 $v (verified: $2)" ;;
        *) say "NOTE: $1 is $v; the journeys were verified with $2" ;;
    esac
}

# schemathesis (PyPI) in its own virtualenv, tools/venv: scripts/api-fuzz.sh runs it.
need_schemathesis() {
    local venv=tools/venv
    if [ -x "$venv/bin/st" ] && "$venv/bin/st" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
        say "schemathesis $SCHEMATHESIS_VERSION: present"
    else
        say "schemathesis $SCHEMATHESIS_VERSION: installing from PyPI into $venv"
        if [ ! -x "$venv/bin/pip" ]; then
            # Debian's python3 makes virtualenvs only with python3-venv.
            python3 -m venv "$venv" 2>/dev/null || {
                rm -rf "$venv"
                say "python3-venv: installing from Debian"
                as_root apt-get install -y --no-install-recommends python3-venv || { as_root apt-get update && as_root apt-get install -y --no-install-recommends python3-venv; }
                python3 -m venv "$venv"
            }
        fi
        "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
    fi
}

# Node.js is the machine's (no registry serves it): checked, never installed.
need_node() {
    local v
    v=$(node --version 2>/dev/null || true)
    if [ "${v%%.*}" = "v$NODE_MAJOR" ]; then
        say "node $v: present (v$NODE_MAJOR pinned)"
    else
        echo "Node.js v$NODE_MAJOR is needed (found: ${v:-none}); the test suite's reporter and the npm tools were verified with it" >&2
        exit 1
    fi
}

for_run() {
    need_node
    need_wasm_target
    need_cargo_tool trunk trunk "$TRUNK_VERSION" --locked
    # --locked fails for this crate (a locked dependency left the registry): see TOOLCHAIN.md.
    need_cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
    # npm's binaryen, never Debian's: Debian's wasm-opt 108 breaks wasm-bindgen 0.2.130 output.
    need_npm_packages tools
    have_version wasm-opt "version $BINARYEN_VERSION" || { echo "wasm-opt $BINARYEN_VERSION missing after npm ci" >&2; exit 1; }
    command -v terser >/dev/null || { echo "terser missing after npm ci" >&2; exit 1; }
}

for_test() {
    for_run
    need_cargo_tool wasm-pack wasm-pack "$WASM_PACK_VERSION"
    need_apt chromium chromium
    need_apt chromedriver chromium-driver
    # The journeys in three engines: Chromium's German interface (a date field's order), Firefox
    # ESR (WebDriver BiDi), WebKitGTK (WebKitWebDriver, a PyGObject window under Xvfb, util-linux's
    # `script` for a terminal).
    need_deb chromium-l10n
    need_apt firefox-esr firefox-esr
    need_apt WebKitWebDriver webkit2gtk-driver
    need_apt xvfb-run xvfb xauth
    need_deb python3-gi gir1.2-webkit2-4.1 gir1.2-gtk-3.0 xauth
    need_apt script bsdutils
    browser_version chromium 148.
    browser_version firefox-esr 140.
    browser_version webkit2gtk-driver 2.50.
    need_npm_packages e2e
    need_schemathesis
    # The server tests' second pass runs against a temporary PostgreSQL cluster.
    if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        say "postgresql server: present"
    else
        say "postgresql server: installing from Debian (postgresql)"
        as_root apt-get install -y --no-install-recommends postgresql || { as_root apt-get update && as_root apt-get install -y --no-install-recommends postgresql; }
    fi
}

# `make bench` also measures: Lighthouse (npm, its own folder so the tests never install it) and
# twiggy (the wasm size profile).
for_bench() {
    for_test
    need_npm_packages e2e/bench
    need_cargo_tool twiggy twiggy "$TWIGGY_VERSION"
}

case "${1:-run}" in
    run) for_run ;;
    test) for_test ;;
    bench) for_bench ;;
    fuzz) need_schemathesis ;;
    *) echo "usage: $0 run|test|bench|fuzz" >&2; exit 2 ;;
esac
say "tools ready"
