/** Type of a `.wasm` file imported as a module (workerd and bundlers). */
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
