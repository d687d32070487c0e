#!/usr/bin/env python3
"""Benchmark: where the configurator's wasm bytes go, summed by crate, from twiggy's listing of
the module before wasm-bindgen and wasm-opt (it still has names). Left out: what those two
remove before shipping (names, custom sections, describe functions and their exports), so the
shares are of what ships, before wasm-opt shrinks it (about 0.8x).
Usage: python3 e2e/bench/wasm-crates.py target/wasm32-unknown-unknown/wasm-release/configurator.wasm"""
import collections, csv, io, re, subprocess, sys

listing = subprocess.run(["twiggy", "top", "-n", "1000000", "--format", "csv", sys.argv[1]],
                         check=True, capture_output=True, text=True).stdout
sums = collections.Counter()
for row in list(csv.reader(io.StringIO(listing)))[1:]:
    name, size = row[0], int(row[1])
    if re.match(r'(custom section|"function names"|export )', name) or "wbindgen_describe" in name:
        continue
    if name.startswith("data segment"):
        crate = "(data: strings, catalog, tables)"
    else:
        m = re.search(r"([a-z_][a-z0-9_]*)(\[[0-9a-f]+\])?::", name)
        crate = m.group(1) if m else "(other)"
    sums[crate] += size
total = sum(sums.values())
print(f"{'crate':34} {'bytes':>9}  share")
for crate, size in sums.most_common(20):
    print(f"{crate:34} {size:>9}  {100 * size / total:5.1f} %")
print(f"{'total':34} {total:>9}")
