"""Small listing pages are listings, whatever their size and markup; short articles stay articles.

A news index of a few headlines (pages/kinds.py `reads_as_listing`, pages/cards.py) must never be
archived as an article: hand-made listings of 5, 8 and 12 entries in the shapes sites use (a
`<ul>` of links, with or without teasers; `<article>` cards; a table; headings and paragraphs;
a definition list; a page that says it is a CollectionPage), read as a seed and as the target of
an article link; and short real-looking articles with related links beside them, which must stay
articles. Then the fixture site of 15 articles (a one-page listing of nine entries), its listing
page in every markup, and two whole crawls of it as a site no profile knows.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from archive.records import Article, Listing, PageKind, Section
from pages.extract import parse_page
from pages.kinds import Hint, classify
from pages.links import discover
from pages.metadata import PageMeta, ParsedPage
from pages.pagetext import decode_html, parse_html
from sample_site import MARKUPS, build_site, serve_site
from tests.crawl_check import CLI, FAST, Report, check, loopback_env

SITE = "http://www.anyshire.police.localhost"
HINTS = (Hint(), Hint(kind=PageKind.ARTICLE))  # a seed; a link that said "article"

HEADLINES = [
    "Man charged after burglary at Hightown pharmacy",
    "Appeal for witnesses following collision on the A38",
    "Two arrested in connection with Lowfield stabbing",
    "Police warn of courier fraud targeting elderly residents",
    "Teenager jailed for robbery at Millbrook bus station",
    "Road closures in place for Saturday's city centre marathon",
    "Missing woman from Eastbury found safe and well",
    "Drug dealer sentenced to six years after county lines operation",
    "New neighbourhood team launched in Westmoor",
    "Officers seize cannabis plants worth £40,000 in Upton raid",
    "Motorist banned after driving at 120mph on the M5",
    "Chief Constable praises officers at annual awards ceremony",
]
TEASERS = [
    "Officers were called to the shop on Market Street shortly after midnight on Tuesday.",
    "The crash happened at about 5.30pm on Friday and the road was closed for six hours.",
    "Both men remain in custody and a crime scene is in place on Ashford Road.",
    "Fraudsters posing as police officers have tricked three people out of their savings.",
    "The 19-year-old threatened a man with a knife before taking his phone and wallet.",
]


def entry(i: int) -> str:
    slug = "-".join(re.findall(r"[a-z0-9]+", HEADLINES[i].lower())[:6])
    return f"/news/2024/03/{slug}-{i}/"


def teaser(i: int) -> str:
    return TEASERS[i % len(TEASERS)]


def document(main: str, head: str = "", title: str = "News | Anyshire Police") -> bytes:
    """A page of the site: its masthead and navigation, `main`, its footer."""
    return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>{title}</title>{head}</head><body>
<div class="site-header"><a href="/" class="logo">Anyshire Police</a>
<ul class="menu"><li><a href="/">Home</a></li><li><a href="/news/">News</a></li>
<li><a href="/contact/">Contact us</a></li><li><a href="/report/">Report it</a></li></ul></div>
{main}
<div class="site-footer"><p>&copy; Anyshire Police 2024. All rights reserved.</p>
<a href="/privacy/">Privacy</a> <a href="/accessibility/">Accessibility</a></div>
</body></html>""".encode()


def links_only(n: int) -> str:
    items = "".join(f'<li><a href="{entry(i)}">{HEADLINES[i]}</a></li>' for i in range(n))
    return f"<main><h1>News</h1><ul>{items}</ul></main>"


def links_and_teasers(n: int) -> str:
    items = "".join(
        f'<li><a href="{entry(i)}">{HEADLINES[i]}</a><p>{teaser(i)}</p></li>' for i in range(n)
    )
    return f"<main><h1>Latest news</h1><ul class='news'>{items}</ul></main>"


def article_cards(n: int) -> str:
    cards = "".join(
        f'<article class="card"><a href="{entry(i)}"><img src="/i/{i}.jpg" alt=""></a>'
        f'<h2><a href="{entry(i)}">{HEADLINES[i]}</a></h2>'
        f'<time datetime="2024-03-{20 - i:02d}">{20 - i} March 2024</time>'
        f"<p>{teaser(i)}</p></article>"
        for i in range(n)
    )
    return f'<div id="content"><h1>News and appeals</h1><div class="grid">{cards}</div></div>'


def article_cards_headlines_only(n: int) -> str:
    cards = "".join(
        f'<article><h3><a href="{entry(i)}">{HEADLINES[i]}</a></h3></article>' for i in range(n)
    )
    return f"<main><h1>News</h1><section>{cards}</section></main>"


def table(n: int) -> str:
    rows = "".join(
        f'<tr><td><b><a href="{entry(i)}">{HEADLINES[i]}</a></b><br>{teaser(i)}</td>'
        f"<td>{20 - i}/03/2024</td></tr>"
        for i in range(n)
    )
    return (
        '<table width="100%"><tr><td><font size="4"><b>Press releases</b></font></td></tr>'
        f"<tr><td><table>{rows}</table></td></tr></table>"
    )


def table_of_two_rows(n: int) -> str:
    rows = "".join(
        f'<tr><td class="head"><a href="{entry(i)}">{HEADLINES[i]}</a></td></tr>'
        f'<tr><td class="teaser">{teaser(i)}</td></tr>'
        for i in range(n)
    )
    return f"<div class='main'><h1>Newsroom</h1><table>{rows}</table></div>"


def headings_and_paragraphs(n: int) -> str:
    items = "".join(
        f'<h3><a href="{entry(i)}">{HEADLINES[i]}</a></h3><p class="date">{20 - i} March 2024'
        f"</p><p>{teaser(i)}</p>"
        for i in range(n)
    )
    return f"<div id='main'><h1>News</h1><div class='items'>{items}</div></div>"


def definition_list(n: int) -> str:
    items = "".join(
        f'<dt><a href="{entry(i)}">{HEADLINES[i]}</a></dt><dd>{teaser(i)}</dd>' for i in range(n)
    )
    return f"<div id='main'><h1>News</h1><dl>{items}</dl></div>"


def with_notices(n: int) -> str:
    """An introduction, a service notice over the masthead, a cookie notice, a page count."""
    items = "".join(
        f'<li><span class="date">{20 - i} March 2024 | Crime</span> '
        f'<a href="{entry(i)}">{HEADLINES[i]}</a></li>'
        for i in range(n)
    )
    return (
        '<div class="notice">Service notice: online reporting will be unavailable on Sunday '
        "between 02:00 and 04:00 for planned maintenance. We apologise for any inconvenience.</div>"
        "<main><h1>News</h1><p>The latest news, appeals and updates from Anyshire Police.</p>"
        f"<ul>{items}</ul><p>Page 1 of 1</p></main>"
        '<div class="cookies"><p>We use cookies on this website to give you the best experience. '
        'By browsing you agree to this.</p><a href="/cookies/">Cookie settings</a></div>'
    )


SHAPES = {
    "ul of links": links_only,
    "ul with teasers": links_and_teasers,
    "article cards": article_cards,
    "article cards, headlines only": article_cards_headlines_only,
    "table": table,
    "table of two rows an entry": table_of_two_rows,
    "headings and paragraphs": headings_and_paragraphs,
    "definition list": definition_list,
    "intro and notices": with_notices,
}


def kind_of(url: str, body: bytes, hint: Hint) -> PageKind:
    root = parse_html(decode_html(body, "text/html; charset=utf-8"))
    page = ParsedPage(url, root, PageMeta(root), None, None)
    return classify(page, discover(root, page.base, url), hint)


@pytest.mark.parametrize("size", [5, 8, 12])
@pytest.mark.parametrize("shape", SHAPES)
def test_a_small_listing_is_a_listing(shape, size):
    body = document(SHAPES[shape](size))
    url = f"{SITE}/news/"
    for hint in HINTS:
        assert kind_of(url, body, hint) is PageKind.LISTING, hint
    listing = parse_page(url, body, content_type="text/html")
    assert isinstance(listing, Listing)
    entries = [link.to_url for link in listing.links if link.section == Section.LISTING]
    assert entries == [f"{SITE}{entry(i)}" for i in range(size)]


def test_a_page_that_says_it_is_a_collection_of_three_is_a_listing():
    head = (
        '<meta property="og:type" content="website"><script type="application/ld+json">'
        '{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "Anyshire '
        'Police"}, {"@type": "CollectionPage", "name": "Appeals"}]}</script>'
    )
    body = document(links_and_teasers(3).replace("Latest news", "Appeals"), head=head)
    for hint in HINTS:
        assert kind_of(f"{SITE}/appeals/", body, hint) is PageKind.LISTING


def test_a_listing_without_a_headline_under_a_long_notice_is_a_listing():
    # no <h1>: the whole page is read, the notice over the masthead with it
    notice = (
        "<p>Service notice: Anyshire Police online services will be unavailable on Sunday "
        "between 02:00 and 04:00 for planned maintenance. We apologise for any inconvenience.</p>"
    )
    body = document(table(9)).replace(b"<body>", b"<body>" + notice.encode())
    for hint in HINTS:
        assert kind_of(f"{SITE}/news/", body, hint) is PageKind.LISTING, hint


# ---------------------------------------------------------------------------------------------
# Short articles with links to other articles beside them stay articles

BODY = (
    "<p>Police are appealing for witnesses after a pharmacy in Hightown was broken into in the "
    "early hours of Tuesday 12 March.</p>"
    "<p>A quantity of prescription medicine was taken. Anyone who saw anything suspicious in "
    "Market Street between midnight and 2am is asked to call 101 quoting crime 4412.</p>"
)
RELATED = "".join(f'<li><a href="{entry(i)}">{HEADLINES[i]}</a></li>' for i in range(1, 6))


def short_article(related: str, dateline: str = "", body: str = BODY) -> bytes:
    return document(
        f"<main><article><h1>Appeal after pharmacy burglary in Hightown</h1>{dateline}"
        f"{body}</article>{related}</main>",
        title="Appeal after pharmacy burglary in Hightown | Anyshire Police",
    )


ARTICLES = {
    "a related box under its label": short_article(
        f"<div class='related'><h2>Related news</h2><ul>{RELATED}</ul></div>",
        "<p class='meta'>Published 12 March 2024 by Corporate Communications</p>",
    ),
    "an unlabelled list of headlines after it": short_article(f"<ul>{RELATED}</ul>"),
    "a dateline and a one-paragraph body": short_article(
        f"<ul>{RELATED}</ul>",
        "<p>Posted on 12 March 2024</p>",
        body="<p>Police are appealing for witnesses after a pharmacy in Hightown was broken into."
        " Call 101 quoting crime 4412.</p>",
    ),
    "headline cards in a sidebar": short_article(
        "<div class='sidebar'><div class='latest'>"
        + "".join(
            f"<div class='item'><h4><a href='{entry(i)}'>{HEADLINES[i]}</a></h4>"
            f"<p>{teaser(i)}</p></div>"
            for i in range(1, 6)
        )
        + "</div></div>"
    ),
}


@pytest.mark.parametrize("name", ARTICLES)
def test_a_short_article_with_links_beside_it_stays_an_article(name):
    body = ARTICLES[name]
    # its URL is not of its neighbours' shape: the shape alone does not decide
    url = f"{SITE}/news/article.php?id=4412"
    for hint in HINTS:
        assert kind_of(url, body, hint) is PageKind.ARTICLE, hint
    article = parse_page(url, body, content_type="text/html")
    assert isinstance(article, Article)
    assert article.title == "Appeal after pharmacy burglary in Hightown"
    assert "crime 4412" in article.text


# ---------------------------------------------------------------------------------------------
# The fixture site of 15 articles: a listing of nine entries on one page

ORIGIN = "http://127.0.0.1:9999"


@pytest.mark.parametrize("markup", MARKUPS)
def test_the_fifteen_article_fixture_listing_is_a_listing(markup):
    site = build_site(15, seed=11, hazards=False, markup=markup)
    url = site.listing_url(1, origin=ORIGIN)
    response = site.respond("127.0.0.1:9999", url.split("9999", 1)[1], origin=ORIGIN)
    body = response.read()
    assert site.pages == 1
    for hint in (*HINTS, Hint(kind=PageKind.LISTING)):
        assert kind_of(url, body, hint) is PageKind.LISTING, hint
    listing = parse_page(url, body, content_type=response.header("Content-Type"))
    assert isinstance(listing, Listing)
    listed = {link.to_url for link in listing.links if link.section == Section.LISTING}
    assert len(listed) == len(site.listing_page(1))  # every entry, whatever its section


CRAWLED = ("classic", "newsroom")  # a <ul> of entries; <article> cards under sections


def crawl(markup: str, db: Path) -> Report:
    """`police-archive crawl` of the 15-article site in `markup` as a site no profile knows
    (origin mode), without the fixture's hazards (stalls, errors): only the kinds matter."""
    site = build_site(15, seed=11, hazards=False, markup=markup)
    with serve_site(site) as server:
        result = subprocess.run(
            [CLI, "crawl", *site.seeds(server.origin), "--db", str(db), *FAST],
            env=loopback_env(server.proxy_url),
            capture_output=True,
            text=True,
            timeout=600,
        )
        requests = server.requests
    return check(site, server.origin, db, result, requests, markup, "origin")


def test_a_crawl_of_the_fifteen_article_site_stores_no_listing_as_an_article(tmp_path):
    with ThreadPoolExecutor(len(CRAWLED)) as pool:
        reports = list(pool.map(lambda m: crawl(m, tmp_path / f"{m}.db"), CRAWLED))
    for report in reports:
        assert report.returncode == 0, report.stderr[-2000:]
        assert not report.extra, (report.markup, report.extra)  # the listing is no article
        assert report.recall == 1.0, (report.markup, report.misses.get("articles"))
        with sqlite3.connect(report.db) as conn:
            outcomes = {
                url: outcome
                for url, outcome in conn.execute("SELECT url, outcome FROM fetches")
                if url.rstrip("/").endswith(("/news", "/news/index.cfm"))
            }
        assert outcomes and set(outcomes.values()) == {"listing"}, (report.markup, outcomes)
