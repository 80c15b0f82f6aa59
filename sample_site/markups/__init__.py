"""The markups of the fixture site: the same content written the ways real news CMSs wrote it.

`MARKUPS` names them; `get_markup(name)` gives one. Each module's docstring says what it varies.
"""

from __future__ import annotations

from .base import ArticleView, CommentsView, ListingView, Markup
from .blog import Blog
from .bulletin import Bulletin
from .classic import Classic
from .divsoup import Divsoup
from .lite import Lite
from .magazine import Magazine
from .newsroom import Newsroom
from .tables import Tables
from .weekly import Weekly

_ALL: tuple[Markup, ...] = (
    Classic(),
    Tables(),
    Divsoup(),
    Bulletin(),
    Weekly(),
    Lite(),
    Magazine(),
    Blog(),
    Newsroom(),
)
_BY_NAME = {m.name: m for m in _ALL}
MARKUPS: tuple[str, ...] = tuple(_BY_NAME)


def get_markup(name: str) -> Markup:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown markup {name!r}; one of {', '.join(MARKUPS)}") from None


__all__ = ["MARKUPS", "ArticleView", "CommentsView", "ListingView", "Markup", "get_markup"]
