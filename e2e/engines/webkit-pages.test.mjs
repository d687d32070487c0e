// Every customer page's first load in WebKitGTK, outside WebDriver: there WebKit writes its own
// console (CSP complaints such as an unknown directive, failed loads, uncaught errors), which
// under automation it keeps to the inspector. A page canary proves the channel is heard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BASE_URL } from '../lib/browser.mjs';

const PAGES = ['/', '/configure', '/locations', '/checkout', '/account', '/terms', '/withdrawal', '/imprint', '/store/hamburg-02', '/test-drive?location=hamburg-01'];
// A directive no engine knows: WebKit complains about it on its console, as it complained about
// the server's `manifest-src` before it was dropped.
const CANARY = `data:text/html,<meta http-equiv="Content-Security-Policy" content="canary-src 'self'"><script>console.log('canary')</script>`;

test('webkit: every customer page loads without a console error, CSP complaint or failed request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'webkit-pages-'));
  const log = join(dir, 'console.log');
  const window = new URL('../journey/webkit-window.py', import.meta.url).pathname;
  const args = [`--console=${log}`, `--profile=${dir}`, '--language=de-DE', '--visit', CANARY, ...PAGES.map((p) => BASE_URL + p)];
  // Under a terminal (util-linux's `script`), so WebKit writes its console line by line.
  const command = [window, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const { stdout } = await promisify(execFile)('script', ['-qefc', command, '/dev/null'], { timeout: 120_000, maxBuffer: 1 << 24 });
  const text = `${readFileSync(log, 'utf8')}\n${stdout.replace(/\r/g, '')}`;
  const visited = text.split('\n').filter((l) => l.startsWith('VISIT '));
  assert.equal(visited.length, PAGES.length + 1, 'every page visited');
  // The console comes in on its own schedule: lines are told apart by what they say.
  const said = text.split('\n').filter((l) => !l.startsWith('VISIT '));
  assert.ok(said.some((l) => /Unrecognized Content-Security-Policy directive 'canary-src'/.test(l)), `the canary's complaint is heard:\n${text}`);
  const errors = said.filter((l) => /ERROR|Unrecognized/i.test(l) && !/canary/.test(l));
  assert.deepEqual(errors, [], text);
});
