import { makeSink, throughput } from "./workload.mjs";
const adapter = await import(`../adapters/${process.argv[2]||"oxeye"}.mjs`);
const sink = makeSink(); const sdk = await adapter.setup(sink);
const r = await throughput(sdk, sink, "exception", { minMs: 2500 });
console.log(JSON.stringify(r)); process.exit(0);
