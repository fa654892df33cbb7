/** Test helper: wait for a condition instead of sleeping (shared with the test servers in scripts/lib). */
export { waitFor } from "../../scripts/lib/wait.mjs";
