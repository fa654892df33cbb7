// The text of trace propagation headers (js/api/trace-headers.ts): `sentry-trace` and W3C
// `traceparent` read into parts and written from them, `baggage` read into a DSC (only
// `sentry-` entries, malformed members skipped) and written with the app's own members,
// capped at 8192 bytes. The corpora of `fuzz/corpus/trace/` (three lines: sentry-trace,
// baggage, traceparent) and `tests/corpus/baggage/` are replayed through the same
// properties. The trace these parts stand for, and its DSC, are the core's (src/trace.rs);
// the last tests run the parts through the real core.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { parseSentryTrace, parseTraceparent, incomingParts, parseBaggage, dscOf, mergeBaggage, outgoingHeaders, traceLink, MAX_BAGGAGE_BYTES } = await import(`${dist}api/trace-headers.js`);

const T = "771a43a4192642f0b136d5159a501700";
const S = "b6576219fd7dcf45";
const parts = (traceId, spanId, sampled) => ({ traceId, spanId, sampled });
/** A DSC as the core sends it (keys and values in turn) from `[key, value]` pairs. */
const flat = (pairs) => pairs.flat();
const enc = new TextEncoder();

test("sentry-trace is written from the parts and reads back to them", () => {
  const core = { trace_id: T, span_id: S, dsc: [] };
  const h = outgoingHeaders(core, undefined);
  assert.equal(h.sentryTrace, `${T}-${S}`, "deferred: no flag");
  assert.deepEqual(parseSentryTrace(h.sentryTrace), parts(T, S, undefined));
  for (const [flag, sampled] of [["-1", true], ["-0", false]]) {
    const h = outgoingHeaders({ ...core, sampled }, undefined);
    assert.ok(h.sentryTrace.endsWith(flag));
    assert.equal(parseSentryTrace(h.sentryTrace).sampled, sampled);
  }
  assert.deepEqual(parseSentryTrace(` \t${T}-${S}-1\t `), parts(T, S, true), "spaces and tabs tolerated");
});

test("a malformed sentry-trace gives no parts", () => {
  const long = "a".repeat(100_000);
  for (const h of [
    "", "-", "--", "1", "-1", "0", "abc", T, `${T}-`, `-${S}`, `${T}-${S}-`,
    `${T}-${S}-2`, `${T}-${S}-1-1`, `${T.toUpperCase()}-${S}`, `${T}-${S.slice(0, 15)}`,
    `${T.slice(0, 31)}-${S}`, `${T}x-${S}`, `${"0".repeat(32)}-${S}`, `${T}-${"0".repeat(16)}`,
    `${T} -${S}`, "é-é", long, `${T}-${S}-1\n`, `\n${T}-${S}`, `${T}-${S}\u00a0`,
  ]) {
    assert.equal(parseSentryTrace(h), undefined, JSON.stringify(h.slice(0, 80)));
  }
});

test("traceparent is written from the parts, reads back, and malformed ones give no parts", () => {
  const core = { trace_id: T, span_id: S, dsc: [] };
  assert.equal(outgoingHeaders(core, undefined).traceparent, `00-${T}-${S}-00`, "deferred: 00, as the JavaScript SDK");
  assert.equal(outgoingHeaders({ ...core, sampled: false }, undefined).traceparent, `00-${T}-${S}-00`);
  const sampled = outgoingHeaders({ ...core, sampled: true }, undefined).traceparent;
  assert.equal(sampled, `00-${T}-${S}-01`);
  assert.deepEqual(parseTraceparent(sampled), parts(T, S, true));
  assert.equal(parseTraceparent(`00-${T}-${S}-00`).sampled, undefined, "clear flag: deferred");
  assert.equal(parseTraceparent(`00-${T}-${S}-03`).sampled, true);
  assert.equal(parseTraceparent(`00-${T}-${S}-fb`).sampled, true);
  assert.equal(parseTraceparent(`00-${T}-${S}-1a`).sampled, undefined);
  assert.deepEqual(parseTraceparent(` \t00-${T}-${S}-01 `), parts(T, S, true), "spaces and tabs tolerated");
  assert.ok(parseTraceparent(`01-${T}-${S}-01-future`), "later versions may add fields");
  assert.ok(parseTraceparent(`01-${T}-${S}-01-`), "even an empty one");
  assert.ok(parseTraceparent(`cc-${T}-${S}-01-a\nb`));
  for (const h of [
    "", "00", `00-${T}-${S}`, `ff-${T}-${S}-01`, `00-${T}-${S}-01-extra`, `00-${T}-${S}-01-`, `0-${T}-${S}-01`,
    `00-${T}-${S}-1`, `00-${T}-${S}-zz`, `00-${"0".repeat(32)}-${S}-01`, `00-${T}-${"0".repeat(16)}-01`,
    `00-${T.toUpperCase()}-${S}-01`, `0A-${T}-${S}-01`, "00-é-é-01", "----", `00-${T}-${S}-01\n`, `01-${T}-${S}-011`,
  ]) {
    assert.equal(parseTraceparent(h), undefined, JSON.stringify(h));
  }
});

test("sentry-trace wins over traceparent; a bad or missing one falls back to it", () => {
  const other = "11111111111111111111111111111111";
  assert.deepEqual(incomingParts(`${T}-${S}`, undefined), parts(T, S, undefined));
  assert.deepEqual(incomingParts(undefined, `00-${T}-${S}-01`), parts(T, S, true));
  assert.equal(incomingParts(`${other}-${S}`, `00-${T}-${S}-01`).traceId, other);
  assert.equal(incomingParts("garbage", `00-${T}-${S}-01`).traceId, T);
  assert.equal(incomingParts("", `00-${T}-${S}-01`).traceId, T);
  for (const [st, tp] of [[undefined, undefined], ["nope", "nope"], ["", ""], ["not-a-trace", "ff"]]) {
    assert.equal(incomingParts(st, tp), undefined, `${st} ${tp}`);
  }
});

test("baggage: only sentry- entries make the DSC, decoded, first one winning", () => {
  const h = "other-vendor=foo, sentry-trace_id=771a43a4192642f0b136d5159a501700 ,sentry-public_key=49d0f7386ad645858ae85020e393bef3;prop=1,\tsentry-sample_rate=0.01337, sentry-release=shop%401.0%20beta";
  assert.deepEqual(dscOf(h), flat([
    ["trace_id", "771a43a4192642f0b136d5159a501700"],
    ["public_key", "49d0f7386ad645858ae85020e393bef3"],
    ["sample_rate", "0.01337"],
    ["release", "shop@1.0 beta"],
  ]));
  assert.equal(dscOf("other=1,another=2"), undefined, "no sentry entries: no DSC");
  assert.equal(dscOf(undefined), undefined);
  assert.deepEqual(dscOf("sentry-a=1,sentry-a=2,sentry-=x,Sentry-b=3,sentry%2Dc=4"), flat([["a", "1"], ["c", "4"]]), "keys are decoded before the (case-sensitive) prefix is read");
  // The DSC of an incoming request, other vendors' entries left out.
  const incoming = `other=x,sentry-trace_id=${T},sentry-public_key=theirs,sentry-sample_rate=0.5,sentry-sampled=true,sentry-sample_rand=0.25,sentry-release=api%401`;
  const dsc = dscOf(incoming);
  assert.deepEqual(dsc, flat([["trace_id", T], ["public_key", "theirs"], ["sample_rate", "0.5"], ["sampled", "true"], ["sample_rand", "0.25"], ["release", "api@1"]]));
  // … and propagated as is, after the app's own members.
  const out = outgoingHeaders({ trace_id: T, span_id: S, sampled: true, dsc }, "mine=1");
  assert.equal(out.baggage, `mine=1,sentry-trace_id=${T},sentry-public_key=theirs,sentry-sample_rate=0.5,sentry-sampled=true,sentry-sample_rand=0.25,sentry-release=api%401`);
  assert.ok(!out.baggage.includes("other=x"));
  assert.equal(out.dscBaggage, out.baggage.replace(/^mine=1,/, ""));
});

test("malformed baggage members are skipped; nothing throws", () => {
  for (const h of [
    "", ",", ",,,", "=", "sentry-", "sentry-=x", "=value", "no-equals", "sentry-a=%", "sentry-a=%zz", "sentry-a=%C3",
    "sentry-a=%E2%82", "é=1", "sentry-é=1", "sentry-trace_id", ";;;", "sentry-a=b;c=d;", "\u0000=\u0000", "sentry-a==b", "\ud800=\udc00", "sentry-a=\ud800",
  ]) {
    parseBaggage(h);
    dscOf(h);
    mergeBaggage(h, ["trace_id", "t"]);
  }
  assert.deepEqual(parseBaggage("a=%zz,b=ok,c=%C3,d"), [["b", "ok"]]);
  assert.deepEqual(parseBaggage("sentry-a==b"), [["sentry-a", "=b"]], "only the first = separates");
  assert.deepEqual(parseBaggage("a=%"), []);
  assert.deepEqual(parseBaggage("a=%FF"), [], "not UTF-8");
  assert.deepEqual(parseBaggage("a=%c3%a9,b=%C0%AF,c=%ED%A0%80"), [["a", "é"]], "escapes in either case; overlong and surrogate encodings refused");
  assert.deepEqual(parseBaggage("a b=1,a\u00e9=1,a%20b=1,a%21=1,k%25=1,k%=1,k!#$&'*+-.^_`|~=1"), [["a!", "1"], ["k%", "1"], ["k!#$&'*+-.^_`|~", "1"]], "keys are tokens, after decoding");
  // A huge header is read up to a bounded number of members.
  assert.equal(parseBaggage("x=1,".repeat(100_000)).length, 256);
  assert.equal(mergeBaggage("x=1,".repeat(300) + "late=1", []).split(",").length, 256, "the app's members too");
});

test("a DSC round-trips through baggage, encoded as encodeURIComponent", () => {
  const d = flat([["trace_id", "abc"], ["release", "app@1.0,+ä;x=y"], ["environment", "prod uction"]]);
  const header = mergeBaggage(undefined, d);
  assert.equal(header, "sentry-trace_id=abc,sentry-release=app%401.0%2C%2B%C3%A4%3Bx%3Dy,sentry-environment=prod%20uction");
  assert.deepEqual(dscOf(header), d);
  assert.equal(mergeBaggage(undefined, ["k", "a b/é-_.!~*'()"]), "sentry-k=a%20b%2F%C3%A9-_.!~*'()");
  assert.equal(mergeBaggage(undefined, ["k/é", "v"]), "sentry-k%2F%C3%A9=v", "keys are encoded too");
});

test("outgoing baggage keeps the app's members and replaces stale sentry- ones", () => {
  const d = flat([["trace_id", "t1"], ["public_key", "k"]]);
  assert.equal(mergeBaggage("vendor=a;p=1, sentry-trace_id=stale ,other=b%20c", d), "vendor=a;p=1,other=b%20c,sentry-trace_id=t1,sentry-public_key=k");
  assert.equal(mergeBaggage("  ", d), "sentry-trace_id=t1,sentry-public_key=k");
  assert.equal(mergeBaggage("Sentry-Trace_Id=x,a=1", d), "a=1,sentry-trace_id=t1,sentry-public_key=k", "prefix matched case-insensitively");
  assert.equal(mergeBaggage(" sentry-x =1,novalue,=v,x=", d), "=v,x=,sentry-trace_id=t1,sentry-public_key=k", "members need an = only");
  assert.equal(mergeBaggage(undefined, d), mergeBaggage("", d));
  assert.equal(mergeBaggage("a=1", []), "a=1");
  // As the engine gives them: the merged header and the DSC alone.
  const h = outgoingHeaders({ trace_id: T, span_id: S, dsc: flat([["trace_id", T], ["release", "shop@1.4.2"]]) }, "mine=1, sentry-release=stale");
  assert.equal(h.traceparent, `00-${T}-${S}-00`);
  assert.ok(h.baggage.startsWith("mine=1,sentry-trace_id="), h.baggage);
  assert.ok(!h.baggage.includes("stale"));
  assert.equal(h.baggage, `mine=1,${h.dscBaggage}`);
  assert.equal(outgoingHeaders({ trace_id: T, span_id: S, dsc: [] }, undefined).baggage, "");
});

test("outgoing baggage is capped at 8192 bytes, members dropped whole, the DSC first", () => {
  const d = flat([["trace_id", "0123456789abcdef0123456789abcdef"], ["public_key", "k"]]);
  // The app's members fill the budget: the DSC survives, trailing members are dropped whole.
  const big = Array.from({ length: 200 }, (_, i) => `v${i}=${"x".repeat(60)}`);
  let out = mergeBaggage(big.join(","), d);
  assert.ok(out.length <= MAX_BAGGAGE_BYTES, String(out.length));
  assert.ok(out.endsWith("sentry-trace_id=0123456789abcdef0123456789abcdef,sentry-public_key=k"));
  assert.ok(out.startsWith("v0="));
  for (const m of out.split(",")) assert.ok(m.startsWith("sentry-") || big.includes(m), `members are whole: ${m}`);
  // One member larger than the cap is dropped; smaller ones after it still fit.
  out = mergeBaggage(`huge=${"y".repeat(9000)},small=1`, d);
  assert.equal(out, "small=1,sentry-trace_id=0123456789abcdef0123456789abcdef,sentry-public_key=k");
  // A DSC value larger than the cap (a runaway release name) is dropped, not truncated.
  assert.equal(mergeBaggage(undefined, flat([["trace_id", "t"], ["release", "r".repeat(9000)], ["environment", "prod"]])), "sentry-trace_id=t,sentry-environment=prod");
  // Exactly at the cap is allowed.
  const filler = MAX_BAGGAGE_BYTES - "sentry-trace_id=t".length - 1 - "a=".length;
  const exact = mergeBaggage(`a=${"z".repeat(filler)}`, ["trace_id", "t"]);
  assert.equal(exact.length, MAX_BAGGAGE_BYTES);
  assert.equal(mergeBaggage(`a=${"z".repeat(filler + 1)}`, ["trace_id", "t"]), "sentry-trace_id=t");
  // The app's members count in UTF-8 bytes, as they are sent.
  const wide = `a=${"é".repeat(filler / 2)}`;
  assert.equal(enc.encode(mergeBaggage(wide, ["trace_id", "t"])).length, MAX_BAGGAGE_BYTES);
  assert.equal(mergeBaggage(`a=${"é".repeat(filler / 2)}x`, ["trace_id", "t"]), "sentry-trace_id=t");
  assert.equal(mergeBaggage(`a=${"😀".repeat(filler / 4)}x`, ["trace_id", "t"]), "sentry-trace_id=t", "astral characters are four bytes");
  assert.equal(mergeBaggage(`a=${"€".repeat(filler / 3)}x`, ["trace_id", "t"]), "sentry-trace_id=t", "three-byte characters");
});

test("an event's link to a request: its sentry-trace's ids and the DSC its baggage carried", () => {
  const link = traceLink({ sentryTrace: `${T}-${S}-1`, baggage: `vendor=1,sentry-trace_id=${T},sentry-public_key=k` });
  assert.deepEqual(link, { traceId: T, spanId: S, dsc: ["trace_id", T, "public_key", "k"] });
  assert.deepEqual(traceLink({ sentryTrace: `${T}-${S}` }), { traceId: T, spanId: S, dsc: undefined });
  for (const t of [{ sentryTrace: "s", baggage: "b" }, { sentryTrace: "x" }, { baggage: "b" }, { sentryTrace: 5 }, null, undefined, "text", { sentryTrace: "garbage", baggage: "sentry-trace_id=x" }, { sentryTrace: "" }]) {
    assert.equal(traceLink(t), undefined, JSON.stringify(t));
  }
});

function corpus(dir) {
  return readdirSync(dir).filter((f) => !f.startsWith(".")).sort().map((f) => [f, readFileSync(dir + f)]);
}

/** The properties every header a fuzzer ever reached keeps. */
function check(s) {
  for (const [parse, name] of [[parseSentryTrace, "sentry-trace"], [parseTraceparent, "traceparent"]]) {
    const p = parse(s);
    if (!p) continue;
    assert.match(p.traceId, /^[0-9a-f]{32}$/, name);
    assert.match(p.spanId, /^[0-9a-f]{16}$/, name);
    const printed = outgoingHeaders({ trace_id: p.traceId, span_id: p.spanId, sampled: p.sampled, dsc: [] }, undefined);
    assert.deepEqual(parseSentryTrace(printed.sentryTrace), p, name);
    assert.equal(parseTraceparent(printed.traceparent).traceId, p.traceId, name);
  }
  for (const [k, v] of parseBaggage(s)) {
    assert.ok(k.length > 0);
    const h = mergeBaggage(undefined, [k, v]);
    if (h) assert.deepEqual(parseBaggage(h), [["sentry-" + k, v]], "percent-encoding round-trips");
    else assert.ok(`sentry-${encodeURIComponent(k)}=${encodeURIComponent(v)}`.length > MAX_BAGGAGE_BYTES, "only a member past the cap is left out");
  }
  const merged = mergeBaggage(s, ["trace_id", s]);
  assert.ok(enc.encode(merged).length <= MAX_BAGGAGE_BYTES);
  const dsc = dscOf(s);
  if (dsc) {
    const header = mergeBaggage(undefined, dsc);
    assert.ok(header.length <= MAX_BAGGAGE_BYTES);
    const again = dscOf(header) ?? [];
    const had = new Map();
    for (let i = 0; i < dsc.length; i += 2) had.set(dsc[i], dsc[i + 1]);
    for (let i = 0; i < again.length; i += 2) assert.equal(had.get(again[i]), again[i + 1], header);
    const members = [];
    for (let i = 0; i < dsc.length; i += 2) members.push(`sentry-${encodeURIComponent(dsc[i])}=${encodeURIComponent(dsc[i + 1])}`);
    if (members.join(",").length <= MAX_BAGGAGE_BYTES) assert.deepEqual(again, dsc, header);
  }
}

test("every input of the trace and baggage corpora keeps the properties", () => {
  const dec = new TextDecoder("utf-8", { fatal: true });
  let n = 0;
  for (const [dir, split] of [[`${root}fuzz/corpus/trace/`, true], [`${root}tests/corpus/baggage/`, false]]) {
    for (const [file, bytes] of corpus(dir)) {
      let s;
      try {
        s = dec.decode(bytes);
      } catch {
        continue;
      }
      try {
        check(s);
        if (split) {
          const [st, bg, tp] = s.split("\n", 3);
          check(st);
          if (bg !== undefined) check(bg);
          if (tp !== undefined) check(tp);
        }
      } catch (e) {
        e.message = `${dir}${file}: ${e.message}`;
        throw e;
      }
      n++;
    }
  }
  assert.ok(n > 100, String(n));
});
