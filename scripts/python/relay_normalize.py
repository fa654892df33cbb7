"""relay_normalize.py: runs a batch of events through sentry-relay, Sentry's own
ingestion code, and prints the results.

stdin:  {"op": "normalize" | "pii_strip", "events": [...], "config": {...}?}
stdout: a JSON array, one entry per input event, in order.

op "normalize": each entry is {"errors": [...], "event": {...} | null}, where
  "event" is StoreNormalizer(project_id=1, remove_other=True).normalize_event()
  output and "errors" is that output's "errors" list (the normaliser leaves the
  key out when there are none; it is [] here then). The normaliser does not
  raise on invalid fields: it nulls them, lists them under "errors" and keeps
  the original value in "_meta". An input given as a string is passed as raw
  JSON text; unparsable text yields one error of type "invalid_json" and a null
  event.
op "pii_strip": each entry is pii_strip_event(config, event), where config
  defaults to convert_datascrubbing_config() of Sentry's default data-scrubbing
  settings, or is the "config" given (a datascrubbing config with "scrubData"
  etc. is converted first; a PII config with "rules"/"applications" is used
  as is).
"""

import json
import sys

from sentry_relay import (
    InvalidJsonError,
    StoreNormalizer,
    convert_datascrubbing_config,
    pii_strip_event,
)

DEFAULT_DATASCRUBBING = {
    "scrubData": True,
    "scrubDefaults": True,
    "scrubIpAddresses": True,
    "sensitiveFields": [],
    "excludeFields": [],
}


def first_line(exc):
    # sentry-relay appends a native backtrace to its messages
    return str(exc).split("\n", 1)[0].strip()


def normalize(events):
    normalizer = StoreNormalizer(project_id=1, remove_other=True)
    results = []
    for event in events:
        try:
            if isinstance(event, str):
                out = normalizer.normalize_event(raw_event=event.encode("utf-8"))
            else:
                out = normalizer.normalize_event(event)
        except InvalidJsonError as exc:
            results.append({"errors": [{"type": "invalid_json", "reason": first_line(exc)}], "event": None})
            continue
        results.append({"errors": out.get("errors") or [], "event": out})
    return results


def pii_strip(events, config):
    if config is None:
        config = DEFAULT_DATASCRUBBING
    if "rules" not in config and "applications" not in config:
        config = convert_datascrubbing_config(config)
    return [pii_strip_event(config, event) for event in events]


def main():
    request = json.load(sys.stdin)
    op = request.get("op", "normalize")
    events = request["events"]
    if op == "normalize":
        result = normalize(events)
    elif op == "pii_strip":
        result = pii_strip(events, request.get("config"))
    else:
        raise SystemExit(f"relay_normalize.py: unknown op {op!r}")
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
