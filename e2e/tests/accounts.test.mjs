// Accounts and saved progress: save on one device, continue on another, two-device conflict.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, appReady, screenshot, VIEWPORTS } from '../lib/browser.mjs';
import { Configurator, barButton } from '../lib/configurator.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PASSWORD = 'correct horse battery staple';

async function signIn(page, email, { register = false } = {}) {
  if (!page.url().includes('/account')) await page.goto('/account');
  await page.getByTestId('auth-email').waitFor();
  if (register) await page.getByTestId('auth-toggle').click();
  await page.getByTestId('auth-email').fill(email);
  await page.getByTestId('auth-password').fill(PASSWORD);
  await page.getByTestId('auth-submit').click();
  await page.getByTestId('signed-in-as').filter({ hasText: email }).waitFor();
}

test('save on a laptop, continue on a phone at the same step; the two-device conflict shows both versions', async () => {
  const email = `kunde${Date.now()}@example.de`;
  const laptop = await openPage(browser);
  const a = new Configurator(laptop.page);
  await a.open('?line=PREMIUM');
  await a.pick('PAINT_LASER_RED');
  await a.goStep('wheels');
  const total = await a.total();
  // Not signed in: Save leads to sign-in and the car is kept meanwhile.
  await barButton(laptop.page, 'save');
  await laptop.page.waitForURL(/\/account/);
  await signIn(laptop.page, email, { register: true });
  // Signed in from Save: the car is saved without pressing Save again (issue 33).
  const item = laptop.page.getByTestId('saved-list').locator('li').first();
  await item.waitFor();
  assert.equal(await item.getByTestId('saved-price').innerText(), total);
  assert.match(await item.innerText(), /Räder/);
  await screenshot(laptop.page, 'account-laptop-de');

  // The phone: same account, continue exactly there.
  const phone = await openPage(browser, { viewport: VIEWPORTS.phone });
  await signIn(phone.page, email);
  await phone.page.getByTestId('saved-continue').first().click();
  await phone.page.waitForURL(/step=wheels/);
  const b = new Configurator(phone.page);
  assert.equal(await b.total(), total);
  assert.equal(b.step(), 'wheels');
  await screenshot(phone.page, 'configure-continued-phone-de');

  // The laptop changes the paint and saves (version 2) ...
  await laptop.page.getByTestId('saved-continue').first().click();
  await laptop.page.waitForURL(/step=wheels/);
  await a.goStep('exterior');
  await a.pick('PAINT_STELLAR_BLUE');
  await barButton(laptop.page, 'save');
  await laptop.page.getByTestId('saved-note').filter({ hasText: 'In Ihrem Konto gespeichert' }).waitFor();

  // ... the phone, still on version 1, changes the wheels and saves: both versions are shown.
  await b.pick('WHEEL_19_STYLE');
  await barButton(phone.page, 'save');
  const dialog = phone.page.getByTestId('versions-dialog');
  await dialog.getByTestId('version-mine').waitFor();
  assert.match(await dialog.getByTestId('version-theirs').innerText(), /Exterieur/);
  assert.match(await dialog.getByTestId('version-mine').innerText(), /Räder/);
  await dialog.getByTestId('take-theirs').click();
  await phone.page.waitForURL(/step=exterior/);
  assert.equal(await b.status('PAINT_STELLAR_BLUE'), 'chosen');
  await b.goStep('wheels');
  assert.equal(await b.status('WHEEL_19_STYLE'), 'available', 'the phone took the saved car');
  await laptop.context.close();
  await phone.context.close();
});

test('sign-in errors are shown in plain words; rename and delete', async () => {
  const { context, page } = await openPage(browser, { locale: 'en-GB' });
  await page.goto('/account');
  await page.getByTestId('auth-email').fill(`nobody${Date.now()}@example.de`);
  await page.getByTestId('auth-password').fill('wrong password 1');
  await page.getByTestId('auth-submit').click();
  await page.getByTestId('auth-error').filter({ hasText: 'E-mail address or password is wrong.' }).waitFor();
  await page.getByTestId('auth-toggle').click();
  await page.getByTestId('auth-email').fill(`short${Date.now()}@example.de`);
  await page.getByTestId('auth-password').fill('short');
  await page.getByTestId('auth-submit').click();
  await page.getByTestId('auth-error').filter({ hasText: 'at least 10' }).waitFor();

  const email = `rename${Date.now()}@example.de`;
  await page.goto('/account');
  await signIn(page, email, { register: true });
  const c = new Configurator(page);
  await c.open('?line=BRABUS');
  await barButton(page, 'save');
  await page.getByTestId('saved-note').filter({ hasText: 'Saved to your account' }).waitFor();
  await page.goto('/account');
  const item = page.getByTestId('saved-list').locator('li').first();
  await item.getByTestId('saved-rename').click();
  await item.getByTestId('rename-input').fill('My BRABUS');
  await item.getByTestId('rename-save').click();
  await page.getByTestId('saved-name').filter({ hasText: 'My BRABUS' }).waitFor();
  // Deleting can be undone, and the deleted car is not offered back as a draft.
  await page.getByTestId('saved-delete').click();
  await page.getByTestId('saved-empty').waitFor();
  assert.match(await page.getByTestId('deleted-notice').innerText(), /My BRABUS/);
  assert.equal(await page.getByTestId('save-draft-offer').count(), 0);
  await page.getByTestId('undo-delete').click();
  await page.getByTestId('saved-name').filter({ hasText: 'My BRABUS' }).waitFor();
  await page.getByTestId('deleted-notice').waitFor({ state: 'detached' });
  await page.getByTestId('saved-delete').click();
  await page.getByTestId('saved-empty').waitFor();
  await page.getByTestId('sign-out').click();
  await page.getByTestId('auth-email').waitFor();
  // Registering a taken address says how to get in without its password (an account a store
  // order made has none yet).
  await page.getByTestId('auth-toggle').click();
  await page.getByTestId('auth-email').fill(email);
  await page.getByTestId('auth-password').fill('correct horse battery staple');
  await page.getByTestId('auth-submit').click();
  await page.getByTestId('auth-error').filter({ hasText: 'choose one with "Forgot your password?"' }).waitFor();
  await context.close();
});
