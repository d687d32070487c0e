// The core journey, written once and run in each engine (tests/core-journey.test.mjs for
// Chromium, engines/firefox.test.mjs, engines/webkit.test.mjs): configure with a line change
// through the conflict dialog, register, save, reload signed in, /locations 20095, checkout to
// an order number, a showroom screen's idle reset. Each step is a test; a step fails on any
// console error or failed request the engine reported up to then.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVERS } from './drivers.mjs';
import { staffOf, STAFF_PASSWORD } from '../lib/store.mjs';

const NAV = (href) => ({ css: `header nav a[href="${href}"]` });
const STORE = 'hamburg-02';

/** A date at or after `min` (yyyy-mm-dd) whose day is past 12, so a date typed in the wrong
 * field order cannot pass for a valid one. */
function dateFrom(min) {
  const d = new Date(`${min}T12:00:00Z`);
  while (d.getUTCDate() <= 12) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function coreJourney(engine) {
  let d;
  const car = {};
  const email = `journey-${engine}-${Date.now()}@example.de`;
  const clean = (step) => assert.deepEqual(d.errors, [], `${engine}, ${step}: console errors or failed requests`);

  before(async () => { d = await DRIVERS[engine].start({ width: 1280, height: 800, locale: 'de-DE' }); });
  after(async () => { await d?.close(); });

  test(`${engine}: configure, with a line change through the conflict dialog`, async () => {
    await d.goto('/configure?line=PREMIUM');
    await d.appReady();
    await d.waitFor(() => new URL(location.href).searchParams.has('c'), [], { what: 'a car code in the URL' });
    await d.click('step-exterior');
    await d.click('choice-PAINT_MATTE_GREY');
    await d.visible('conflict-changes');
    assert.match(await d.text('conflict-changes'), /Linie: Premium → BRABUS/);
    await d.click('conflict-accept');
    await d.waitFor(() => document.querySelector('[data-testid="choice-PAINT_MATTE_GREY"]')?.dataset.status === 'chosen',
      [], { what: 'Matte Grey chosen' });
    car.total = await d.text('price-total');
    car.code = await d.eval(() => new URL(location.href).searchParams.get('c'));
    assert.match(car.total, /^\d{2}\.\d{3},\d{2}\s€$/);
    clean('configure');
  });

  test(`${engine}: register`, async () => {
    await d.click(NAV('/account'));
    await d.click('auth-toggle');
    await d.fill('auth-email', email);
    await d.fill('auth-password', 'correct horse battery staple');
    await d.click('auth-submit');
    await d.visible('signed-in-as');
    assert.match(await d.text('signed-in-as'), new RegExp(email.replace(/[.]/g, '\\.')));
    clean('register');
  });

  test(`${engine}: save the car to the account`, async () => {
    await d.click(NAV('/configure'));
    // The car in progress is offered back on this device.
    await d.click('draft-continue');
    await d.waitFor((code) => new URL(location.href).searchParams.get('c') === code, [car.code], { what: 'the draft back' });
    assert.equal(await d.text('price-total'), car.total, 'the draft came back');
    await d.click('save');
    await d.waitFor(() => /gespeichert/.test(document.querySelector('[data-testid="saved-note"]')?.textContent ?? ''),
      [], { what: 'the saved note' });
    clean('save');
  });

  test(`${engine}: reload, still signed in, the car saved`, async () => {
    await d.reload();
    await d.appReady();
    await d.visible('price-total');
    assert.equal(await d.text('price-total'), car.total);
    const me = await d.eval(async () => (await fetch('/api/me')).json());
    assert.equal(me.user?.email, email);
    await d.click(NAV('/account'));
    await d.visible('saved-price');
    assert.equal(await d.text('saved-price'), car.total);
    clean('reload');
  });

  test(`${engine}: /locations finds Hamburg for 20095`, async () => {
    await d.click(NAV('/locations'));
    await d.fill('location-query', '20095');
    await d.click('location-search');
    await d.visible('origin');
    const first = { css: '[data-testid="location-results"] li:first-child button' };
    await d.visible(first);
    assert.match(await d.eval(() => document.querySelector('[data-testid="location-results"] li').innerText), /Hamburg/);
    await d.click(first);
    await d.click('to-checkout');
    await d.visible('checkout');
    clean('locations');
  });

  test(`${engine}: checkout to an order number`, async (t) => {
    await d.fill('first-name', 'Erika');
    await d.fill('last-name', 'Mustermann');
    await d.fill('phone', '+49 40 123456');
    await d.fill('street', 'Jungfernstieg 1');
    await d.fill('postcode', '20095');
    await d.fill('city', 'Hamburg');
    await d.click('co-next');
    await d.visible('checkout-agent');
    assert.match(await d.text('checkout-agent'), /Hamburg/);
    // A desired date typed as a German customer types it: kept, or refused with an error,
    // never dropped silently (WebKitGTK puts all the digits into the day).
    const min = await d.eval(() => document.querySelector('[data-testid="desired"]').min);
    const wanted = dateFrom(min);
    const [y, m, day] = wanted.split('-');
    await d.keys('desired', `${day}${m}${y}`);
    await d.click('co-next');
    const outcome = await d.waitFor(() => {
      if (document.querySelector('[data-testid="desired-error"]')?.textContent.trim()) return 'refused';
      if (document.querySelector('[data-testid="terms"]')) return 'kept';
      return null;
    }, [], { what: 'the desired date kept or refused' });
    if (outcome === 'refused') {
      assert.match(await d.text('desired-error'), /Datum|unvollständig/);
      // Field by field, as WebKitGTK's date field takes it.
      await d.keys('desired', day);
      await d.tab();
      await d.type(m);
      await d.tab();
      await d.type(y);
      await d.click('co-next');
      await d.visible('terms');
    }
    t.diagnostic(`${engine}: a date typed in the German order was ${outcome}`);
    await d.click('terms');
    await d.click('withdrawal');
    await d.click('co-next');
    await d.visible('review-total');
    assert.equal(await d.text('review-total'), car.total);
    assert.match(await d.text('review-terms'), new RegExp(`Wunschtermin\\s+${day}\\.${m}\\.${y}`));
    await d.click('place-order');
    await d.visible('order-number');
    assert.match(await d.text('order-number'), /S1-[A-Z0-9-]+/);
    assert.equal(await d.text('order-total'), car.total);
    clean('checkout');
  });

  test(`${engine}: a showroom screen wipes the customer when idle`, async () => {
    await d.goto(`/store/${STORE}?idle=8`);
    await d.appReady();
    await d.waitFor(() => !!document.querySelector('[data-testid="store-start"], [data-testid="store-setup"]'), [], { what: 'the store page' });
    if (await d.eval(() => !!document.querySelector('[data-testid="store-setup"]'))) {
      await d.fill('store-setup-email', staffOf('P01'));
      await d.fill('store-setup-password', STAFF_PASSWORD);
      await d.click('store-setup-submit');
    }
    await d.click('store-start');
    await d.visible('price-total');
    await d.click('choice-PREMIUM');
    await d.visible('idle-continue');
    await d.waitFor((store) => location.pathname === `/store/${store}` && !!document.querySelector('[data-testid="store-start"]'),
      [STORE], { what: 'the welcome screen again', timeout: 30_000 });
    const left = await d.eval(() => ({ keys: Object.keys(localStorage).sort(), session: sessionStorage.length }));
    assert.deepEqual(left.keys, ['smart1.agent', 'smart1.lang', 'smart1.store']);
    assert.equal(left.session, 0);
    const me = await d.eval(async () => (await fetch('/api/me')).json());
    assert.equal(me.user, null);
    clean('showroom');
  });
}
