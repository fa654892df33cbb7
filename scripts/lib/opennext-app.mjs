/**
 * opennext-app.mjs — owns the Next.js app that `@opennextjs/cloudflare` builds for Workers
 * (tests/fixtures/opennext-app): its npm dependencies, a private copy to build, the build
 * and the local Worker on 127.0.0.1.
 *
 *   async ensureOpenNextDeps() -> string
 *       The fixture's dependencies (next, react, @opennextjs/cloudflare, wrangler, …, pinned
 *       by its package-lock.json), installed once into
 *       ${OXEYE_CACHE:-~/.cache/oxeye}/opennext-app-deps by fixture-deps.mjs; throws when
 *       they cannot be installed (no registry).
 *   async prepareOpenNextApp() -> { dir, remove() }
 *       A fresh copy of the fixture under the cache (opennext-runs/run-*): node_modules
 *       hard-linked from the installed dependencies, `oxeye` installed from this repository's
 *       build as `npm pack` would ship it (package.json + dist/), and a private HOME for the
 *       tools. Every run gets its own copy, so parallel runs never share a build.
 *   async buildOpenNextApp(dir, { node, timeoutMs }) -> { ms, log }
 *       `opennextjs-cloudflare build` (which runs `next build`, Turbopack, then bundles the
 *       Worker into .open-next/), with `node` — a Node >= 22 binary, which wrangler needs —
 *       first on PATH; no login, metrics, telemetry or update checks; bounded in time.
 *   async previewOpenNextApp(dir, vars, { node, timeoutMs }) -> { url, port, output(), stop() }
 *       Writes `vars` (SENTRY_DSN, …) to the app's .dev.vars and runs the built Worker with
 *       `wrangler dev` on 127.0.0.1 and free ports: what `opennextjs-cloudflare preview`
 *       runs once it has populated the caches (this app has none), here with the Worker's
 *       stdout and stderr both read as they come (preview holds wrangler's stderr until it
 *       exits). Resolves once the app answers `/`. stop() ends its process group (wrangler
 *       and workerd) and resolves once it has exited; a crashed test process does not leave
 *       it behind (exit handler).
 *
 * CLI: `node scripts/lib/opennext-app.mjs` installs the dependencies.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFixtureDeps } from './fixture-deps.mjs';
import { endGroup, freePort, runCopy } from './next-app.mjs';
import { cacheDir } from './python-env.mjs';
import { answers, waitFor } from './wait.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const fixtureDir = join(root, 'tests', 'fixtures', 'opennext-app');
const runsDir = () => join(cacheDir(), 'opennext-runs');
const running = new Set();

export const ensureOpenNextDeps = () => ensureFixtureDeps('opennext-app', fixtureDir);

export async function prepareOpenNextApp() {
  const run = runCopy(await ensureOpenNextDeps(), runsDir(), (dir) =>
    cpSync(fixtureDir, dir, {
      recursive: true,
      filter: (src) => !/[/\\](node_modules|\.next|\.open-next|\.wrangler|\.dev\.vars)([/\\]|$)/.test(src.slice(fixtureDir.length)),
    }),
  );
  mkdirSync(join(run.dir, '.home', '.config'), { recursive: true });
  return run;
}

/** The tools' environment: `node` first on PATH, a private HOME, nothing sent anywhere. */
function toolEnv(dir, node) {
  const home = join(dir, '.home');
  return {
    PATH: `${dirname(node)}${delimiter}${process.env.PATH}`,
    ...(process.env.TMPDIR && { TMPDIR: process.env.TMPDIR }),
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    WRANGLER_SEND_METRICS: 'false',
    NEXT_TELEMETRY_DISABLED: '1',
    CI: '1',
    NO_UPDATE_NOTIFIER: '1',
    npm_config_update_notifier: 'false',
    // As `opennextjs-cloudflare preview` runs wrangler: .env files are the adapter's.
    CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: 'false',
  };
}

function killGroup(child, signal = 'SIGTERM') {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

function run(dir, node, args) {
  const child = spawn(node, args, { cwd: dir, env: toolEnv(dir, node), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((r) => child.on('exit', (code, signal) => r(code ?? signal)));
  exited.then(() => running.delete(child));
  return { child, exited, output: () => log };
}

export async function buildOpenNextApp(dir, { node, timeoutMs = 300_000 } = {}) {
  const started = Date.now();
  const cli = join(dir, 'node_modules', '@opennextjs', 'cloudflare', 'dist', 'cli', 'index.js');
  const { child, exited, output } = run(dir, node, [cli, 'build']);
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
  const status = await exited;
  clearTimeout(timer);
  const ms = Date.now() - started;
  if (status !== 0) throw new Error(`opennextjs-cloudflare build failed (${status}) after ${ms} ms:\n${output().slice(-4000)}`);
  return { ms, log: output() };
}

export async function previewOpenNextApp(dir, vars, { node, timeoutMs = 60_000 } = {}) {
  writeFileSync(join(dir, '.dev.vars'), Object.entries(vars).map(([k, v]) => `${k}=${v}\n`).join(''));
  const [port, inspector] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const wrangler = join(dir, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  const { child, exited, output } = run(dir, node, [wrangler, 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector)]);
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      await endGroup(child, exited);
      // workerd may outlive wrangler by a moment: the group is gone once no member is left.
      const gone = await waitFor(() => !groupAlive(child.pid), { timeoutMs: 5000, intervalMs: 50 }).catch(() => false);
      if (!gone) killGroup(child, 'SIGKILL');
    })());
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output().slice(-3000)}`);
        return answers(`${url}/`);
      },
      { timeoutMs, intervalMs: 200, fail: () => new Error(`wrangler dev did not answer within ${timeoutMs} ms:\n${output().slice(-3000)}`) },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, output, stop };
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`opennext-app: dependencies ready (${await ensureOpenNextDeps()})`);
}
