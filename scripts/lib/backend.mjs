/**
 * backend.mjs — owns running the example backend (scripts/python/backend.py: plain WSGI
 * with Sentry's official Python SDK) on 127.0.0.1 for the correlation tests and the demo.
 *
 *   async startBackend({ dsn, port = 0, release?, environment? }) -> {
 *     url,      // 'http://127.0.0.1:PORT'
 *     stop(),   // SIGTERM (sentry-sdk flushes), SIGKILL after 8 s; resolves once it is gone
 *     stderr(), // what it printed on stderr so far
 *   }
 *
 * The venv 'backend' (sentry-sdk) is built on first use by scripts/ensure-python.sh. The
 * process's stdin stays open while it runs: it exits by itself when this process dies.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVenv } from './python-env.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'python', 'backend.py');
const running = new Set();
const killAll = () => {
  for (const child of running) child.kill('SIGKILL');
};

export async function startBackend({ dsn, port = 0, release, environment } = {}) {
  if (!dsn) throw new Error('startBackend needs a dsn');
  const venv = await ensureVenv('backend');
  const args = [script, '--dsn', dsn, '--port', String(port)];
  if (release) args.push('--release', release);
  if (environment) args.push('--environment', environment);
  const child = spawn(join(venv, 'bin', 'python'), args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
  });
  if (running.size === 0) process.on('exit', killAll);
  running.add(child);
  let err = '';
  child.stderr.on('data', (d) => (err = (err + d).slice(-20_000)));
  child.stdin.on('error', () => {});
  const exited = new Promise((ok) => child.once('exit', ok));
  void exited.then(() => {
    running.delete(child);
    if (running.size === 0) process.removeListener('exit', killAll);
  });
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`backend did not start within 20 s:\n${err}`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('OXEYE-BACKEND '));
      if (line) {
        clearTimeout(timer);
        ok(JSON.parse(line.slice('OXEYE-BACKEND '.length)).url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`backend exited (${code}) before it was ready:\n${err}`));
    });
  });
  let stopping;
  return {
    url,
    stderr: () => err,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
