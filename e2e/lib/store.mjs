// Showroom screens: store mode is granted by the server when a staff member of the location's
// agent signs in on the screen. Staff accounts are made with the server's own command on the
// suite's database (SERVER_BIN, DATABASE_URL), one per partner.
import { execFileSync } from 'node:child_process';
import { appReady } from './browser.mjs';

export const STAFF_PASSWORD = 'correct horse battery staple';
const made = new Map();

/** A staff account of `partner` (made once per run); returns its e-mail address. */
export function staffOf(partner) {
  if (!made.has(partner)) {
    if (!process.env.SERVER_BIN || !process.env.DATABASE_URL) throw new Error('SERVER_BIN and DATABASE_URL are needed to make staff accounts');
    const email = `screen-${partner.toLowerCase()}-${Date.now()}@agent.example.de`;
    execFileSync(process.env.SERVER_BIN, ['staff-add', '--email', email, '--partner', partner],
      { env: { ...process.env, STAFF_PASSWORD }, stdio: 'pipe' });
    made.set(partner, email);
  }
  return made.get(partner);
}

/** Opens `/store/{location}{query}`; if the screen is not set up for it yet, staff of `partner`
 * set it up on the page's form. Resolves when the welcome page shows. */
export async function openScreen(page, location, partner, query = '') {
  await page.goto(`/store/${location}${query}`);
  await appReady(page);
  const start = page.getByTestId('store-start');
  const setup = page.getByTestId('store-setup');
  await start.or(setup).first().waitFor();
  if (await setup.isVisible()) {
    await page.getByTestId('store-setup-email').fill(staffOf(partner));
    await page.getByTestId('store-setup-password').fill(STAFF_PASSWORD);
    await page.getByTestId('store-setup-submit').click();
  }
  await start.waitFor();
}
