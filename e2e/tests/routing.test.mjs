// Routing: leptos_router within a build (no page load, the page's own link marked), an ordinary
// page load into another build, and the back button across both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, appReady } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const WASM = /\/([a-z0-9-]+)-[0-9a-f]{8,16}_bg\.wasm$/;

test('links within a build are the router\'s, links to another build load it, back returns', async () => {
  const { context, page, errors } = await openPage(browser);
  const builds = [];
  page.on('request', (r) => { const m = WASM.exec(new URL(r.url()).pathname); if (m) builds.push(m[1]); });
  await page.goto('/');
  await appReady(page);
  assert.deepEqual(builds, ['configurator']);
  // A mark on this document: it survives a route change, not a page load.
  await page.evaluate(() => { window.__sameDocument = true; });
  const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });

  await nav.getByRole('link', { name: 'Konfigurieren' }).click();
  await page.waitForURL((u) => u.pathname === '/configure');
  await page.getByTestId('configurator').waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no page load within a build');
  assert.equal(await nav.getByRole('link', { name: 'Konfigurieren' }).getAttribute('aria-current'), 'page');
  assert.equal(await nav.getByRole('link', { name: 'Standorte' }).getAttribute('rel'), 'external');

  await nav.getByRole('link', { name: 'Standorte' }).click();
  await page.waitForURL((u) => u.pathname === '/locations');
  await appReady(page);
  await page.locator('[data-testid^="location-"]').first().waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), undefined, 'another build is a page load');
  assert.deepEqual(builds, ['configurator', 'locations']);

  await page.goBack();
  await page.waitForURL((u) => u.pathname === '/configure');
  await page.getByTestId('configurator').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('when the router\'s URL leaves the build (history changed by hand), the page comes from the server', async () => {
  const { context, page, errors } = await openPage(browser);
  await page.goto('/locations');
  await appReady(page);
  await page.evaluate(() => { window.__sameDocument = true; });
  // The router follows pushState + popstate as it does the back button.
  await page.evaluate(() => {
    history.pushState(null, '', '/account');
    dispatchEvent(new PopStateEvent('popstate'));
  });
  await page.waitForFunction(() => window.__sameDocument === undefined && document.readyState === 'complete');
  await appReady(page);
  await page.getByTestId('auth-email').waitFor();
  assert.equal(new URL(page.url()).pathname, '/account');
  // A page no build has is the shop build's "not found", in words.
  await page.goto('/no-such-page');
  await appReady(page);
  await page.getByRole('heading', { name: 'Seite nicht gefunden' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
