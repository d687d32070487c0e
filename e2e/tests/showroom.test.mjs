// Showroom screens and hand-over between devices: a car made on a 1920x1080 store screen goes to
// a phone by code; an idle screen wipes itself; a saved car comes to the screen by code; staff
// move an order on in the agent's view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { launch, openPage, appReady, screenshot, VIEWPORTS, BASE_URL } from '../lib/browser.mjs';
import { Configurator, barButton } from '../lib/configurator.mjs';
import { openScreen, staffOf } from '../lib/store.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const STORE = 'hamburg-02';
const STORE_NAME = /Hamburg/;
const PASSWORD = 'correct horse battery staple';

async function openStore(page, query = '') {
  await openScreen(page, STORE, 'P01', query);
  await page.getByTestId('agent-badge').filter({ hasText: STORE_NAME }).waitFor();
}

/** Creates an account on the sign-in form (opened from the header unless already shown). */
async function register(page, prefix, { viaHeader = true } = {}) {
  const email = `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.de`;
  if (viaHeader) await page.locator('header nav a[href="/account"]').click();
  await page.getByTestId('auth-toggle').click();
  await page.getByTestId('auth-email').fill(email);
  await page.getByTestId('auth-password').fill(PASSWORD);
  await page.getByTestId('auth-submit').click();
  await page.getByTestId('signed-in-as').waitFor();
  return email;
}

/** Waits for the configurator a code opened and checks it shows this car at this step. */
async function showsCar(page, { code, step, total }) {
  await page.waitForURL(/\/configure\?/);
  await page.getByTestId('price-total').waitFor();
  const c = new Configurator(page);
  assert.equal(c.code(), code);
  assert.equal(c.step(), step);
  assert.equal(await c.total(), total);
}

/** The code shown in the open hand-over dialog, e.g. "7KQ9-M3XF". */
async function shownCode(page) {
  const dialog = page.getByTestId('handover-dialog');
  await dialog.getByTestId('handover-code').waitFor();
  assert.ok(await dialog.getByTestId('qr-code').isVisible(), 'a QR code is shown');
  const code = (await dialog.getByTestId('handover-code').innerText()).trim();
  assert.match(code, /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  return code;
}

test('a car made on a showroom screen continues on a phone: same car, step and location', async () => {
  const screen = await openPage(browser, { viewport: VIEWPORTS.showroom });
  await openStore(screen.page);
  // The welcome screen greets with the car, large.
  const car = await screen.page.getByTestId('store-welcome').getByTestId('car-picture').boundingBox();
  assert.ok(car && car.height > 200, `the welcome screen shows the car (${car?.height} px high)`);
  await screenshot(screen.page, 'store-welcome-1920-de');
  await screen.page.getByTestId('store-start').click();
  const c = new Configurator(screen.page);
  await screen.page.waitForURL(/[?&]c=/);
  await c.pick('PREMIUM');
  await c.goStep('exterior');
  await c.pick('PAINT_LASER_RED');
  await c.goStep('wheels');
  const [code, total] = [c.code(), await c.total()];
  await barButton(screen.page, 'handover');
  const shown = await shownCode(screen.page);
  assert.match(await screen.page.getByTestId('handover-expires').innerText(), /Gültig bis/);
  await screenshot(screen.page, 'store-handover-1920-de');

  // The phone opens the QR code's link.
  const phone = await openPage(browser, { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true });
  await phone.page.goto(`/h/${shown.replace('-', '')}`);
  await showsCar(phone.page, { code, step: 'wheels', total });
  await phone.page.getByTestId('agent-badge').filter({ hasText: STORE_NAME }).waitFor();
  // The phone is not a showroom screen: no store layout, no hand-over button.
  assert.equal(await phone.page.evaluate(() => document.body.classList.contains('store-mode')), false);
  assert.equal(await phone.page.getByTestId('handover').count(), 0);
  await screenshot(phone.page, 'handover-phone-360-de');
  // The customer keeps it: Save, create an account, the car lands in "My smart" with its agent.
  await barButton(phone.page, 'save');
  await phone.page.waitForURL(/\/account/);
  await register(phone.page, 'phone', { viaHeader: false });
  // Registered from Save: the car is saved without pressing Save again.
  const item = phone.page.getByTestId('saved-list').locator('li').first();
  await item.waitFor();
  assert.equal(await item.getByTestId('saved-price').innerText(), total);
  const mine = await phone.page.evaluate(async () => (await fetch('/api/configurations')).json());
  assert.deepEqual([mine[0].code, mine[0].step, mine[0].location_id, mine[0].channel], [code, 'wheels', STORE, 'web']);

  // A second phone types the code, in lower case, on the start page.
  const typed = await openPage(browser, { viewport: VIEWPORTS.phone, locale: 'en-GB' });
  await typed.page.goto('/');
  await appReady(typed.page);
  await typed.page.getByTestId('code-input').fill(shown.toLowerCase());
  await typed.page.getByTestId('code-open').click();
  await typed.page.waitForURL(/\/configure\?/);
  assert.equal(new Configurator(typed.page).code(), code);
  // A wrong code says so in plain words and offers the field again.
  await typed.page.goto('/h/ZZZZZZZZ');
  await typed.page.getByTestId('handover-problem').filter({ hasText: 'no hand-over code' }).waitFor();
  await typed.page.getByTestId('code-input').waitFor();
  // Another try: the old error goes as soon as a new code is typed; a malformed one gets its
  // own error, never under the old one.
  await typed.page.getByTestId('code-input').fill('ABC');
  await typed.page.getByTestId('handover-problem').waitFor({ state: 'detached' });
  await typed.page.getByTestId('code-open').click();
  await typed.page.locator('#handover-input-error').filter({ hasText: /8/ }).waitFor();
  const alerts = await typed.page.locator('main [role=alert]').filter({ hasText: /./ }).allInnerTexts();
  assert.equal(alerts.length, 1, `one error at a time: ${JSON.stringify(alerts)}`);

  for (const s of [screen, phone, typed]) {
    assert.deepEqual(s.errors.filter((e) => !/status of 404 /.test(e)), []);
    await s.context.close();
  }
});

test('an idle showroom screen warns, then wipes the car, the account session and its storage', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.showroom });
  await openStore(page, '?idle=8');
  await register(page, 'idle');
  const c = new Configurator(page);
  await page.locator('header nav a[href="/configure"]').click();
  await page.waitForURL(/[?&]c=/);
  await c.pick('PREMIUM');
  await barButton(page, 'save');
  await page.getByTestId('saved-note').waitFor();
  // What is saved on a showroom screen is recorded as the store channel.
  const saved = await page.evaluate(async () => (await fetch('/api/configurations')).json());
  assert.equal(saved[0].channel, 'store');
  assert.equal(saved[0].location_id, STORE);

  // Nobody touches the screen: first the warning...
  await page.getByTestId('idle-warning').getByTestId('idle-continue').waitFor({ timeout: 15_000 });
  await screenshot(page, 'store-idle-warning-1920-de');
  // ...then the welcome screen again, with nothing of the customer left.
  await page.waitForURL(new RegExp(`/store/${STORE}\\?idle=8$`), { timeout: 15_000 });
  await page.getByTestId('store-start').waitFor();
  const left = await page.evaluate(() => ({ keys: Object.keys(localStorage).sort(), session: sessionStorage.length }));
  // Left: the screen's own setting, its location as agent, and the default language.
  assert.deepEqual(left.keys, ['smart1.agent', 'smart1.lang', 'smart1.store']);
  assert.equal(left.session, 0);
  const me = await page.evaluate(async () => (await fetch('/api/me')).json());
  assert.equal(me.user, null);
  await page.getByTestId('store-start').click();
  await page.getByTestId('price-total').waitFor();
  assert.equal(await page.getByTestId('draft-offer').count(), 0, 'no draft offered to the next customer');
  assert.equal(await page.getByTestId('choice-PREMIUM').getAttribute('aria-pressed'), 'false');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a saved car opens on a showroom screen by the code the phone shows', async () => {
  const phone = await openPage(browser, { viewport: VIEWPORTS.phone });
  await phone.page.goto('/');
  await appReady(phone.page);
  await register(phone.page, 'reverse');
  const c = new Configurator(phone.page);
  await c.open('?line=PREMIUM');
  await c.pick('PAINT_LASER_RED');
  await c.goStep('interior');
  const [code, total] = [c.code(), await c.total()];
  await barButton(phone.page, 'save');
  await phone.page.getByTestId('saved-note').waitFor();
  await phone.page.goto('/account');
  await phone.page.getByTestId('saved-handover').first().click();
  const shown = await shownCode(phone.page);
  await screenshot(phone.page, 'handover-to-screen-360-de');

  const screen = await openPage(browser, { viewport: VIEWPORTS.showroom });
  await openStore(screen.page);
  await screen.page.getByTestId('code-input').fill(shown);
  await screen.page.getByTestId('code-open').click();
  await showsCar(screen.page, { code, step: 'interior', total });
  // The screen stays the store's: its location remains the agent.
  await screen.page.getByTestId('agent-badge').filter({ hasText: STORE_NAME }).waitFor();
  await screenshot(screen.page, 'store-from-phone-1920-de');
  for (const x of [phone, screen]) {
    assert.deepEqual(x.errors, []);
    await x.context.close();
  }
});

test('a store URL is a showroom screen only once staff of its agent set it up', async () => {
  const { context, page } = await openPage(browser, { viewport: VIEWPORTS.showroom });
  await page.goto(`/store/${STORE}`);
  await appReady(page);
  await page.getByTestId('store-setup').waitFor();
  assert.equal(await page.getByTestId('store-start').count(), 0);
  assert.ok(!(await page.evaluate(() => document.body.classList.contains('store-mode'))), 'no store mode yet');
  // Staff of another partner are refused, in words.
  await page.getByTestId('store-setup-email').fill(staffOf('P16'));
  await page.getByTestId('store-setup-password').fill(PASSWORD);
  await page.getByTestId('store-setup-submit').click();
  await page.getByTestId('store-setup-error').filter({ hasText: 'Nur Mitarbeiter' }).waitFor();
  await screenshot(page, 'store-setup-1920-de');
  // An unknown location is a 404 page.
  const unknown = await page.goto('/store/nowhere-99');
  assert.equal(unknown.status(), 404);
  await context.close();
});

test('an order on a showroom screen needs no password, goes to the store as agent and names the advisor', async () => {
  for (const [locale, mailSent] of [['de-DE', /Die Bestätigung ist unterwegs an/], ['en-GB', /The confirmation is on its way to/]]) {
    const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.showroom, locale });
    await openStore(page);
    await page.locator('header nav a[href="/configure"]').click();
    await page.waitForURL(/[?&]c=/);
    const c = new Configurator(page);
    await c.pick('PREMIUM');
    await c.goStep('summary');
    const total = await c.total();
    await page.getByTestId('continue').click();
    await page.waitForURL(/\/checkout/);
    // Nobody types a password on a public screen: the checkout asks for the e-mail address.
    await page.getByTestId('store-guest-note').waitFor();
    assert.equal(await page.getByTestId('auth-password').count(), 0, 'no password field');
    const email = `store-guest-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.de`;
    for (const [id, value] of [['first-name', 'Erika'], ['last-name', 'Store'], ['email', email], ['phone', '+49 40 123456'],
      ['street', 'Jungfernstieg 1'], ['postcode', '20095'], ['city', 'Hamburg']]) {
      await page.getByTestId(id).fill(value);
    }
    await page.getByTestId('co-next').click();
    await page.getByTestId('checkout-agent').filter({ hasText: 'Hamburg-Altona' }).waitFor();
    assert.equal(await page.getByTestId('checkout').locator('a[href="/locations"]').count(), 0, 'the agent cannot be changed here');
    const advisor = staffOf('P01');
    await page.getByTestId('checkout-advisor').filter({ hasText: advisor }).waitFor();
    await page.getByTestId('co-next').click();
    await page.getByTestId('terms').check();
    await page.getByTestId('withdrawal').check();
    await page.getByTestId('co-next').click();
    assert.equal(await page.getByTestId('review-total').innerText(), total);
    await page.getByTestId('place-order').click();
    // The confirmation shows on the screen, and says where the mail with the account link went.
    await page.getByTestId('order-page').waitFor();
    assert.match(await page.getByTestId('order-number').innerText(), /S1-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/);
    assert.equal(await page.getByTestId('order-total').innerText(), total);
    assert.ok((await page.getByTestId('order-terms').innerText()).includes(advisor), 'the advisor is named');
    const sent = await page.getByTestId('order-thanks').innerText();
    assert.match(sent, mailSent);
    assert.ok(sent.includes(email), sent);
    assert.equal(await page.getByTestId('checkout').isVisible(), false);
    await screenshot(page, `store-order-placed-1920-${locale.slice(0, 2)}`);
    // The screen holds no customer session afterwards.
    assert.equal((await page.evaluate(async () => (await fetch('/api/me')).json())).user, null);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

// Staff accounts are made by the server's own command on the suite's database.
const canProvision = Boolean(process.env.SERVER_BIN && process.env.DATABASE_URL);

test('staff see their partner\'s orders and move one on; the customer sees the new status', { skip: !canProvision && 'SERVER_BIN and DATABASE_URL not set' }, async () => {
  const customer = await openPage(browser, { viewport: VIEWPORTS.laptop });
  await customer.page.goto('/');
  await appReady(customer.page);
  await register(customer.page, 'ordering');
  const c = new Configurator(customer.page);
  await c.open('?line=PREMIUM');
  const order = {
    code: c.code(), price_list_version: await customer.page.evaluate(async () => (await (await fetch('/api/health')).json()).price_list_version),
    expected_total: 0,
    customer: { kind: 'private', first_name: 'Erika', last_name: 'Agentur', email: 'erika@example.de', phone: '+49 40 123456',
      street: 'Jungfernstieg 1', postcode: '20095', city: 'Hamburg' },
    location_id: 'hamburg-01', channel: 'web', payment: { method: 'cash' }, desired_delivery: null,
    terms_version: '2023-11', withdrawal_notice_shown: true, privacy_accepted: true, marketing_consent: false,
  };
  const post = (body) => customer.context.request.post(`${BASE_URL}/api/orders`, {
    headers: { 'X-Requested-With': 'smart1-app', 'Idempotency-Key': `agent-e2e-${Date.now()}-${body.expected_total}` }, data: body });
  // The server answers a wrong total with the current one; the order then goes through.
  let r = await post(order);
  let body = await r.json();
  assert.equal(r.status(), 409, JSON.stringify(body));
  order.expected_total = body.current.price.gross;
  r = await post(order); body = await r.json();
  assert.equal(r.status(), 201, JSON.stringify(body));
  const number = body.number;

  const email = `staff-${Date.now()}@agent.example.de`;
  execFileSync(process.env.SERVER_BIN, ['staff-add', '--email', email, '--partner', 'P01'],
    { env: { ...process.env, STAFF_PASSWORD: PASSWORD }, stdio: 'pipe' });
  const staff = await openPage(browser, { viewport: VIEWPORTS.laptop });
  await staff.page.goto('/agent');
  await appReady(staff.page);
  await staff.page.getByTestId('auth-email').fill(email);
  await staff.page.getByTestId('auth-password').fill(PASSWORD);
  await staff.page.getByTestId('auth-submit').click();
  await staff.page.getByTestId('nav-agent').waitFor();
  // Staff find the order by its number (a part of it, in lower case, is enough).
  await staff.page.getByTestId('agent-orders').waitFor();
  await staff.page.getByTestId('agent-search').fill(number.slice(3, 7).toLowerCase());
  await staff.page.getByTestId('agent-search').press('Enter');
  await staff.page.getByTestId('agent-total').filter({ hasText: /^1 gefunden/ }).waitFor();
  const row = staff.page.getByTestId(`agent-order-${number}`);
  await row.waitFor();
  assert.equal(await staff.page.locator('[data-testid^="agent-order-S1-"]').count(), 1);
  assert.equal((await row.getByTestId('agent-order-status').innerText()).trim(), 'Eingegangen');
  // ... and move it on with a note.
  await row.getByTestId('agent-note').fill('Probefahrt am Montag vereinbart');
  await row.getByTestId('advance-confirmed').click();
  await row.getByTestId('agent-order-status').filter({ hasText: 'Bestätigt' }).waitFor();
  const stored = await (await staff.context.request.get(`${BASE_URL}/api/agent/orders?q=${number}`)).json();
  assert.match(stored.orders[0].history.at(-1).note, /^Probefahrt am Montag vereinbart \(by staff-/);
  await screenshot(staff.page, 'agent-view-1280-de');
  await staff.page.setViewportSize(VIEWPORTS.phone);
  await screenshot(staff.page, 'agent-view-360-de');
  await staff.page.setViewportSize(VIEWPORTS.laptop);

  if (process.env.WEBHOOK_PORT) {
    // Nobody listened at the webhook URL: the order's event is dead and listed. With a receiver
    // up, "send again" delivers it, signed, and then the status change queued behind it.
    const dead = staff.page.getByTestId(`dead-${number}-order.placed`);
    await staff.page.reload();
    await appReady(staff.page);
    await dead.waitFor();
    assert.match(await dead.innerText(), /Bestellung an Hersteller/);
    const received = [];
    let arrived;
    const both = new Promise((resolve) => { arrived = resolve; });
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const key = Buffer.from(process.env.WEBHOOK_SECRET.slice('whsec_'.length), 'base64');
        const signed = `${req.headers['webhook-id']}.${req.headers['webhook-timestamp']}.${body}`;
        const expected = `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
        const event = JSON.parse(body);
        if (event.data.number === number) received.push({ type: event.type, valid: req.headers['webhook-signature'] === expected });
        res.writeHead(204).end();
        if (received.length === 2) arrived();
      });
    });
    await new Promise((resolve) => receiver.listen(Number(process.env.WEBHOOK_PORT), '127.0.0.1', resolve));
    try {
      await dead.getByTestId('replay').click();
      await both;
      assert.deepEqual(received, [{ type: 'order.placed', valid: true }, { type: 'order.status_changed', valid: true }]);
      await dead.waitFor({ state: 'detached' });
    } finally {
      receiver.close();
    }
  }

  await customer.page.goto(`/orders/${number}`);
  await customer.page.getByTestId('order-status').filter({ hasText: 'Bestätigt' }).waitFor();
  // The customer's own session cannot open the agent's view.
  await customer.page.goto('/agent');
  await customer.page.getByTestId('agent-refused').waitFor();
  for (const x of [customer, staff]) {
    assert.deepEqual(x.errors.filter((e) => !/status of 403 /.test(e)), []);
    await x.context.close();
  }
});

test('staff of the screen\'s agent end its store mode by signing in on it', { skip: !canProvision && 'SERVER_BIN and DATABASE_URL not set' }, async () => {
  const email = `screen-${Date.now()}@agent.example.de`;
  execFileSync(process.env.SERVER_BIN, ['staff-add', '--email', email, '--partner', 'P01'],
    { env: { ...process.env, STAFF_PASSWORD: PASSWORD }, stdio: 'pipe' });
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.showroom });
  await openStore(page);
  assert.ok(await page.evaluate(() => document.body.classList.contains('store-mode')));
  await page.getByTestId('store-end').click();
  await page.getByTestId('store-end-email').fill(email);
  await page.getByTestId('store-end-password').fill('not the password');
  await page.getByTestId('store-end-submit').click();
  await page.getByTestId('store-end-error').waitFor();
  await screenshot(page, 'store-end-1920-de');
  assert.ok(await page.evaluate(() => document.body.classList.contains('store-mode')), 'still a showroom screen');
  await page.getByTestId('store-end-password').fill(PASSWORD);
  await page.getByTestId('store-end-submit').click();
  await page.waitForURL(`${BASE_URL}/`);
  await appReady(page);
  assert.ok(!(await page.evaluate(() => document.body.classList.contains('store-mode'))), 'store mode ended');
  assert.equal(await page.evaluate(() => localStorage.getItem('smart1.store')), null);
  assert.equal(await page.getByTestId('store-end').count(), 0);
  const me = await (await context.request.get(`${BASE_URL}/api/me`)).json();
  assert.equal(me.user, null, 'the screen was given no session');
  assert.deepEqual(errors.filter((e) => !/status of 401 /.test(e)), []);
  await context.close();
});

test('/h, where the share dialog sends people, is a page to type the code', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.phone });
  await page.goto('/h');
  await appReady(page);
  await page.getByTestId('code-page').getByRole('heading', { level: 1 }).waitFor();
  await page.getByTestId('code-input').fill('zzzz');
  await page.getByTestId('code-open').click();
  assert.ok((await page.locator('#handover-input-error').innerText()).length > 0, 'a short code is explained');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a showroom screen is read from a step away: no text under 16 px, the consumption label included', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.showroom });
  await openStore(page);
  await page.getByTestId('store-start').click();
  await page.getByTestId('price-total').waitFor();
  const small = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('main *, .price-bar *')) {
      const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data.trim()).join('');
      if (!text || el.closest('[hidden], .visually-hidden, dialog:not([open])') || !el.getClientRects().length) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 16) out.push(`${size}px: ${text.slice(0, 40)}`);
    }
    return out;
  });
  assert.deepEqual(small, []);
  assert.ok(parseFloat(await page.evaluate(() => getComputedStyle(document.body).fontSize)) >= 22, 'body text at least 22 px');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a customer configuring on a showroom screen sees no staff exit; the welcome page offers it to staff', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.showroom });
  await openStore(page);
  assert.match(await page.getByTestId('store-end').innerText(), /Nur für Mitarbeiter/);
  await page.getByTestId('store-start').click();
  await page.getByTestId('price-total').waitFor();
  assert.equal(await page.getByTestId('store-end').count(), 0, 'no staff exit while the customer configures');
  assert.deepEqual(errors, []);
  await context.close();
});
