/**
 * chromium.mjs — owns launching Debian's Chromium (/usr/bin/chromium, see
 * scripts/ensure-chromium.sh) through npm `playwright-core`, kept on loopback.
 *
 *   async launchChromium({ headless = true, args = [], env = {} } = {}) -> {
 *     context,     // playwright BrowserContext (persistent, fresh profile)
 *     browser,     // context.browser() (null for a persistent context)
 *     newPage(),   // -> playwright Page
 *     close(),     // closes Chromium and removes the temp dirs
 *     tmpDir,      // holds profile/ and home/ while running
 *   }
 *
 * Every launch gets a fresh temp dir holding the user-data dir (profile/) and
 * HOME / XDG_* (home/), so nothing is written under the real $HOME. The flags
 * keep Chromium off the network: every host name except 127.0.0.1 and
 * localhost resolves to NOTFOUND, and background services (sync, component
 * updates, time queries, QUIC) are off. Use http://127.0.0.1:PORT URLs.
 *
 * Chromium honours only the last --disable-features / --enable-features
 * switch and Playwright passes its own, so Chromium is started through a small
 * generated sh wrapper that merges repeated feature switches into one before
 * exec'ing /usr/bin/chromium.
 *
 * playwright-core is imported as a bare specifier (resolved from this file, as
 * ESM does); when that fails, the directories in NODE_PATH are tried too.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const LOOPBACK_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=NetworkTimeServiceQuerying',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
];

const MERGE_WRAPPER = `#!/bin/sh
# Starts Chromium with repeated --disable-features / --enable-features merged.
dis=""; en=""; pos=""
n=$#; i=0
while [ $i -lt $n ]; do
  a=$1; shift; i=$((i + 1))
  case $a in
    --disable-features=*) dis="\${dis:+$dis,}\${a#--disable-features=}" ;;
    --enable-features=*) en="\${en:+$en,}\${a#--enable-features=}" ;;
    -*) set -- "$@" "$a" ;;
    *) pos="$a" ;;
  esac
done
[ -n "$dis" ] && set -- "$@" "--disable-features=$dis"
[ -n "$en" ] && set -- "$@" "--enable-features=$en"
[ -n "$pos" ] && set -- "$@" "$pos"
exec ${CHROMIUM_PATH} "$@"
`;

async function loadPlaywright() {
  try {
    return await import('playwright-core');
  } catch (e) {
    const paths = (process.env.NODE_PATH || '').split(delimiter).filter(Boolean);
    if (!paths.length) throw e;
    const resolved = createRequire(import.meta.url).resolve('playwright-core', { paths });
    const mod = await import(pathToFileURL(resolved).href);
    return mod.chromium ? mod : mod.default;
  }
}

export async function launchChromium({ headless = true, args = [], env = {} } = {}) {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: scripts/ensure-chromium.sh installs it (npm test runs it first)`);
  const { chromium } = await loadPlaywright();
  const tmpDir = mkdtempSync(join(tmpdir(), 'oxeye-chromium-'));
  const home = join(tmpDir, 'home');
  const profile = join(tmpDir, 'profile');
  for (const d of [home, profile, join(home, '.config'), join(home, '.cache'), join(home, '.local', 'share')]) {
    mkdirSync(d, { recursive: true });
  }
  const wrapper = join(tmpDir, 'chromium');
  writeFileSync(wrapper, MERGE_WRAPPER);
  chmodSync(wrapper, 0o755);

  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: wrapper,
      headless,
      args: [...LOOPBACK_ARGS.filter((a) => headless || a !== '--headless'), ...args],
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_CACHE_HOME: join(home, '.cache'),
        XDG_DATA_HOME: join(home, '.local', 'share'),
        TMPDIR: tmpDir,
        ...env,
      },
      timeout: 30_000,
    });
  } catch (e) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw e;
  }

  let closing = null;
  return {
    context,
    browser: context.browser(),
    tmpDir,
    newPage: () => context.newPage(),
    close() {
      closing ??= (async () => {
        try {
          await context.close();
        } finally {
          rmSync(tmpDir, { recursive: true, force: true });
        }
      })();
      return closing;
    },
  };
}
