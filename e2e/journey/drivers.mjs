// One small driver interface over three engines, so the core journey is written once:
//   Chromium through playwright-core (CDP), Firefox ESR through puppeteer-core (WebDriver BiDi),
//   WebKitGTK through WebKitWebDriver (W3C WebDriver over HTTP) under Xvfb.
// Every driver records console errors, uncaught errors and failed requests of its pages in
// `errors`; a journey fails when that list is not empty. Elements are addressed by data-testid;
// waits poll a condition in the page (no fixed sleeps).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_URL, launch as launchChromium } from '../lib/browser.mjs';
import { freePort } from '../lib/server.mjs';

/** An element: a data-testid, or `{ css }` for the few a test id does not name. */
const byTestId = (id) => (typeof id === 'string' ? `[data-testid="${id}"]` : id.css);
const WAIT_MS = 20_000;

/** What all three drivers share: waiting on a condition evaluated in the page. */
class Driver {

  /** Resolves when `fn(...args)` is truthy in the page; survives navigations in between. */
  async waitFor(fn, args = [], { timeout = WAIT_MS, what = fn.toString() } = {}) {
    const until = Date.now() + timeout;
    for (;;) {
      let value;
      try { value = await this.eval(fn, ...args); } catch { value = undefined; } // page navigating
      if (value) return value;
      if (Date.now() > until) {
        const seen = await this.eval(() => `${location.href}: ${(document.querySelector("main") ?? document.body)?.innerText.slice(0, 600)}`).catch(() => '?');
        throw new Error(`${this.engine}: timed out waiting for ${what}; the page shows ${seen}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  visible(id) {
    return this.waitFor((sel) => {
      const el = document.querySelector(sel);
      return !!el && el.getClientRects().length > 0 && !el.closest('[inert]');
    }, [byTestId(id)], { what: `${byTestId(id)} visible` });
  }

  /** Focuses an element and types into it key by key, as a person does (a date field's parts
   * take the keys the way the engine's field does). */
  async keys(id, text) {
    await this.visible(id);
    await this.eval((sel) => document.querySelector(sel).focus(), byTestId(id));
    await this.type(text);
  }

  text(id) { return this.eval((sel) => document.querySelector(sel)?.innerText.trim() ?? null, byTestId(id)); }
  url() { return this.eval(() => location.href); }
  /** Waits until the wasm app has mounted (the painted first screen is inert until then). */
  appReady() {
    return this.waitFor(() => !!document.querySelector('[data-testid="site-header"]') && !document.querySelector('[inert]'),
      [], { what: 'the app started' });
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium: playwright-core, as the rest of the suite.

class ChromiumDriver extends Driver {
  engine = 'chromium';
  errors = [];
  static async start({ width, height, locale, origin = BASE_URL }) {
    const d = new ChromiumDriver();
    d.browser = await launchChromium({ lang: locale });
    d.context = await d.browser.newContext({ viewport: { width, height }, locale, baseURL: origin });
    d.page = await d.context.newPage();
    d.page.on('console', (m) => { if (m.type() === 'error') d.errors.push(`console: ${m.text()}`); });
    d.page.on('pageerror', (e) => d.errors.push(`uncaught: ${e}`));
    d.page.on('requestfailed', (r) => {
      if (r.failure()?.errorText !== 'net::ERR_ABORTED') d.errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    d.page.on('response', (r) => { if (r.status() >= 400) d.errors.push(`${r.status()}: ${r.request().method()} ${r.url()}`); });
    return d;
  }
  async goto(path) { await this.page.goto(path); }
  async reload() { await this.page.reload(); }
  // A string is evaluated by CDP, outside the page's CSP (which forbids eval in the page).
  eval(fn, ...args) { return this.page.evaluate(`(${fn.toString()})(...${JSON.stringify(args)})`); }
  async click(id) { await this.page.locator(byTestId(id)).click(); }
  async fill(id, text) { await this.page.locator(byTestId(id)).fill(''); await this.page.locator(byTestId(id)).pressSequentially(text); }
  async type(text) { await this.page.keyboard.type(text); }
  async tab() { await this.page.keyboard.press('Tab'); }
  async close() { await this.browser.close(); }
}

// ---------------------------------------------------------------------------------------------
// Firefox ESR: puppeteer-core over WebDriver BiDi. puppeteer's locators trip the page's CSP
// (they evaluate strings), so elements are found with `$` and driven through handles.

class FirefoxDriver extends Driver {
  engine = 'firefox';
  errors = [];
  static async start({ width, height, locale, origin = BASE_URL }) {
    const { default: puppeteer } = await import('puppeteer-core');
    const d = new FirefoxDriver();
    d.origin = origin;
    d.browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
      headless: true,
      // Dates and numbers in the customer's regional format (the date field's order) come from
      // the system locale; Debian's firefox-esr has only its English interface.
      extraPrefsFirefox: { 'intl.accept_languages': locale, 'intl.regional_prefs.use_os_locales': true },
      env: { ...process.env, LANG: `${locale.replace('-', '_')}.UTF-8`, LC_ALL: `${locale.replace('-', '_')}.UTF-8` },
    });
    d.page = await d.browser.newPage();
    // setViewport applies the size, then throws on a screen-orientation command ESR lacks.
    await d.page.setViewport({ width, height }).catch(() => {});
    d.page.on('console', (m) => { if (m.type() === 'error') d.errors.push(`console: ${m.text()}`); });
    d.page.on('pageerror', (e) => d.errors.push(`uncaught: ${e}`));
    d.page.on('requestfailed', (r) => {
      // A navigation cancels the previous page's requests (NS_BINDING_ABORTED): not a failure.
      if (!/ABORTED/.test(r.failure()?.errorText ?? '')) d.errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    d.page.on('response', (r) => { if (r.status() >= 400) d.errors.push(`${r.status()}: ${r.request().method()} ${r.url()}`); });
    return d;
  }
  async goto(path) { await this.page.goto(new URL(path, this.origin).href); }
  async reload() { await this.page.reload(); }
  eval(fn, ...args) { return this.page.evaluate(fn, ...args); }
  async element(id) {
    await this.visible(id);
    return this.page.$(byTestId(id));
  }
  async click(id) { await (await this.element(id)).click(); }
  async fill(id, text) {
    const el = await this.element(id);
    await el.evaluate((e) => { e.value = ''; });
    await el.type(text);
  }
  async type(text) { await this.page.keyboard.type(text); }
  async tab() { await this.page.keyboard.press('Tab'); }
  async close() { await this.browser.close(); }
}

// ---------------------------------------------------------------------------------------------
// WebKitGTK: WebKitWebDriver starts journey/webkit-window.py (a bare WebKitGTK window) under
// Xvfb. WebDriver reports no console messages, so the window writes WebKit's console to a file
// (every console error, uncaught error, CSP complaint and failed load lands there).

class WebKitDriver extends Driver {
  engine = 'webkit';
  static async start({ width, height, locale, origin = BASE_URL }) {
    const d = new WebKitDriver();
    d.origin = origin;
    const port = await freePort();
    d.dir = mkdtempSync(join(tmpdir(), 'webkit-journey-'));
    d.consoleFile = join(d.dir, 'console.log');
    d.process = spawn(process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore' });
    d.endpoint = `http://127.0.0.1:${port}`;
    const window = new URL('./webkit-window.py', import.meta.url).pathname;
    const capabilities = {
      alwaysMatch: {
        'webkitgtk:browserOptions': {
          binary: window,
          args: ['--automation', `--console=${d.consoleFile}`, `--profile=${d.dir}`, `--language=${locale}`],
        },
        timeouts: { script: WAIT_MS, pageLoad: 60_000, implicit: 0 },
      },
    };
    for (let tries = 0; ; tries++) { // until the driver listens
      try { d.session = (await d.command('POST', '/session', { capabilities })).sessionId; break; } catch (e) {
        if (tries > 100 || !/ECONNREFUSED|fetch failed/.test(String(e.cause ?? e))) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await d.command('POST', `/session/${d.session}/window/rect`, { width, height });
    return d;
  }

  async command(method, path, body) {
    const res = await fetch(this.endpoint + path, {
      method,
      signal: AbortSignal.timeout(60_000), // a window that never starts must not hang the suite
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`webkit ${method} ${path}: ${json.value?.error} ${json.value?.message}`);
    return json.value;
  }
  s(path) { return `/session/${this.session}${path}`; }

  /** Console lines that are errors (WebKit prefixes each with its source and level). */
  get errors() {
    let lines = [];
    try { lines = readFileSync(this.consoleFile, 'utf8').split('\n'); } catch { /* nothing written yet */ }
    return lines.filter((l) => /ERROR/.test(l)).map((l) => `console: ${l}`);
  }

  async goto(path) { await this.command('POST', this.s('/url'), { url: new URL(path, this.origin).href }); }
  async reload() { await this.command('POST', this.s('/refresh'), {}); }
  async eval(fn, ...args) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve((${fn.toString()})(...Array.prototype.slice.call(arguments, 0, -1)))
        .then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ err: String(e) }));`;
    const out = await this.command('POST', this.s('/execute/async'), { script, args });
    if (out && 'err' in out) throw new Error(out.err);
    return out?.ok;
  }
  async element(id) {
    await this.visible(id);
    const found = await this.command('POST', this.s('/element'), { using: 'css selector', value: byTestId(id) });
    return Object.values(found)[0];
  }
  /** As Playwright does before a click: the element in the middle of the screen and at rest
   * (the same box over two frames), so a page still settling cannot take the click. */
  async click(id) {
    const el = await this.element(id);
    await this.eval((sel) => new Promise((resolve) => {
      const e = document.querySelector(sel);
      e.scrollIntoView({ block: 'center', inline: 'center' });
      let last = '';
      const check = () => {
        const box = JSON.stringify(e.getBoundingClientRect());
        if (box === last) resolve(true); else { last = box; requestAnimationFrame(check); }
      };
      requestAnimationFrame(check);
    }), byTestId(id));
    await this.command('POST', this.s(`/element/${el}/click`), {});
  }
  async fill(id, text) {
    const el = await this.element(id);
    await this.command('POST', this.s(`/element/${el}/clear`), {});
    await this.command('POST', this.s(`/element/${el}/value`), { text });
  }
  async type(text) {
    const actions = [...text].flatMap((k) => [{ type: 'keyDown', value: k }, { type: 'keyUp', value: k }]);
    await this.command('POST', this.s('/actions'), { actions: [{ type: 'key', id: 'keyboard', actions }] });
  }
  async tab() { await this.type('\uE004'); }
  async close() {
    await this.command('DELETE', this.s('')).catch(() => {});
    this.process.kill();
  }
}

export const DRIVERS = { chromium: ChromiumDriver, firefox: FirefoxDriver, webkit: WebKitDriver };
