// Benchmark: where the configurator's wasm bytes go, summed by crate, from twiggy's listing of
// the module before wasm-opt (it still has names). Usage:
//   node bench/wasm-crates.mjs ../target/wasm32-unknown-unknown/wasm-release/configurator.wasm
import { execFileSync } from 'node:child_process';

const file = process.argv[2];
const csv = execFileSync('twiggy', ['top', '-n', '1000000', '--format', 'csv', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
const sums = new Map();
let total = 0;
for (const line of csv.split('\n').slice(1)) {
  const m = line.match(/^"?(.*?)"?,(\d+),([\d.]+),/);
  if (!m) continue;
  const [, name, size] = m;
  const bytes = Number(size);
  let krate;
  if (/^data\[/.test(name)) krate = '(data segments)';
  else if (/^(code|elem|type|import|export|table|memory|global|custom)/.test(name)) krate = `(${name.split(/[\s[]/)[0]})`;
  else krate = (name.match(/([a-z_][a-z0-9_]*)::/) ?? [, '(other)'])[1];
  sums.set(krate, (sums.get(krate) ?? 0) + bytes);
  total += bytes;
}
const rows = [...sums].sort((a, b) => b[1] - a[1]);
console.log(`${'crate'.padEnd(24)} ${'bytes'.padStart(10)}  share`);
for (const [k, v] of rows.slice(0, 25)) console.log(`${k.padEnd(24)} ${String(v).padStart(10)}  ${(100 * v / total).toFixed(1).padStart(5)} %`);
console.log(`${'total'.padEnd(24)} ${String(total).padStart(10)}`);
