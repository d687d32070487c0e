// Writes public/shells/{page}.{lang}.html: the first screen of each painted page, captured from
// the running app (see lib/first-screen.mjs). The build puts them into the pages the server
// sends, so a customer sees the page before the wasm arrives. Run after changing what these
// pages show first (the e2e test "painted first screens are current" fails until then):
//   scripts/build.sh release && target/release/server &   # then
//   cd e2e && BASE_URL=http://127.0.0.1:8080 node tools/paint-shells.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { launch } from '../lib/browser.mjs';
import { PAINTED, LANGS, openAppFirstRender, appMarkup } from '../lib/first-screen.mjs';

const out = new URL('../../public/shells/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await launch();
for (const { path, stem } of PAINTED) {
  for (const { code, locale } of LANGS) {
    const { context, page } = await openAppFirstRender(browser, path, locale);
    const html = await appMarkup(page);
    writeFileSync(`${out}${stem}.${code}.html`, html.trim() + '\n');
    console.log(`${stem}.${code}.html  ${html.length} bytes`);
    await context.close();
  }
}
await browser.close();
