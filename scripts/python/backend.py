"""A small example backend using Sentry's official Python SDK (sentry-sdk), for the
frontend <-> backend correlation tests and the demo.

Plain WSGI on the standard library's server, bound to 127.0.0.1. Every request runs in
sentry-sdk's WSGI middleware, which continues the trace of the incoming `sentry-trace` /
`baggage` headers. The request id of `X-Request-ID` (one is made when absent) becomes the
scope's `request_id` tag and is echoed on the response, errors included.

Routes:
  GET /api/ok       200 {"request_id", "trace_id", "baggage"} (the baggage this request
                    would propagate)
  GET /api/meta     200 {"sentry_trace", "baggage"}: what a server-rendered page's meta
                    tags would carry (sentry-sdk's get_traceparent / get_baggage)
  GET /api/fail     raises: sentry-sdk captures the error, the client gets a 500
  GET /api/headers  200 with the request headers as received (for tests)
  OPTIONS *         CORS preflight

Usage: python backend.py --dsn DSN [--port 0] [--release R] [--environment E]
Prints one line `OXEYE-BACKEND {"url": ...}` once listening. Stops on SIGTERM/SIGINT or
when its stdin closes (so it never outlives the process that started it), flushing
sentry-sdk first.
"""

import argparse
import json
import signal
import sys
import threading
import uuid
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import sentry_sdk
from sentry_sdk.integrations.wsgi import SentryWsgiMiddleware

REQUEST_ID = "X-Request-ID"
ALLOWED_HEADERS = "sentry-trace, baggage, traceparent, x-request-id, content-type"


class OrderServiceError(RuntimeError):
    """The failure of /api/fail."""


def request_id_of(environ):
    rid = environ.get("HTTP_X_REQUEST_ID", "").strip()
    if not rid or len(rid) > 200:
        rid = str(uuid.uuid4())
    environ["oxeye.request_id"] = rid
    return rid


def current_trace_id():
    ctx = sentry_sdk.get_current_scope().get_trace_context() or {}
    return ctx.get("trace_id")


def json_response(start_response, status, body, extra=()):
    data = json.dumps(body).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    start_response(status, headers + list(extra))
    return [data]


def app(environ, start_response):
    """The application, inside sentry-sdk's middleware (one isolation scope per request)."""
    rid = request_id_of(environ)
    sentry_sdk.set_tag("request_id", rid)
    path = environ.get("PATH_INFO", "/")
    if path == "/api/ok":
        return json_response(start_response, "200 OK", {"request_id": rid, "trace_id": current_trace_id(), "baggage": sentry_sdk.get_baggage()})
    if path == "/api/meta":
        return json_response(start_response, "200 OK", {"sentry_trace": sentry_sdk.get_traceparent(), "baggage": sentry_sdk.get_baggage()})
    if path == "/api/fail":
        raise OrderServiceError(f"order service unavailable (request {rid})")
    if path == "/api/headers":
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        return json_response(start_response, "200 OK", {"headers": headers})
    return json_response(start_response, "404 Not Found", {"error": "not found"})


def with_cors_and_request_id(inner):
    """Outermost layer: CORS, the echoed request id, and a JSON 500 for errors that
    sentry-sdk's middleware has captured and re-raised."""

    def outer(environ, start_response):
        origin = environ.get("HTTP_ORIGIN")
        cors = []
        if origin:
            cors = [
                ("Access-Control-Allow-Origin", origin),
                ("Access-Control-Expose-Headers", REQUEST_ID),
                ("Vary", "Origin"),
            ]
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            start_response("204 No Content", cors + [
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", ALLOWED_HEADERS),
                ("Access-Control-Max-Age", "600"),
                ("Content-Length", "0"),
            ])
            return [b""]

        def start(status, headers, exc_info=None):
            rid = environ.get("oxeye.request_id")
            extra = [(REQUEST_ID, rid)] if rid else []
            return start_response(status, headers + extra + cors, exc_info) if exc_info else start_response(status, headers + extra + cors)

        try:
            return list(inner(environ, start))
        except Exception as e:  # already captured by sentry-sdk's middleware
            rid = environ.get("oxeye.request_id")
            body = {"error": str(e), "request_id": rid}
            return json_response(start_response, "500 Internal Server Error", body, ([(REQUEST_ID, rid)] if rid else []) + cors)

    return outer


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True

    def setup_environ(self):
        # wsgiref starts every request's environ from a copy of os.environ; keep only the
        # CGI keys, so the process environment never ends up in captured events.
        super().setup_environ()
        keep = ("SERVER_NAME", "GATEWAY_INTERFACE", "SERVER_PORT", "SCRIPT_NAME")
        self.base_environ = {k: v for k, v in self.base_environ.items() if k in keep}


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dsn", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--release", default="oxeye-demo-backend@1.0.0")
    p.add_argument("--environment", default="demo")
    a = p.parse_args()

    # Errors only: no traces_sample_rate, so no spans are sent, but incoming traces are
    # still continued and every event carries the trace it belongs to.
    sentry_sdk.init(dsn=a.dsn, release=a.release, environment=a.environment, default_integrations=True)

    server = make_server("127.0.0.1", a.port, with_cors_and_request_id(SentryWsgiMiddleware(app)), server_class=Server, handler_class=QuietHandler)
    host, port = server.server_address[:2]
    print("OXEYE-BACKEND " + json.dumps({"url": f"http://{host}:{port}"}), flush=True)

    stopping = threading.Event()

    def stop(*_):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except Exception:
            pass
        stop()

    threading.Thread(target=watch_stdin, daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        sentry_sdk.flush(timeout=5)


if __name__ == "__main__":
    main()
