// Runs the engine's command-line tool compiled to WebAssembly (wasm32-wasip1) in Node's V8 --
// the JavaScript engine of Chromium -- so the Renault figures can be compared with native ones.
// Usage: node bench/xcsp-wasm.mjs <xcsp.wasm> <renault dir> count|replay [--cars N]
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const [wasmPath, dataDir, ...rest] = process.argv.slice(2);
const wasi = new WASI({
  version: 'preview1',
  args: ['xcsp', ...rest, '/data/medium_domainsorted.xml', '/data/config_medium_filtered.txt'],
  preopens: { '/data': dataDir },
});
const module = await WebAssembly.compile(await readFile(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
