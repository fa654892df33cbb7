/**
 * `oxeye/cloudflare` where Node loads it: a framework's build step that imports a Worker's
 * modules (SvelteKit's analysis and prerendering), or unit tests of Worker code run in
 * Node. The Workers build imports its wasm as a compiled module, which Node cannot, so
 * nothing reports here: `withOxeye` and `instrumentDurableObject` return what they wrap,
 * `oxeyeOf` and `durableObjectClient` give undefined, `createClient` a client that sends
 * nothing, and the trace helpers act as without a client. Said once on the console, when
 * first used. The types are those of `oxeye/cloudflare` (index.ts).
 */
import { createClient as nodeClient, Scope, type Options, type OxeyeClient } from "../../entrypoints/node.js";
import { warnOnce } from "../../api/warn.js";

const said = <T>(value: T): T => {
  warnOnce("cloudflare-in-node", "oxeye/cloudflare was loaded by Node (a build step, prerendering, a unit test): it reports nothing here; it reports when the Worker runs in workerd");
  return value;
};

export const withOxeye = (_options: unknown, handler: unknown): unknown => said(handler);
export const instrumentDurableObject = withOxeye;
export const oxeyeOf = (_ctx?: unknown): undefined => said(undefined);
export const durableObjectClient = oxeyeOf;
export const createClient = (options: Options): OxeyeClient => said(nodeClient({ ...options, enabled: false }));
export const getTraceData = (): Record<string, string> => said({});
export const getTraceMetaTags = (): string => said("");
/** A scope of no client: what is set on it goes nowhere. */
const detached = (): Scope => new (Scope as unknown as new () => Scope)();
export const continueTrace = (_trace: unknown, callback: (scope: Scope) => unknown): unknown => said(callback)(detached());
export const startNewTrace = (callback: (scope: Scope) => unknown): unknown => said(callback)(detached());
export { OxeyeClient, Scope, makeFetchTransport } from "../../entrypoints/node.js";
