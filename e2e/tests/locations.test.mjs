// Choosing the agent: search, map, header, configurator summary, keyboard, geolocation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openScreen } from '../lib/store.mjs';
import { launch, openPage, appReady, screenshot, VIEWPORTS } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function searchFor(page, text) {
  await page.getByTestId('location-query').fill(text);
  await page.getByTestId('location-search').click();
  await page.getByTestId('origin').filter({ hasText: text }).waitFor();
}

const firstResult = (page) => page.getByTestId('location-results').locator('li').first();

test('search a postcode, choose the nearest: header, map and configurator summary show it', async () => {
  const { context, page, errors } = await openPage(browser);
  await page.goto('/locations');
  await appReady(page);
  await searchFor(page, '20095');
  const first = firstResult(page);
  const name = await first.locator('h2').innerText();
  assert.match(name, /Hamburg/);
  const id = (await first.getAttribute('data-testid')).replace('location-', '');
  await first.getByRole('button').click();
  await page.getByTestId('agent-badge').filter({ hasText: name }).waitFor();
  assert.equal(await page.getByTestId(`map-point-${id}`).getAttribute('data-chosen'), 'true');
  assert.equal(await page.locator('[data-chosen=true]').count(), 1);
  await screenshot(page, 'locations-laptop-de');

  await page.goto('/configure?line=PRO');
  await page.getByTestId('step-summary').click();
  await page.getByTestId('summary-agent').filter({ hasText: name }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a point on the map shows its location, and its "Choose" chooses it', async () => {
  const { context, page } = await openPage(browser);
  await page.goto('/locations');
  await page.getByTestId('map-point-rostock-01').click();
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'choose-rostock-01');
  assert.equal(await page.getByTestId('agent-badge').count(), 0, 'a dot alone chooses nothing');
  await page.getByTestId('choose-rostock-01').click();
  await page.getByTestId('agent-badge').filter({ hasText: 'Rostock' }).waitFor();
  assert.equal(await page.getByTestId('map-point-rostock-01').getAttribute('data-chosen'), 'true');
  await context.close();
});

test('keyboard only: search by postcode and choose the nearest location', async () => {
  const { context, page } = await openPage(browser, { locale: 'en-GB' });
  await page.goto('/locations');
  await appReady(page);
  for (let i = 0; i < 30 && !(await page.evaluate(() => document.activeElement?.dataset?.testid === 'location-query')); i++) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.type('80331');
  await page.keyboard.press('Enter');
  await page.getByTestId('origin').filter({ hasText: '80331' }).waitFor();
  for (let i = 0; i < 30 && !(await page.evaluate(() => document.activeElement?.dataset?.testid?.startsWith('choose-'))); i++) {
    await page.keyboard.press('Tab');
  }
  const focused = await page.evaluate(() => document.activeElement.dataset.testid);
  assert.equal(focused, await firstResult(page).getByRole('button').getAttribute('data-testid'), 'the first result is the first to choose');
  await page.keyboard.press('Enter');
  await page.getByTestId('agent-badge').filter({ hasText: 'München' }).waitFor();
  await context.close();
});

test('a filter and bad input: service filter, unknown postcode message', async () => {
  const { context, page } = await openPage(browser);
  await page.goto('/locations');
  await page.getByTestId('location-service').selectOption('service');
  await searchFor(page, '01067');
  assert.match(await firstResult(page).innerText(), /Service-Werkstatt/);
  await page.getByTestId('location-query').fill('00000');
  await page.getByTestId('location-search').click();
  await page.getByTestId('locations-error').filter({ hasText: '00000' }).waitFor();
  await context.close();
});

test('use my location: denied gives a clear message, granted sorts by distance', async () => {
  const denied = await openPage(browser);
  await denied.page.goto('/locations');
  await denied.page.getByTestId('use-position').click();
  await denied.page.getByTestId('position-error').waitFor();
  await denied.context.close();

  const granted = await openPage(browser, { geolocation: { latitude: 51.0504, longitude: 13.7373 }, permissions: ['geolocation'] });
  await granted.page.goto('/locations');
  await granted.page.getByTestId('use-position').click();
  await granted.page.getByTestId('origin').filter({ hasText: 'Ihrem Standort' }).waitFor();
  assert.match(await firstResult(granted.page).innerText(), /Dresden/);
  await granted.context.close();
});

test('a store URL preselects its location; screenshots', async () => {
  const { context, page } = await openPage(browser, { viewport: VIEWPORTS.phone });
  await openScreen(page, 'koeln-01', 'P16');
  await page.getByTestId('agent-badge').filter({ hasText: 'Köln' }).waitFor();
  await page.goto('/locations');
  await page.getByTestId('location-results').waitFor();
  await screenshot(page, 'locations-phone-de');
  await context.close();
});
