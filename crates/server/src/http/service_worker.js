// The app's service worker: the app keeps working offline after one visit. The server writes
// BUILD when it starts, from the dist/ it serves (server::http::offline): its version, each
// build's files and the route table that says which build serves which page. Nothing here is
// written by hand per build.
//
// - The files of a build the customer used are cached, with the page itself (the page's boot
//   script names its script 2 s after load; they come from the browser's HTTP cache).
// - Pages: network first, and after NAV_TIMEOUT_MS or without a network the page as last
//   seen, else its build's HTML, else a plain offline note.
// - /api is never answered or cached here, nor anything that is not a GET of this origin.
// - A new version installs in the background and waits: the page offers a reload, so no page
//   runs HTML of one build with files of another (the files are named by their hash anyway).
const BUILD = '__BUILD__';
const CACHE = `smart1-${BUILD.version}`;
const NAV_TIMEOUT_MS = 3000;
/** Marks a build as used on this device, so a new version caches that build's new files. */
const USED = '/__offline/used/';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const used = await usedBeforeThis();
    const cache = await caches.open(CACHE);
    for (const name of used) await cacheBuild(cache, name).catch(() => {});
    // The first version takes over at once; a later one waits for the page's reload.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('smart1-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  const message = event.data || {};
  // The page names its build by its script (the boot script knows it; see Trunk.toml).
  const build = Object.keys(BUILD.builds).find((b) => BUILD.builds[b].includes(message.script));
  if (message.type === 'cache-build' && build) {
    event.waitUntil((async () => {
      const cache = await caches.open(CACHE);
      await cacheBuild(cache, build);
      // The page itself as painted (revalidated from the browser's cache, not downloaded again).
      if (typeof message.page === 'string' && message.page.startsWith('/') && !message.page.startsWith('/api')) {
        await cache.add(message.page).catch(() => {});
      }
    })());
  } else if (message.type === 'activate') {
    self.skipWaiting();
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(event, url));
  } else if (BUILD.files.includes(url.pathname)) {
    event.respondWith(file(request, url));
  }
});

/** Builds used on this device, as marked in the caches of earlier versions. */
async function usedBeforeThis() {
  const used = new Set();
  for (const key of await caches.keys()) {
    if (!key.startsWith('smart1-')) continue;
    for (const request of await (await caches.open(key)).keys()) {
      const path = new URL(request.url).pathname;
      if (path.startsWith(USED)) used.add(path.slice(USED.length));
    }
  }
  return [...used].filter((name) => BUILD.builds[name]);
}

/** A build's HTML and files, and the mark that this device uses it. */
async function cacheBuild(cache, name) {
  const paths = ['/' + name, ...BUILD.builds[name]].filter((p, i, all) => all.indexOf(p) === i);
  const missing = [];
  for (const path of paths) if (!(await cache.match(path))) missing.push(path);
  await cache.addAll(missing);
  await cache.put(USED + name, new Response(''));
}

/** A built file (its name holds its hash, so it never changes): from the cache, else fetched. */
async function file(request, url) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(url.pathname);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(url.pathname, response.clone());
  return response;
}

/** A page: from the network (kept for later), else as last seen, else its build's HTML. */
async function page(event, url) {
  const cache = await caches.open(CACHE);
  // Kept by path alone, so only pages without a query: with one (a summary step, say) the
  // server may send another build.
  const plain = url.search === '';
  const fresh = fetch(event.request).then(async (response) => {
    if (plain && response.ok && response.type === 'basic') await cache.put(url.pathname, response.clone());
    return response;
  });
  event.waitUntil(fresh.catch(() => {}));
  const late = new Promise((resolve) => setTimeout(resolve, NAV_TIMEOUT_MS));
  try {
    const response = await Promise.race([fresh, late]);
    if (response) return response;
  } catch (_) {
    // No network: the kept page below.
  }
  const build = buildFor(url);
  const asSeen = build === buildOf(url.pathname) ? await cache.match(url.pathname) : undefined;
  const kept = asSeen || (await cache.match('/' + build));
  if (kept) return kept;
  return fresh.catch(() => offlineNote());
}

/** The build the server sends for `url` (domain::pages::Bundle::for_request, without the
 * showroom screen's cookie, which a worker cannot read: such a screen has its pages kept). */
function buildFor(url) {
  const build = buildOf(url.pathname);
  const pairs = url.search.slice(1).split('&');
  const needsShop = build === BUILD.configurator && pairs.some((p) => BUILD.shop_queries.includes(p));
  return needsShop ? BUILD.fallback : build;
}

/** The build that serves `path`, by the server's route table. */
function buildOf(path) {
  const page = path.replace(/\/+$/, '') || '/';
  for (const [route, build] of BUILD.routes) {
    const prefix = route.endsWith('/') && route.length > 1 ? route.slice(0, -1) : null;
    if (prefix ? page.startsWith(prefix + '/') : page === route) return build;
  }
  return BUILD.fallback;
}

/** A page never opened on this device, without a network: say so, in both languages. */
function offlineNote() {
  const html = `<!doctype html><html lang="de"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline – smart #1</title>
<main style="font-family:sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>Sie sind offline</h1><p>Diese Seite war auf diesem Gerät noch nicht geöffnet. Sobald Sie wieder
online sind, lädt sie. Der Konfigurator funktioniert offline: <a href="/configure">zum Konfigurator</a>.</p>
<h2 lang="en">You are offline</h2><p lang="en">This page has not been opened on this device yet. It loads
as soon as you are back online. The configurator works offline: <a href="/configure">to the configurator</a>.</p>
</main></html>`;
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}
