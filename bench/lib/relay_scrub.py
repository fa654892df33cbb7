"""Times sentry-relay's default server-side data scrubbing (pii_strip_event with
convert_datascrubbing_config of Sentry's defaults) on one event, the reference for
oxeye's on-device scrubbing.

stdin:  {"event": {...}, "runs": 5, "iterations": 2000}
stdout: {"relayVersion": "...", "perEventUs": [one median-free mean per run]}
"""

import json
import sys
import time
from importlib.metadata import version

from sentry_relay import convert_datascrubbing_config, pii_strip_event

req = json.load(sys.stdin)
config = convert_datascrubbing_config(
    {"scrubData": True, "scrubDefaults": True, "scrubIpAddresses": True, "sensitiveFields": [], "excludeFields": []}
)
event = req["event"]
for _ in range(50):
    pii_strip_event(config, event)
samples = []
for _ in range(req.get("runs", 5)):
    n = req.get("iterations", 2000)
    t = time.perf_counter()
    for _ in range(n):
        pii_strip_event(config, event)
    samples.append((time.perf_counter() - t) / n * 1e6)
json.dump({"relayVersion": version("sentry-relay"), "perEventUs": samples}, sys.stdout)
