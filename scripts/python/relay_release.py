"""relay_release.py: asks sentry-relay whether release names are valid, as Relay does
before it accepts a session (an invalid release drops the session).

stdin:  a JSON array of release strings
stdout: a JSON array, one entry per release: null when valid, else the error's first line
"""

import json
import sys

from sentry_relay import parse_release


def check(release):
    try:
        parse_release(release)
        return None
    except Exception as exc:  # sentry-relay raises one class per reason
        return str(exc).split("\n", 1)[0].strip()


def main():
    releases = json.load(sys.stdin)
    json.dump([check(r) for r in releases], sys.stdout)


if __name__ == "__main__":
    main()
