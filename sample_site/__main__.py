"""Serve a fixture site until killed (SIGINT or SIGTERM).

    python -m sample_site [--port 8642] [--articles 60] [--seed 1] [--no-hazards]
                         [--request-log FILE] [--expected FILE]

The first line on stdout (flushed) is JSON: {"proxy_url", "base", "port", "seeds", "articles",
"seed", "hazards", "expected", "pid"}. Point a crawler at it with ``http_proxy=<proxy_url>`` and
``no_proxy=`` (empty). ``--request-log`` appends one JSON line per answered request;
``--expected`` writes `Site.expected()` as JSON before serving.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time

from .build import build_site
from .server import serve_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sample_site", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free one)")
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-hazards", action="store_true")
    parser.add_argument("--request-log", metavar="FILE", help="append JSON lines of requests")
    parser.add_argument("--expected", metavar="FILE", help="write site.expected() as JSON here")
    args = parser.parse_args(argv)

    site = build_site(args.articles, seed=args.seed, hazards=not args.no_hazards)
    expected = site.expected()
    if args.expected:
        with open(args.expected, "w", encoding="utf-8") as out:
            json.dump(expected, out, ensure_ascii=False, indent=1)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    log = open(args.request_log, "a", encoding="utf-8") if args.request_log else None  # noqa: SIM115
    try:
        with serve_site(site, port=args.port, request_log=log) as server:
            info = {
                "proxy_url": server.proxy_url,
                "base": server.base,
                "port": server.port,
                "seeds": site.seeds(),
                "articles": len(site.articles),
                "seed": args.seed,
                "hazards": not args.no_hazards,
                "expected": len(expected),
                "pid": os.getpid(),
            }
            sys.stdout.write(json.dumps(info) + "\n")
            sys.stdout.flush()
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    finally:
        if log is not None:
            log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
