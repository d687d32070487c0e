// A test drive from the configurator's summary: booked at a location found by postcode, the
// mail's calendar invite read back by a standard parser (ical.js) with the booked instant in
// UTC, then moved and cancelled through the mail's manage link; the hour is free again after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { launch, openPage, appReady } from '../lib/browser.mjs';
import { Configurator } from '../lib/configurator.mjs';
import { smtpSink, part, recipient } from '../lib/mail.mjs';
import { staffOf, STAFF_PASSWORD } from '../lib/store.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The next mail to `email` (other tests' mail may arrive at the same sink). */
async function mailTo(sink, email) {
  for (;;) {
    const mail = await sink.next();
    if (recipient(mail) === email) return mail;
  }
}

/** The invite as ical.js reads it: method, uid, sequence, status, start and end in UTC. */
function invite(mail) {
  const ics = part(mail, 'text/calendar');
  assert.ok(ics, `an invite in:\n${mail.slice(0, 2000)}`);
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent'));
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.uid,
    sequence: event.sequence,
    status: event.component.getFirstPropertyValue('status'),
    start: event.startDate.toUnixTime(),
    end: event.endDate.toUnixTime(),
    location: event.location,
  };
}

function manageToken(mail) {
  const token = part(mail, 'text/plain')?.match(/\/test-drive\/manage#([A-Za-z0-9_-]+)/)?.[1];
  assert.ok(token, 'a manage link in the mail');
  return token;
}

/** Chooses the day's `n`th free hour in the slot grid; answers its start from the API. */
async function chooseFreeHour(page, n) {
  await page.getByTestId('td-slots').locator('button:not([disabled])').first().waitFor();
  const hour = page.getByTestId('td-slots').locator('button:not([disabled])').nth(n);
  await hour.click();
  assert.equal(await hour.getAttribute('aria-pressed'), 'true');
  // The screen reader's name says the day, the hour and that it is free.
  assert.match(await hour.getAttribute('aria-label'), /\d{2}:00: frei$/);
  return hour.innerText();
}

async function isFree(page, location, startsAt) {
  const r = await page.request.get(`/api/locations/${location}/test-drives?line=PREMIUM`);
  const slots = (await r.json()).days.flatMap((d) => d.slots);
  return slots.find((s) => s.starts_at === startsAt)?.free;
}

test('a test drive booked from the summary arrives as an invite, moves and cancels through its link, and frees its hour', { skip: !process.env.SMTP_PORT && 'SMTP_PORT not set (make test sets it)' }, async () => {
  const sink = smtpSink(Number(process.env.SMTP_PORT));
  await sink.listen();
  try {
    const email = `probefahrt${Date.now()}@example.de`;
    const { page, errors } = await openPage(browser);
    const cfg = new Configurator(page);
    await cfg.open('?line=PREMIUM');
    const code = cfg.code();
    await page.goto(`/configure?c=${code}&step=summary`);
    await appReady(page);
    await page.getByTestId('summary-test-drive').click();
    await page.waitForURL(/\/test-drive\?line=PREMIUM&c=/);
    await appReady(page);
    assert.equal(await page.getByTestId('td-line').inputValue(), 'PREMIUM');

    // The nearest location with test drives to a Hamburg postcode.
    await page.getByTestId('td-postcode').fill('20095');
    await page.getByTestId('td-search').click();
    await page.locator('[data-testid^="td-pick-"]').first().click();
    await page.getByTestId('td-location').waitFor();
    await chooseFreeHour(page, 0);
    await page.getByTestId('td-given-name').fill('Erika');
    await page.getByTestId('td-family-name').fill('Mustermann');
    await page.getByTestId('td-email').fill(email);
    await page.getByTestId('td-tel').fill('+49 40 1234567');
    // Without the licence the page says why (and sends nothing).
    await page.getByTestId('td-terms').check();
    await page.getByTestId('td-book').click();
    await page.getByTestId('td-error').filter({ hasText: 'Führerschein' }).waitFor();
    await page.getByTestId('td-licence').check();
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/test-drives') && r.request().method() === 'POST');
    await page.getByTestId('td-book').click();
    const booked = await (await answer).json();
    await page.getByTestId('td-booked').waitFor();

    const first = await mailTo(sink, email);
    const sent = invite(first);
    assert.equal(sent.method, 'REQUEST');
    assert.equal(sent.sequence, 0);
    assert.equal(sent.start, booked.starts_at, 'the invite starts at the booked instant (UTC)');
    assert.equal(sent.end - sent.start, 3600);
    assert.equal(await isFree(page, booked.location_id, booked.starts_at), false);

    // The manage link: the drive, then another hour.
    await page.goto(`/test-drive/manage#${manageToken(first)}`);
    await appReady(page);
    await page.getByTestId('td-status').filter({ hasText: 'gebucht' }).waitFor();
    await page.getByTestId('td-move').click();
    // Another day (each listed day has a free hour; the first may be the booked one's).
    await page.getByTestId('td-days').locator('button').nth(1).click();
    await chooseFreeHour(page, 0);
    const moved = page.waitForResponse((r) => r.url().endsWith('/reschedule'));
    await page.getByTestId('td-move-confirm').click();
    const now = await (await moved).json();
    assert.notEqual(now.starts_at, booked.starts_at);
    await page.getByTestId('td-when').filter({ hasText: now.time }).waitFor();
    const second = invite(await mailTo(sink, email));
    assert.deepEqual([second.uid, second.sequence, second.start], [sent.uid, 1, now.starts_at]);
    assert.equal(await isFree(page, booked.location_id, booked.starts_at), true, 'the first hour is free again');

    // Cancelled: the calendar gets the cancel of the same event, the hour is free.
    page.once('dialog', (d) => d.accept());
    await page.getByTestId('td-cancel').click();
    await page.getByTestId('td-status').filter({ hasText: 'abgesagt' }).waitFor();
    const third = invite(await mailTo(sink, email));
    assert.deepEqual([third.method, third.status, third.uid, third.sequence], ['CANCEL', 'CANCELLED', sent.uid, 2]);
    assert.equal(await isFree(page, booked.location_id, now.starts_at), true);
    assert.deepEqual(errors, []);
  } finally {
    await sink.close();
  }
});

test('the agent sees a booked drive in the desk agenda with whom to call, and marks it done', { skip: !(process.env.SERVER_BIN && process.env.DATABASE_URL) && 'SERVER_BIN and DATABASE_URL not set' }, async () => {
  const { page, errors } = await openPage(browser);
  // A guest's booking at hamburg-01 (partner P01), on the first free hour of its second day.
  const slots = await (await page.request.get('/api/locations/hamburg-01/test-drives?line=BRABUS')).json();
  const day = slots.days.filter((d) => d.slots.some((s) => s.free))[1];
  const hour = day.slots.find((s) => s.free);
  const lastName = `Agenda${Date.now()}`;
  const r = await page.request.post('/api/test-drives', {
    headers: { 'X-Requested-With': 'smart1-app' },
    data: {
      location_id: 'hamburg-01', line: 'BRABUS', starts_at: hour.starts_at,
      customer: { first_name: 'Otto', last_name: lastName, email: `otto${Date.now()}@example.de`, phone: '+49 40 555555' },
      licence_confirmed: true, terms_version: '2023-11', language: 'de',
    },
  });
  assert.equal(r.status(), 201, await r.text());

  await page.goto('/agent');
  await appReady(page);
  await page.getByTestId('auth-email').fill(staffOf('P01'));
  await page.getByTestId('auth-password').fill(STAFF_PASSWORD);
  await page.getByTestId('auth-submit').click();
  await page.getByTestId('drives-location').selectOption('hamburg-01');
  await page.getByTestId('drives-from').fill(day.day);
  const row = page.getByTestId(`drive-${hour.time.replace(':', '')}`).filter({ hasText: lastName });
  await row.waitFor();
  assert.match(await row.innerText(), /\+49 40 555555/);
  await row.getByTestId('drive-done').click();
  await page.getByTestId(`drive-${hour.time.replace(':', '')}`).filter({ hasText: lastName }).getByTestId('drive-status').filter({ hasText: 'gefahren' }).waitFor();
  // The BRABUS car blocked for the next listed day: the agenda shows one line for it, which
  // lifts the block.
  const next = slots.days.filter((d) => d.slots.some((s) => s.free))[2].day;
  await page.getByTestId('drives-from').fill(next);
  await page.locator('summary').filter({ hasText: 'Fahrzeug sperren' }).click();
  await page.getByTestId('drives-block-line').selectOption('BRABUS');
  await page.getByTestId('drives-block-from').fill(next);
  await page.getByTestId('drives-block-note').fill('Service');
  await page.getByTestId('drives-block-submit').click();
  const blocked = page.getByTestId('drives-block').filter({ hasText: 'Service' });
  await blocked.waitFor();
  assert.equal(await page.getByTestId('drives-block').count(), 1, 'one line per day and block');
  const free = async () => (await (await page.request.get('/api/locations/hamburg-01/test-drives?line=BRABUS')).json())
    .days.find((d) => d.day === next).slots.filter((s) => s.free).length;
  assert.equal(await free(), 0);
  await blocked.getByTestId('drives-unblock').click();
  await page.getByTestId('drives-block').waitFor({ state: 'detached' });
  assert.ok(await free() > 0, 'free again');
  // No button or label on the desk shows program text.
  assert.doesNotMatch(await page.getByTestId('agent-view').innerText(), /move \||=>|::/);
  assert.deepEqual(errors, []);
});
