/**
 * next-app.mjs — owns the real Next.js app of the tests (tests/fixtures/next-app): its
 * npm dependencies, a private copy to build, `next build` and `next start` on 127.0.0.1.
 *
 *   async ensureNextDeps() -> string
 *       The fixture's dependencies (next, react, …, pinned by its package-lock.json),
 *       installed once into ${OXEYE_CACHE:-~/.cache/oxeye}/next-app-deps.
 *       Reinstalled only when the sha256 of package.json + package-lock.json differs from
 *       the stamp written after a successful install. Concurrent runs serialise on a lock
 *       directory (bounded wait; a lock whose process is gone is taken over).
 *   async prepareNextApp() -> { dir, remove() }
 *       A fresh copy of the fixture under the cache (next-runs/run-*): its node_modules
 *       hard-linked from the installed dependencies, and `oxeye` installed from this
 *       repository's build as `npm pack` would ship it (package.json + dist/). Every run
 *       gets its own copy, so parallel runs never share a build.
 *   async buildNextApp(dir, env, { webpack }) -> { ms, log }
 *       `next build` (Turbopack, or webpack with `webpack: true`; telemetry off, no
 *       network needed), bounded in time.
 *       The build output is not reused between runs: the client bundle inlines
 *       NEXT_PUBLIC_* values, and each test run has a fresh Bugsink with a new DSN.
 *   async startNextApp(dir, env, { dev }) -> { url, port, output(), stop() }
 *       `next start` (with `dev: true`, `next dev` on the unbuilt app, NODE_ENV
 *       development) on 127.0.0.1 and a free port; resolves once it answers. stop() ends
 *       its process group and resolves once it has exited. A crashed test process does
 *       not leave it behind (exit handler).
 *   installOxeye(appDir)
 *       Installs this repository's package (package.json + dist/) into
 *       appDir/node_modules/oxeye as `npm pack` would ship it.
 *   freePort() -> Promise<number>
 *       A free port on 127.0.0.1.
 *   endGroup(child, exited)
 *       Ends a detached child's process group: SIGTERM, then SIGKILL after 5 s.
 *   runCopy(depsDir, runsDir, copy) -> { dir, remove() }
 *       A fresh run copy of a fixture with hard-linked dependencies and oxeye installed
 *       (prepareNextApp's, also opennext-app.mjs's).
 *
 * CLI: `node scripts/lib/next-app.mjs` installs the dependencies (what `npm test` runs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './python-env.mjs';
import { answers, waitFor } from './wait.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const fixtureDir = join(root, 'tests', 'fixtures', 'next-app');
const depsDir = () => join(cacheDir(), 'next-app-deps');
const runsDir = () => join(cacheDir(), 'next-runs');
const STAMP = '.oxeye-deps.sha256';
const running = new Set();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function depsHash() {
  const h = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) h.update(readFileSync(join(fixtureDir, f)));
  return h.digest('hex');
}

function depsReady(want) {
  const stamp = join(depsDir(), 'node_modules', STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want;
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** A lock directory holding the owner's pid; waits at most `timeoutMs` for another owner. */
async function withLock(dir, timeoutMs, fn) {
  const lock = `${dir}.lock`;
  const take = () => {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return true;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      /* being written or removed */
    }
    if (!(Number.isInteger(owner) && owner > 0 && !pidAlive(owner))) return false;
    rmSync(lock, { recursive: true, force: true }); // its owner is gone
    return take();
  };
  await waitFor(take, { timeoutMs, intervalMs: 500, fail: () => new Error(`next-app: ${lock} still held after ${timeoutMs} ms`) });
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function ensureNextDeps() {
  const want = depsHash();
  const dir = depsDir();
  if (depsReady(want)) return dir;
  mkdirSync(cacheDir(), { recursive: true });
  return withLock(dir, 10 * 60_000, async () => {
    if (depsReady(want)) return dir;
    const started = Date.now();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of ['package.json', 'package-lock.json']) cpSync(join(fixtureDir, f), join(dir, f));
    // `npm install` on the copied lock installs exactly the locked versions; `npm ci` would
    // refuse a lock that leaves out optional platform packages the registry lacks.
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 9 * 60_000,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (r.status !== 0) throw new Error(`next-app: npm install failed (${r.status ?? r.signal ?? r.error}):\n${(r.stderr || '').slice(-3000)}`);
    writeFileSync(join(dir, 'node_modules', STAMP), `${want}\n`);
    console.log(`next-app: dependencies installed in ${Math.round((Date.now() - started) / 1000)}s (${dir})`);
    return dir;
  });
}

/** Copies the fixture's own files (not its installed or built output). */
function copyFixture(to) {
  cpSync(fixtureDir, to, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|\.next)([/\\]|$)/.test(src.slice(fixtureDir.length)),
  });
}

/** Installs this repository's package into `app/node_modules/oxeye` as `npm pack` would ship it. */
export function installOxeye(app) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const target = join(app, 'node_modules', 'oxeye');
  if (!existsSync(join(root, 'dist', 'frameworks', 'nextjs', 'nextjs.js'))) throw new Error('next-app: dist/ is missing or stale; run `npm run build` first');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, 'package.json'), JSON.stringify(manifest, null, 2));
  for (const entry of manifest.files ?? ['dist']) cpSync(join(root, entry), join(target, entry), { recursive: true });
}

/** Removes copies under `runs` left by runs that died more than an hour ago. */
function sweepOldRuns(runs) {
  if (!existsSync(runs)) return;
  for (const name of readdirSync(runs)) {
    const p = join(runs, name);
    try {
      if (Date.now() - statSync(p).mtimeMs > 3600_000) rmSync(p, { recursive: true, force: true });
    } catch {
      /* already gone */
    }
  }
}

/**
 * A fresh run copy under `runs` (run-*): `copy(dir)` writes the fixture's own files, its
 * node_modules are hard-linked from `deps` (the installed dependencies: hundreds of MB cost
 * a fraction of a second per run instead of a copy), and `oxeye` is installed from this
 * repository's build. Copies of runs that died more than an hour ago are removed first.
 */
export function runCopy(deps, runs, copy) {
  sweepOldRuns(runs);
  mkdirSync(runs, { recursive: true });
  const dir = mkdtempSync(join(runs, 'run-'));
  copy(dir);
  const linked = spawnSync('cp', ['-al', join(deps, 'node_modules'), join(dir, 'node_modules')], { encoding: 'utf8' });
  if (linked.status !== 0) cpSync(join(deps, 'node_modules'), join(dir, 'node_modules'), { recursive: true });
  installOxeye(dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function prepareNextApp() {
  return runCopy(await ensureNextDeps(), runsDir(), copyFixture);
}

function nextEnv(env) {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...env };
}

const nextBin = (dir) => join(dir, 'node_modules', 'next', 'dist', 'bin', 'next');

export function buildNextApp(dir, env = {}, { timeoutMs = 180_000, webpack = false } = {}) {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [nextBin(dir), 'build', ...(webpack ? ['--webpack'] : [])], { cwd: dir, env: nextEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolvePromise({ ms: Date.now() - started, log });
      else reject(new Error(`next build failed (${code ?? signal}) after ${Date.now() - started} ms:\n${log.slice(-4000)}`));
    });
  });
}

/** A free port on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Ends `child`'s process group if it still runs: SIGTERM, then SIGKILL after 5 s; resolves once `exited` has. */
export async function endGroup(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  killGroup(child, 'SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  if (!done) {
    killGroup(child, 'SIGKILL');
    await exited;
  }
}

function killGroup(child, signal = 'SIGTERM') {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

export async function startNextApp(dir, env = {}, { timeoutMs = 30_000, dev = false } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [nextBin(dir), dev ? 'dev' : 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: dir,
    env: nextEnv(dev ? { ...env, NODE_ENV: 'development' } : env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((r) => child.on('exit', r));
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      await endGroup(child, exited);
      running.delete(child);
    })());
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`next ${dev ? 'dev' : 'start'} exited (${child.exitCode}):\n${log.slice(-3000)}`);
        return answers(`${url}/`);
      },
      { timeoutMs, intervalMs: 100, fail: () => new Error(`next ${dev ? 'dev' : 'start'} did not answer within ${timeoutMs} ms:\n${log.slice(-3000)}`) },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, output: () => log, stop };
}

process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = await ensureNextDeps();
  console.log(`next-app: dependencies ready (${dir})`);
}
