// A module worker serving oxeye's tunnel handler, the way an app would mount it on its
// own origin: only envelopes for env.SENTRY_DSN are relayed, bodies over 4 KiB refused.
import { createTunnelHandler } from "../../dist/tunnel/tunnel-workerd.js";

let handler;

export default {
  fetch(request, env) {
    handler ??= createTunnelHandler({ allowedDsns: [env.SENTRY_DSN], maxBodyBytes: 4096 });
    return handler(request);
  },
};
