/**
 * The `debug_meta` images of an event's wasm frames: the modules `wasm-modules.ts` has
 * seen whose URL occurs in the event's stacks. Apart from that module, which `init`
 * installs on the browser's critical path, because only the engine reads the images.
 */
import { modules, type ModuleInfo } from "./wasm-modules.js";
import { inStacks } from "./debug-ids.js";

/** The known modules whose URL occurs in `stacks`, or undefined when there are none (or no stacks). */
export function wasmModulesFor(stacks: readonly string[]): Record<string, ModuleInfo> | undefined {
  return inStacks(modules, stacks);
}
