// HTTP status filtering through the real wasm core (Node entry): errors whose status is
// 4xx are not sent by default and 5xx are, the status read where HTTP clients put it and
// only from the thrown value; every drop counted in a client report.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as oxeye from "../dist/entrypoints/node.js";
import { discarded, pipelineSuite } from "./helpers/pipeline-suite.mjs";

const setup = pipelineSuite();

test("HTTP errors: 4xx are not sent by default, 5xx are; the list can be changed", async () => {
  class HTTPError extends Error {
    constructor(status) {
      super(`Request failed with status ${status}`);
      this.name = "HTTPError";
      this.response = { status };
    }
  }
  let s = setup();
  for (const status of [400, 401, 403, 404, 422, 429, 500, 503]) oxeye.captureException(new HTTPError(status));
  oxeye.captureException({ status: 404, statusText: "Not Found" });
  // React Router's answer to a URL no route matches: a 404 wrapping an Error.
  oxeye.captureException({ status: 404, statusText: "Not Found", internal: true, data: "no match", error: new Error('No route matches URL "/x"') });
  oxeye.captureException({ status: 503, statusText: "Service Unavailable", error: new Error("upstream down") });
  await oxeye.flush(2000);
  assert.deepEqual(s.events().map((e) => e.contexts.response.status_code), [500, 503, 503]);
  assert.equal(s.events().at(-1).exception.values.at(-1).value, "upstream down");
  assert.deepEqual(discarded(s.reports()), { "event_processor/error": 8 });
  s = setup({ ignoreHttpStatus: [404, [500, 502]] });
  for (const status of [401, 404, 500, 503]) oxeye.captureException(new HTTPError(status));
  await oxeye.flush(2000);
  assert.deepEqual(s.events().map((e) => e.contexts.response.status_code), [401, 503]);
});

test("HTTP errors: the status is read where HTTP clients put it (got, Apollo Client 3, tRPC), and only from the thrown value, never from a response context the app set", async () => {
  const error = (name, props) => Object.assign(new Error(`${name} failed`), { name }, props);
  // got: `response.statusCode`; Apollo Client 3: the `networkError` it wraps; tRPC: `data.httpStatus` and `meta.response`.
  const shapes = {
    got: (status) => error("HTTPError", { response: { statusCode: status } }),
    apollo3: (status) => error("ApolloError", { networkError: error("ServerError", { statusCode: status }) }),
    trpc: (status) => error("TRPCClientError", { data: { httpStatus: status } }),
    trpcMeta: (status) => error("TRPCClientError", { meta: { response: { status } } }),
  };
  const s = setup();
  for (const [name, make] of Object.entries(shapes)) {
    oxeye.captureException(make(404));
    oxeye.captureException(Object.assign(make(500), { message: `${name} 500` }));
  }
  // An app that records its own answer as a `response` context filters no error with it.
  oxeye.getIsolationScope().setContext("response", { status_code: 404 });
  oxeye.captureException(new TypeError("a crash while answering 404"));
  oxeye.captureException(new RangeError("another crash"), { contexts: { response: { status_code: 401 } } });
  await oxeye.flush(2000);
  assert.deepEqual(
    s.events().map((e) => e.exception.values.at(-1).value),
    ["got 500", "apollo3 500", "trpc 500", "trpcMeta 500", "a crash while answering 404", "another crash"],
  );
  assert.deepEqual(s.events().slice(0, 4).map((e) => e.contexts.response.status_code), [500, 500, 500, 500]);
  assert.deepEqual(discarded(s.reports()), { "event_processor/error": 4 });
});
