// Benchmark: Lighthouse 12.2.3, mobile defaults (Slow 4G, 4x CPU), median of 3 runs per page:
// performance, LCP, TBT, CLS and accessibility. Budgets: performance >= 95, LCP <= 2.0 s on
// /configure, CLS <= 0.02, accessibility 100. Installed by `scripts/setup.sh bench`.
// Usage: BASE_URL=http://127.0.0.1:8080 node bench/lighthouse.mjs [runs]
// PAGES=/a,/b picks the pages; WITHOUT_WORKER=1 blocks /sw.js (the same pages without the
// offline service worker registering, for comparing what it costs).
import { execFileSync } from 'node:child_process';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const runs = Number(process.argv[2] ?? 3);
const lighthouse = new URL('./node_modules/.bin/lighthouse', import.meta.url).pathname;
const flags = '--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --disable-sync --no-first-run';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One Lighthouse run; a run whose trace Lighthouse itself could not record (its NO_NAVSTART and
 * the like, seen now and then on this machine) is run again, up to twice. */
function audit(path, tries = 3) {
  try {
    return JSON.parse(execFileSync(lighthouse, [BASE_URL + path, '--quiet', '--output=json', '--output-path=stdout',
      '--only-categories=performance,accessibility', `--chrome-flags=${flags}`,
      ...(process.env.WITHOUT_WORKER ? ['--blocked-url-patterns=*/sw.js'] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' } }));
  } catch (e) {
    if (tries <= 1) throw new Error(`Lighthouse failed on ${path}: ${e.message.split('\n')[0]}`);
    console.log(`(${path}: Lighthouse could not record the run, again)`);
    return audit(path, tries - 1);
  }
}

console.log(`${'page'.padEnd(12)} ${'perf'.padStart(5)} ${'LCP'.padStart(8)} ${'TBT'.padStart(8)} ${'CLS'.padStart(7)} ${'a11y'.padStart(5)}   (median of ${runs})`);
let missed = false;
for (const path of (process.env.PAGES ?? '/,/configure,/locations,/checkout').split(',')) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = audit(path);
    results.push({
      perf: Math.round(r.categories.performance.score * 100),
      lcp: r.audits['largest-contentful-paint'].numericValue,
      tbt: r.audits['total-blocking-time'].numericValue,
      cls: r.audits['cumulative-layout-shift'].numericValue,
      a11y: Math.round(r.categories.accessibility.score * 100),
      failing: Object.values(r.audits).filter((a) => a.score === 0 && r.categories.accessibility.auditRefs.some((ref) => ref.id === a.id)).map((a) => a.id),
    });
  }
  const m = (k) => median(results.map((r) => r[k]));
  const row = { perf: m('perf'), lcp: m('lcp'), tbt: m('tbt'), cls: m('cls'), a11y: m('a11y') };
  const ok = row.perf >= 95 && row.cls <= 0.02 && row.a11y === 100 && (path !== '/configure' || row.lcp <= 2000);
  missed ||= !ok;
  const failing = [...new Set(results.flatMap((r) => r.failing))];
  console.log(`${path.padEnd(12)} ${String(row.perf).padStart(5)} ${(row.lcp / 1000).toFixed(2).padStart(6)} s ${row.tbt.toFixed(0).padStart(5)} ms ${row.cls.toFixed(3).padStart(7)} ${String(row.a11y).padStart(5)}   ${ok ? 'met' : 'MISSED'}${failing.length ? '  a11y: ' + failing.join(', ') : ''}`);
}
if (missed) console.log('some budget missed');
