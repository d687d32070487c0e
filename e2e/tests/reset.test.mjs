// "Passwort vergessen?": the link arrives by e-mail (an SMTP sink in this test, the address the
// server was started with in SMTP_URL), sets a new password once, and the old one is gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, appReady } from '../lib/browser.mjs';
import { smtpSink } from '../lib/mail.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The reset link in a mail, with quoted-printable soft breaks and escapes undone. */
function resetPath(mail) {
  const plain = mail.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  const m = plain.match(/\/reset\?token=[A-Za-z0-9_-]+/);
  assert.ok(m, `a reset link in:\n${plain}`);
  return m[0];
}

test('forgot password: the mailed link sets a new password once; the old one no longer signs in', { skip: !process.env.SMTP_PORT && 'SMTP_PORT not set (make test sets it)' }, async () => {
  const sink = smtpSink(Number(process.env.SMTP_PORT));
  await sink.listen();
  try {
    const email = `vergessen${Date.now()}@example.de`;
    const old = 'correct horse battery staple';
    const fresh = 'violet tractor mountain harbour';
    const { context, page, errors } = await openPage(browser);
    // An account, then signed out.
    const r = await page.request.post('/api/auth/register', {
      headers: { 'x-requested-with': 'smart1-app' },
      data: { email, password: old },
    });
    assert.equal(r.status(), 201, await r.text());
    await context.clearCookies();

    await page.goto('/account');
    await appReady(page);
    await page.getByTestId('auth-forgot').click();
    await page.getByTestId('forgot-email').fill(email);
    await page.getByTestId('forgot-submit').click();
    await page.getByTestId('forgot-sent').waitFor();
    const mail = await sink.next();
    assert.match(mail, /To: .*vergessen/i);
    const path = resetPath(mail);

    await page.goto(path);
    await appReady(page);
    // Two different entries are refused in words before anything is sent.
    await page.getByTestId('reset-password').fill(fresh);
    await page.getByTestId('reset-repeat').fill(`${fresh}x`);
    await page.getByTestId('reset-submit').click();
    assert.ok((await page.getByTestId('reset-error').innerText()).length > 0);
    await page.getByTestId('reset-repeat').fill(fresh);
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('reset-done').waitFor();
    // Signed in right away: "My smart" shows the account.
    await page.getByTestId('reset-to-account').click();
    await page.getByTestId('signed-in-as').filter({ hasText: email }).waitFor();
    // The used link says so as soon as it is opened, before any password is typed.
    await page.goto(path);
    await appReady(page);
    await page.getByTestId('reset-error').filter({ hasText: /.+/ }).waitFor();
    assert.ok(await page.getByTestId('reset-submit').isDisabled(), 'a dead link offers no form to submit');

    // The same link again is refused; the old password no longer works, the new one does.
    const again = await page.request.post('/api/auth/reset', {
      headers: { 'x-requested-with': 'smart1-app' },
      data: { token: path.split('token=')[1], password: 'another long passphrase here' },
    });
    assert.equal(again.status(), 400);
    const login = (password) => page.request.post('/api/auth/login', {
      headers: { 'x-requested-with': 'smart1-app' },
      data: { email, password },
    });
    assert.equal((await login(old)).status(), 401);
    assert.equal((await login(fresh)).status(), 200);
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), []);
    await context.close();
  } finally {
    await sink.close();
  }
});
