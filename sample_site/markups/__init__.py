"""The markups of the fixture site: the same content written the ways real news CMSs wrote it.

`MARKUPS` names them; `get_markup(name)` gives one. Each module's docstring says what it varies;
in short (related box: container / label; ids: where URLs put them):

- ``classic``  Police Oracle's own two layouts by age, touch edition; <section>/<h2> "In Other
  News" (modern), <table>/<td><b> (old); ids in the query. Byte-identical to the first release.
- ``tables``   2003 hand-coded tables, no classes, no metadata; <table>/<td> "RELATED NEWS:";
  relative and ../ hrefs with CFID/CFTOKEN; <hr>-separated threads.
- ``divsoup``  2008 PHP <div>s with ids, no metadata; unwrapped sidebar siblings <h3>In Other
  News</h3><ul>, <h3>Most Read</h3>..., no class on any ancestor; "Posted by ... at ... on ...".
- ``bulletin`` Joomla 1.5; module <div>/<div> "Related Articles"; "Written by", "Thursday 12
  August 2010 5.04pm"; <base href>; <dl> threads ("Name wrote on 12/08/20 17:04:").
- ``weekly``   ASP.NET WebForms, no metadata; panel <div>/<span> "Other News", links split by
  <br />; headline in a bold large <span>; "View Comments N"; GridView threads.
- ``lite``     2012 text-only edition; <p><strong>Read more:</strong></p><ul> in the main <div>;
  canonical only; rel=next on "Next".
- ``magazine`` 2016 responsive (BEM), og:, touch edition; <aside>/<h2> "You may also like" (touch:
  <div>/<b>); "Editor's picks"; <ol> threads with <cite> and <time>.
- ``blog``     WordPress: ids in the path (/news/N/slug/); <section>/<h4> "Related Stories";
  dateline "12 August 2020, 17:04 by Name"; "Older stories »".
- ``newsroom`` 2021 Next.js: ids in the path after the section (/news/crime/N/slug); <nav
  aria-label="More on this story">, no visible heading; JSON-LD; time of day only in <time
  dateTime>; "»" pagination.
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
