// Budgets as tests (e2e/budgets.json): the bytes a fresh browser transfers for each customer page
// until the network is idle, counted from every request it made (CDP Network events: compressed
// body and headers, as Chromium counts them), and the page's cumulative layout shift. Fails when
// a page goes over its budget by a single byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openPage, appReady, VIEWPORTS } from '../lib/browser.mjs';

const budgets = JSON.parse(readFileSync(new URL('../budgets.json', import.meta.url)));
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Transferred bytes and layout shift of a first visit to `path` on a phone. */
async function firstVisit(path) {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.phone });
  await context.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const wire = new Map();
  cdp.on('Network.requestWillBeSent', (e) => wire.set(e.requestId, { url: e.request.url, bytes: 0 }));
  cdp.on('Network.loadingFinished', (e) => { const r = wire.get(e.requestId); if (r) r.bytes = e.encodedDataLength; });
  cdp.on('Network.loadingFailed', (e) => { const r = wire.get(e.requestId); if (r) r.failed = e.errorText; });
  await page.goto(path);
  await appReady(page);
  await page.waitForLoadState('networkidle');
  const cls = await page.evaluate(() => window.__cls);
  const requests = [...wire.values()];
  await context.close();
  return { bytes: requests.reduce((s, r) => s + r.bytes, 0), requests, cls, errors };
}

for (const [path, { kb, cls: maxShift }] of Object.entries(budgets.pages)) {
  test(`${path}: at most ${kb} KB transferred on a first visit, layout shift at most ${maxShift}`, async () => {
    const { bytes, requests, cls, errors } = await firstVisit(path);
    const list = requests.map((r) => `${new URL(r.url).pathname} ${r.bytes}`).join(', ');
    console.log(`${path}: ${(bytes / 1024).toFixed(1)} KB in ${requests.length} requests, CLS ${cls.toFixed(4)}`);
    assert.ok(bytes <= kb * 1024, `${path}: ${bytes} bytes > ${kb} KB: ${list}`);
    assert.ok(cls <= maxShift, `${path}: layout shift ${cls}`);
    assert.deepEqual(errors, []);
  });
}
