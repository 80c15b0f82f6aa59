"""The offline demo (`make demo`): serve the sample site, crawl it, browse the archive.

    python -m sample_site.demo [--db demo.db] [--articles 60] [--markup NAME] [--port 8001]
                               [--no-serve]

Serves a generated police-news site (both layouts, comment threads, listings and the hazards of
real sites) on 127.0.0.1, runs `police-archive crawl` on it through that server as an HTTP proxy,
so nothing leaves the machine, then `police-archive serve` on the archive until Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .build import build_site
from .markups import MARKUPS
from .server import serve_site

BIN = Path(sys.executable).parent
# Our own loopback site: no need to be polite, and a stalled page need not take 30 s.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "DOWNLOAD_TIMEOUT=3",
        "-s", "RETRY_BACKOFF_BASE=0.2"]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sample_site.demo", description=__doc__)
    parser.add_argument("--db", default="demo.db")
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--markup", choices=MARKUPS, default="classic", help="the site's markup")
    parser.add_argument("--port", type=int, default=8001, help="Datasette's port")
    parser.add_argument(
        "--no-serve", action="store_true", help="crawl only, do not start Datasette"
    )
    args = parser.parse_args(argv)

    site = build_site(args.articles, seed=1, hazards=True, markup=args.markup)
    with serve_site(site) as server:
        env = dict(os.environ, no_proxy="", NO_PROXY="")
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            env[name] = server.proxy_url
        print(f"Sample site: {len(site.articles)} articles, served on {server.proxy_url}")
        print(f"Crawling {' '.join(site.seeds())} into {args.db}", flush=True)
        crawl = [str(BIN / "police-archive"), "crawl", *site.seeds(), "--db", args.db, *FAST]
        code = subprocess.run(crawl, env=env).returncode
    if code != 0:
        return code
    if args.no_serve:
        return 0
    print(flush=True)  # `serve` says where Datasette listens
    serve = [str(BIN / "police-archive"), "serve", args.db, "--port", str(args.port)]
    try:
        return subprocess.run(serve).returncode
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
