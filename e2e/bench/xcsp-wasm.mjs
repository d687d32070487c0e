// Runs the engine's command-line tool compiled to WebAssembly (wasm32-wasip1) in Node's V8 --
// the JavaScript engine of Chromium -- so the Renault figures can be compared with native ones.
// Usage: node bench/xcsp-wasm.mjs <xcsp.wasm> <data dir> count|replay|walk [options]
// The files it reads from <data dir>: XCSP_FILES (comma-separated), by default Renault's two.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const [wasmPath, dataDir, ...rest] = process.argv.slice(2);
const files = (process.env.XCSP_FILES ?? 'medium_domainsorted.xml,config_medium_filtered.txt').split(',');
const wasi = new WASI({
  version: 'preview1',
  args: ['xcsp', ...rest, ...files.map((f) => `/data/${f}`)],
  preopens: { '/data': dataDir },
});
const module = await WebAssembly.compile(await readFile(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
