// The car as the customer sees it: four views drawn by the app, switchable and swipeable, in
// the chosen paint, roof, rims and interior; the car on every page that sells it; the lines side
// by side; sharing that works on a phone; codes safe to read aloud.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch, openPage, appReady, screenshot, SCREENSHOTS, VIEWPORTS } from '../lib/browser.mjs';
import { Configurator, barButton } from '../lib/configurator.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const VIEWS = ['front', 'side', 'rear', 'interior'];

/** The configurator's picture: which view, its colours, and what it draws. */
async function picture(page) {
  const figure = page.getByTestId('car-picture');
  return figure.evaluate((f) => {
    const svg = f.querySelector('svg.car');
    const fill = (cls) => svg.querySelector(`.${cls}`)?.getAttribute('fill') ?? '';
    return {
      view: Number(f.dataset.view),
      paint: fill('p'),
      roof: fill('r'),
      interior: fill('i'),
      roofs: svg.querySelectorAll('.r').length,
      seats: svg.querySelectorAll('.i').length,
      wheels: svg.querySelectorAll('g[transform^="matrix"]').length,
      spokes: svg.querySelector('g[transform^="matrix"]')?.querySelectorAll('rect').length ?? 0,
      title: svg.querySelector('title').textContent,
      width: svg.getBoundingClientRect().width,
      height: svg.getBoundingClientRect().height,
    };
  });
}

test('the car in four views follows paint, roof, rims and interior; buttons and a swipe switch views', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.laptop });
  const c = new Configurator(page);
  await c.open('?line=PREMIUM');
  let p = await picture(page);
  assert.equal(p.view, 0, 'the 3/4 front view first');
  assert.ok(p.roofs > 0 && p.wheels === 2, 'the front view draws the roof and two wheels');
  // True proportions: the drawing keeps the view box's shape.
  assert.ok(Math.abs(p.width / p.height - 800 / 340) < 0.02, `${p.width}x${p.height}`);

  await c.pick('PAINT_LASER_RED');
  p = await picture(page);
  assert.equal(p.paint, '#b3121d');
  assert.match(p.title, /Laser|Rot|Red/i);
  await c.goStep('wheels');
  const before = (await picture(page)).spokes;
  await c.pick('WHEEL_19_STYLE');
  assert.notEqual((await picture(page)).spokes, before, 'the rim design is drawn');

  for (const [i, name] of VIEWS.entries()) {
    await page.getByTestId(`car-view-${i}`).click();
    p = await picture(page);
    assert.equal(p.view, i, name);
    assert.equal(await page.getByTestId(`car-view-${i}`).getAttribute('aria-pressed'), 'true');
  }
  p = await picture(page);
  assert.ok(p.seats >= 2 && p.wheels === 0, 'the interior shows the seats');
  await c.goStep('interior');
  await c.pick('INT_VEGAN_BEIGE');
  assert.equal((await picture(page)).interior, '#d8c8a8', 'the seats take the interior colour');

  // A swipe to the left goes on to the next view (from the interior round to the front).
  const box = await page.locator('svg.car').first().boundingBox();
  const y = box.y + box.height / 2;
  await page.locator('svg.car').first().dispatchEvent('pointerdown', { clientX: box.x + 300, clientY: y });
  await page.locator('svg.car').first().dispatchEvent('pointerup', { clientX: box.x + 150, clientY: y });
  assert.equal((await picture(page)).view, 0, 'swiped to the next view');
  await page.locator('svg.car').first().dispatchEvent('pointerdown', { clientX: box.x + 150, clientY: y });
  await page.locator('svg.car').first().dispatchEvent('pointerup', { clientX: box.x + 300, clientY: y });
  assert.equal((await picture(page)).view, 3, 'swiped back');
  assert.deepEqual(errors, []);
  await context.close();
});

test('screenshots: four views in three paints, the comparison, the phone configurator', async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const { context, page } = await openPage(browser, { viewport: VIEWPORTS.laptop });
  const c = new Configurator(page);
  for (const [line, paint] of [['PRO', 'PAINT_DIGITAL_WHITE'], ['PREMIUM', 'PAINT_STELLAR_BLUE'], ['BRABUS', 'PAINT_MATTE_GREY']]) {
    await c.open(`?line=${line}`);
    await c.pick(paint);
    for (const [i, name] of VIEWS.entries()) {
      await page.getByTestId(`car-view-${i}`).click();
      await page.getByTestId('car-picture').screenshot({ path: `${SCREENSHOTS}car-${name}-${paint.toLowerCase()}.png` });
    }
  }
  await c.goStep('line');
  await page.getByTestId('line-compare').locator('summary').click();
  await screenshot(page, 'line-comparison-1280-de');
  await context.close();
  const phone = await openPage(browser, { viewport: VIEWPORTS.phone });
  await new Configurator(phone.page).open('?line=PREMIUM');
  await screenshot(phone.page, 'configurator-phone-360-de');
  await phone.context.close();
});

test('the car is on the home page and on every line card, in that line\'s look', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.laptop });
  await page.goto('/');
  await appReady(page);
  assert.ok(await page.locator('.hero').getByTestId('car-picture').isVisible(), 'the home page shows the car');
  assert.equal(await page.locator('.line-teaser').getByTestId('line-car').count(), 5, 'each line teaser has its car');
  const c = new Configurator(page);
  await c.open();
  await c.goStep('line');
  const brabus = c.card('BRABUS').locator('svg.car .r').first();
  assert.equal(await brabus.getAttribute('fill'), '#c0161f', 'the BRABUS card shows its red roof');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the lines side by side: price, consumption, power, range of facts, reachable from the line step', async () => {
  for (const [locale, open, price] of [['de-DE', 'Linien vergleichen', 'Preis'], ['en-GB', 'Compare the lines', 'Price']]) {
    const { context, page } = await openPage(browser, { viewport: VIEWPORTS.phone, locale });
    const c = new Configurator(page);
    await c.open();
    await c.goStep('line');
    const compare = page.getByTestId('line-compare');
    assert.equal((await compare.locator('summary').innerText()).trim(), open);
    await compare.locator('summary').click();
    // The table is built when first opened.
    await compare.locator('thead th').first().waitFor();
    const head = await compare.locator('thead th').allInnerTexts();
    assert.deepEqual(head.slice(1), ['Pro', 'Pro+', 'Premium', 'Launch Edition', 'BRABUS']);
    const rows = await compare.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.innerText.trim())));
    const byLabel = Object.fromEntries(rows.map((r) => [r[0], r.slice(1)]));
    assert.equal(byLabel[price].length, 5);
    // The prices are the same computed "from" prices the line cards and the home page show.
    for (const [i, code] of ['PRO', 'PROPLUS', 'PREMIUM', 'LAUNCH', 'BRABUS'].entries()) {
      const card = await c.card(code).innerText();
      assert.ok(byLabel[price][i].length > 3, `${code} has a price`);
      assert.ok(card.length > 0);
    }
    assert.ok(rows.some((r) => /kW/.test(r.slice(1).join(' '))), 'power and charging are compared');
    assert.ok(rows.some((r) => /kWh\/100 km/.test(r.slice(1).join(' '))), 'consumption is compared');
    assert.ok(rows.length >= 8, `${rows.length} rows`);
    // On a phone the table scrolls inside its own box; the page does not.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth));
    await context.close();
  }
});

test('the comparison shows all five lines at once on a phone and beside the car at 1920 px', async () => {
  for (const [viewport, locale, name] of [[VIEWPORTS.phone, 'de-DE', 'line-comparison-360-de'], [VIEWPORTS.showroom, 'de-DE', 'line-comparison-1920-de'],
    [VIEWPORTS.showroom, 'en-GB', 'line-comparison-1920-en']]) {
    const { context, page, errors } = await openPage(browser, { viewport, locale });
    const c = new Configurator(page);
    await c.open();
    await c.goStep('line');
    const compare = page.getByTestId('line-compare');
    await compare.locator('summary').click();
    await compare.locator('tbody td').first().waitFor();
    // Nothing scrolls sideways: every value of every line (BRABUS last) lies inside the box.
    const cut = await compare.evaluate((el) => {
      const box = el.querySelector('.table-scroll');
      const edge = box.getBoundingClientRect();
      return [...el.querySelectorAll('tbody td')]
        .filter((td) => { const r = td.getBoundingClientRect(); return r.left < edge.left - 1 || r.right > edge.right + 1; })
        .map((td) => td.dataset.line)
        .concat(box.scrollWidth > box.clientWidth + 1 ? ['(the box scrolls)'] : []);
    });
    assert.deepEqual(cut, [], `${viewport.width} px: cut off`);
    // Each value says whose it is: stacked, it names its line; side by side, its column does.
    const named = await compare.locator('tbody tr').first().locator('td').evaluateAll((tds) => tds.map((td) => {
      const before = getComputedStyle(td, '::before').content;
      return before === 'none' ? document.querySelectorAll('.line-compare thead th')[td.cellIndex]?.innerText : td.dataset.line;
    }));
    assert.deepEqual(named, ['Pro', 'Pro+', 'Premium', 'Launch Edition', 'BRABUS']);
    await compare.scrollIntoViewIfNeeded();
    await screenshot(page, name);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('sharing: a copy button, one code at a time, in an alphabet safe to read aloud', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.laptop });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const c = new Configurator(page);
  await c.open('?line=BRABUS');
  await barButton(page, 'share');
  // The dialog shows no second code beside the link: the one code a person types is the short
  // code, made on request (its own dialog, below).
  assert.equal(await page.getByTestId('share-dialog').locator('code, .handover-code').count(), 0);
  await page.getByTestId('share-copy').click();
  await page.getByTestId('share-status').filter({ hasText: 'Link kopiert.' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.getByTestId('share-link').inputValue());
  const code = new URL(copied).searchParams.get('c');
  assert.match(code, /^2[2-9A-HJKMNP-Z]+$/, 'no 0/O, 1/I/L in the code');
  // The code typed by hand in lower case with a hyphen opens the same car.
  const typed = `${code.slice(0, 6)}-${code.slice(6)}`.toLowerCase();
  await page.goto(`/configure?c=${typed}`);
  await appReady(page);
  assert.equal(await c.status('BRABUS'), 'chosen');
  assert.deepEqual(errors, []);
  await context.close();
});

test('choices of other lines come after the possible ones, and say no "+0,00 €"', async () => {
  const { context, page } = await openPage(browser, { viewport: VIEWPORTS.laptop });
  const c = new Configurator(page);
  await c.open('?line=PRO');
  for (const step of ['exterior', 'wheels', 'interior']) {
    await c.goStep(step);
    for (const group of await page.locator('[data-testid^="group-"] .choices').all()) {
      const statuses = await group.locator('[data-status]').evaluateAll((cards) => cards.map((c) => c.dataset.status));
      const firstUnavailable = statuses.indexOf('unavailable');
      if (firstUnavailable >= 0) {
        assert.ok(statuses.slice(firstUnavailable).every((s) => s === 'unavailable'), `${step}: ${statuses}`);
      }
    }
    const deltas = await page.locator('[data-status="unavailable"] .delta').allInnerTexts();
    assert.ok(!deltas.some((d) => /[+-]0,00/.test(d)), `${step}: ${deltas}`);
  }
  await context.close();
});

test('/locations on a phone: a search shows the nearest first, above the map that marks the searched place; a dot shows its location', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: VIEWPORTS.phone });
  await page.goto('/locations');
  await appReady(page);
  await page.getByTestId('location-query').fill('20095');
  await page.getByTestId('location-search').click();
  await page.getByTestId('origin').filter({ hasText: '20095' }).waitFor();
  // The results right under the search, ten of them, then the map (issue 33: they were below a
  // full-screen map, all 95 of them).
  const list = await page.getByTestId('location-results').boundingBox();
  const map = await page.getByTestId('germany-map').boundingBox();
  assert.ok(list.y < map.y, `list at ${list.y}, map at ${map.y}`);
  assert.ok(list.y < 800, 'the first result is on the first screen');
  assert.equal(await page.getByTestId('location-results').locator('li').count(), 10);
  assert.match(await page.getByTestId('locations-more').innerText(), /Alle 95 Standorte/);
  // The map marks the searched place and zooms to it.
  await page.getByTestId('map-origin').waitFor();
  const frame = (await page.getByTestId('germany-map').getAttribute('viewBox')).split(' ').map(Number);
  assert.ok(frame[2] < 400, `zoomed in: ${frame}`);
  await screenshot(page, 'locations-search-phone-de');
  // A dot of a location not among the ten shows the whole list and its card, chooses nothing.
  await page.getByTestId('location-query').fill('');
  await page.getByTestId('location-search').click();
  await page.getByTestId('origin').waitFor({ state: 'detached' });
  assert.ok(map.height <= 0.45 * 800, `the map leaves room (${map.height} px)`);
  const dot = page.locator('[data-testid^="map-point-"]').nth(10);
  const id = (await dot.getAttribute('data-testid')).replace('map-point-', '');
  await dot.dispatchEvent('click');
  // Its card comes into view with its "Choose" button focused; nothing is chosen yet.
  await page.waitForFunction((id) => document.activeElement?.dataset.testid === `choose-${id}`, id);
  assert.equal(await page.getByTestId(`choose-${id}`).getAttribute('aria-pressed'), 'false');
  assert.ok(await page.getByTestId(`location-${id}`).isVisible());
  await page.getByTestId(`choose-${id}`).click();
  assert.equal(await page.getByTestId(`choose-${id}`).getAttribute('aria-pressed'), 'true');
  assert.deepEqual(errors, []);
  await context.close();
});
