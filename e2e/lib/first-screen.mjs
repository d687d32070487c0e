// The first screen the app renders for a page, as the server should paint it: a fresh visitor,
// no saved state, every /api request held open (so nothing async has arrived yet). Shared by the
// shell painter (tools/paint-shells.mjs) and the test that the painted shells are current.
import { openPage } from './browser.mjs';

export const PAINTED = [
  { path: '/', stem: 'home' },
  { path: '/configure', stem: 'configure' },
  { path: '/locations', stem: 'locations' },
  { path: '/checkout', stem: 'checkout' },
  { path: '/test-drive', stem: 'test-drive' },
];
export const LANGS = [
  { code: 'de', locale: 'de-DE' },
  { code: 'en', locale: 'en-US' },
];

/** Opens `path` and resolves when the wasm app has mounted and settled its first render. */
export async function openAppFirstRender(browser, path, locale, options = {}) {
  const opened = await openPage(browser, { locale, ...options });
  const { page } = opened;
  await page.addInitScript(() => {
    window.__appStarted = new Promise((resolve) => addEventListener('TrunkApplicationStarted', resolve, { once: true }));
  });
  await page.route('**/api/**', () => {}); // held: the first render is what needs no server answer
  await page.goto(path);
  await page.evaluate(() => window.__appStarted);
  // Effects run in microtasks after mounting; what the customer sees is the next frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return opened;
}

/** The app's markup inside #app, without the comments and whitespace a renderer may vary in. */
export function normalise(html) {
  return html.replace(/<!--[\s\S]*?-->/g, '').replace(/>\s+</g, '><').trim();
}

export async function appMarkup(page) {
  return page.evaluate(() => document.getElementById('app').innerHTML);
}
