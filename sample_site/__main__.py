"""Serve a fixture site until killed (SIGINT or SIGTERM).

    python -m sample_site [--port 8642] [--articles 60] [--seed 1] [--no-hazards]
                         [--markup NAME] [--origin] [--request-log FILE] [--expected FILE]

The server answers in both modes at once (see sample_site/server.py); ``--origin`` only says which
one the printed seeds and the ``--expected`` file are for: proxy mode (the default: point a
crawler at it with ``http_proxy=<proxy_url>`` and ``no_proxy=`` empty) or origin mode (crawl
``<origin>`` directly, as an unknown site). ``--markup`` is one of `MARKUPS` (default classic).

The first line on stdout (flushed) is JSON: {"proxy_url", "base", "origin", "port", "mode",
"markup", "seeds", "articles", "seed", "hazards", "expected", "pid"}. ``--request-log`` appends one
JSON line per answered request; ``--expected`` writes `Site.expected()` as JSON before serving.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time

from .build import build_site
from .markups import MARKUPS
from .server import serve_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sample_site", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free one)")
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-hazards", action="store_true")
    parser.add_argument("--markup", choices=MARKUPS, default="classic")
    parser.add_argument(
        "--origin", action="store_true", help="seeds and expected for origin mode (no proxy)"
    )
    parser.add_argument("--request-log", metavar="FILE", help="append JSON lines of requests")
    parser.add_argument("--expected", metavar="FILE", help="write site.expected() as JSON here")
    args = parser.parse_args(argv)

    site = build_site(
        args.articles, seed=args.seed, hazards=not args.no_hazards, markup=args.markup
    )

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    log = open(args.request_log, "a", encoding="utf-8") if args.request_log else None  # noqa: SIM115
    try:
        with serve_site(site, port=args.port, request_log=log) as server:
            origin = server.origin if args.origin else None
            expected = site.expected(origin)
            if args.expected:
                with open(args.expected, "w", encoding="utf-8") as out:
                    json.dump(expected, out, ensure_ascii=False, indent=1)
            info = {
                "proxy_url": server.proxy_url,
                "base": server.base,
                "origin": server.origin,
                "port": server.port,
                "mode": "origin" if args.origin else "proxy",
                "markup": args.markup,
                "seeds": site.seeds(origin),
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
