/**
 * python-env.mjs — owns finding (and if needed building) the harness's Python
 * virtualenvs from Node.
 *
 * The venvs themselves are made by scripts/ensure-python.sh; this module only
 * knows where they live (`${OXEYE_CACHE:-$HOME/.cache/oxeye}/venv-<name>`) and
 * runs that script when a venv is missing or its stamp no longer matches the
 * sha256 of scripts/python/requirements-<name>.txt. When the stamp matches, no
 * process is spawned.
 *
 * Venvs: 'bugsink' (the server), 'relay' (sentry-relay's normaliser) and 'backend'
 * (sentry-sdk for the example backend, scripts/python/backend.py); see VENVS.
 *
 * Exports:
 *   VENVS -> the names above
 *   cacheDir() -> string
 *   venvDir(name) -> string
 *   async ensureVenv(name) -> string   (the venv directory, ready to use)
 *   runProcess(cmd, args, opts) -> Promise<{ code, signal, stdout, stderr }>
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const scriptsDir = join(dirname(fileURLToPath(import.meta.url)), '..');

export const VENVS = ['bugsink', 'relay', 'backend'];

export function cacheDir() {
  return process.env.OXEYE_CACHE || join(homedir(), '.cache', 'oxeye');
}

export function venvDir(name) {
  return join(cacheDir(), `venv-${name}`);
}

function venvIsCurrent(name) {
  const venv = venvDir(name);
  const stamp = join(venv, '.oxeye-requirements.sha256');
  if (!existsSync(join(venv, 'bin', 'python')) || !existsSync(stamp)) return false;
  const req = readFileSync(join(scriptsDir, 'python', `requirements-${name}.txt`));
  const want = createHash('sha256').update(req).digest('hex');
  return readFileSync(stamp, 'utf8').trim() === want;
}

/**
 * Runs a command to completion with a time limit; never throws on a non-zero
 * exit (the caller decides). `input` is written to stdin when given.
 */
export function runProcess(cmd, args, { env, cwd, input, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(new Error(`${cmd} ${args.join(' ')} timed out after ${timeoutMs} ms\n${stderr.slice(-2000)}`));
      } else {
        resolve({ code, signal, stdout, stderr });
      }
    });
    child.stdin.on('error', () => {}); // a child that exits early closes its stdin
    child.stdin.end(input ?? '');
  });
}

export async function ensureVenv(name) {
  if (venvIsCurrent(name)) return venvDir(name);
  const script = join(scriptsDir, 'ensure-python.sh');
  const r = await runProcess('bash', [script, name], { timeoutMs: 600_000 });
  if (r.code !== 0) {
    throw new Error(`ensure-python.sh ${name} failed (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
  }
  return venvDir(name);
}
