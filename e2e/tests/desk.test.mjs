// The staff desk as an agent uses it (issue 33): 21 orders page past the 20th, each shows the
// customer's contact, the car and every agreed term, a note stays in the order's history, a
// cancellation asks first and needs a reason the customer will read, and the staff sign-in
// offers no registration. No button on the desk shows program text as its label.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, appReady, screenshot, VIEWPORTS, BASE_URL } from '../lib/browser.mjs';
import { staffOf, STAFF_PASSWORD } from '../lib/store.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const canProvision = Boolean(process.env.SERVER_BIN && process.env.DATABASE_URL);
const HEADERS = { 'X-Requested-With': 'smart1-app' };

/** Text that is code, not words: what a `>` inside a `view!` attribute once put on a button. */
const PROGRAM_TEXT = /move \||\|_\||on:click|=>|\bpage\.update\b|::/;

test('the desk pages past 20 orders, shows what staff need, keeps notes and asks before cancelling', { skip: !canProvision && 'SERVER_BIN and DATABASE_URL not set' }, async () => {
  const customer = await openPage(browser, { viewport: VIEWPORTS.laptop });
  await customer.page.goto('/configure?line=PREMIUM');
  await appReady(customer.page);
  await customer.page.waitForURL(/[?&]c=/);
  const code = new URL(customer.page.url()).searchParams.get('c');
  const lastName = `Desk${Date.now()}`;
  // A valid car: the configurator's own code.
  const numbers = await (async () => {
    const request = customer.context.request;
    const reg = await request.post(`${BASE_URL}/api/auth/register`, {
      headers: HEADERS, data: { email: `desk-${Date.now()}@example.de`, password: 'correct horse battery staple' } });
    assert.equal(reg.status(), 201);
    const health = await (await request.get(`${BASE_URL}/api/health`)).json();
    const order = {
      code, price_list_version: health.price_list_version, expected_total: 0,
      customer: { kind: 'business', company: 'Desk Fuhrpark GmbH', vat_id: 'DE123456789', first_name: 'Dora', last_name: lastName,
        email: 'dora.desk@example.de', phone: '+49 40 987654', street: 'Ballindamm 3', postcode: '20095', city: 'Hamburg' },
      location_id: 'hamburg-03', payment: { method: 'leasing', term_months: 36, yearly_km: 15000, down_payment: 300000 },
      desired_delivery: null, terms_version: '2023-11', withdrawal_notice_shown: false, privacy_accepted: true, marketing_consent: false,
    };
    const made = [];
    for (let i = 0; i < 21; i++) {
      const post = () => request.post(`${BASE_URL}/api/orders`, {
        headers: { ...HEADERS, 'Idempotency-Key': `desk-${lastName}-${i}` }, data: order });
      let r = await post();
      if (r.status() === 409) {
        order.expected_total = (await r.json()).current.price.gross;
        r = await post();
      }
      assert.equal(r.status(), 201, await r.text());
      made.push((await r.json()).number);
    }
    return made;
  })();

  const staff = await openPage(browser, { viewport: VIEWPORTS.laptop });
  await staff.page.goto('/agent');
  await appReady(staff.page);
  // Staff accounts are made by the server's command: the desk offers no registration.
  await staff.page.getByTestId('auth-email').waitFor();
  assert.equal(await staff.page.getByTestId('auth-toggle').count(), 0, 'no "register" on the staff sign-in');
  await staff.page.getByTestId('auth-email').fill(staffOf('P01'));
  await staff.page.getByTestId('auth-password').fill(STAFF_PASSWORD);
  await staff.page.getByTestId('auth-submit').click();
  await staff.page.getByTestId('agent-orders').waitFor();
  await staff.page.getByTestId('agent-search').fill(lastName);
  await staff.page.getByTestId('agent-search').press('Enter');
  await staff.page.getByTestId('agent-total').filter({ hasText: /^21 gefunden/ }).waitFor();

  // Page 1 of 2: "Weiter" works and is labelled in words; page 2 has the 21st order.
  const pager = staff.page.getByTestId('agent-orders-pages');
  const next = staff.page.getByTestId('agent-orders-pages-next');
  assert.equal((await next.innerText()).trim(), 'Weiter →');
  assert.ok(await next.isEnabled(), 'next is enabled on page 1 of 2');
  assert.ok(await staff.page.getByTestId('agent-orders-pages-prev').isDisabled());
  for (const label of await staff.page.locator('button').allInnerTexts()) {
    assert.doesNotMatch(label, PROGRAM_TEXT, `a button says ${JSON.stringify(label)}`);
  }
  assert.equal(await staff.page.locator('[data-testid^="agent-order-S1-"]').count(), 20);
  await next.click();
  await pager.filter({ hasText: 'Seite 2 von 2' }).waitFor();
  assert.equal(await staff.page.locator('[data-testid^="agent-order-S1-"]').count(), 1);
  assert.ok(await next.isDisabled(), 'next is disabled on the last page');
  const row = staff.page.locator('[data-testid^="agent-order-S1-"]').first();
  const number = (await row.getAttribute('data-testid')).replace('agent-order-', '');
  assert.ok(numbers.includes(number));

  // What staff need to act: contact, car, every term (leasing, company, VAT ID).
  await row.getByTestId('agent-order-details').locator('summary').click();
  const contact = await row.getByTestId('agent-contact').innerText();
  assert.match(contact, /dora\.desk@example\.de/);
  assert.match(contact, /\+49 40 987654/);
  assert.match(contact, /Ballindamm 3, 20095 Hamburg/);
  assert.match(await row.getByTestId('agent-car').innerText(), /Premium/);
  const terms = await row.getByTestId('agent-terms').innerText();
  for (const term of ['Leasing', '36 Monate', '15.000 km', 'Leasing-Sonderzahlung', 'Monatliche Rate', 'Desk Fuhrpark GmbH', 'DE123456789', 'Geschäftskunde']) {
    assert.ok(terms.includes(term), `${term} in ${terms}`);
  }

  // A note typed before moving the order on stays in its history.
  await row.getByTestId('agent-note').fill('Rückruf vereinbart');
  await row.getByTestId('advance-confirmed').click();
  await row.getByTestId('agent-order-status').filter({ hasText: 'Bestätigt' }).waitFor();
  // (The row may keep its folded part open across the refresh: open it, do not toggle it.)
  await row.getByTestId('agent-order-details').evaluate((d) => { d.open = true; });
  await row.getByTestId('agent-history').filter({ hasText: 'Rückruf vereinbart' }).waitFor();

  // Cancelling asks first; "keep" keeps the order, and a reason is needed to cancel.
  await row.getByTestId('advance-cancelled').click();
  const dialog = staff.page.getByTestId('cancel-dialog');
  await dialog.getByTestId('cancel-reason').waitFor();
  assert.ok(await dialog.getByTestId('cancel-confirm').isDisabled(), 'no cancellation without a reason');
  await screenshot(staff.page, 'agent-cancel-1280-de');
  await dialog.getByTestId('cancel-keep').click();
  await dialog.getByTestId('cancel-reason').waitFor({ state: 'hidden' });
  assert.equal((await row.getByTestId('agent-order-status').innerText()).trim(), 'Bestätigt');
  await row.getByTestId('advance-cancelled').click();
  await dialog.getByTestId('cancel-reason').fill('Die Ausstattung ist nicht mehr lieferbar.');
  await dialog.getByTestId('cancel-confirm').click();
  await row.getByTestId('agent-order-status').filter({ hasText: 'Storniert' }).waitFor();

  // The customer's order page says why, and nothing of the staff's note.
  await customer.page.goto(`/orders/${number}`);
  await customer.page.getByTestId('order-status').filter({ hasText: 'Storniert' }).waitFor();
  const page = await customer.page.getByTestId('order-page').innerText();
  assert.ok(page.includes('Die Ausstattung ist nicht mehr lieferbar.'), page);
  assert.ok(!page.includes('Rückruf vereinbart'), 'staff notes stay with staff');
  // A signed-out visit to the order's page asks to sign in for it (not the checkout's words).
  const stranger = await openPage(browser, { viewport: VIEWPORTS.phone });
  await stranger.page.goto(`/orders/${number}`);
  await appReady(stranger.page);
  assert.match(await stranger.page.getByTestId('order-sign-in').innerText(), /Bestellung zu sehen/);
  await stranger.page.getByTestId('auth-email').waitFor();
  await stranger.context.close();
  assert.deepEqual(staff.errors, []);
  assert.deepEqual(customer.errors, []);
  await staff.context.close();
  await customer.context.close();
});
