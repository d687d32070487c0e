// Offline in each engine (issue 32), written once like the core journey: after one visit the
// service worker keeps the configurator, and with the server out of reach (stopped: the browser
// still says it is online, as on a Wi-Fi without internet) a reload shows the app, a choice
// changes the price and the badge says offline; once the server is back the badge goes by itself.
// Run against a server of its own, which it stops and starts again.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRIVERS } from './drivers.mjs';
import { DIST, freePort, startServer } from '../lib/server.mjs';

/** In the page: the service worker controls it and has kept the files of `build`. */
async function kept(build) {
  if (!navigator.serviceWorker?.controller) return false;
  for (const key of await caches.keys()) {
    if (await (await caches.open(key)).match(`/__offline/used/${build}`)) return true;
  }
  return false;
}

export function offlineJourney(engine) {
  describe(`${engine}: offline`, () => offline(engine));
}

function offline(engine) {
  let d;
  let server;
  let port;
  const database = `sqlite://${mkdtempSync(join(tmpdir(), `smart1-offline-${engine}-`))}/server.sqlite`;
  const price = () => d.text('price-total');

  before(async () => {
    port = await freePort();
    server = await startServer(port, DIST, database);
    d = await DRIVERS[engine].start({ width: 1280, height: 800, locale: 'de-DE', origin: `http://127.0.0.1:${port}` });
  });
  after(async () => {
    await d?.close();
    server?.kill();
  });

  test(`${engine}: after one visit the configurator works with the server out of reach, and says so`, async () => {
    await d.goto('/configure?line=PREMIUM');
    await d.appReady();
    await d.waitFor(kept, ['configurator.html'], { what: 'the service worker keeping the configurator' });

    server.kill();
    await once(server, 'exit');
    await d.reload();
    await d.appReady();
    await d.visible('offline-badge');
    await d.click('step-options');
    await d.visible('choice-PACK_WINTER');
    const before = await price();
    await d.click('choice-PACK_WINTER');
    await d.waitFor((sel, was) => document.querySelector(sel)?.innerText.trim() !== was,
      ['[data-testid="price-total"]', before], { what: 'the price to follow the choice' });
    assert.notEqual(await price(), before);

    // The server back: the page finds it by itself (it asks every few seconds) and the badge goes.
    server = await startServer(port, DIST, database);
    await d.waitFor(() => !document.querySelector('[data-testid="offline-badge"]'), [], { what: 'the badge gone' });
    // What went wrong meanwhile was only the server out of reach, nothing in the app.
    assert.deepEqual(d.errors.filter((e) => /^uncaught/.test(e)), []);
  });
}
