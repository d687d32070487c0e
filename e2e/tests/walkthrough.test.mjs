// The configurator as a customer walks it at phone, laptop and showroom size: nothing spills out
// of its card or the screen, no word is broken, the car stays in view on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, appReady, VIEWPORTS } from '../lib/browser.mjs';
import { Configurator } from '../lib/configurator.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const STEPS = ['line', 'exterior', 'wheels', 'interior', 'options', 'extras', 'summary'];

/** Elements wider than their box (scrollWidth over clientWidth), and the page wider than the screen. */
async function overflows(page) {
  return page.evaluate(() => {
    const out = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) out.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
    for (const el of document.querySelectorAll('.card, [data-testid="price-items"], .price-bar, .steps li, .summary table')) {
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.dataset.testid ?? el.className} ${el.scrollWidth} > ${el.clientWidth}`);
      const r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 1 && !el.closest('.steps')) out.push(`${el.dataset.testid ?? el.className} ends at ${r.right} > ${root.clientWidth}`);
    }
    return out;
  });
}

/** Words drawn on two lines without a hyphen of their own. */
async function brokenWords(page) {
  return page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest('script, style, svg, dialog:not([open]), .visually-hidden, [hidden]')) continue;
      for (const m of node.data.matchAll(/[^\s\-–/]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) out.push(m[0]);
      }
    }
    return out;
  });
}

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  test(`every step at ${size} size: nothing overflows, no word breaks`, async () => {
    const { context, page, errors } = await openPage(browser, { viewport });
    const c = new Configurator(page);
    await c.open('?line=PREMIUM');
    await c.pick('PAINT_LASER_RED');
    await c.goStep('options');
    await c.pick('PACK_WINTER');
    for (const step of STEPS) {
      await c.goStep(step);
      await appReady(page);
      await page.getByTestId('price-total').waitFor();
      assert.deepEqual(await overflows(page), [], `${size} ${step}: overflow`);
      assert.deepEqual(await brokenWords(page), [], `${size} ${step}: words broken`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('on a phone the car stays in view while the options scroll, and the current step is visible', async () => {
  const { context, page } = await openPage(browser, { viewport: VIEWPORTS.phone });
  const c = new Configurator(page);
  await c.open();
  await c.goStep('options');
  const last = page.locator('[data-testid^="choice-"]').last();
  await last.scrollIntoViewIfNeeded();
  const picture = await page.getByTestId('car-picture').boundingBox();
  assert.ok(picture && picture.y >= -1 && picture.y + picture.height <= 800 / 2, `car in view: ${JSON.stringify(picture)}`);
  const tab = await page.getByTestId('step-options').boundingBox();
  assert.ok(tab && tab.x >= 0 && tab.x + tab.width <= 360 && tab.y >= 0, `current step visible: ${JSON.stringify(tab)}`);
  await context.close();
});

test('financing: unusable down payments are explained, and the price bar shows the chosen rate', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.laptop });
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  await c.goStep('summary');
  await page.getByTestId('lender').waitFor();
  const down = page.getByTestId('fin-down');
  for (const [typed, message] of [['abc', /Betrag in Euro/], ['-5', /Betrag in Euro/], ['60.000', /nicht höher/]]) {
    await down.fill(typed);
    await down.press('Tab');
    assert.match(await page.getByTestId('fin-down-error').innerText(), message, typed);
  }
  await down.fill('5.000');
  await down.press('Tab');
  await page.getByTestId('fin-down-error').filter({ hasText: /^$/ }).waitFor({ state: 'attached' });
  await page.getByTestId('fin-term').selectOption('60');
  const rate = await page.getByTestId('fin-monthly').innerText();
  await page.getByTestId('price-monthly').filter({ hasText: '60 Monate' }).filter({ hasText: rate }).waitFor();
  assert.match(await page.getByTestId('lease-km').locator('option').first().innerText(), /^\d{1,3}(\.\d{3})* km$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('every price of a car comes with its consumption label, and "from" prices are computed', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.laptop });
  await page.goto('/');
  await appReady(page);
  const teasers = page.locator('.line-teaser');
  assert.equal(await teasers.count(), 5);
  for (let i = 0; i < 5; i++) {
    assert.match(await teasers.nth(i).getByTestId('energy-label').innerText(), /kWh\/100 km.*0 g\/km.*CO₂-Klasse: A/);
  }
  const brabusFrom = (await teasers.nth(4).locator('.price').innerText()).replace(/^ab\s*/, '');
  const c = new Configurator(page);
  await c.open('?line=BRABUS');
  assert.equal(await c.total(), brabusFrom, 'the BRABUS "from" price is what a BRABUS costs');
  assert.match(await page.getByTestId('price-bar').getByTestId('energy-label').innerText(), /Stromverbrauch kombiniert: \d+,\d kWh\/100 km/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('balloon financing: a final instalment lowers the rate, is checked, and is named in the price bar\'s rate', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.laptop });
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  await c.goStep('summary');
  const plain = await page.getByTestId('fin-monthly').innerText();
  const balloon = page.getByTestId('fin-balloon');
  // The largest final instalment is shown, and more than it is refused in words.
  assert.match(await page.getByTestId('fin-balloon-hint').innerText(), /Höchstens \d{1,3}\.\d{3},\d{2}\s€/);
  for (const [typed, message] of [['abc', /Betrag in Euro/], ['40.000', /Schlussrate/]]) {
    await balloon.fill(typed);
    await balloon.press('Tab');
    assert.match(await page.getByTestId('fin-balloon-error').innerText(), message, typed);
  }
  await balloon.fill('15.000');
  await balloon.press('Tab');
  await page.getByTestId('fin-balloon-amount').filter({ hasText: '15.000,00 €' }).waitFor();
  const lower = await page.getByTestId('fin-monthly').innerText();
  const euros = (s) => Number(s.replace(/[^\d,]/g, '').replace(',', '.'));
  assert.ok(euros(lower) < euros(plain), `${lower} < ${plain}`);
  await page.getByTestId('price-monthly').filter({ hasText: lower }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('configure by monthly rate: choices above the budget are greyed with their rate, and the rest stay as they are', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.laptop });
  const c = new Configurator(page);
  await c.open('?line=PRO');
  await c.goStep('line');
  await page.getByTestId('budget').locator('summary').click();
  const input = page.getByTestId('budget-input');
  await input.fill('viel');
  await input.press('Tab');
  assert.match(await page.getByTestId('budget-error').innerText(), /ganzen Euro/);
  // The Pro's own rate with the default terms, plus a little: the Pro fits, a BRABUS does not.
  const own = Number((await page.getByTestId('price-monthly').innerText()).match(/(\d{1,3}(?:\.\d{3})*),\d{2}\s€/)[1].replace('.', ''));
  await input.fill(String(own + 20));
  await input.press('Tab');
  await c.card('BRABUS').getByTestId('over-budget').waitFor();
  assert.match(await c.card('BRABUS').getByTestId('over-budget').innerText(), /Über Budget: \d{1,3}(\.\d{3})*,\d{2}\s€\/Monat/);
  assert.equal(await c.card('PRO').getByTestId('over-budget').count(), 0, 'the chosen line is never greyed');
  assert.match(await c.card('BRABUS').getAttribute('class'), /over-budget/);
  // Greyed is a hint, not a lock: the choice still opens.
  await input.fill('');
  await input.press('Tab');
  await c.card('BRABUS').getByTestId('over-budget').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone the header is two short rows and the price bar one compact row that opens on tap', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true });
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  // Two short rows at most: brand and language, then every navigation entry (issue 33: one
  // row hid "Mein smart" in a sideways scroll).
  const header = await page.getByTestId('site-header').boundingBox();
  assert.ok(header.height <= 100, `the header is two short rows at most (${header.height} px)`);
  const bar = page.getByTestId('price-bar');
  const closed = await bar.boundingBox();
  assert.ok(closed.height <= 0.15 * 800, `the closed bar is compact (${closed.height} px)`);
  // Total, rate, Continue and the consumption label stay in the compact row.
  for (const id of ['price-total', 'price-monthly', 'continue', 'energy-label']) {
    assert.ok(await bar.getByTestId(id).isVisible(), `${id} is shown`);
  }
  assert.equal(await page.getByTestId('save').isVisible(), false);
  await page.getByTestId('bar-toggle').tap();
  assert.equal(await page.getByTestId('bar-toggle').getAttribute('aria-expanded'), 'true');
  await page.getByTestId('save').waitFor();
  assert.ok(await page.getByTestId('delivery-estimate').isVisible());
  await page.getByTestId('bar-toggle').tap();
  await page.getByTestId('save').waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('every navigation entry is on screen and nothing is wider than the screen, on every page at 320, 360, 1280 and 1920 px', async () => {
  for (const width of [320, 360, 1280, 1920]) {
    const { context, page, errors } = await openPage(browser, { viewport: { width, height: 740 } });
    for (const chosen of [false, true]) {
      if (chosen) {
        await page.goto('/locations');
        await appReady(page);
        await page.getByTestId('location-query').fill('20095');
        await page.getByTestId('location-search').click();
        await page.getByTestId('choose-hamburg-02').click();
        await page.getByTestId('agent-badge').waitFor();
      }
      for (const path of ['/', '/configure', '/locations', '/account', '/checkout', '/terms', '/withdrawal']) {
        await page.goto(path);
        await appReady(page);
        const hidden = await page.evaluate(() => {
          const out = [];
          const nav = document.querySelector('header nav');
          if (nav.scrollWidth > nav.clientWidth + 1) out.push(`nav scrolls: ${nav.scrollWidth} > ${nav.clientWidth}`);
          for (const a of nav.querySelectorAll('a')) {
            const r = a.getBoundingClientRect();
            if (r.left < 0 || r.right > innerWidth + 0.5 || r.width === 0) out.push(`${a.textContent} at ${r.left}..${r.right}`);
          }
          if (document.documentElement.scrollWidth > innerWidth) out.push(`page ${document.documentElement.scrollWidth} > ${innerWidth}`);
          return out;
        });
        assert.deepEqual(hidden, [], `${width}px ${path}${chosen ? ' (location chosen)' : ''}`);
      }
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('at 200 % zoom (1280 × 800 shows 640 × 400) and 400 % (1280 × 1024 shows 320 × 256) the options keep most of the screen; the line cards never cover the car', async () => {
  for (const viewport of [{ width: 640, height: 400 }, { width: 320, height: 256 }]) {
    const { context, page, errors } = await openPage(browser, { viewport });
    const c = new Configurator(page);
    await c.open('?line=PREMIUM');
    for (const step of ['exterior', 'options', 'summary']) {
      await c.goStep(step);
      // The summary is the shop build's: a page load.
      await appReady(page);
      await page.getByTestId('price-total').waitFor();
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 3));
      const share = await page.evaluate(() => {
        let content = 0, samples = 0;
        for (let y = 5; y < innerHeight; y += 10) {
          samples++;
          const el = document.elementFromPoint(innerWidth / 2, y);
          if (el?.closest('.step-content, .summary')) content++;
        }
        return content / samples;
      });
      assert.ok(share >= 0.5, `${viewport.width} × ${viewport.height}, ${step}: the options get ${Math.round(share * 100)} % of the screen`);
      // Reflow (WCAG 1.4.10): nothing needs a sideways scroll.
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${viewport.width} px: scrolls sideways`);
  }
  assert.deepEqual(errors, []);
  await context.close();
  }
  // On a phone, scrolling the line cards under the sticky car: the car stays on top.
  const phone = await openPage(browser, { viewport: VIEWPORTS.phone });
  const p = new Configurator(phone.page);
  await p.open('?line=PREMIUM');
  const car = phone.page.getByTestId('car-picture');
  for (const y of [200, 400, 600]) {
    await phone.page.evaluate((y) => window.scrollTo(0, y), y);
    const box = await car.boundingBox();
    const onTop = await phone.page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('[data-testid="car-picture"]') !== null,
      { x: box.x + box.width / 2, y: box.y + box.height / 2 });
    assert.ok(onTop, `scrolled to ${y}: the car is on top`);
  }
  assert.deepEqual(phone.errors, []);
  await phone.context.close();
});
