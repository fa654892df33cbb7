// The Next.js end-to-end suite over `next build --webpack`, with the fixture's next.config
// unchanged (no serverExternalPackages): the Node server bundle finds oxeye's wasm itself.
process.env.OXEYE_NEXT_BUNDLER = "webpack";
await import("./e2e-nextjs.test.mjs");
