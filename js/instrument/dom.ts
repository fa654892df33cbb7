/**
 * Click breadcrumbs: one capturing, passive `click` listener on the document. Each click
 * becomes a breadcrumb with category `ui.click` and, as its message, a short CSS-like
 * selector of the clicked element and its ancestors (tag, id, up to three classes, and
 * the `type`, `name`, `role`, `data-testid`, `aria-label`, `title` and `alt` attributes, so
 * links and icon buttons without an id can be told apart), through open shadow roots to
 * the element clicked in a web component. Text content is never read.
 * Clicks before the engine loaded are recorded from the loader's notes (`recordClick`).
 */
import { claim, type Hook } from "./patch.js";
import type { InstrumentContext } from "./requests.js";
import { cut } from "../api/normalize.js";

const hook: Hook<InstrumentContext> = {};
const MAX_DEPTH = 5;
const MAX_LENGTH = 80;
const ATTRIBUTES = ["type", "name", "role", "data-testid", "aria-label", "title", "alt"];
/** Longest attribute value kept whole. */
const MAX_ATTRIBUTE = 100;

interface ElementLike {
  nodeType?: number;
  tagName?: string;
  id?: string;
  classList?: ArrayLike<string>;
  parentElement?: ElementLike | null;
  getAttribute?(name: string): string | null;
  getRootNode?(): { host?: ElementLike };
}

function cssIdent(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, (c) => `\\${c}`);
}

/**
 * An attribute's value, whole up to 100 characters (the core scrubs it: a label may hold a
 * card number or an IBAN), else cut without the word the cut would split; a longer value
 * of one word (an id-like `data-testid`) is left out, as its start could be a secret's.
 */
function attributeText(v: string): string {
  if (v.length <= MAX_ATTRIBUTE) return v;
  return /\s/.test(v.slice(0, MAX_ATTRIBUTE)) ? cut(v, MAX_ATTRIBUTE) : "…";
}

/** `body > main > div.buttons > button#save[type="button"]`, at most 5 levels and about 80 characters. */
export function selectorOf(el: ElementLike | null | undefined): string {
  const parts: string[] = [];
  let length = 0;
  for (let depth = 0; el && depth < MAX_DEPTH; depth++) {
    if (el.nodeType !== 1 || !el.tagName) break;
    // The element as a selector: tag, id, up to three classes, a few telling attributes.
    let s = String(el.tagName).toLowerCase();
    if (s === "html") break;
    if (el.id) s += `#${cssIdent(String(el.id))}`;
    for (const c of el.classList ? Array.from(el.classList).slice(0, 3) : []) s += `.${cssIdent(c)}`;
    for (const a of ATTRIBUTES) {
      const v = el.getAttribute?.(a);
      if (v) s += `[${a}="${attributeText(v).replace(/["\\]/g, "\\$&")}"]`;
    }
    if (depth && length + s.length + 3 > MAX_LENGTH) break;
    parts.unshift(s);
    length += s.length + 3;
    // Out of a shadow root, on to its host element (a web component's).
    el = el.parentElement ?? el.getRootNode?.().host;
  }
  return parts.join(" > ");
}

/** Records a click on `target` (made at `at`, ms, when not now) as a breadcrumb. */
export function recordClick(ctx: InstrumentContext, target: unknown, event?: Event, at?: number): void {
  try {
    const selector = selectorOf(target as ElementLike | null);
    if (selector) ctx.client.addBreadcrumb({ category: "ui.click", message: selector, ...(at && { timestamp: at / 1000 }) }, { event });
  } catch {
    /* never break the page */
  }
}

function onClick(ev: Event): void {
  // The element clicked, inside an open shadow root too (the event's target is the root's host).
  if (hook.owner) recordClick(hook.owner, ev.composedPath?.()[0] ?? ev.target, ev);
}

/** Records clicks; returns the uninstaller. */
export function instrumentDom(ctx: InstrumentContext): () => void {
  const doc = (globalThis as { document?: { addEventListener?: Function; removeEventListener?: Function } }).document;
  if (!doc || typeof doc.addEventListener !== "function") return () => {};
  return claim(hook, ctx, () => {
    const options = { capture: true, passive: true };
    doc.addEventListener!("click", onClick, options);
    return () => {
      doc.removeEventListener?.("click", onClick, options);
      return true;
    };
  });
}
