/** Type of a `.wasm?module` import: the compiled module (Next.js edge, Vercel Edge). */
declare module "*.wasm?module" {
  const module: WebAssembly.Module;
  export default module;
}
