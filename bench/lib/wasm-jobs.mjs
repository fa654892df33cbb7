/**
 * What each of the core's jobs costs in the browsers' wasm that does every job
 * (`oxeye_rules_bg.wasm`, features `runtime-browser,wasm-images,scrub-rules`; a page
 * fetches `oxeye_bg.wasm`, the same without the `scrub` object, when it sets none), and
 * what is left without them.
 *
 * Each row builds that wasm exactly as scripts/build.sh builds it (same toolchain,
 * RUSTFLAGS, build-std and wasm-opt passes; `OXEYE_WASM_ONLY=1`, and
 * `OXEYE_WASM_FEATURES` so that the servers' wasm is not built too) from a copy of the
 * sources in target/wasm-jobs/ in which the entry points of one job are replaced by
 * bodies that do nothing, so the compiler drops the code only that job reaches. The
 * copies are measurements, never shipped: the events they would build are wrong. Prints a
 * Markdown table of raw and `gzip -9 -n` bytes and the difference to the full wasm.
 * Leaves dist/ and target/wasm/ alone. When a stubbed function is renamed or moved, the
 * run stops and names it; update JOBS.
 *
 *   node bench/lib/wasm-jobs.mjs
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSize } from "./weigh.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tree = join(root, "target/wasm-jobs");
/** The features of the browsers' wasm that does every job (scripts/build.sh). */
const BROWSER_FEATURES = "runtime-browser,wasm-images,scrub-rules";

const SCRUB_DEFAULTS =
  "let _ = scrub; let mut cfg = PiiConfig { send_default_pii, ip: !send_default_pii, ..PiiConfig::default() }; " +
  "cfg.infer_ip = cfg.send_default_pii && browser && !(cfg.enabled && cfg.ip); Ok(cfg)";

/** One job: the functions whose bodies are replaced (`[file, fn, body]`, first `fn` of that name in the file) and line edits (`[file, from, to]`). */
const JOBS = {
  sessions: {
    what: "release health: page-view sessions and request aggregates (the exports and the event hook)",
    stubs: [
      ["src/bindings.rs", "start_session", "let _ = (isolation, now_ms, random); false"], // Core::start_session
      ["src/bindings.rs", "session_error", "let _ = handle; 0"],
      ["src/bindings.rs", "start_session@2", "let _ = (handle, isolation, now_ms, rnd_ptr, rnd_len); 0"], // the export
      ["src/bindings.rs", "end_session", "let _ = (handle, now_ms);"],
      ["src/bindings.rs", "take_session_envelope", "let _ = (handle, now_ms); 0"],
      ["src/bindings.rs", "record_request_session", "let _ = (handle, isolation, status, now_ms);"],
      ["src/bindings.rs", "take_session_aggregates", "let _ = (handle, now_ms); 0"],
    ],
    edits: [
      ["src/bindings.rs", "Verdict::Send => self.health.event_sent(isolation, self.client.last_effect(), now_ms),", "Verdict::Send => {}"],
      ["src/bindings.rs", "self.health.event_sent(iso, self.client.last_effect(), now_ms);", "let _ = iso;"],
      ["src/bindings.rs", "self.health.set_did(self.client.user_id(id).as_deref());", ""],
      ["src/bindings.rs", "c.health.forget(id);", ""],
      ["src/bindings.rs", "Health::new(o.release.as_deref(), Some(&o.environment), ua);", "Health::new(None, None, None); let _ = ua;"],
    ],
  },
  "trace propagation": {
    what: "the parts of outgoing `sentry-trace`/`baggage`/`traceparent` and `continueTrace` from incoming ones (the header text is the shim's; events keep their trace context)",
    stubs: [
      ["src/bindings.rs", "trace_headers", "let _ = (handle, isolation, rnd_ptr, rnd_len); 0"],
      ["src/bindings.rs", "continue_trace", "let _ = (handle, id, tr_ptr, tr_len, sp_ptr, sp_len, sampled, dsc_ptr, dsc_len, rnd_ptr, rnd_len); 0"],
    ],
  },
  "`scrub` option": {
    what: "reading and checking the `scrub` option: custom keys, safe keys, value rules, `ip`, `email` (the defaults stay)",
    stubs: [["src/pii/config.rs", "from_options", SCRUB_DEFAULTS]],
  },
  "`_meta`": {
    what: "writing Relay's `_meta` remarks for what was scrubbed (remarks are still recorded)",
    stubs: [
      ["src/pii/meta.rs", "write_merged", "let _ = (existing, cfg, out);"],
      ["src/pii/meta.rs", "write", "let _ = (cfg, out);"],
    ],
  },
  "client reports": {
    what: "counting discarded items and writing client-report envelopes",
    stubs: [
      ["src/bindings.rs", "take_client_report", "let _ = (handle, now_ms); 0"],
      ["src/bindings.rs", "record_outcome", "let _ = (handle, reason, category, quantity);"],
    ],
  },
  "DSN sentences": {
    what: "the sentence that says what is wrong with a DSN (one fixed text instead)",
    stubs: [["src/dsn.rs", "message", 'let _ = self; String::from("invalid DSN")']],
  },
  "PII value matchers": {
    what: "finding secrets in text: cards, IBANs, SSNs, IPs, emails, tokens, keys, URL credentials, assignments (key-based scrubbing stays)",
    stubs: [["src/pii/text.rs", "find_hits", "let _ = (text, mode, cfg, out);"]],
  },
  "stack parsing": {
    what: "reading `Error.stack` into frames (V8 and Gecko/JSC lines, file and function names, `in_app`)",
    stubs: [["src/stacktrace/mod.rs", "parse_stack", "let _ = stack; Vec::new()"]],
  },
};

const OPTIONAL = ["sessions", "trace propagation", "`scrub` option", "`_meta`", "client reports", "DSN sentences"];
const ROWS = [
  ["full", []],
  ...Object.keys(JOBS).map((j) => [`without ${j}`, [j]]),
  [`without all of the first ${OPTIONAL.length}`, OPTIONAL],
  ["… and without the PII value matchers and stack parsing", [...OPTIONAL, "PII value matchers", "stack parsing"]],
];

/** Replaces the body of the first `fn name` in `src` (`name@2`: the second) with `body`. */
function stub(src, file, spec, body) {
  const [name, nth = "1"] = spec.split("@");
  const re = new RegExp(`\\bfn ${name}\\b`, "g");
  let m;
  for (let k = 0; k < Number(nth); k++) m = re.exec(src);
  if (!m) throw new Error(`${file}: no fn ${spec} (renamed? update JOBS in bench/lib/wasm-jobs.mjs)`);
  let i = m.index + m[0].length;
  for (let depth = 0; ; i++) {
    const c = src[i];
    if (c === undefined || (c === ";" && depth === 0)) throw new Error(`${file}: fn ${name} has no body`);
    if ("(<[".includes(c)) depth++;
    else if (")]".includes(c) || (c === ">" && src[i - 1] !== "-")) depth--;
    else if (c === "{" && depth === 0) break;
  }
  let j = i;
  for (let depth = 0; ; j++) {
    const c = src[j];
    if (c === undefined) throw new Error(`${file}: fn ${name}: unbalanced braces`);
    if (c === '"') {
      for (j++; src[j] !== '"'; j++) if (src[j] === "\\") j++;
    } else if (c === "'" && src[j + 2] === "'") j += 2;
    else if (c === "'" && src[j + 1] === "\\" && src[j + 3] === "'") j += 3;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) break;
  }
  return `${src.slice(0, i)}{ ${body} }${src.slice(j + 1)}`;
}

function prepareTree() {
  mkdirSync(tree, { recursive: true });
  for (const f of ["Cargo.toml", "Cargo.lock", "scripts/build.sh", "scripts/ensure-toolchain.sh", "scripts/lib/wasm-files.sh"]) {
    mkdirSync(dirname(join(tree, f)), { recursive: true });
    cpSync(join(root, f), join(tree, f));
  }
  for (const f of ["node_modules", "package.json", "package-lock.json"]) if (!existsSync(join(tree, f))) symlinkSync(join(root, f), join(tree, f));
}

function build(jobs) {
  rmSync(join(tree, "src"), { recursive: true, force: true });
  cpSync(join(root, "src"), join(tree, "src"), { recursive: true });
  const files = new Map();
  const read = (f) => files.get(f) ?? readFileSync(join(tree, f), "utf8");
  for (const j of jobs) {
    for (const [f, name, body] of JOBS[j].stubs) files.set(f, stub(read(f), f, name, body));
    for (const [f, from, to] of JOBS[j].edits ?? []) {
      const s = read(f);
      if (!s.includes(from)) throw new Error(`${f}: no \`${from}\` (update JOBS in bench/lib/wasm-jobs.mjs)`);
      files.set(f, s.replace(from, to));
    }
  }
  for (const [f, s] of files) writeFileSync(join(tree, f), s);
  execFileSync("nice", ["-n", "10", "bash", "scripts/build.sh"], { cwd: tree, env: { ...process.env, OXEYE_WASM_ONLY: "1", OXEYE_WASM_FEATURES: BROWSER_FEATURES }, stdio: ["ignore", 2, 2] });
  const wasm = readFileSync(join(tree, "target/wasm/oxeye_bg.wasm"));
  return { raw: wasm.length, gz: gzipSize(wasm) };
}

prepareTree();
const rows = [];
for (const [name, jobs] of ROWS) rows.push({ name, jobs, ...build(jobs) });
const full = rows[0];
console.log("| wasm | raw B | gzip -9 B | Δ raw | Δ gzip | left out |");
console.log("|---|--:|--:|--:|--:|---|");
for (const r of rows) {
  const what = r.jobs.length === 1 ? JOBS[r.jobs[0]].what : r.jobs.length ? "the jobs named" : "nothing";
  console.log(`| ${r.name} | ${r.raw} | ${r.gz} | ${r.raw - full.raw} | ${r.gz - full.gz} | ${what} |`);
}
console.log(`\ntoolchain: ${readFileSync(join(tree, "target/oxeye-wasm-build.json"), "utf8").trim()}`);
