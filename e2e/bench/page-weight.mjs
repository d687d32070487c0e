// Benchmark: bytes of everything /configure loads before it is usable (price on screen),
// raw / gzip / brotli, from the files the server really sent. Budget: <= 250 KB brotli.
// Usage: BASE_URL=http://127.0.0.1:8080 DIST=../dist node bench/page-weight.mjs
import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, BASE_URL } from '../lib/browser.mjs';

const dist = process.env.DIST ?? new URL('../../dist/', import.meta.url).pathname;
const browser = await launch();
const { page, errors } = await openPage(browser);
const paths = new Set();
page.on('request', (req) => {
  const url = new URL(req.url());
  if (url.origin === new URL(BASE_URL).origin) paths.add(url.pathname);
});
await page.goto('/configure');
await page.getByTestId('price-total').waitFor();
await page.getByTestId('choice-PRO').waitFor();
await browser.close();

const size = (f) => (existsSync(f) ? statSync(f).size : null);
const rows = [];
for (const p of paths) {
  const file = join(dist, p === '/' || p.startsWith('/configure') ? 'index.html' : p);
  const raw = size(file);
  if (raw === null) continue;
  rows.push({ file: p.startsWith('/configure') ? '/configure (index.html)' : p, raw, gzip: size(file + '.gz') ?? raw, brotli: size(file + '.br') ?? raw });
}
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
for (const r of rows) console.log(`${r.file.padEnd(48)} raw ${kb(r.raw).padStart(9)}  gzip ${kb(r.gzip).padStart(9)}  brotli ${kb(r.brotli).padStart(9)}`);
console.log(`${'TOTAL before usable'.padEnd(48)} raw ${kb(total.raw).padStart(9)}  gzip ${kb(total.gzip).padStart(9)}  brotli ${kb(total.brotli).padStart(9)}  (budget 250 KB brotli: ${total.brotli <= 250 * 1024 ? 'met' : 'MISSED'})`);
if (errors.length) { console.error('console errors:', errors); process.exit(1); }
