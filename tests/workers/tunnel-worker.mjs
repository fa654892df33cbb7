// A module worker serving oxeye's tunnel handler, the way an app would mount it on its
// own origin: only envelopes for env.SENTRY_DSN are relayed, bodies over 4 KiB refused.
// TRUST_PROXY ("1") believes CF-Connecting-IP, as behind Cloudflare; BODY_TIMEOUT_MS sets
// the body-read deadline.
import { createTunnelHandler } from "../../dist/tunnel/tunnel-workerd.js";

let handler;

export default {
  fetch(request, env) {
    handler ??= createTunnelHandler({
      allowedDsns: [env.SENTRY_DSN],
      maxBodyBytes: 4096,
      trustProxy: env.TRUST_PROXY === "1",
      bodyTimeoutMs: env.BODY_TIMEOUT_MS ? Number(env.BODY_TIMEOUT_MS) : undefined,
    });
    return handler(request);
  },
};
