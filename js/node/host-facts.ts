/**
 * Node's facts about its host, read once per client (`Platform.hostFacts`): the
 * `culture`, `runtime` and `os` contexts. `os` names the Linux distribution and its
 * version from `/etc/os-release` (so events from an Alpine and a Debian image differ), as
 * Sentry's Node SDK names them, with the kernel's version; other systems are named by
 * `os.type()`, Windows with its version. The host's name is not sent.
 */
import { readFileSync } from "node:fs";
import { release, type } from "node:os";
import type { HostFacts } from "../api/client.js";
import { cultureFacts } from "../api/host.js";

/** `os.type()` as Sentry names operating systems. */
const OS_NAMES: Record<string, string> = { Darwin: "macOS", Windows_NT: "Windows" };

/** `NAME` and `VERSION_ID` of `/etc/os-release`, unquoted. */
function distribution(): { name?: string; version?: string } {
  try {
    const text = readFileSync("/etc/os-release", "utf8");
    const field = (k: string) => new RegExp(`^${k}=(.*)$`, "m").exec(text)?.[1]?.trim().replace(/^(["'])(.*)\1$/, "$2") || undefined;
    return { name: field("NAME"), version: field("VERSION_ID") };
  } catch {
    return {};
  }
}

export function nodeHostFacts(): HostFacts {
  const facts: HostFacts = { ...cultureFacts(), runtime: { name: "node", version: globalThis.process?.version || undefined } };
  try {
    const kind = type();
    const kernel = release();
    const os: Record<string, string | undefined> = { name: OS_NAMES[kind] ?? kind, kernel_version: kernel };
    if (kind === "Linux") {
      const d = distribution();
      if (d.name) Object.assign(os, { name: d.name, version: d.version });
    } else if (kind === "Windows_NT") {
      os.version = kernel;
    }
    facts.os = os;
  } catch {
    /* no `os` context */
  }
  return facts;
}
