// A customer's first visit: the configurator build only, a first screen painted by the server
// that the app takes over without a shift, and a part that fails to load never a blank page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, appReady, VIEWPORTS } from '../lib/browser.mjs';
import { PAINTED, LANGS, openAppFirstRender, appMarkup, normalise } from '../lib/first-screen.mjs';
import { Configurator } from '../lib/configurator.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const WASM_OR_JS = /\/[a-z0-9-]+-[0-9a-f]{8,16}(_bg\.wasm|\.js)$/;

test('a first visit to /configure loads the configurator build only', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.phone });
  const code = [];
  page.on('request', (r) => { const p = new URL(r.url()).pathname; if (WASM_OR_JS.test(p)) code.push(p); });
  await new Configurator(page).open();
  assert.ok(code.length >= 2, `wasm and its JS: ${code}`);
  assert.ok(code.every((p) => p.startsWith('/configurator-')), `only the configurator build: ${code}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('painted first screens are current: each is what the app renders first (run tools/paint-shells.mjs when not)', async () => {
  for (const { path, stem } of PAINTED) {
    for (const { code, locale } of LANGS) {
      // The page as the server paints it: the app's code never runs.
      const painted = await openPage(browser, { locale });
      await painted.page.route(WASM_OR_JS, (route) => route.abort());
      await painted.page.goto(path);
      const shell = normalise(await appMarkup(painted.page));
      assert.equal(await painted.page.locator('html').getAttribute('lang'), code, `${path} ${code}`);
      await painted.context.close();
      const live = await openAppFirstRender(browser, path, locale);
      const app = normalise(await appMarkup(live.page));
      await live.context.close();
      assert.ok(shell.length > 200, `${stem}.${code}: a first screen is painted`);
      assert.equal(shell, app, `public/shells/${stem}.${code}.html differs from the app's first render`);
    }
  }
});

test('the configurator paints before the wasm arrives and does not shift when the app takes over', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.phone });
  await page.addInitScript(() => {
    window.__shifts = [];
    window.__lcp = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__shifts.push(e.value))).observe({ type: 'layout-shift', buffered: true });
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__lcp.push(e.startTime))).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(/_bg\.wasm$/, async (route) => { await held; await route.continue(); });
  await page.goto('/configure');
  // Without the wasm: the layout, the car and its price are on screen.
  await page.getByTestId('car-picture').waitFor();
  assert.match(await page.getByTestId('price-total').innerText(), /\d\.\d{3},\d{2}\s€/);
  await page.waitForFunction(() => window.__lcp.length > 0);
  const releasedAt = await page.evaluate(() => performance.now());
  release();
  await appReady(page);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const { shifts, lcp } = await page.evaluate(() => ({ shifts: window.__shifts, lcp: window.__lcp }));
  assert.deepEqual(shifts, [], 'no layout shift');
  assert.ok(lcp.every((t) => t < releasedAt), `the largest paint came before the wasm: ${lcp} vs ${releasedAt}`);
  // And it works: a choice changes the price.
  const c = new Configurator(page);
  const before = await c.total();
  await c.goStep('exterior');
  const paint = page.locator('[data-testid^="choice-"][data-status="available"]').first();
  await paint.click();
  await page.waitForFunction((b) => document.querySelector('[data-testid="price-total"]').innerText.trim() !== b, before);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a page whose code fails to load says so and offers a retry; the car is kept', async () => {
  // The wasm is blocked by page.route, which a service worker's requests bypass (a worker that
  // kept the build would load it: offline.test.mjs).
  const { context, page } = await openPage(browser, { viewport: VIEWPORTS.phone, serviceWorkers: 'block' });
  const c = new Configurator(page);
  await c.open();
  await c.goStep('exterior');
  await page.locator('[data-testid^="choice-"][data-status="available"]').first().click();
  await page.waitForFunction(() => !!localStorage.getItem('smart1.draft'));
  const total = await c.total();
  const code = c.code();
  // The locations build cannot be loaded: offline, blocked, a deploy.
  await page.route(/\/locations-[0-9a-f]{8,16}_bg\.wasm$/, (route) => route.abort());
  await page.goto('/locations');
  await page.locator('#load-failed').waitFor({ state: 'visible' });
  assert.match(await page.locator('#load-failed').innerText(), /nicht vollständig geladen/);
  await page.unroute(/\/locations-[0-9a-f]{8,16}_bg\.wasm$/);
  await page.locator('#load-retry').click();
  await appReady(page);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  assert.ok(await page.locator('#load-failed').isHidden());
  // The car is still this device's draft.
  await page.goto('/configure');
  await appReady(page);
  await page.getByTestId('draft-continue').click();
  await page.waitForURL((u) => u.searchParams.get('c') === code);
  assert.equal(await c.total(), total);
  await context.close();
});

test('/locations does not shift as its results arrive', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.phone });
  await page.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((l) => l.getEntries().forEach((e) => { if (!e.hadRecentInput) window.__shift += e.value; }))
      .observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto('/locations');
  await appReady(page);
  await page.locator('[data-testid^="location-"] h2').first().waitFor();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const shift = await page.evaluate(() => window.__shift);
  assert.ok(shift <= 0.02, `layout shift ${shift}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('headings descend in order on every page', async () => {
  for (const path of ['/', '/configure', '/configure?step=exterior', '/configure?step=summary', '/locations', '/checkout', '/account', '/orders/123', '/agent', '/imprint', '/test-drive', '/test-drive/manage']) {
    const { context, page } = await openPage(browser, { viewport: VIEWPORTS.phone });
    await page.goto(path);
    await appReady(page);
    await page.locator('main h1').first().waitFor();
    const levels = await page.evaluate(() => [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]
      .filter((h) => h.getClientRects().length > 0 || h.classList.contains('visually-hidden'))
      .map((h) => Number(h.tagName[1])));
    assert.equal(levels[0], 1, `${path} starts with h1: ${levels}`);
    assert.equal(levels.filter((l) => l === 1).length, 1, `${path} has one h1: ${levels}`);
    levels.forEach((l, i) => assert.ok(i === 0 || l <= levels[i - 1] + 1, `${path}: h${levels[i - 1]} then h${l} (${levels})`));
    await context.close();
  }
});
