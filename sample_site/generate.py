"""The first release's module of the fixture site, kept for its imports.

The site is now built in build.py, answers in site.py (with responses.py and pages.py), knows its
ground truth in truth.py, spells links in links.py and schemes.py and renders pages through the
markups of sample_site/markups/.
"""

from .build import HAZARD_KEYS, PHANTOM_KINDS, build_site
from .links import BASE, DOMAIN, TOUCH, TOUCH_BASE, WWW, resolve_href
from .responses import AttemptCounter, FixtureResponse
from .site import PER_PAGE, RETRY_KINDS, STALL_S, Site

__all__ = [
    "BASE",
    "DOMAIN",
    "HAZARD_KEYS",
    "PER_PAGE",
    "PHANTOM_KINDS",
    "RETRY_KINDS",
    "STALL_S",
    "TOUCH",
    "TOUCH_BASE",
    "WWW",
    "AttemptCounter",
    "FixtureResponse",
    "Site",
    "build_site",
    "resolve_href",
]
