"use client";
/**
 * Client-side helpers for Next.js error files (`oxeye/nextjs/client`). Next's own error
 * boundaries (`app/global-error.tsx`, `app/**\/error.tsx`) catch render errors before any
 * global handler sees them, so the error file has to report what it receives. This is a
 * client component module (`"use client"`); it reports through the client `init` (from
 * `oxeye/nextjs`) made in `instrumentation-client.ts`, or else `oxeye`'s default client.
 */
import * as React from "react";
import { captureException } from "./nextjs.js";

/** Options of `useCaptureError`. */
export interface CaptureErrorOptions {
  /** Whether the error counts as handled. Default false: Next only showed an error page. */
  handled?: boolean | undefined;
  /** Tags for the event, e.g. which error file caught it. */
  tags?: Record<string, unknown> | undefined;
}

/** The props Next gives an error file. */
export interface ErrorFileProps {
  error: Error & { digest?: string };
  reset?: (() => void) | undefined;
}

/**
 * Reports the error an error file received, once per error (in `useEffect`, so a re-render
 * does not send it again). Errors that came from the server carry Next's `digest`, which is
 * put in `contexts.nextjs.digest` and the tag `digest` to match the server's own report. Returns the event id
 * once captured ("" before): when oxeye's global handler captured the same error first
 * (`next dev` does hand it to `window.onerror`), that event's id, the one the server has.
 */
export function useCaptureError(error: unknown, options: CaptureErrorOptions = {}): string {
  const [eventId, setEventId] = React.useState("");
  const { handled = false, tags } = options;
  React.useEffect(() => {
    if (error === undefined || error === null) return;
    const digest = (error as { digest?: unknown }).digest;
    const server = typeof digest === "string";
    const id = captureException(error, {
      mechanism: { type: "auto.function.nextjs.error_boundary", handled },
      contexts: server ? { nextjs: { digest } } : undefined,
      // The digest as a tag too, so that search finds the server's report from it.
      tags: server ? { digest, ...tags } : tags,
    });
    setEventId(id);
    // Report each error once; options are read when it arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [error]);
  return eventId;
}

/**
 * A ready-made `app/global-error.tsx`: reports the error and renders a minimal page (it
 * replaces the root layout, so it has its own `<html>` and `<body>`) with a retry button.
 * Use it as `export { GlobalError as default } from "oxeye/nextjs/client";`.
 */
export function GlobalError({ error, reset }: ErrorFileProps): React.ReactElement {
  const eventId = useCaptureError(error);
  const h = React.createElement;
  return h(
    "html",
    { lang: "en" },
    h(
      "body",
      null,
      h("h2", null, "Something went wrong."),
      eventId ? h("p", null, `Reference: ${eventId}`) : null,
      reset ? h("button", { type: "button", onClick: () => reset() }, "Try again") : null,
    ),
  );
}
