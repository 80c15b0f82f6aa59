"""The fixture police-news site: generated (build.py), in several markups (markups/), served on
127.0.0.1 (server.py) in proxy mode (``*.policeoracle.localhost`` through an HTTP proxy) or as an
unknown site (origin mode, ``http://127.0.0.1:PORT``).

    from sample_site import MARKUPS, build_site, serve_site
    site = build_site(40, seed=1, hazards=True, markup="classic")
    with serve_site(site) as server:   # env for a crawler: http_proxy=server.proxy_url, no_proxy=
        site.seeds()                   # proxy mode: www listing, an article on touch
        site.expected()                # what an obeying crawler must archive
        site.seeds(server.origin)      # origin mode: the same site on http://127.0.0.1:PORT
        site.expected(server.origin)
    site.boilerplate(article_id)       # page strings an article body must never contain

    with serve_site(site) as server:   # ETag, Last-Modified and 304s: see server.py
        ...                            # crawl, then serve the site days later at the same URLs:
        server.site = site2 = site.next_edition()  # site2.added_ids, edited_ids, removed_ids

``python -m sample_site --help`` serves one from the command line (for benchmarks).
"""

from .build import build_site
from .links import BASE, DOMAIN, TOUCH, TOUCH_BASE, WWW, Bases, Link, resolve_href
from .markups import MARKUPS, get_markup
from .model import FixtureArticle, FixtureComment
from .responses import AttemptCounter, FixtureResponse
from .server import FixtureServer, RequestRecord, serve_site
from .site import Site

__all__ = [
    "BASE",
    "DOMAIN",
    "MARKUPS",
    "TOUCH",
    "TOUCH_BASE",
    "WWW",
    "AttemptCounter",
    "Bases",
    "FixtureArticle",
    "FixtureComment",
    "FixtureResponse",
    "FixtureServer",
    "Link",
    "RequestRecord",
    "Site",
    "build_site",
    "get_markup",
    "resolve_href",
    "serve_site",
]
