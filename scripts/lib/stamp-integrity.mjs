/**
 * stamp-integrity.mjs — writes the Subresource Integrity hashes of the browsers' two wasm
 * files into the built loader, so that it refuses a file altered on its way.
 *
 *   node scripts/lib/stamp-integrity.mjs [distDir]   (default dist/)
 *
 * Replaces the placeholder `"oxeye-wasm-integrity"` of `dist/core/load-web.js` with
 * `["sha256-<oxeye_bg.wasm>", "sha256-<oxeye_rules_bg.wasm>"]` (the order of the loader's
 * `rules` index). Fails when the placeholder is missing, so a changed loader is noticed.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2] ?? 'dist';
const hash = (f) => `sha256-${createHash('sha256').update(readFileSync(join(dist, 'core', 'wasm', f))).digest('base64')}`;
const loader = join(dist, 'core', 'load-web.js');
const text = readFileSync(loader, 'utf8');
const placeholder = '"oxeye-wasm-integrity"';
if (!text.includes(placeholder)) throw new Error(`${loader} has no ${placeholder} to stamp`);
const hashes = ['oxeye_bg.wasm', 'oxeye_rules_bg.wasm'].map(hash);
writeFileSync(loader, text.replace(placeholder, JSON.stringify(hashes)));
console.log(`build: integrity of the browsers' wasm written into ${loader}`);
