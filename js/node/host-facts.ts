/**
 * Node's facts about its host, read once per client (`Platform.hostFacts`): the
 * `culture`, `runtime` and `os` contexts, as Sentry's Node SDK reports them (the host's
 * name is not sent).
 */
import { release, type } from "node:os";
import type { HostFacts } from "../api/client.js";
import { cultureFacts } from "../api/host.js";

/** `os.type()` as Sentry names operating systems. */
const OS_NAMES: Record<string, string> = { Darwin: "macOS", Windows_NT: "Windows" };

export function nodeHostFacts(): HostFacts {
  const facts: HostFacts = { ...cultureFacts(), runtime: { name: "node", version: globalThis.process?.version || undefined } };
  try {
    const name = type();
    facts.os = { name: OS_NAMES[name] ?? name, kernel_version: release() };
  } catch {
    /* no `os` context */
  }
  return facts;
}
