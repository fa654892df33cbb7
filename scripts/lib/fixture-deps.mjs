/**
 * fixture-deps.mjs — npm tools of a test fixture, installed once into the cache.
 *
 *   ensureFixtureDeps(name, fixtureDir) -> string (the directory holding node_modules)
 *       Installs `fixtureDir/package.json` (exact versions) into
 *       ${OXEYE_CACHE:-~/.cache/oxeye}/<name>-deps, reinstalling only when the sha256 of
 *       that package.json (and of its package-lock.json, if committed) differs from the
 *       stamp written after the last successful install. Concurrent runs serialise on a
 *       lock directory.
 *
 * CLI: `node scripts/lib/fixture-deps.mjs <name> <fixtureDir>`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './python-env.mjs';

const STAMP = '.oxeye-deps.sha256';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function hashOf(fixtureDir) {
  const h = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) {
    const p = join(fixtureDir, f);
    if (existsSync(p)) h.update(readFileSync(p));
  }
  return h.digest('hex');
}

export async function ensureFixtureDeps(name, fixtureDir) {
  const dir = join(cacheDir(), `${name}-deps`);
  const want = hashOf(fixtureDir);
  const stamp = join(dir, 'node_modules', STAMP);
  const ready = () => existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want;
  if (ready()) return dir;
  mkdirSync(cacheDir(), { recursive: true });
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      if (Date.now() > deadline) throw new Error(`${lock} held for 10 minutes`);
      await sleep(500);
      if (ready()) return dir;
    }
  }
  try {
    if (ready()) return dir;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(fixtureDir, 'package.json'), join(dir, 'package.json'));
    const hasLock = existsSync(join(fixtureDir, 'package-lock.json'));
    if (hasLock) copyFileSync(join(fixtureDir, 'package-lock.json'), join(dir, 'package-lock.json'));
    const r = spawnSync('npm', [hasLock ? 'ci' : 'install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      stdio: 'inherit',
      timeout: 10 * 60_000,
    });
    if (r.status !== 0) throw new Error(`npm install of ${name} fixture tools failed (${r.status ?? r.signal})`);
    writeFileSync(stamp, want);
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [name, fixture] = process.argv.slice(2);
  console.log(await ensureFixtureDeps(name, resolve(fixture)));
}
