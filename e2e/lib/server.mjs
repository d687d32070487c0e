// A server of the suite's own, for tests that stop it (the network gone) or start it on another
// dist/ (a deploy): the binary `make test` built (SERVER_BIN), on a port of its own.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** The app as built (dist/ at the repository's root). */
export const DIST = new URL('../../dist/', import.meta.url).pathname;

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** The server binary on `port`, serving `dist`; resolves once it listens. */
export async function startServer(port, dist, database) {
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(process.env.SERVER_BIN, [], {
    env: { ...process.env, BIND: `127.0.0.1:${port}`, PUBLIC_ORIGIN: origin, DATABASE_URL: database, DIST_DIR: dist },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (out.includes(`listening on ${origin}`)) resolve(); });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });
  return child;
}
