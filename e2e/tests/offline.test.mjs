// Offline (issue 32): after one visit the service worker keeps the configurator working without a
// network; /api answers are never kept; checkout says that ordering needs a network and keeps the
// form; a save made offline reaches the account when the network is back, once, with the version
// check; a showroom screen wiped offline keeps nothing of the customer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { launch, openPage, appReady, screenshot, BASE_URL, VIEWPORTS } from '../lib/browser.mjs';
import { Configurator, barButton } from '../lib/configurator.mjs';
import { openScreen } from '../lib/store.mjs';
import { DIST, freePort, startServer } from '../lib/server.mjs';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PASSWORD = 'correct horse battery staple';

/** Waits until the service worker controls the page and has kept the files of `build` (its
 * mark in a cache; the worker registers a while after the page's load). */
async function offlineReady(page, build) {
  await page.evaluate(async (b) => {
    const until = Date.now() + 20_000;
    await navigator.serviceWorker.ready;
    while (Date.now() < until) {
      if (navigator.serviceWorker.controller) {
        for (const key of await caches.keys()) {
          if (await (await caches.open(key)).match(`/__offline/used/${b}`)) return;
        }
      }
      await new Promise((r) => setTimeout(r, 50)); // polled, as waitForFunction would
    }
    throw new Error(`the service worker did not keep ${b} within 20 s`);
  }, build);
}

/** Every path in the service worker's caches. */
async function cachedPaths(page) {
  return page.evaluate(async () => {
    const paths = [];
    for (const key of await caches.keys()) {
      for (const r of await (await caches.open(key)).keys()) paths.push(new URL(r.url).pathname);
    }
    return paths;
  });
}

/** Errors that are not the network being off on purpose. */
const real = (errors) => errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e));
/** The same, and the 409 a save answered with a newer version elsewhere is not an error either. */
const realBesidesConflict = (errors) => real(errors).filter((e) => !/status of 409 \(Conflict\)/.test(e));

/** Takes the page offline, picks Laser Red and saves: the save is kept on the device. */
async function saveOffline(context, page, c) {
  await context.setOffline(true);
  await c.pick('PAINT_LASER_RED');
  await barButton(page, 'save');
  await page.getByTestId('saved-note').filter({ hasText: 'Offline gespeichert' }).waitFor();
}

async function register(page, email) {
  await page.goto('/account');
  await page.getByTestId('auth-toggle').click();
  await page.getByTestId('auth-email').fill(email);
  await page.getByTestId('auth-password').fill(PASSWORD);
  await page.getByTestId('auth-submit').click();
  await page.getByTestId('signed-in-as').waitFor();
}

test('after one visit, /configure reloads offline: the app runs, a choice changes the price, a badge says offline', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.phone });
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  await offlineReady(page, 'configurator.html');
  assert.equal(await page.getByTestId('offline-badge').count(), 0, 'online: no badge');

  await context.setOffline(true);
  await page.reload();
  await appReady(page);
  await page.getByTestId('offline-badge').waitFor();
  await c.goStep('options');
  const before = await c.total();
  await c.pick('PACK_WINTER');
  assert.notEqual(await c.total(), before, 'the price follows the choice offline');
  await screenshot(page, 'offline-configure-phone-de');
  // Back online, the badge goes.
  await context.setOffline(false);
  await page.getByTestId('offline-badge').waitFor({ state: 'detached' });
  assert.deepEqual(real(errors), []);
  await context.close();
});

test('installable: Chromium finds nothing missing (manifest, icon, service worker); the manifest starts at /configure', async () => {
  // A profile of its own: Chromium does not install from an incognito context, as test contexts are.
  const profile = mkdtempSync(join(tmpdir(), 'smart1-install-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    baseURL: BASE_URL,
    locale: 'de-DE',
  });
  try {
    await context.addInitScript(() => {
      addEventListener('TrunkApplicationStarted', () => { window.__appStarted = true; }, { once: true });
    });
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto('/configure');
    await appReady(page);
    await offlineReady(page, 'configurator.html');
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, []);
    assert.equal(JSON.parse(manifest.data).start_url, '/configure');
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('the service worker never keeps /api answers; it keeps the build\'s own files', async () => {
  const { context, page, errors } = await openPage(browser);
  await register(page, `offline-api-${Date.now()}@example.de`);
  await offlineReady(page, 'account.html');
  // Pages under the worker's control, each calling the API.
  await page.goto('/configure');
  await appReady(page);
  await offlineReady(page, 'configurator.html');
  await page.goto('/locations');
  await page.getByTestId('location-query').fill('20095');
  await page.getByTestId('location-search').click();
  await page.getByTestId('origin').waitFor();
  await page.goto('/account');
  await page.getByTestId('signed-in-as').waitFor();
  const paths = await cachedPaths(page);
  assert.ok(paths.some((p) => /^\/configurator-[0-9a-f]+_bg\.wasm$/.test(p)), `the configurator's wasm is kept: ${paths}`);
  assert.ok(paths.includes('/account'), 'the page as seen is kept');
  assert.deepEqual(paths.filter((p) => p.startsWith('/api')), [], 'no /api answer in any cache');
  // The worker's script is revalidated on every check, so a deploy reaches the browser.
  const sw = await page.request.get('/sw.js');
  assert.equal(sw.headers()['cache-control'], 'no-cache');
  assert.deepEqual(errors, []);
  await context.close();
});

test('checkout offline says that ordering needs a network and keeps the form; online again, the order goes', async () => {
  const { context, page, errors } = await openPage(browser);
  await register(page, `offline-order-${Date.now()}@example.de`);
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  await page.goto('/locations');
  await page.getByTestId('location-query').fill('20095');
  await page.getByTestId('location-search').click();
  await page.getByTestId('location-results').locator('li').first().getByRole('button').click();
  await page.getByTestId('to-checkout').click();
  await page.getByTestId('checkout').waitFor();
  await page.getByTestId('first-name').fill('Erika');
  await page.getByTestId('last-name').fill('Mustermann');
  await page.getByTestId('phone').fill('+49 40 123456');
  await page.getByTestId('street').fill('Jungfernstieg 1');
  await page.getByTestId('postcode').fill('20095');
  await page.getByTestId('city').fill('Hamburg');

  await context.setOffline(true);
  await page.getByTestId('checkout-offline').filter({ hasText: 'Zum Bestellen brauchen Sie eine Internetverbindung' }).waitFor();
  await page.getByTestId('co-next').click();
  await page.getByTestId('checkout-agent').waitFor();
  await page.getByTestId('desired').fill(await page.getByTestId('desired').getAttribute('min'));
  await page.getByTestId('co-next').click();
  await page.getByTestId('terms').check();
  await page.getByTestId('withdrawal').check();
  await page.getByTestId('co-next').click();
  await page.getByTestId('place-order').click();
  await page.getByTestId('order-error').filter({ hasText: 'Sie sind offline' }).waitFor();
  await screenshot(page, 'offline-checkout-de');
  // Nothing typed is lost.
  await page.getByTestId('co-back').click();
  await page.getByTestId('co-back').click();
  await page.getByTestId('co-back').click();
  assert.equal(await page.getByTestId('first-name').inputValue(), 'Erika');
  assert.equal(await page.getByTestId('city').inputValue(), 'Hamburg');

  await context.setOffline(false);
  await page.getByTestId('checkout-offline').waitFor({ state: 'detached' });
  for (let i = 0; i < 3; i += 1) await page.getByTestId('co-next').click();
  await page.getByTestId('place-order').click();
  await page.waitForURL(/\/orders\/S1-/);
  assert.deepEqual(real(errors), []);
  await context.close();
});

test('a save made offline reaches the account once the network is back; another device\'s save in between opens the choice', async () => {
  const email = `offline-save-${Date.now()}@example.de`;
  const laptop = await openPage(browser);
  await register(laptop.page, email);
  const a = new Configurator(laptop.page);
  await a.open('?line=PREMIUM');

  // Offline: the save is kept on the device, and says so.
  await saveOffline(laptop.context, laptop.page, a);
  const list = async () => (await laptop.page.request.get('/api/configurations')).json();
  assert.deepEqual(await list(), [], 'nothing reached the account yet');
  // Online again: sent by itself, once.
  await laptop.context.setOffline(false);
  await laptop.page.getByTestId('saved-note').filter({ hasText: 'In Ihrem Konto gespeichert' }).waitFor();
  let saved = await list();
  assert.equal(saved.length, 1);
  assert.equal(saved[0].code, a.code());
  assert.equal(await laptop.page.evaluate(() => localStorage.getItem('smart1.pending_save')), null);

  // A phone saves a newer version while the laptop is offline and saves its own.
  const phone = await openPage(browser, { viewport: VIEWPORTS.phone });
  await phone.page.goto('/account');
  await phone.page.getByTestId('auth-email').fill(email);
  await phone.page.getByTestId('auth-password').fill(PASSWORD);
  await phone.page.getByTestId('auth-submit').click();
  await phone.page.getByTestId('saved-continue').first().click();
  await phone.page.waitForURL(/[?&]c=/);
  const b = new Configurator(phone.page);
  await b.pick('PAINT_STELLAR_BLUE');
  await barButton(phone.page, 'save');
  await phone.page.getByTestId('saved-note').filter({ hasText: 'In Ihrem Konto gespeichert' }).waitFor();

  await laptop.context.setOffline(true);
  await a.goStep('wheels');
  await a.pick('WHEEL_19_STYLE');
  await barButton(laptop.page, 'save');
  await laptop.page.getByTestId('saved-note').filter({ hasText: 'Offline gespeichert' }).waitFor();
  await laptop.context.setOffline(false);
  const dialog = laptop.page.getByTestId('versions-dialog');
  await dialog.getByTestId('version-theirs').waitFor();
  saved = await list();
  assert.equal(saved.length, 1, 'nothing overwritten or added silently');
  assert.equal(saved[0].code, b.code(), 'the phone\'s version stands until the customer chooses');
  await dialog.getByTestId('keep-mine').click();
  await laptop.page.getByTestId('saved-note').filter({ hasText: 'In Ihrem Konto gespeichert' }).waitFor();
  assert.equal((await list())[0].code, a.code());
  assert.deepEqual(realBesidesConflict(laptop.errors), []);
  assert.deepEqual(phone.errors, []);
  await laptop.context.close();
  await phone.context.close();
});

test('a save kept offline is sent from the account page too, when the network comes back while it is open', async () => {
  const email = `offline-account-${Date.now()}@example.de`;
  const { context, page, errors } = await openPage(browser);
  await register(page, email);
  await offlineReady(page, 'account.html');
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  await offlineReady(page, 'configurator.html');

  await saveOffline(context, page, c);
  const code = c.code();
  // Still offline, to the account: the worker gives the page; who is signed in is not known yet.
  await page.goto('/account');
  await appReady(page);
  await page.getByTestId('offline-badge').waitFor();
  assert.equal(await page.getByTestId('signed-in-as').count(), 0);

  // Online again while the account page is open: it asks who is signed in, sends the kept save
  // first and lists it, once; the car is not offered for saving a second time.
  await context.setOffline(false);
  await page.getByTestId('saved-list').waitFor();
  assert.equal(await page.getByTestId('signed-in-as').textContent(), email);
  const saved = await (await page.request.get('/api/configurations')).json();
  assert.deepEqual(saved.map((s) => s.code), [code]);
  assert.equal(await page.getByTestId('saved-continue').count(), 1);
  assert.equal(await page.getByTestId('save-draft-offer').count(), 0);
  assert.equal(await page.evaluate(() => localStorage.getItem('smart1.pending_save')), null);
  assert.deepEqual(real(errors), []);
  await context.close();
});

test('a showroom screen wiped while offline keeps nothing of the customer, and signs out when back online', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.showroom });
  await openScreen(page, 'hamburg-02', 'P01', '?idle=8');
  await register(page, `offline-screen-${Date.now()}@example.de`);
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  await offlineReady(page, 'index.html');
  await saveOffline(context, page, c);
  assert.notEqual(await page.evaluate(() => localStorage.getItem('smart1.pending_save')), null);
  // Nobody touches the screen: the wipe runs offline too.
  await page.waitForURL(/\/store\/hamburg-02\?idle=8$/, { timeout: 20_000 });
  await page.getByTestId('store-start').waitFor();
  const keys = await page.evaluate(() => Object.keys(localStorage).sort());
  assert.deepEqual(keys, ['smart1.agent', 'smart1.lang', 'smart1.sign_out_pending', 'smart1.store']);
  // Back online, the customer's session ends on the server.
  await context.setOffline(false);
  await page.waitForFunction(() => localStorage.getItem('smart1.sign_out_pending') === null);
  const me = await page.evaluate(async () => (await fetch('/api/me')).json());
  assert.equal(me.user, null);
  assert.deepEqual(real(errors), []);
  await context.close();
});

/** Another build of `build` in `dist`, as a deploy brings: its script and wasm under other
 * hashes, and every page naming them. Returns the new names' hash. */
function redeploy(dist, build) {
  const files = readdirSync(dist).filter((f) => f.startsWith(`${build}-`) && /\.(js|wasm)(\.br|\.gz)?$/.test(f));
  const old = /-([0-9a-f]{8,16})(_bg)?\./.exec(files[0])[1];
  const next = [...old].map((c) => ((parseInt(c, 16) + 1) % 16).toString(16)).join('');
  for (const f of files) renameSync(join(dist, f), join(dist, f.replace(old, next)));
  for (const dir of [dist, join(dist, 'pages')]) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.html'))) {
      const html = readFileSync(join(dir, f), 'utf8');
      if (!html.includes(old)) continue;
      writeFileSync(join(dir, f), html.replaceAll(old, next));
      // Its precompressed copies are stale now: served uncompressed instead.
      rmSync(join(dir, `${f}.br`), { force: true });
      rmSync(join(dir, `${f}.gz`), { force: true });
    }
  }
  return next;
}

/** The script and wasm the page's HTML names (its boot script), and those it loaded. */
function builds(page) {
  return page.evaluate(() => ({
    named: [...document.querySelector('script[type=module]').textContent.matchAll(/'(\/[\w-]+(?:_bg\.wasm|\.js))'/g)]
      .map((m) => m[1]).filter((p, i, all) => p !== '/sw.js' && all.indexOf(p) === i).sort(),
    loaded: performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
      .filter((p) => /(_bg\.wasm|\.js)$/.test(p) && p !== '/sw.js').sort(),
  }));
}

test('a new deploy while a page is open: the page offers the reload, then runs the new build; never a wasm of another build', { skip: !process.env.SERVER_BIN && 'SERVER_BIN not set' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smart1-deploy-'));
  const dist = join(dir, 'dist');
  cpSync(DIST, dist, { recursive: true });
  const port = await freePort();
  const database = `sqlite://${dir}/server.sqlite`;
  let server = await startServer(port, dist, database);
  const { context, page, errors } = await openPage(browser, { baseURL: `http://127.0.0.1:${port}` });
  try {
    const c = new Configurator(page);
    await c.open('?line=PREMIUM');
    await offlineReady(page, 'configurator.html');
    const first = await builds(page);
    assert.equal(first.named.length, 2, `one script, one wasm: ${first.named}`);
    assert.ok(first.loaded.some((p) => p.endsWith('_bg.wasm')), `a wasm: ${first.loaded}`);
    assert.ok(first.loaded.every((p) => first.named.includes(p)), `${first.loaded} as named: ${first.named}`);

    // The deploy: a rebuilt configurator, the server restarted on it.
    server.kill('SIGTERM');
    await once(server, 'exit');
    const next = redeploy(dist, 'configurator');
    server = await startServer(port, dist, database);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.getByTestId('update-banner').waitFor();
    await screenshot(page, 'update-offer-de');
    // Until the customer reloads, the page goes on with its own build.
    await c.pick('PAINT_LASER_RED');
    assert.deepEqual(await builds(page), first);

    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await appReady(page);
    const second = await builds(page);
    assert.ok(second.loaded.some((p) => p.endsWith('_bg.wasm')), `a wasm: ${second.loaded}`);
    assert.ok(second.loaded.every((p) => second.named.includes(p)), `the new page runs the files its HTML names: ${second.loaded}, ${second.named}`);
    assert.ok(second.named.every((p) => p.includes(next)), `the new build: ${second.named}`);
    assert.equal(await page.getByTestId('update-banner').count(), 0);
    assert.equal(await c.status('PAINT_LASER_RED'), 'chosen', 'the car is kept across the reload');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
