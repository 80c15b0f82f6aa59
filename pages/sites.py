"""Site profiles: what the crawler knows about a site, as data.

A profile says which hosts belong to the site and which is canonical, which URL paths are
articles, comment threads and listings (and which query parameters identify them), and how to read
each of the site's page layouts (selectors, date patterns). Pages of hosts without a profile are
extracted by trafilatura alone and their links are not followed.

`*.localhost` domains (RFC 6761, never a real site) name the loopback replica of a site that the
tests and the offline demo serve; they share the real site's profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class UrlPattern:
    """A kind of page: its path and the query parameters that identify one page of that kind."""

    path: re.Pattern[str]
    params: tuple[str, ...] = ()  # kept in the canonical URL, in this order; all others dropped
    required: tuple[str, ...] = ()  # the URL is of this kind only if these parameters are present
    forbidden: tuple[str, ...] = ()  # ...and none of these (e.g. category filters on listings)
    canonical_path: str | None = None  # the path of the canonical URL when `path` matches several

    def matches(self, path: str, query: dict[str, list[str]]) -> bool:
        return (
            bool(self.path.match(path))
            and all(query.get(p) for p in self.required)
            and not any(p in query for p in self.forbidden)
        )


@dataclass(frozen=True)
class Layout:
    """How to read one page layout of a site. Selectors are XPath 1.0 expressions.

    The layout applies when `detect` matches the page. Fields left empty are not read. Selectors
    of the page's parts are evaluated on the whole document; `body_drop` and the `comment_*`
    selectors are relative to the element they belong to (`body`, `comment` or a split chunk).
    """

    name: str
    detect: str
    kind: str = "article"  # the page kind the layout reads: "article", "comments" or "listing"
    title: str = ""
    standfirst: str = ""
    author: str = ""
    published: str = ""  # an XPath giving an ISO date attribute or a day-first date text
    dateline: str = ""  # an XPath to a text read with `dateline_pattern`
    dateline_pattern: re.Pattern[str] | None = None  # groups: date, author (optional)
    category: str = ""
    body: str = ""  # the element(s) holding the article text
    body_drop: tuple[str, ...] = ()  # elements under `body` that are not article text
    body_start: str = ""  # the text begins after this element (for bodies without a container)
    body_end: str = ""  # ...and ends at this one; <br><br> separates paragraphs
    paywall: str = ""  # present only on subscriber-only teasers
    comment_count: str = ""  # text holding "View Comments N"
    in_other_news: str = ""  # <a> elements of the related-articles box
    more_news: str = ""  # <a> elements of the "More News" link
    listing: str = ""  # <a> elements to articles on a listing page
    pagination: str = ""  # <a> elements to other listing pages
    comments_link: str = ""  # <a> elements to the article's comment thread
    comment: str = ""  # one element per comment on a thread page
    comment_author: str = ""  # relative to `comment`
    comment_posted: str = ""  # relative to `comment`: a text with a day-first date
    comment_text: str = ""  # relative to `comment`
    comment_split: str = ""  # alternative to `comment`: split this element's content on <hr>
    article_link: str = ""  # on a thread page: the <a> back to its article


@dataclass(frozen=True)
class SiteProfile:
    name: str
    domains: tuple[str, ...]  # registrable domains: the domain and any subdomain belong to the site
    canonical_subdomain: str = "www"  # "touch.", "m." and the bare domain map to this one
    alias_subdomains: tuple[str, ...] = ("", "www", "touch", "m", "mobile")
    canonical_scheme: str | None = None  # None keeps the scheme of the URL
    article: UrlPattern | None = None
    comments: UrlPattern | None = None
    listing: UrlPattern | None = None
    layouts: tuple[Layout, ...] = field(default=())
    # Old URL schemes the site still redirects from: (regex on "path?query", new "path?query"
    # template with the regex's named groups). Links in these forms name the new URL directly,
    # so an In Other News edge points at the article and no redirect chain is fetched.
    legacy_urls: tuple[tuple[re.Pattern[str], str], ...] = ()
    day_first: bool = True  # dates like 12/08/20 are day-first (UK)

    def domain_of(self, host: str) -> str | None:
        """The profile domain `host` belongs to, or None."""
        host = host.lower().rstrip(".")
        for domain in self.domains:
            if host == domain or host.endswith("." + domain):
                return domain
        return None


def _cls(name: str) -> str:
    """An XPath predicate: the element's class attribute has the class `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# Police Oracle's layouts. The modern one (semantic tags) serves www. and the touch. edition.
_PO_MODERN = Layout(
    name="modern",
    detect=f"//article[{_cls('news-article')}]",
    title=f"//article[{_cls('news-article')}]//h1[{_cls('headline')}]",
    standfirst=f"//article[{_cls('news-article')}]//p[{_cls('standfirst')}]",
    author=f"//article[{_cls('news-article')}]//*[{_cls('byline')}]",
    published=f"//article[{_cls('news-article')}]//*[{_cls('dateline')}]//time/@datetime",
    category=f"//article[{_cls('news-article')}]//*[{_cls('category')}]",
    body=f"//article[{_cls('news-article')}]//div[{_cls('article-body')}]",
    body_drop=(f".//*[{_cls('article-tools')}]",),
    paywall=f"//*[{_cls('subscribe-prompt')}]",
    comment_count=(
        f"//*[{_cls('comment-links')}]//a[starts-with(normalize-space(), 'View Comments')]"
    ),
    comments_link=f"//*[{_cls('comment-links')}]//a[contains(@href, 'comments.cfm')]",
    in_other_news=f"//*[{_cls('in-other-news')}]//a",
    more_news=f"//*[{_cls('more-news')}]//a",
)
# The old table layout: the headline in a styled <span> before "Date - 12/08/2010 @ 17:04 |
# Author: Name", the standfirst in <b>, then <br><br>-separated paragraphs up to the print link.
_PO_TABLE_DATE = "//td[@class='maincol']//span[@class='date']"
_PO_TABLE = Layout(
    name="table",
    detect=f"{_PO_TABLE_DATE}[starts-with(normalize-space(), 'Date')]",
    title=f"{_PO_TABLE_DATE}/preceding-sibling::span[1]",
    dateline=_PO_TABLE_DATE,
    dateline_pattern=re.compile(
        r"Date\s*[-:]\s*(?P<date>\d{1,2}/\d{1,2}/\d{2,4}(?:\s*@\s*\d{1,2}[:.]\d{2})?)"
        r"(?:\s*\|\s*Author\s*:\s*(?P<author>.*\S))?",
        re.I,
    ),
    standfirst=f"{_PO_TABLE_DATE}/following-sibling::b[1]",
    category="//td[@class='maincol']//a[contains(@href, 'category=')]",
    body="//td[@class='maincol']",
    body_start=f"{_PO_TABLE_DATE}/following-sibling::b[1]",
    body_end="//td[@class='maincol']//a[contains(@href, 'print.cfm')]",
    body_drop=(".//table[@class='subs']",),  # the subscription prompt
    paywall="//td[@class='maincol']//table[@class='subs']",
    comment_count="//td[@class='maincol']//a[starts-with(normalize-space(), 'View Comments')]",
    comments_link="//td[@class='maincol']//a[contains(@href, 'comments.cfm')]",
    in_other_news="//td[@class='rightcol']//td[@class='oth']//a",
    more_news="//td[@class='rightcol']//a[normalize-space() = 'More News']",
)
_PO_COMMENTS_BACK = f"//h1[{_cls('comments-title')}]//a"
_PO_COMMENTS = Layout(
    name="comments",
    kind="comments",
    detect=f"//section[{_cls('comments')}]",
    comment=f"//section[{_cls('comments')}]//div[{_cls('comment')}]",
    comment_author=f".//*[{_cls('comment-author')}]",
    comment_posted=f".//*[{_cls('comment-meta')}]/text()",
    comment_text=f".//*[{_cls('comment-text')}]",
    article_link=_PO_COMMENTS_BACK,
)
# Old threads: "<b>Author</b> (12/08/20 @ 17:04)<br>text<br><hr>" in one table cell.
_PO_COMMENTS_TABLE = Layout(
    name="comments-table",
    kind="comments",
    detect="//table[@class='comments']",
    comment_split="//table[@class='comments']//td",
    comment_author="./b[1]",
    comment_posted="./b[1]/following-sibling::text()[1]",
    comment_text="./br[1]/following-sibling::node()",
    article_link=_PO_COMMENTS_BACK,
)
_PO_LISTING = Layout(
    name="listing",
    kind="listing",
    detect=f"//ul[{_cls('news-list')}] | //div[{_cls('pagination')}]",
    listing=f"//ul[{_cls('news-list')}]//li[{_cls('news-item')}]//h3//a",
    pagination=f"//div[{_cls('pagination')}]//a",
)


_ARTICLE_ID = "/news/article.cfm?id={id}"

POLICE_ORACLE = SiteProfile(
    name="policeoracle",
    domains=("policeoracle.com", "policeoracle.localhost"),
    article=UrlPattern(re.compile(r"^/news/article\.cfm$", re.I), params=("id",), required=("id",)),
    legacy_urls=(
        (re.compile(r"^/news/story\.asp\?(?:.*&)?id=(?P<id>\d+)(?:&|$)", re.I), _ARTICLE_ID),
        (re.compile(r"^/news/archive/(?P<id>\d+)\.html?$", re.I), _ARTICLE_ID),
    ),
    comments=UrlPattern(
        re.compile(r"^/news/comments\.cfm$", re.I), params=("id",), required=("id",)
    ),
    listing=UrlPattern(
        re.compile(r"^/news/(index\.cfm)?$", re.I),
        params=("page",),
        forbidden=("category", "author", "q", "tag"),
        canonical_path="/news/index.cfm",
    ),
    # read by crawler/extract.py, in this order (the first whose `detect` matches)
    layouts=(_PO_MODERN, _PO_TABLE, _PO_COMMENTS, _PO_COMMENTS_TABLE, _PO_LISTING),
)

PROFILES: tuple[SiteProfile, ...] = (POLICE_ORACLE,)


def profile_for(url: str, profiles: tuple[SiteProfile, ...] = PROFILES) -> SiteProfile | None:
    """The profile of the site `url` belongs to, or None for a site without one."""
    host = urlsplit(url).hostname or ""
    for profile in profiles:
        if profile.domain_of(host):
            return profile
    return None
