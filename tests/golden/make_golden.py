"""Write the golden pages of the extraction tests: `<name>.html` and `<name>.json` in this folder.

Run once from the repository root (`python tests/golden/make_golden.py`); the files are committed.
Each page is rendered from sample_site/templates.py (plus a few hand-made messy variants) and saved
as the bytes a server would send. The expected fields in the JSON come from the fixture data
itself (`FixtureArticle.expected_text()`, its title, author, dates...), never from the extractor,
and the expected links are written out by hand: the canonical URL each href must become.

JSON layout: {"url": the URL fetched, "content_type": the Content-Type header, "kind":
"article" | "comments" | "listing", "boilerplate": strings the text must not contain, "expected":
the record's fields, links as [to_url, section, anchor] lists}.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from sample_site.templates import (  # noqa: E402
    COOKIES,
    OUTAGE,
    SUBSCRIBE,
    FixtureArticle,
    FixtureComment,
    render_comments,
    render_listing,
    render_modern,
    render_table,
)

WWW = "http://www.policeoracle.localhost"
TOUCH = "http://touch.policeoracle.localhost"

# Strings of the page furniture that must never reach an article's text.
FURNITURE = [
    OUTAGE,
    COOKIES,
    SUBSCRIBE,
    "Service notice",
    "We use cookies",
    "In Other News",
    "More News",
    "Leave a Comment",
    "View Comments",
    "Print",
    "E-mail",
    "Email this article",
    "All rights reserved",
    "Terms",
    "Privacy",
    "Contact",
    "Detective Constable",
    "Latest Jobs",
    "Police Staff Investigator",
    "Police Oracle",
    "Subscribe",
    "Log in",
    "Follow us",
    "News >",
]

COMMENTS_3 = [
    FixtureComment("Sgt Bloggs", datetime(2020, 8, 12, 18, 30), "About time this was sorted out."),
    FixtureComment(
        "RetiredDI", datetime(2020, 8, 13, 7, 5), "We said the same in 1998 & nobody listened."
    ),
    FixtureComment("anon", datetime(2020, 8, 14, 22, 41), "Budgets, budgets, budgets."),
]


def _article_expected(a: FixtureArticle, url: str, extractor: str, links: list) -> dict:
    return {
        "url": url,
        "title": a.title,
        "author": a.author,
        "published": a.published.strftime("%Y-%m-%dT%H:%M:%S"),
        "standfirst": a.standfirst,
        "category": a.category,
        "paywalled": a.paywalled,
        "comment_count": len(a.comments),
        "site": "policeoracle",
        "extractor": extractor,
        "text": a.expected_text(),
        "links": links,
    }


def _related_links(a: FixtureArticle, targets: list[str | None]) -> list[list[str]]:
    """[to_url, section, anchor] of the In Other News links; `targets`: the expected canonical
    URL of each href, None for those not followed (off-site, print pages, duplicates)."""
    return [
        [target, "in_other_news", title]
        for target, title in zip(targets, a.related_titles, strict=True)
        if target is not None
    ]


def _comments_link(a: FixtureArticle) -> list[str]:
    return [f"{WWW}/news/comments.cfm?id={a.id}", "comments", "Leave a Comment"]


MORE_NEWS = [f"{WWW}/news/index.cfm", "more_news", "More News"]


MODERN = FixtureArticle(
    id=1201,
    layout="modern",
    title="Forces told to publish stop and search data within a month",
    author="Jane Holloway",
    published=datetime(2020, 8, 12, 17, 4),
    standfirst="The inspectorate says too many forces still sit on figures the public should see.",
    paragraphs=[
        "Chief constables have been given four weeks to publish their stop and search figures "
        "after an inspection found that fewer than half of forces released them on time.",
        "The report sets out three steps every force is expected to take before the deadline:",
        "Inspectors said the best forces already published the data monthly and had seen "
        "complaints fall as a result.",
        "The National Police Chiefs' Council said it welcomed the report and would support "
        "forces that needed help with their systems.",
    ],
    category="Operational Policing",
    bullets=[
        "publish monthly figures broken down by ethnicity",
        "record the outcome of every search",
        "review body-worn video of a sample of searches",
    ],
    link_sentence=2,
    related=[
        "/news/article.cfm?id=1190",
        f"{TOUCH}/news/article.cfm?id=1188&utm_source=sidebar",
        "article.cfm?ID=1185",
        "https://www.bbc.co.uk/news/uk-53750000",
        "/news/article.cfm?id=1190#top",
        "/news/print.cfm?id=1180",
    ],
    related_titles=[
        "Custody deaths review published",
        "Federation warns over overtime cuts",
        "New chief constable for the county",
        "National coverage of the inspection",
        "Custody deaths review (again)",
        "Printable briefing",
    ],
    comments=COMMENTS_3,
)
MODERN_RELATED = [
    f"{WWW}/news/article.cfm?id=1190",
    f"{WWW}/news/article.cfm?id=1188",
    f"{WWW}/news/article.cfm?id=1185",
    None,  # off-site
    None,  # the same article as the first link
    None,  # a print page
]

TOUCH_ARTICLE = FixtureArticle(
    id=1202,
    layout="modern",
    title="Specials numbers fall for the fifth year running",
    author="Tom Reed",
    published=datetime(2021, 1, 5, 9, 30),
    standfirst="Volunteer officer numbers are at their lowest level for two decades.",
    paragraphs=[
        "Home Office figures show the number of special constables fell by nine per cent in the "
        "year to March.",
        "Forces blamed the pandemic for a pause in recruitment and training courses.",
    ],
    category="Workforce",
    related=["/news/article.cfm?id=1199"],
    related_titles=["Recruitment drive passes halfway mark"],
    comments=COMMENTS_3[:1],
)

TABLE = FixtureArticle(
    id=311,
    layout="table",
    title="Force fined after custody suite failings",
    author="Mike Carter",
    published=datetime(2010, 8, 12, 17, 4),
    standfirst="A health and safety prosecution follows the death of a detainee in 2007.",
    paragraphs=[
        "The force pleaded guilty at Crown Court to failing to ensure the safety of people held "
        "in its custody suites.",
        "The judge said the failings were systemic and had been known about for years:",
        "The force said it had since rebuilt two custody suites and retrained all detention "
        "officers.",
    ],
    category="Custody",
    bullets=["cell checks were not recorded", "the alarm system had been faulty for months"],
    link_sentence=2,
    related=[
        "article.cfm?id=309",
        "/news/article.cfm?id=305&cfid=123&cftoken=abc",
        "http://www.policeoracle.localhost/news/index.cfm?category=Custody",
        "javascript:openWin('article.cfm?id=300')",
    ],
    related_titles=[
        "IPCC criticises cell checks",
        "Custody sergeants shortage",
        "All custody news",
        "Pop-up story",
    ],
    comments=COMMENTS_3,
)
TABLE_RELATED = [
    f"{WWW}/news/article.cfm?id=309",
    f"{WWW}/news/article.cfm?id=305",
    None,  # a category-filtered listing
    None,  # javascript:
]

TABLE_NO_AUTHOR = FixtureArticle(
    id=287,
    layout="table",
    title="Mounted section to be disbanded",
    author="",
    published=datetime(2009, 3, 2, 8, 15),
    standfirst="The authority has approved the savings plan.",
    paragraphs=[
        "The mounted section will close at the end of the financial year with the loss of "
        "twelve posts.",
        "Horses will be rehomed or transferred to neighbouring forces.",
    ],
    category="Finance",
)

PAYWALLED = FixtureArticle(
    id=1203,
    layout="modern",
    title="Analysis: what the pay award really means",
    author="Priya Shah",
    published=datetime(2022, 9, 28, 11, 0),
    standfirst="Officers will see a rise this autumn, but not everyone gains the same.",
    paragraphs=[
        "The headline figure hides large differences between ranks and pay points.",
        "Subscribers can read the full breakdown by rank.",
        "This paragraph is behind the paywall.",
    ],
    category="Pay and Conditions",
    bullets=["constables", "sergeants"],
    paywalled=True,
    related=["/news/article.cfm?id=1150"],
    related_titles=["Federation ballot result"],
)

TABLE_PAYWALLED = FixtureArticle(
    id=299,
    layout="table",
    title="Inside the new training curriculum",
    author="Mike Carter",
    published=datetime(2010, 2, 1, 12, 0),
    standfirst="A subscriber briefing on the changes to probationer training.",
    paragraphs=["The curriculum is being rewritten for the first time in a decade.", "Hidden."],
    category="Training",
    paywalled=True,
)

CP1252 = FixtureArticle(
    id=276,
    layout="table",
    title="Chief’s “zero tolerance” pledge costs £2m",
    author="Renée Dubois",
    published=datetime(2008, 11, 30, 23, 59),
    standfirst="The café culture crackdown – a year on.",
    paragraphs=[
        "The force’s own review puts the cost at £2.1m – more than twice the estimate.",
        "“We stand by it,” the chief constable said, “and the figures speak for themselves.”",
    ],
    category="Crime",
    encoding="windows-1252",
)

BROKEN = FixtureArticle(
    id=258,
    layout="table",
    title="Radio system outage hits three forces",
    author="Alan Pike",
    published=datetime(2007, 6, 9, 6, 45),
    standfirst="Control rooms fell back to mobile phones for four hours.",
    paragraphs=[
        "The outage began shortly after midnight and affected three forces in the region.",
        "Engineers traced the fault to a failed software update:",
        "The supplier has apologised and promised a full report.",
    ],
    category="Technology",
    bullets=["no data calls could be made", "officers used personal mobiles"],
    related=["/news/article.cfm?id=250"],
    related_titles=["Airwave replacement delayed"],
    comments=COMMENTS_3[:2],
    broken=True,
)

COMMENTED_MODERN = MODERN
COMMENTED_TABLE = TABLE
EMPTY_THREAD = TABLE_NO_AUTHOR


def _uppercase_tags(html: str) -> str:
    """Tag and attribute names in upper case, as in hand-written 1990s HTML."""

    def tag(match: re.Match[str]) -> str:
        attrs = re.sub(
            r"(\s)([a-zA-Z-]+)=", lambda m: m.group(1) + m.group(2).upper() + "=", match.group(3)
        )
        return f"<{match.group(1)}{match.group(2).upper()}{attrs}>"

    return re.sub(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>", tag, html)


def _messy_modern(a: FixtureArticle) -> str:
    """Upper-case tags, CRLF line ends, &nbsp; between words, tabs and newlines in paragraphs,
    an HTML comment and a script inside the article body."""
    html = render_modern(a, base=WWW)
    body_start = html.index('<div class="article-body">')
    body_end = html.index("</div>", body_start)
    body = html[body_start:body_end]
    body = body.replace(" the ", "&nbsp;the \n\t").replace(" and ", " and&nbsp;&nbsp;")
    body = body.replace("<p>", "<p>  \n").replace("<li>", "<li>\u00a0")
    body = body.replace(
        '<div class="article-body">',
        '<div class="article-body"><!-- advert slot --><script>var ad = "Print";</script>',
    )
    html = html[:body_start] + body + html[body_end:]
    return _uppercase_tags(html).replace("\n", "\r\n")


def _messy_table(a: FixtureArticle) -> str:
    """Self-closed and upper-case <BR/>, &nbsp; between the breaks, a comment in the body, and the
    closing tags of the layout table dropped."""
    html = render_table(a)
    html = html.replace("<br><br>\n", "<BR>&nbsp;\n<br />\n", 5).replace("<br><br>", "<BR><BR>")
    html = html.replace("<br>", "<br/>")
    html = html.replace("</td>\n<td width=", "\n<!-- right column -->\n<td width=")
    html = html.replace("</tr>\n</table>\n</body>", "\n</body>")
    return html


def _broken_table(a: FixtureArticle) -> str:
    """Unclosed <font> (the template's broken mode) and unclosed cells and rows."""
    html = render_table(a)
    return html.replace("</td></tr>\n", "\n").replace("</td>\n</tr>", "\n")


def write(name: str, html: str | bytes, data: dict) -> None:
    raw = html if isinstance(html, bytes) else html.encode("utf-8")
    (HERE / f"{name}.html").write_bytes(raw)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    (HERE / f"{name}.json").write_text(text, encoding="utf-8")


def _furniture(a: FixtureArticle) -> list[str]:
    return FURNITURE + list(a.related_titles)


def main() -> None:
    article_url = f"{WWW}/news/article.cfm?id={{}}"

    write(
        "modern_article",
        render_modern(MODERN, base=WWW),
        {
            "url": f"{WWW}/news/article.cfm?id={MODERN.id}&utm_source=rss",
            "content_type": "text/html; charset=utf-8",
            "kind": "article",
            "boilerplate": _furniture(MODERN),
            "expected": _article_expected(
                MODERN,
                article_url.format(MODERN.id),
                "profile:policeoracle/modern",
                [_comments_link(MODERN), *_related_links(MODERN, MODERN_RELATED), MORE_NEWS],
            ),
        },
    )
    write(
        "touch_article",
        render_modern(TOUCH_ARTICLE, base=WWW, touch=True),
        {
            "url": f"{TOUCH}/news/article.cfm?id={TOUCH_ARTICLE.id}",
            "content_type": "text/html",
            "kind": "article",
            "boilerplate": _furniture(TOUCH_ARTICLE) + ["Menu"],
            "expected": _article_expected(
                TOUCH_ARTICLE,
                article_url.format(TOUCH_ARTICLE.id),
                "profile:policeoracle/modern",
                [
                    _comments_link(TOUCH_ARTICLE),
                    *_related_links(TOUCH_ARTICLE, [f"{WWW}/news/article.cfm?id=1199"]),
                    MORE_NEWS,
                ],
            ),
        },
    )
    write(
        "table_article",
        render_table(TABLE),
        {
            "url": f"{WWW}/news/article.cfm?id={TABLE.id}",
            "content_type": "text/html",
            "kind": "article",
            "boilerplate": _furniture(TABLE),
            "expected": _article_expected(
                TABLE,
                article_url.format(TABLE.id),
                "profile:policeoracle/table",
                [_comments_link(TABLE), *_related_links(TABLE, TABLE_RELATED), MORE_NEWS],
            ),
        },
    )
    write(
        "table_no_author",
        render_table(TABLE_NO_AUTHOR),
        {
            # the bare domain and a session parameter: both canonicalised away
            "url": f"http://policeoracle.localhost/news/article.cfm?id={TABLE_NO_AUTHOR.id}"
            "&jsessionid=ABC",
            "content_type": "text/html; charset=utf-8",
            "kind": "article",
            "boilerplate": _furniture(TABLE_NO_AUTHOR),
            "expected": _article_expected(
                TABLE_NO_AUTHOR,
                article_url.format(TABLE_NO_AUTHOR.id),
                "profile:policeoracle/table",
                [_comments_link(TABLE_NO_AUTHOR), MORE_NEWS],
            ),
        },
    )
    write(
        "paywalled_teaser",
        render_modern(PAYWALLED, base=WWW),
        {
            "url": f"{WWW}/news/article.cfm?id={PAYWALLED.id}",
            "content_type": "text/html",
            "kind": "article",
            "boilerplate": _furniture(PAYWALLED) + ["behind the paywall", "full breakdown"],
            "expected": _article_expected(
                PAYWALLED,
                article_url.format(PAYWALLED.id),
                "profile:policeoracle/modern",
                [
                    _comments_link(PAYWALLED),
                    *_related_links(PAYWALLED, [f"{WWW}/news/article.cfm?id=1150"]),
                    MORE_NEWS,
                ],
            ),
        },
    )
    write(
        "table_paywalled",
        render_table(TABLE_PAYWALLED),
        {
            "url": f"{WWW}/news/article.cfm?id={TABLE_PAYWALLED.id}",
            "content_type": "text/html",
            "kind": "article",
            "boilerplate": _furniture(TABLE_PAYWALLED) + ["Hidden."],
            "expected": _article_expected(
                TABLE_PAYWALLED,
                article_url.format(TABLE_PAYWALLED.id),
                "profile:policeoracle/table",
                [_comments_link(TABLE_PAYWALLED), MORE_NEWS],
            ),
        },
    )
    write(
        "table_cp1252",
        render_table(CP1252).encode("cp1252"),
        {
            "url": f"{WWW}/news/article.cfm?id={CP1252.id}",
            "content_type": "text/html",  # the charset is declared in <meta> only
            "kind": "article",
            "boilerplate": _furniture(CP1252),
            "expected": _article_expected(
                CP1252,
                article_url.format(CP1252.id),
                "profile:policeoracle/table",
                [_comments_link(CP1252), MORE_NEWS],
            ),
        },
    )
    write(
        "table_broken",
        _broken_table(BROKEN),
        {
            "url": f"{WWW}/news/article.cfm?id={BROKEN.id}",
            "content_type": None,
            "kind": "article",
            "boilerplate": _furniture(BROKEN),
            "expected": _article_expected(
                BROKEN,
                article_url.format(BROKEN.id),
                "profile:policeoracle/table",
                [
                    _comments_link(BROKEN),
                    *_related_links(BROKEN, [f"{WWW}/news/article.cfm?id=250"]),
                    MORE_NEWS,
                ],
            ),
        },
    )
    write(
        "messy_modern",
        _messy_modern(MODERN),
        {
            "url": f"{WWW}/news/article.cfm?id={MODERN.id}",
            "content_type": "text/html; charset=UTF-8",
            "kind": "article",
            "boilerplate": _furniture(MODERN) + ["advert", "var ad"],
            "expected": _article_expected(
                MODERN,
                article_url.format(MODERN.id),
                "profile:policeoracle/modern",
                [_comments_link(MODERN), *_related_links(MODERN, MODERN_RELATED), MORE_NEWS],
            ),
        },
    )
    write(
        "messy_table",
        _messy_table(TABLE),
        {
            "url": f"{WWW}/news/article.cfm?id={TABLE.id}",
            "content_type": "text/html",
            "kind": "article",
            "boilerplate": _furniture(TABLE) + ["right column"],
            "expected": _article_expected(
                TABLE,
                article_url.format(TABLE.id),
                "profile:policeoracle/table",
                [_comments_link(TABLE), *_related_links(TABLE, TABLE_RELATED), MORE_NEWS],
            ),
        },
    )

    for name, a in (
        ("comments_modern", COMMENTED_MODERN),
        ("comments_table", COMMENTED_TABLE),
        ("comments_empty", EMPTY_THREAD),
    ):
        write(
            name,
            render_comments(a, base=WWW),
            {
                "url": f"{WWW}/news/comments.cfm?id={a.id}",
                "content_type": "text/html; charset=utf-8",
                "kind": "comments",
                "expected": {
                    "article_url": article_url.format(a.id),
                    "comments": [
                        [c.author, c.posted.strftime("%Y-%m-%dT%H:%M:%S"), c.text]
                        for c in a.comments
                    ],
                    "links": [[article_url.format(a.id), "comments", a.title]],
                },
            },
        )

    entries = [
        ("/news/article.cfm?id=1203", "Analysis: what the pay award really means", "Teaser one."),
        ("article.cfm?id=1202", "Specials numbers fall for the fifth year running", "Two."),
        (f"{TOUCH}/news/article.cfm?id=1201", "Forces told to publish stop and search data", "3"),
        ("/news/article.cfm?id=1203&utm_medium=list", "Pay award (repeat)", "Duplicate entry."),
        ("https://ads.example/click?id=1", "Sponsored: body armour", "An advert."),
    ]
    write(
        "listing",
        render_listing(2, 5, entries),
        {
            "url": f"{WWW}/news/index.cfm?page=2",
            "content_type": "text/html; charset=utf-8",
            "kind": "listing",
            "expected": {
                "url": f"{WWW}/news/index.cfm?page=2",
                "links": [
                    [f"{WWW}/news/article.cfm?id=1203", "listing", entries[0][1]],
                    [f"{WWW}/news/article.cfm?id=1202", "listing", entries[1][1]],
                    [f"{WWW}/news/article.cfm?id=1201", "listing", entries[2][1]],
                    [f"{WWW}/news/index.cfm", "pagination", "« Previous"],
                    [f"{WWW}/news/index.cfm?page=3", "pagination", "3"],
                    [f"{WWW}/news/index.cfm?page=4", "pagination", "4"],
                ],
            },
        },
    )


if __name__ == "__main__":
    main()
