"""scrub_relay.py: sentry-relay's default server-side scrubbing throughput, for
bench/scrub.mjs.

stdin: {"corpus": "<path to a JSON array of events>", "rounds": N}
stdout: {"events", "bytes", "rounds", "relay_version", "strip": {"median_ms", "events_per_s", "mb_per_s"}}

Times `pii_strip_event(convert_datascrubbing_config(defaults), event)` over every event
(dicts in, dicts out; the binding serialises to JSON and back internally), median of
`rounds` after one warm-up round.
"""

import json
import sys
import time
from importlib.metadata import version

from sentry_relay import convert_datascrubbing_config, pii_strip_event

DEFAULTS = {"scrubData": True, "scrubDefaults": True, "scrubIpAddresses": True, "sensitiveFields": [], "excludeFields": []}


def main():
    req = json.load(sys.stdin)
    with open(req["corpus"], encoding="utf-8") as f:
        events = json.load(f)
    size = sum(len(json.dumps(e, separators=(",", ":")).encode()) for e in events)
    config = convert_datascrubbing_config(DEFAULTS)
    times = []
    for i in range(req.get("rounds", 7) + 1):
        t = time.perf_counter()
        for e in events:
            pii_strip_event(config, e)
        if i > 0:
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    ms = times[len(times) // 2]
    json.dump(
        {
            "events": len(events),
            "bytes": size,
            "rounds": len(times),
            "relay_version": version("sentry-relay"),
            "strip": {"median_ms": round(ms, 3), "events_per_s": round(len(events) / (ms / 1000)), "mb_per_s": round(size / 1e6 / (ms / 1000), 2)},
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
