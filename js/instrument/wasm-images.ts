/**
 * The `debug_meta` images of an event's wasm frames: the modules `wasm-modules.ts` has
 * seen whose URL occurs in the event's stacks. Apart from that module, which `init`
 * installs on the browser's critical path, because only the engine reads the images; the
 * engine gets the modules from the platform, never by importing that module.
 */
import type { ModuleInfo } from "./wasm-modules.js";
import { inStacks } from "./debug-ids.js";

/** The `modules` (the platform's, `Platform.wasmModules`) whose URL occurs in `stacks`, or undefined when there are none (or no stacks). */
export function wasmModulesFor(modules: Map<string, ModuleInfo> | undefined, stacks: readonly string[]): Record<string, ModuleInfo> | undefined {
  return modules && inStacks(modules, stacks);
}
