// The release build the run command serves: it renders, deep links work, nothing errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, appReady, screenshot, VIEWPORTS } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const path of ['/', '/configure', '/orders/123']) {
  test(`${path} renders the app without console errors`, async () => {
    const { context, page, errors } = await openPage(browser);
    const response = await page.goto(path);
    assert.equal(response.status(), 200);
    await appReady(page);
    await page.getByTestId('site-footer').waitFor();
    assert.ok((await page.locator('main h1').first().innerText()).length > 0, 'a page title is shown');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the deep link /orders/123 shows the order page, an unknown path the not-found page', async () => {
  const { context, page, errors } = await openPage(browser);
  await page.goto('/orders/123');
  await page.getByRole('heading', { name: 'Bestellung' }).waitFor();
  await page.getByText('Bitte melden Sie sich an').waitFor();
  await page.goto('/no/such/page');
  await page.getByRole('heading', { name: 'Seite nicht gefunden' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the language switch turns the page English and back', async () => {
  const { context, page } = await openPage(browser);
  await page.goto('/');
  await appReady(page);
  await page.getByTestId('lang-switch').click();
  await page.getByRole('link', { name: 'Configure now' }).first().waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.reload();
  await page.getByRole('link', { name: 'Configure now' }).first().waitFor();
  await page.getByTestId('lang-switch').click();
  await page.getByRole('link', { name: 'Jetzt konfigurieren' }).first().waitFor();
  await context.close();
});

test('an English browser gets English', async () => {
  const { context, page } = await openPage(browser, { locale: 'en-GB' });
  await page.goto('/');
  await page.getByRole('link', { name: 'Configure now' }).first().waitFor();
  await context.close();
});

test('start page screenshots at phone and desktop size', async () => {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    const { context, page } = await openPage(browser, { viewport });
    await page.goto('/');
    await appReady(page);
    await screenshot(page, `home-${name}`);
    await context.close();
  }
});
