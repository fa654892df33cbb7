/**
 * bugsink.mjs — owns running a real Sentry-compatible server (Bugsink, from
 * PyPI, in the venv made by scripts/ensure-python.sh) on 127.0.0.1 for tests
 * and the demo, and reading back what it stored.
 *
 *   async startBugsink({ dataDir?, port?, validation? }) -> {
 *     url,          // 'http://127.0.0.1:PORT'
 *     dsn,          // 'http://<key>@127.0.0.1:PORT/<projectId>'
 *     sentryKey, projectId,
 *     envelopeUrl,  // url + '/api/<projectId>/envelope/'
 *     token,        // Bearer token for the REST API
 *     login: { user, password },  // superuser for the web UI
 *     dataDir, logFile,
 *     stop(),       // kills gunicorn's process group; resolves once it is gone
 *     api,
 *   }
 *   async stopAll()  // stops every server this process started
 *
 * dataDir: created (and removed again by stop()) when not given. A given
 * dataDir is kept; starting again on it skips provisioning and keeps the same
 * DSN, token and login (the port is remembered in oxeye-bugsink.json; pass
 * `port` to move it, which changes the DSN's host part only).
 * port 0/undefined: the remembered port, else a free one.
 * validation: Bugsink's VALIDATE_ON_DIGEST, 'none' (default), 'warn' or
 * 'strict'; with 'strict' an event that breaks Sentry's event JSON schema gets
 * a 200 but is not stored (the reason is logged to logFile).
 *
 * api (all read through GET /api/canonical/0/... with the Bearer token,
 * following the cursor `next` links of list endpoints):
 *   issues()          -> [{ id (uuid), friendly_id, project, calculated_type,
 *                          calculated_value, digested_event_count, ... }]
 *   events(issueId)   -> [{ id (Bugsink uuid), event_id (dashed uuid), issue,
 *                          ingested_at, timestamp, digest_order, ... }] oldest first
 *   event(eventUuid)  -> the list fields plus `data` and `stacktrace_md`
 *   lookup(eventId)   -> event() found by the SDK's event_id (hex or dashed)
 *   allEvents()       -> event() of every event of the project, oldest first
 *   async waitForEvents(predicate, { timeoutMs = 10000, intervalMs = 150 })
 *                     -> allEvents() once predicate(allEvents()) is true
 *
 * Full event JSON: `data` holds the event exactly as the SDK sent it (the
 * event item's JSON, unnormalised): data.exception.values[i].type / .value /
 * .mechanism / .stacktrace.frames (oldest call first), data.tags (as sent:
 * object or pairs), data.level, data.release, data.contexts, data.user, ...
 * The top-level `event_id` is dashed; data.event_id is as sent. Bugsink digests
 * inside the ingest request, so an event is readable once its POST returned.
 *
 * Provisioning (first start on a dataDir): bugsink-create-conf plus overrides
 * (loopback, no phone-home, no mail, SQLite/ingest/snappea paths in dataDir),
 * both migrations (or a copy of an empty migrated pair cached per Bugsink
 * version under the oxeye cache), then one `bugsink-manage shell -c` that makes
 * the superuser, team, project and a full-access token (what create_auth_token
 * does). Subprocesses get HOME and XDG_* inside dataDir/home.
 * REST reading lives in bugsink-api.mjs.
 *
 * A crashed test process does not leave gunicorn behind: it is started through
 * a parent-death signal, and an exit handler kills the process group.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeApi } from './bugsink-api.mjs';
import { cacheDir, ensureVenv, runProcess } from './python-env.mjs';
import { answers, waitFor } from './wait.mjs';

const STATE_FILE = 'oxeye-bugsink.json';
const CONF_MARKER = '# ---- oxeye overrides (rewritten on every start) ----';
const running = new Set();

function bugsinkVersion(venv) {
  const lib = join(venv, 'lib');
  for (const py of readdirSync(lib)) {
    for (const entry of readdirSync(join(lib, py, 'site-packages'))) {
      const m = /^bugsink-(.+)\.dist-info$/.exec(entry);
      if (m) return m[1];
    }
  }
  throw new Error(`bugsink is not installed in ${venv}`);
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function portIsFree(port) {
  return new Promise((res) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

function pyStr(s) {
  return JSON.stringify(String(s));
}

function confOverrides(dataDir, port, validation) {
  const p = (name) => pyStr(join(dataDir, name));
  return [
    CONF_MARKER,
    `BUGSINK["BASE_URL"] = ${pyStr(`http://127.0.0.1:${port}`)}`,
    'BUGSINK["PHONEHOME"] = False',
    `BUGSINK["INGEST_STORE_BASE_DIR"] = ${p('ingestion')}`,
    `BUGSINK["VALIDATE_ON_DIGEST"] = ${pyStr(validation)}`,
    'BUGSINK["ALERTS_WEBHOOK_OUTBOUND_MODE"] = "allowlist_only"',
    'BUGSINK["ALERTS_WEBHOOK_ALLOW_LIST"] = []',
    'SNAPPEA["TASK_ALWAYS_EAGER"] = True',
    `SNAPPEA["WAKEUP_CALLS_DIR"] = ${p('snappea.wakeup')}`,
    `DATABASES["default"]["NAME"] = ${p('db.sqlite3')}`,
    `DATABASES["default"]["TEST"]["NAME"] = ${p('test.sqlite3')}`,
    `DATABASES["snappea"]["NAME"] = ${p('snappea.sqlite3')}`,
    'SENTRY_DSN = None',
    'EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"',
    'LOGGING["loggers"]["bugsink"]["level"] = "WARNING"',
    '',
  ].join('\n');
}

// Runs inside `bugsink-manage shell -c`; idempotent. Prints one marker line.
const PROVISION_PY = `
import json, os
from django.contrib.auth import get_user_model
from teams.models import Team, TeamMembership, TeamRole
from projects.models import Project, ProjectMembership, ProjectRole
from bsmain.models import AuthToken
User = get_user_model()
user = User.objects.filter(username=os.environ["OXEYE_ADMIN_USER"]).first()
if user is None:
    user = User.objects.create_superuser(os.environ["OXEYE_ADMIN_USER"], "admin@example.invalid", os.environ["OXEYE_ADMIN_PASSWORD"])
team, _ = Team.objects.get_or_create(name="oxeye")
TeamMembership.objects.get_or_create(team=team, user=user, defaults={"role": TeamRole.ADMIN, "accepted": True})
project = Project.objects.filter(name="oxeye", team=team, is_deleted=False).first()
if project is None:
    project = Project.objects.create(name="oxeye", team=team, alert_on_new_issue=False, alert_on_regression=False, alert_on_unmute=False)
ProjectMembership.objects.get_or_create(project=project, user=user, defaults={"role": ProjectRole.ADMIN, "accepted": True})
token = AuthToken.create_full_access(description="oxeye harness")
print("OXEYE-PROVISION " + json.dumps({"projectId": project.id, "sentryKey": project.sentry_key.hex, "token": token.token}))
`;

async function manage(ctx, args, extraEnv = {}) {
  const r = await runProcess(join(ctx.venv, 'bin', 'bugsink-manage'), args, {
    cwd: ctx.dataDir,
    env: { ...ctx.env, ...extraEnv },
    timeoutMs: 120_000,
  });
  if (r.code !== 0) {
    throw new Error(`bugsink-manage ${args[0]} failed (exit ${r.code ?? r.signal}):\n${r.stderr.slice(-4000)}${r.stdout.slice(-1000)}`);
  }
  return r.stdout;
}

// Migrating a new database takes ~6 s; a freshly migrated pair of empty
// databases is kept per Bugsink version in the cache and copied instead.
async function migrate(ctx) {
  const dbs = ['db.sqlite3', 'snappea.sqlite3'];
  const template = join(cacheDir(), `bugsink-db-${ctx.version}`);
  const fresh = !dbs.some((f) => existsSync(join(ctx.dataDir, f)));
  if (fresh && dbs.every((f) => existsSync(join(template, f)))) {
    for (const f of dbs) copyFileSync(join(template, f), join(ctx.dataDir, f));
    return;
  }
  await Promise.all([
    manage(ctx, ['migrate', '--no-input', '-v', '0']),
    manage(ctx, ['migrate', 'snappea', '--database=snappea', '--no-input', '-v', '0']),
  ]);
  const sidecars = readdirSync(ctx.dataDir).some((f) => /\.sqlite3-(wal|shm|journal)$/.test(f));
  if (!fresh || sidecars || existsSync(template)) return;
  const tmp = `${template}.tmp-${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  for (const f of dbs) copyFileSync(join(ctx.dataDir, f), join(tmp, f));
  try {
    renameSync(tmp, template);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another process made it first
  }
}

async function provision(ctx, state) {
  await migrate(ctx);
  const login = state?.login ?? { user: 'admin', password: randomBytes(12).toString('hex') };
  let ids = state && { projectId: state.projectId, sentryKey: state.sentryKey, token: state.token };
  if (!ids) {
    const out = await manage(ctx, ['shell', '-c', PROVISION_PY], {
      OXEYE_ADMIN_USER: login.user,
      OXEYE_ADMIN_PASSWORD: login.password,
    });
    const line = out.split('\n').find((l) => l.startsWith('OXEYE-PROVISION '));
    if (!line) throw new Error(`provisioning printed no result:\n${out}`);
    ids = JSON.parse(line.slice('OXEYE-PROVISION '.length));
  }
  return { ...ids, login, version: ctx.version };
}

function writeConf(ctx, port, validation) {
  const conf = join(ctx.dataDir, 'bugsink_conf.py');
  const text = readFileSync(conf, 'utf8');
  const i = text.indexOf(CONF_MARKER);
  const base = (i === -1 ? text : text.slice(0, i)).replace(/\n*$/, '\n\n');
  writeFileSync(conf, base + confOverrides(ctx.dataDir, port, validation));
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function tail(file, bytes = 3000) {
  try {
    return readFileSync(file, 'utf8').slice(-bytes);
  } catch {
    return '';
  }
}

function waitReady(url, child, logFile, timeoutMs = 30_000) {
  return waitFor(
    async () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`gunicorn exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(logFile)}`);
      }
      return (await answers(`${url}/health/ready`))?.ok;
    },
    { timeoutMs, intervalMs: 100, fail: () => new Error(`Bugsink not ready at ${url} within ${timeoutMs} ms:\n${tail(logFile)}`) },
  );
}

function onProcessExit() {
  for (const s of running) {
    killGroup(s.pid, 'SIGKILL');
    if (s.ownedDir) rmSync(s.ownedDir, { recursive: true, force: true });
  }
}

function onSignal(signal) {
  onProcessExit();
  process.removeListener(signal, onSignal);
  process.kill(process.pid, signal);
}

function track(server) {
  if (running.size === 0) {
    process.on('exit', onProcessExit);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, onSignal);
  }
  running.add(server);
}

function untrack(server) {
  running.delete(server);
  if (running.size === 0) {
    process.removeListener('exit', onProcessExit);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeListener(sig, onSignal);
  }
}

export async function startBugsink({ dataDir, port, validation = 'none' } = {}) {
  if (!['none', 'warn', 'strict'].includes(validation)) throw new Error(`bad validation ${validation}`);
  const ownsDataDir = !dataDir;
  dataDir = resolve(dataDir ?? mkdtempSync(join(tmpdir(), 'oxeye-bugsink-')));
  try {
    return await start(dataDir, port, validation, ownsDataDir);
  } catch (e) {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

async function start(dataDir, port, validation, ownsDataDir) {
  const home = join(dataDir, 'home');
  mkdirSync(home, { recursive: true });
  const venv = await ensureVenv('bugsink');
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    DJANGO_SETTINGS_MODULE: 'bugsink_conf',
    PYTHONPATH: dataDir,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  };
  const ctx = { venv, env, dataDir, version: bugsinkVersion(venv) };

  const statePath = join(dataDir, STATE_FILE);
  let state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : null;
  if (!port) {
    if (state?.port) {
      if (!(await portIsFree(state.port))) {
        throw new Error(`port ${state.port} remembered in ${statePath} is in use; stop what holds it or pass { port }`);
      }
      port = state.port;
    } else {
      port = await freePort();
    }
  }

  const conf = join(dataDir, 'bugsink_conf.py');
  if (!existsSync(conf)) {
    const r = await runProcess(
      join(venv, 'bin', 'bugsink-create-conf'),
      ['--template=local', '--host=127.0.0.1', `--port=${port}`, `--output-file=${conf}`],
      { cwd: dataDir, env },
    );
    if (r.code !== 0) throw new Error(`bugsink-create-conf failed:\n${r.stderr}`);
  }
  writeConf(ctx, port, validation);

  if (!state || state.version !== ctx.version) state = await provision(ctx, state);
  state = { ...state, port };
  writeFileSync(statePath, JSON.stringify(state, null, 2) + '\n');

  const logFile = join(dataDir, 'bugsink.log');
  const logFd = openSync(logFile, 'a');
  // The tiny Python wrapper asks the kernel to SIGTERM gunicorn when this Node
  // process dies (even by SIGKILL), then execs gunicorn in its own process group.
  const deathSig =
    'import ctypes,os,signal,sys\n' +
    'ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)\n' +
    'if os.getppid() != int(sys.argv[1]): sys.exit(1)\n' +
    'os.execv(sys.argv[2], sys.argv[2:])';
  const child = spawn(
    join(venv, 'bin', 'python'),
    ['-c', deathSig, String(process.pid), join(venv, 'bin', 'gunicorn'),
      '--bind', `127.0.0.1:${port}`, '--workers', '2', '--no-control-socket', 'bugsink.wsgi'],
    { cwd: dataDir, env, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  child.unref();
  const exited = new Promise((res) => child.once('exit', res));

  const url = `http://127.0.0.1:${port}`;
  let stopped = null;
  const server = {
    pid: child.pid,
    ownedDir: ownsDataDir ? dataDir : null,
    stop() {
      stopped ??= (async () => {
        // SIGINT is gunicorn's quick shutdown; the workers follow it.
        killGroup(child.pid, 'SIGINT');
        const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
        await waitFor(() => !groupAlive(child.pid), { timeoutMs: 5000, intervalMs: 50 }).catch(() => {});
        if (groupAlive(child.pid)) killGroup(child.pid, 'SIGKILL');
        untrack(server);
        if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
  track(server);

  try {
    await waitReady(url, child, logFile);
  } catch (e) {
    await server.stop();
    throw e;
  }

  const dsn = `http://${state.sentryKey}@127.0.0.1:${port}/${state.projectId}`;
  return {
    url,
    dsn,
    sentryKey: state.sentryKey,
    projectId: state.projectId,
    envelopeUrl: `${url}/api/${state.projectId}/envelope/`,
    token: state.token,
    login: state.login,
    dataDir,
    logFile,
    stop: () => server.stop(),
    api: makeApi(url, state.token, state.projectId, logFile),
  };
}

export async function stopAll() {
  await Promise.all([...running].map((s) => s.stop()));
}
