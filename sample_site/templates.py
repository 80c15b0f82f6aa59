"""The classic markup's templates and the fixture records, under their first release's name.

The markups now live in sample_site/markups/ (classic.py for these) and the records in model.py.
"""

from .markups.classic import (
    _nav,
    render_comments,
    render_listing,
    render_modern,
    render_table,
)
from .model import COOKIES, OUTAGE, SITE_NAME, SUBSCRIBE, FixtureArticle, FixtureComment

__all__ = [
    "COOKIES",
    "OUTAGE",
    "SITE_NAME",
    "SUBSCRIBE",
    "FixtureArticle",
    "FixtureComment",
    "_nav",
    "render_comments",
    "render_listing",
    "render_modern",
    "render_table",
]
