// Debian's Chromium through playwright-core (never a downloaded browser), and page helpers.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
export const SCREENSHOTS = new URL('../screenshots/', import.meta.url).pathname;

export const VIEWPORTS = {
  phone: { width: 360, height: 800 },
  laptop: { width: 1280, height: 800 },
  showroom: { width: 1920, height: 1080 },
};

/** Debian's Chromium. With `lang` (e.g. 'de-DE') its interface runs in that language, so a date
 * field takes a date in that country's order, as a customer's browser there does (the language
 * files come from Debian's chromium-l10n; on Linux Chromium reads the language from LANG). */
export async function launch({ lang } = {}) {
  const env = lang ? { ...process.env, LANG: `${lang.replace('-', '_')}.UTF-8`, LANGUAGE: lang.split('-')[0] } : process.env;
  const options = {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage', ...(lang ? [`--lang=${lang}`] : [])],
    env,
  };
  // A browser that dies while starting is the machine's hiccup, not the product's: a CI run lost a
  // whole test file to one such start ("Target page, context or browser has been closed" before any
  // page opened). Two more tries, each said out loud; a browser that cannot start at all still fails.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await chromium.launch(options);
    } catch (err) {
      if (attempt >= 3) throw err;
      console.error(`chromium did not start (try ${attempt} of 3): ${String(err.message).split('\n')[0]}`);
    }
  }
}

/** A fresh context and page that records console errors and failed requests. */
export async function openPage(browser, { viewport = VIEWPORTS.laptop, locale = 'de-DE', ...options } = {}) {
  const context = await browser.newContext({ viewport, locale, baseURL: BASE_URL, ...options });
  // The boot script fires this once the wasm app has mounted (replacing a painted first screen).
  await context.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', () => { window.__appStarted = true; }, { once: true });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('requestfailed', (req) => {
    // A navigation cancels the previous page's requests: that is not a failure.
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') errors.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  // A server error is a failure wherever it happens, whatever a test expects to be refused.
  page.on('response', (res) => {
    if (res.status() >= 500) errors.push(`server error ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  return { context, page, errors };
}

/** Waits until the wasm app has mounted and rendered its layout (not the painted first screen,
 * not a blank page). */
export async function appReady(page) {
  await page.waitForFunction(() => window.__appStarted === true);
  await page.getByTestId('site-header').waitFor({ state: 'visible' });
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}
