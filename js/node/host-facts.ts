/**
 * Node's facts about its host, read once per client (`Platform.hostFacts`): the
 * `culture`, `runtime`, `os`, `device` and `app` contexts. `os` names the Linux
 * distribution and its version from `/etc/os-release` (so events from an Alpine and a
 * Debian image differ), as Sentry's Node SDK names them, with the kernel's version; other
 * systems are named by `os.type()`, Windows with its version. `device` is the machine
 * (architecture, processors, total memory, boot time) and `app` the process (its start
 * time): what does not change while it runs, so that every event carries the same, correct
 * figures. The host's name is not sent.
 */
import { readFileSync } from "node:fs";
import { arch, cpus, release, totalmem, type, uptime } from "node:os";
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

/** The runtime running the Node entry: Bun and Deno by their own names and versions (their `process.version` is the Node version they mimic), else Node. */
function runtime(): { name: string; version?: string | undefined } {
  const g = globalThis as { Bun?: { version?: string }; Deno?: { version?: { deno?: string } } };
  try {
    if (g.Bun) return { name: "bun", version: g.Bun.version };
    if (g.Deno) return { name: "deno", version: g.Deno.version?.deno };
  } catch {
    /* Node's name */
  }
  return { name: "node", version: globalThis.process?.version || undefined };
}

export function nodeHostFacts(): HostFacts {
  const facts: HostFacts = { ...cultureFacts(), runtime: runtime() };
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
  try {
    const now = Date.now();
    const cpu = cpus();
    facts.device = {
      arch: arch(),
      processor_count: cpu.length || undefined,
      cpu_description: cpu[0]?.model?.trim() || undefined,
      processor_frequency: cpu[0]?.speed || undefined,
      memory_size: totalmem(),
      boot_time: new Date(now - uptime() * 1000).toISOString(),
    };
    facts.app = { app_start_time: new Date(now - process.uptime() * 1000).toISOString() };
  } catch {
    /* no `device` or `app` context (a runtime that only emulates Node's modules) */
  }
  return facts;
}
