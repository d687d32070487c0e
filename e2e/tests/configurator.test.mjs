// Whole journeys through the configurator in the real browser against the real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, appReady, screenshot, VIEWPORTS } from '../lib/browser.mjs';
import { Configurator, barButton } from '../lib/configurator.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('configure a BRABUS: its own paints, roof and wheels, and its price', async () => {
  const { context, page, errors } = await openPage(browser);
  const c = new Configurator(page);
  await c.open();
  await c.pick('BRABUS');
  assert.equal(await c.status('BRABUS'), 'chosen');
  await c.goStep('exterior');
  assert.equal(await c.status('PAINT_DIGITAL_WHITE'), 'unavailable');
  await c.pick('PAINT_MATTE_GREY');
  assert.equal(await c.status('ROOF_BRABUS_RED'), 'chosen');
  // 48,990 line + 1,490 matte paint
  assert.equal(await c.total(), '50.480,00\u00a0€');
  await c.goStep('wheels');
  assert.equal(await c.status('WHEEL_19_BRABUS'), 'chosen');
  await c.goStep('summary');
  await page.getByTestId('summary').waitFor();
  assert.match(await page.getByTestId('summary-total').innerText(), /50\.480,00/);
  assert.match(await page.getByRole('img').filter({ has: page.locator('title') }).first().locator('title').textContent(), /BRABUS in Matte Grey/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a conflict proposes the smallest change; cancel keeps the car, accept applies it', async () => {
  const { context, page } = await openPage(browser);
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  await c.goStep('exterior');
  const reason = await c.card('PAINT_MATTE_GREY').locator('.reason').innerText();
  assert.match(reason, /nur für die Linie BRABUS/);
  await c.card('PAINT_MATTE_GREY').click();
  const dialog = page.getByTestId('conflict-dialog');
  await dialog.getByTestId('conflict-changes').waitFor();
  const changes = await dialog.getByTestId('conflict-changes').innerText();
  assert.match(changes, /Linie: Premium → BRABUS/);
  assert.match(changes, /Räder/);
  const before = c.code();
  await dialog.getByTestId('conflict-cancel').click();
  await dialog.getByTestId('conflict-changes').waitFor({ state: 'detached' });
  assert.equal(c.code(), before, 'cancel keeps the car');
  assert.equal(await c.total(), '44.990,00\u00a0€');

  await c.card('PAINT_MATTE_GREY').click();
  await dialog.getByTestId('conflict-accept').click();
  await page.waitForURL((url) => url.searchParams.get('c') !== before);
  assert.equal(await c.status('PAINT_MATTE_GREY'), 'chosen');
  await c.goStep('line');
  assert.equal(await c.status('BRABUS'), 'chosen');
  await context.close();
});

test('the share link opened in a fresh browser shows the same car and price', async () => {
  const { context, page } = await openPage(browser);
  const c = new Configurator(page);
  await c.open('?line=PROPLUS');
  await c.pick('PAINT_STELLAR_BLUE');
  await c.goStep('options');
  await c.pick('PACK_WINTER');
  const total = await c.total();
  await barButton(page, 'share');
  const link = await page.getByTestId('share-link').inputValue();
  // Whoever receives the link sees the shared car's summary (a hand-over code keeps the step).
  assert.match(link, /\/configure\?c=[A-Za-z0-9_-]+&step=summary$/);
  // The first-load build links to the full share dialog (QR code, short code): same car, same step.
  await page.getByTestId('share-full').click();
  await page.getByTestId('qr-code').waitFor();
  assert.equal(await page.getByTestId('share-link').inputValue(), link);
  assert.equal(await c.total(), total);
  // Away from a showroom too, a short code is one click away.
  assert.equal(await page.getByTestId('share-dialog').locator('code, .handover-code').count(), 0, 'one code at a time');
  await page.getByTestId('share-handover').click();
  const short = (await page.getByTestId('handover-dialog').getByTestId('handover-code').innerText()).trim();
  // The short code replaces the share dialog: never two codes on the screen at once.
  await page.getByTestId('share-dialog').waitFor({ state: 'hidden' });
  assert.match(short, /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  await context.close();

  for (const [open, step] of [[link, 'summary'], [`/h/${short}`, 'options']]) {
    const other = await openPage(browser, { viewport: VIEWPORTS.phone });
    await other.page.goto(open);
    await other.page.waitForURL(new RegExp(`step=${step}`));
    const c2 = new Configurator(other.page);
    await other.page.getByTestId('price-total').waitFor();
    assert.equal(await c2.total(), total);
    if (step === 'summary') {
      assert.match(await other.page.getByTestId('summary').innerText(), /Winter-Paket/);
      await c2.goStep('options');
    }
    assert.equal(await c2.status('PACK_WINTER'), 'chosen');
    assert.equal(await c2.status('OPT_HEAT_PUMP'), 'fixed');
    // No QR code on a phone: it would scan itself.
    await c2.bar('share');
    // The summary is served by the shop build, whose share dialog is the full one already.
    // (The first-load build links there; a page of the shop build has it already.)
    if (await other.page.getByTestId('share-full').count()) await other.page.getByTestId('share-full').click();
    await other.page.getByTestId('qr-code').waitFor({ state: 'attached' });
    assert.equal(await other.page.getByTestId('qr-code').isVisible(), false);
    await other.context.close();
  }
});

test('reload keeps the car; returning to /configure offers the draft', async () => {
  const { context, page } = await openPage(browser);
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  await c.pick('PAINT_LASER_RED');
  const [code, total] = [c.code(), await c.total()];
  await page.reload();
  await page.getByTestId('price-total').waitFor();
  assert.equal(c.code(), code);
  assert.equal(await c.total(), total);
  assert.equal(await c.status('PAINT_LASER_RED'), 'chosen');

  await page.goto('/');
  await page.goto('/configure');
  await page.getByTestId('draft-offer').waitFor();
  await page.getByTestId('draft-continue').click();
  await page.waitForURL((url) => url.searchParams.get('c') === code);
  assert.equal(await c.total(), total);
  assert.equal(c.step(), 'exterior');
  await context.close();
});

test('switching the language changes words and number formats', async () => {
  const { context, page } = await openPage(browser);
  const c = new Configurator(page);
  await c.open('?line=PRO');
  assert.equal(await c.total(), '37.490,00\u00a0€');
  await page.getByTestId('lang-switch').click();
  await page.getByText('Total price incl. VAT').first().waitFor();
  assert.equal(await c.total(), '€37,490.00');
  assert.match(await page.getByTestId('delivery-estimate').innerText(), /Delivery in about 12 weeks/);
  await context.close();
});

/** Presses Tab until the element with this test id has the focus. */
async function tabTo(page, testid, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((id) => document.activeElement?.dataset?.testid === id, testid)) return;
  }
  throw new Error(`Tab never reached ${testid}`);
}

test('keyboard only: every step, a choice and the conflict dialog', async () => {
  const { context, page } = await openPage(browser);
  const c = new Configurator(page);
  await c.open();
  await tabTo(page, 'choice-PREMIUM');
  await page.keyboard.press('Enter');
  await page.waitForURL(/c=/);
  await page.waitForFunction(() => document.querySelector('[data-testid=choice-PREMIUM]').dataset.status === 'chosen');
  const steps = ['exterior', 'wheels', 'interior', 'options', 'extras', 'summary'];
  for (const step of steps) {
    await tabTo(page, 'next');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`step=${step}`));
  }
  await page.getByTestId('summary').waitFor();
  // Back to the paints by keyboard, into a conflict, and out with Escape.
  await tabTo(page, 'step-exterior');
  await page.keyboard.press('Enter');
  await page.waitForURL(/step=exterior/);
  await tabTo(page, 'choice-PAINT_MATTE_GREY');
  await page.keyboard.press('Enter');
  await page.getByTestId('conflict-accept').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.closest('dialog') !== null), true, 'focus moves into the dialog');
  await page.keyboard.press('Escape');
  await page.getByTestId('conflict-accept').waitFor({ state: 'detached' });
  assert.equal(await c.status('PAINT_MATTE_GREY'), 'unavailable');
  await context.close();
});

test('screenshots at phone, laptop and showroom size', async () => {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    for (const locale of ['de-DE', 'en-GB']) {
      const { context, page, errors } = await openPage(browser, { viewport, locale });
      const c = new Configurator(page);
      await c.open('?line=PREMIUM');
      await c.pick('PAINT_LASER_RED');
      await screenshot(page, `configure-exterior-${name}-${locale.slice(0, 2)}`);
      await c.goStep('summary');
      await page.getByTestId('summary').waitFor();
      await screenshot(page, `configure-summary-${name}-${locale.slice(0, 2)}`);
      // Nothing wider than the screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} ${locale}: page is ${overflow}px wider than the viewport`);
      assert.deepEqual(errors, []);
      await context.close();
    }
  }
});

test('a paint of another line on the default car asks first, naming the line change and the price; Cancel keeps the car', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.phone });
  const c = new Configurator(page);
  await c.open();
  await c.goStep('exterior');
  const [code, total] = [c.code(), await c.total()];
  await c.card('PAINT_MATTE_GREY').click();
  const dialog = page.getByTestId('conflict-dialog');
  await dialog.waitFor();
  const changes = await dialog.getByTestId('conflict-changes').innerText();
  assert.match(changes, /Linie: Pro → BRABUS/);
  assert.match(await dialog.getByTestId('conflict-price').innerText(), new RegExp(`${total.replace(/[.]/g, '\\.')} → .*\\(\\+\\d{1,2}\\.\\d{3},\\d{2}\\s€\\)`));
  await dialog.getByTestId('conflict-cancel').click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(c.code(), code);
  assert.equal(await c.total(), total);
  await c.goStep('line');
  assert.equal(await c.status('PRO'), 'chosen');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the bike carrier brings the tow bar along: a notice says so, and Undo takes both back', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.phone });
  const c = new Configurator(page);
  await c.open();
  await c.goStep('extras');
  const [code, total] = [c.code(), await c.total()];
  await c.pick('ACC_BIKE_CARRIER');
  const note = page.getByTestId('auto-change');
  await note.waitFor();
  assert.match(await note.innerText(), /Fahrradträger[\s\S]*Anhängerkupplung/);
  assert.match(await note.innerText(), /\+990,00\s€/);
  assert.notEqual(await c.total(), total);
  await note.getByTestId('auto-undo').click();
  await page.waitForURL((u) => u.searchParams.get('c') === code);
  assert.equal(await c.total(), total);
  await note.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a second wallbox replaces the first, with a notice instead of a conflict', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.laptop });
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  await c.goStep('extras');
  await c.pick('CHG_WALLBOX_11');
  await c.pick('CHG_WALLBOX_22');
  assert.equal(await c.status('CHG_WALLBOX_22'), 'chosen');
  assert.notEqual(await c.status('CHG_WALLBOX_11'), 'chosen');
  assert.match(await page.getByTestId('auto-change').innerText(), /wallbox 11 kW/i);
  assert.ok(await page.getByTestId('conflict-dialog').isHidden());
  assert.deepEqual(errors, []);
  await context.close();
});

/** "+12.490,00 €" or "44.990,00 €" as cents. */
function cents(text) {
  const digits = text.replace(/[^\d,+−-]/g, '').replace(',', '');
  return Number(digits.replace('−', '-'));
}

test('a card says what its pick costs: the total changes by exactly the figure on it', async () => {
  const { context, page, errors } = await openPage(browser);
  const c = new Configurator(page);
  // A line change that drags the paint along, a paint only another line has, a plain option.
  for (const [line, step, code] of [['PREMIUM', 'line', 'BRABUS'], ['PRO', 'exterior', 'PAINT_MATTE_GREY'], ['PREMIUM', 'wheels', null]]) {
    await c.open(`?line=${line}`);
    await c.goStep(step);
    const card = code ? c.card(code) : page.locator('[data-status="available"]').first();
    const figure = (await card.locator('.delta').innerText()).trim();
    const beforeText = await c.total();
    const before = cents(beforeText);
    const url = page.url();
    await card.click();
    // A line change is asked first (the conflict dialog); anything else applies at once.
    const accept = page.getByTestId('conflict-dialog').getByTestId('conflict-accept');
    const asked = accept.waitFor().then(() => true, () => false);
    await Promise.race([page.waitForURL((u) => u.toString() !== url), asked]);
    if (await accept.isVisible()) await accept.click();
    await page.waitForURL((u) => u.toString() !== url);
    if (figure !== 'ohne Aufpreis') {
      await page.waitForFunction((b) => document.querySelector('[data-testid="price-total"]')?.innerText.trim() !== b, beforeText);
    }
    const after = cents(await c.total());
    if (figure === 'ohne Aufpreis') assert.equal(after, before, `${line} ${code}`);
    else assert.equal(after - before, cents(figure), `${line} ${code}: card ${figure}, total ${before} → ${after}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a line card shows its own price, the same "ab" figure as the home page and the comparison', async () => {
  const { context, page, errors } = await openPage(browser);
  await page.goto('/');
  await appReady(page);
  const home = {};
  for (const line of ['PRO', 'PROPLUS', 'PREMIUM', 'LAUNCH', 'BRABUS']) home[line] = await page.getByTestId(`from-${line}`).innerText();
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  await c.goStep('line');
  for (const [line, from] of Object.entries(home)) {
    assert.equal(await c.card(line).getByTestId('line-from').innerText(), from, `${line} card`);
  }
  assert.equal(home.PRO, 'ab 37.490,00\u00a0€', 'the cheapest Pro');
  // The comparison: the same figures, and a range not published says so (no bare "–").
  await page.getByTestId('line-compare').locator('summary').click();
  const table = await page.getByTestId('line-compare').locator('table').innerText();
  for (const from of Object.values(home)) assert.ok(table.includes(from), `${from} in the comparison`);
  assert.match(table, /Reichweite \(WLTP\)\s+noch nicht veröffentlicht/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a card says the weeks it adds; the conflict names its reason for a line taken by default', async () => {
  const { context, page, errors } = await openPage(browser);
  const c = new Configurator(page);
  await c.open('?line=PROPLUS');
  await c.goStep('options');
  const before = await page.getByTestId('delivery-estimate').textContent();
  assert.equal(await c.card('PACK_TECH_PLUS').getByTestId('extra-weeks').innerText(), '+3 Wochen Lieferzeit');
  assert.equal(await c.card('OPT_PRIVACY_GLASS').getByTestId('extra-weeks').count(), 0, 'no weeks, no line');
  await c.pick('PACK_TECH_PLUS');
  const weeks = (text) => Number(text.match(/(\d+) Wochen/)[1]);
  assert.equal(weeks(await page.getByTestId('delivery-estimate').textContent()), weeks(before) + 3, 'the estimate moved by what the card said');
  // What comes along is named as added, not "– → ...".
  await c.pick('PACK_WINTER');
  const auto = await page.getByTestId('auto-change').innerText();
  assert.match(auto, /Wärmepumpe \(kommt hinzu\)/);
  assert.doesNotMatch(auto, /– →/);

  // A fresh car: the Pro is the default line, not picked; the Technik-Paket Plus needs a Pro+.
  const fresh = await openPage(browser);
  const f = new Configurator(fresh.page);
  await f.open();
  await f.goStep('options');
  await f.card('PACK_TECH_PLUS').click();
  const dialog = fresh.page.getByTestId('conflict-dialog');
  await dialog.getByTestId('conflict-changes').waitFor();
  assert.match(await dialog.getByTestId('conflict-reason').innerText(), /nur für die Linie Pro\+/);
  await dialog.getByTestId('conflict-cancel').click();
  assert.deepEqual([...errors, ...fresh.errors], []);
  await fresh.context.close();
  await context.close();
});

test('the budget says when the car is over it already; a refused financing entry says which figures stay', async () => {
  const { context, page, errors } = await openPage(browser);
  const c = new Configurator(page);
  await c.open('?line=BRABUS');
  // Offered on the first step only (not repeated on every step)...
  assert.equal(await page.getByTestId('budget').count(), 0);
  await c.goStep('line');
  await page.getByTestId('budget').locator('summary').click();
  await page.getByTestId('budget-input').fill('300');
  await page.getByTestId('budget-input').press('Enter');
  await page.getByTestId('budget-input').blur();
  assert.match(await page.getByTestId('budget-current-over').innerText(), /Ihr smart #1 liegt jetzt bei [\d.]+,\d{2}\s€\/Monat – über Ihrem Budget von 300,00\s€\./);
  // ...and on the next steps while a budget is set, with its amount.
  await c.goStep('exterior');
  assert.equal(await page.getByTestId('budget-input').inputValue(), '300');
  await c.goStep('summary');
  const monthly = await page.getByTestId('fin-monthly').innerText();
  await page.getByTestId('fin-down').fill('abc');
  await page.getByTestId('fin-down').blur();
  await page.getByTestId('fin-down-error').filter({ hasText: /./ }).waitFor();
  assert.match(await page.getByTestId('fin-stale').innerText(), /letzte gültige Eingabe: Anzahlung [\d.]+,\d{2}\s€, Schlussrate [\d.]+,\d{2}\s€\./);
  assert.equal(await page.getByTestId('fin-monthly').innerText(), monthly, 'the figures of the last valid entry');
  await page.getByTestId('fin-down').fill('5000');
  await page.getByTestId('fin-down').blur();
  await page.getByTestId('fin-stale').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('browser Back after a line change returns to the car just before it', async () => {
  const { context, page, errors } = await openPage(browser);
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  await c.goStep('exterior');
  await c.pick('PAINT_LASER_RED');
  const before = { code: c.code(), total: await c.total() };
  await c.card('PAINT_MATTE_GREY').click();
  await page.getByTestId('conflict-accept').click();
  await page.waitForURL((url) => url.searchParams.get('c') !== before.code);
  assert.equal(await c.status('PAINT_MATTE_GREY'), 'chosen');
  await page.goBack();
  await page.waitForURL((url) => url.searchParams.get('c') === before.code);
  assert.equal(c.step(), 'exterior');
  assert.equal(await c.total(), before.total, 'the Laser Red Premium, not an older car');
  assert.equal(await c.status('PAINT_LASER_RED'), 'chosen');
  assert.deepEqual(errors, []);
  await context.close();
});
