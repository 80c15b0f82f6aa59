"""The fixture police-news site: generated (generate.py), served on 127.0.0.1 (server.py).

    from sample_site import build_site, serve_site
    site = build_site(40, seed=1, hazards=True)
    with serve_site(site) as server:   # env for a crawler: http_proxy=server.proxy_url, no_proxy=
        ...
    site.expected()                    # what an obeying crawler must archive

``python -m sample_site --help`` serves one from the command line (for benchmarks).
"""

from .generate import (
    BASE,
    DOMAIN,
    TOUCH,
    WWW,
    AttemptCounter,
    FixtureResponse,
    Site,
    build_site,
    resolve_href,
)
from .server import FixtureServer, RequestRecord, serve_site
from .templates import FixtureArticle, FixtureComment

__all__ = [
    "BASE",
    "DOMAIN",
    "TOUCH",
    "WWW",
    "AttemptCounter",
    "FixtureArticle",
    "FixtureComment",
    "FixtureResponse",
    "FixtureServer",
    "RequestRecord",
    "Site",
    "build_site",
    "resolve_href",
    "serve_site",
]
