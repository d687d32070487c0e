// Errors in the customer's language: what the page says comes from the app's own words, chosen
// by the error code, never from the server's English `message`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, appReady, screenshot, VIEWPORTS } from '../lib/browser.mjs';
import { Configurator } from '../lib/configurator.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const LANGS = {
  de: {
    locale: 'de-DE',
    failed: 'Dieser Code ließ sich nicht öffnen',
    unknown: /^Einen Übergabe-Code wie diesen gibt es nicht\./,
    malformed: /^Dieser Link enthält keinen gültigen Fahrzeug-Code/,
    priceChanged: /^Der Preis Ihres Fahrzeugs hat sich geändert: Er beträgt jetzt [\d.]+,\d\d\s€\./,
    postcode: 'Eine Postleitzahl hat 5 Ziffern.',
  },
  en: {
    locale: 'en-GB',
    failed: 'This code could not be opened',
    unknown: /^There is no hand-over code like this\./,
    malformed: /^This link does not contain a valid car code/,
    priceChanged: /^The price of your car has changed: it is now € ?[\d,]+\.\d\d\./,
    postcode: 'A postcode has 5 digits.',
  },
};

/** Records the `message` of every error the API answers, to prove none reaches the page. */
function serverMessages(page) {
  const messages = [];
  page.on('response', async (response) => {
    if (!response.url().includes('/api/') || response.status() < 400) return;
    try {
      const body = await response.json();
      if (typeof body.message === 'string' && body.message) messages.push(body.message);
    } catch { /* not JSON: nothing to find on the page */ }
  });
  return messages;
}

async function assertNoServerSentence(page, messages) {
  const text = await page.locator('body').innerText();
  for (const m of messages) assert.ok(!text.includes(m), `the page shows the server's sentence "${m}"`);
}

for (const [lang, w] of Object.entries(LANGS)) {
  test(`${lang}: a wrong hand-over code fails under a heading that says so, with the field again`, async () => {
    const { context, page } = await openPage(browser, { locale: w.locale, viewport: VIEWPORTS.phone });
    const messages = serverMessages(page);
    await page.goto('/h/ZZZZ-ZZZZ');
    await appReady(page);
    const problem = page.getByTestId('handover-problem');
    await problem.waitFor();
    assert.match(await problem.innerText(), w.unknown);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), w.failed);
    await page.getByTestId('code-input').waitFor();
    assert.ok(messages.length > 0, 'the server answered with an error');
    await assertNoServerSentence(page, messages);
    await context.close();
  });

  for (const [size, viewport] of [['phone', VIEWPORTS.phone], ['laptop', VIEWPORTS.laptop]]) {
    test(`${lang}, ${size}: a malformed share code says so in one language, without moving the car above the steps`, async () => {
      const { context, page } = await openPage(browser, { locale: w.locale, viewport });
      await page.goto('/configure?c=GARBAGE!!');
      await appReady(page);
      const notice = page.getByTestId('code-problem');
      await notice.waitFor();
      assert.match(await notice.innerText(), w.malformed);
      const steps = await page.locator('.configurator > nav').boundingBox();
      const car = await page.locator('.configurator > .car-picture').boundingBox();
      const options = await page.locator('.configurator > .step-content').boundingBox();
      assert.ok(car.y >= steps.y + steps.height - 1, `the car (${car.y}) is beneath the steps (${steps.y + steps.height})`);
      if (size === 'laptop') {
        assert.ok(car.x > options.x + options.width - 1, 'the car stays beside the options');
        assert.ok(Math.abs(car.y - options.y) < 2, `the car (${car.y}) and the options (${options.y}) start level`);
      }
      await screenshot(page, `code-problem-${lang}-${viewport.width}`);
      await context.close();
    });
  }

  test(`${lang}: a refused order (the price changed, a field refused) is told in the page's language`, async () => {
    // The order is changed on its way by page.route, which a service worker's requests bypass.
    const { context, page } = await openPage(browser, { locale: w.locale, serviceWorkers: 'block' });
    const messages = serverMessages(page);
    await page.goto('/account');
    await page.getByTestId('auth-toggle').click();
    await page.getByTestId('auth-email').fill(`refused-${lang}-${Date.now()}@example.de`);
    await page.getByTestId('auth-password').fill('correct horse battery staple');
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('signed-in-as').waitFor();
    await page.goto('/locations');
    await page.getByTestId('location-query').fill('20095');
    await page.getByTestId('location-search').click();
    await page.getByTestId('origin').waitFor();
    await page.getByTestId('location-results').locator('li').first().getByRole('button').click();
    const c = new Configurator(page);
    await c.open('?line=PREMIUM');
    const code = c.code();
    await page.goto(`/checkout?c=${encodeURIComponent(code)}`);
    await page.getByTestId('checkout').waitFor();
    for (const [id, value] of [['first-name', 'Erika'], ['last-name', 'Mustermann'], ['phone', '+49 40 123456'],
      ['street', 'Jungfernstieg 1'], ['postcode', '20095'], ['city', 'Hamburg']]) {
      await page.getByTestId(id).fill(value);
    }
    await page.getByTestId('co-next').click();
    await page.getByTestId('checkout-agent').waitFor();
    await page.getByTestId('co-next').click();
    for (const box of ['terms', 'withdrawal']) await page.getByTestId(box).check();
    await page.getByTestId('co-next').click();
    await page.getByTestId('review').waitFor();

    // Between the page and the server the price goes up by a euro: as if the price list changed.
    let tamper = (order) => { order.expected_total -= 100; };
    await page.route('**/api/orders', async (route) => {
      const order = route.request().postDataJSON();
      tamper(order);
      await route.continue({ postData: JSON.stringify(order) });
    });
    await page.getByTestId('place-order').click();
    const refused = page.getByTestId('order-error');
    await refused.waitFor();
    assert.match(await refused.innerText(), w.priceChanged);

    // A field the server refuses takes the customer back to it, the reason beneath it.
    tamper = (order) => { order.customer.postcode = '2009'; };
    await page.getByTestId('place-order').click();
    const postcodeError = page.getByTestId('error-postcode');
    await page.waitForFunction(() => document.querySelector('[data-testid=error-postcode]')?.textContent.length > 0);
    assert.equal(await postcodeError.innerText(), w.postcode);
    assert.ok(await page.getByTestId('postcode').isVisible(), 'back on the first step');
    assert.ok(messages.length >= 2, 'the server refused twice');
    await assertNoServerSentence(page, messages);
    await screenshot(page, `order-refused-field-${lang}`);
    await context.close();
  });
}
