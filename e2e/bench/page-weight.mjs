// Benchmark: the bytes a fresh browser loads for a page before it is usable, raw (decoded) and as
// transferred (compressed, with headers), counted from every request the browser made (CDP
// Network events), not from a list of files. Budget: /configure <= 200 KB brotli (aim 150 KB).
// "Usable": the wasm app has mounted and the page's own content is on screen.
// Usage: BASE_URL=http://127.0.0.1:8080 node bench/page-weight.mjs
import { launch, openPage, appReady, VIEWPORTS } from '../lib/browser.mjs';

const PAGES = [
  { path: '/', ready: (p) => p.getByTestId('cta-configure').waitFor() },
  { path: '/configure', ready: async (p) => { await p.getByTestId('price-total').waitFor(); await p.getByTestId('choice-PRO').waitFor(); } },
  { path: '/locations', ready: (p) => p.locator('[data-testid^="location-"]').first().waitFor() },
  { path: '/checkout', ready: (p) => p.getByRole('heading', { level: 1 }).first().waitFor() },
  { path: '/agent', ready: (p) => p.getByRole('heading', { level: 1 }).first().waitFor() },
];

const browser = await launch();
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB';
let failed = false;
console.log(`${'page'.padEnd(12)} ${'requests'.padStart(8)} ${'raw'.padStart(10)} ${'transferred'.padStart(12)}   largest`);
for (const { path, ready } of PAGES) {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.phone });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => requests.set(e.requestId, { url: e.request.url, raw: 0, wire: 0 }));
  cdp.on('Network.dataReceived', (e) => { const r = requests.get(e.requestId); if (r) r.raw += e.dataLength; });
  cdp.on('Network.loadingFinished', (e) => { const r = requests.get(e.requestId); if (r) r.wire = e.encodedDataLength; });
  await page.goto(path);
  await appReady(page);
  await ready(page);
  const done = [...requests.values()];
  await context.close();
  const raw = done.reduce((s, r) => s + r.raw, 0);
  const wire = done.reduce((s, r) => s + r.wire, 0);
  const largest = done.sort((a, b) => b.wire - a.wire)[0];
  console.log(`${path.padEnd(12)} ${String(done.length).padStart(8)} ${kb(raw)} ${kb(wire).padStart(12)}   ${new URL(largest.url).pathname} ${kb(largest.wire)}`);
  if (path === '/configure') {
    console.log(`${''.padEnd(12)} budget 200 KB transferred (brotli): ${wire <= 200 * 1024 ? 'met' : 'MISSED'}; aim 150 KB: ${wire <= 150 * 1024 ? 'met' : 'not yet'}`);
  }
  if (errors.length) { console.error(path, 'console errors:', errors); failed = true; }
}
await browser.close();
if (failed) process.exit(1);
