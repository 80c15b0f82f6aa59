"""Extraction: golden pages of the fixture site, dates, non-HTML bodies, trafilatura fallback."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
import trafilatura

from archive.records import Article, CommentThread, Link, Listing, NotAnArticle
from pages import body as text_body
from pages import generic
from pages.bylines import clean_author, clean_authors, clean_title
from pages.dates import parse_date
from pages.extract import parse_page
from pages.pagetext import decode_html
from pages.profiles import default_profiles

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.json"))
ARTICLES = [
    name for name in CASES if json.loads((GOLDEN / f"{name}.json").read_text())["kind"] == "article"
]


def load(name: str) -> tuple[dict, bytes]:
    case = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    return case, (GOLDEN / f"{name}.html").read_bytes()


def parse_case(name: str):
    case, body = load(name)
    return case, parse_page(case["url"], body, content_type=case["content_type"])


def ws(text: str) -> str:
    """Whitespace-normalised text, blank-line block separators kept."""
    return "\n\n".join(" ".join(block.split()) for block in text.split("\n\n"))


def links(page) -> list[list[str]]:
    return [[link.to_url, link.section, link.anchor] for link in page.links]


def test_golden_set_is_complete():
    assert len(CASES) >= 14
    kinds = {json.loads((GOLDEN / f"{n}.json").read_text())["kind"] for n in CASES}
    assert kinds == {"article", "comments", "listing"}


@pytest.mark.parametrize("name", CASES)
def test_golden(name):
    case, page = parse_case(name)
    expected = case["expected"]
    if case["kind"] == "article":
        assert isinstance(page, Article)
        for field in (
            "url",
            "title",
            "author",
            "published",
            "standfirst",
            "category",
            "paywalled",
            "comment_count",
            "site",
            "extractor",
        ):
            assert getattr(page, field) == expected[field], field
        assert ws(page.text) == ws(expected["text"])
        assert page.text == expected["text"]  # exact, too: our output is normalised
        assert page.fetched_url == case["url"]
    elif case["kind"] == "comments":
        assert isinstance(page, CommentThread)
        assert page.article_url == expected["article_url"]
        assert [[c.author, c.posted, c.text] for c in page.comments] == expected["comments"]
        assert page.fetched_url == case["url"]
    else:
        assert isinstance(page, Listing)
        assert page.url == expected["url"]
    assert links(page) == expected["links"]


@pytest.mark.parametrize("name", ARTICLES)
def test_no_boilerplate_in_text(name):
    case, page = parse_case(name)
    leaks = [s for s in case["boilerplate"] if s in page.text or s in page.standfirst]
    assert not leaks
    assert "Police Oracle" not in page.title and "|" not in page.title
    assert page.author not in ("By", "Police Oracle") and not page.author.startswith("By ")


def test_link_sections_and_targets_are_canonical_and_followable():
    from pages.urls import canonical_url, followable

    for name in CASES:
        _, page = parse_case(name)
        targets = [link.to_url for link in page.links]
        assert len(targets) == len(set(targets)), name
        for link in page.links:
            assert link.to_url == canonical_url(link.to_url) and followable(link.to_url)


def test_profile_path_never_calls_trafilatura(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("trafilatura called on a profile page")

    monkeypatch.setattr(trafilatura, "bare_extraction", boom)
    for name in CASES:
        parse_case(name)


def test_profile_path_never_imports_the_fallback():
    """pages/generic.py (trafilatura, readability) is imported only when the fallback runs."""
    code = """
import json, sys
from pathlib import Path
from pages.extract import parse_page
for case in sorted(Path("tests/golden").glob("*.json")):
    data = json.loads(case.read_text(encoding="utf-8"))
    body = case.with_suffix(".html").read_bytes()
    parse_page(data["url"], body, content_type=data["content_type"])
print(sorted(m for m in ("pages.generic", "trafilatura", "readability") if m in sys.modules))
"""
    root = Path(__file__).parent.parent
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_records_pickle():
    for name in CASES:
        _, page = parse_case(name)
        assert pickle.loads(pickle.dumps(page)) == page
    assert pickle.loads(pickle.dumps(parse_page)) is parse_page


# --- decoding


def test_meta_declared_windows_1252():
    case, page = parse_case("table_cp1252")
    assert page.title == "Chief’s “zero tolerance” pledge costs £2m"
    assert page.author == "Renée Dubois"
    assert "£2.1m – more" in page.text and "café" in page.standfirst


def test_latin1_header_decodes_as_cp1252():
    case, body = load("table_cp1252")
    page = parse_page(case["url"], body, content_type="text/html; charset=ISO-8859-1")
    assert page.title == case["expected"]["title"]
    assert page.text == case["expected"]["text"]


def test_utf8_body_without_any_declaration():
    case, body = load("modern_article")
    body = body.replace(b'<meta charset="utf-8">', b"")
    page = parse_page(case["url"], body, content_type=None)
    assert page.text == case["expected"]["text"]


# --- not articles


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
URL = "http://www.policeoracle.localhost/news/article.cfm?id=1"


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (PDF, "application/pdf", "not_html"),
        (PDF, None, "not_html"),
        (PDF, "text/html", "not_html"),  # a server that lies
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", "not_html"),
        (b'{"a": 1}', "application/json", "not_html"),
        (b"just some words, no markup", None, "not_html"),
        (b"", "text/html", "empty_body"),
        (b"   \r\n\t ", None, "empty_body"),
        (b"<html><body></body></html>", "text/html", "no_text"),
        (b"<html><head><title>Police Oracle</title></head><body>\n</body></html>", None, "no_text"),
    ],
)
def test_not_an_article(body, content_type, reason):
    with pytest.raises(NotAnArticle) as info:
        parse_page(URL, body, content_type=content_type)
    assert info.value.reason == reason


@pytest.mark.parametrize(
    "opening", [b"<script src='/head.js'></script>", b"<style>", b"<!-- x -->"]
)
def test_a_page_saved_without_its_head_is_html(opening):
    """A saved page that opens with a script, a style sheet or a comment, its <html> past the
    first kilobyte, and no content type: HTML (WHATWG MIME sniffing), not "not_html"."""
    style = b"<style>" + b".box { float: left; margin: 0 20px 0 0; }\n" * 40 + b"</style>"
    paragraph = b"<p>" + b"Officers from the force arrested six people in the town. " * 8 + b"</p>"
    body = (
        opening + style + b"<html><body><h1>Six arrested</h1>" + paragraph * 3 + b"</body></html>"
    )
    page = parse_page("https://news.example/six-arrested", body, content_type=None)
    assert isinstance(page, Article) and "arrested six people" in page.text


def test_unknown_page_of_a_profile_site():
    body = b"<html><body><h1>Jobs</h1><p>Detective Constable, Anyshire.</p></body></html>"
    with pytest.raises(NotAnArticle) as info:
        parse_page("http://www.policeoracle.localhost/jobs/view.cfm?id=3", body)
    assert info.value.reason == "unknown_layout"


# --- the trafilatura fallback

BLOG = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Why sergeants matter | The Beat Blog</title>
<meta property="og:site_name" content="The Beat Blog">
<meta property="og:title" content="Why sergeants matter | The Beat Blog">
<meta name="author" content="editor@beat.example">
<meta property="article:published_time" content="2021-03-04T10:30:00+00:00">
<link rel="canonical" href="http://blog.example.localhost/post/1?utm_source=feed">
</head><body>
<header><a href="/">The Beat Blog</a><nav><a href="/">Home</a> <a href="/about">About</a>
<a href="/post/2">Next post</a></nav></header>
<div class="cookie">We use cookies. <a href="/cookies">OK</a></div>
<main><article>
<h1>Why sergeants matter</h1>
<p class="byline">By Sam Writer</p>
<p>Sergeants are the backbone of neighbourhood policing, and have been for a very long time in
every force across the country, whatever the structure charts say.</p>
<p>They supervise constables, manage incidents and make hundreds of decisions every shift, most
of which nobody ever sees, counts or records anywhere.</p>
<ul><li>They supervise response teams on every shift.</li>
<li>They review every arrest before it goes to charge.</li></ul>
<p>Cutting their numbers has consequences that take years to show, and by then the experience
has gone for good and cannot be bought back.</p>
</article></main>
<footer><p>Copyright 2021 The Beat Blog. All rights reserved.</p></footer>
</body></html>
"""
BLOG_URL = "http://blog.example.localhost/post/1"


def test_generic_page_goes_to_trafilatura():
    page = parse_page(BLOG_URL, BLOG.encode(), content_type="text/html")
    assert isinstance(page, Article)
    assert page.extractor == "trafilatura"
    assert page.site == "blog.example.localhost"
    assert page.url == BLOG_URL  # canonical link on the same host, tracking parameter dropped
    assert page.title == "Why sergeants matter"  # " | The Beat Blog" cut
    assert page.author == "Sam Writer"  # not the e-mail address of the meta tag
    assert page.published == "2021-03-04T10:30:00+00:00"
    assert page.text.startswith("Sergeants are the backbone")
    assert "They review every arrest before it goes to charge." in page.text.split("\n\n")
    assert page.text.endswith("cannot be bought back.")
    for furniture in ("cookies", "Copyright", "Next post", "About", "By Sam Writer"):
        assert furniture not in page.text
    assert page.links == ()  # pages of sites without a profile are not followed
    assert page.comment_count is None and not page.paywalled


def test_huge_page_without_a_layout_is_refused_not_extracted_for_seconds():
    row = b"<tr><td>Force area</td><td>Burglary</td><td>1234</td><td>Robbery</td></tr>\n"
    body = b"<html><body><table>" + row * (4_100_000 // len(row)) + b"</table></body></html>"
    start = time.perf_counter()
    with pytest.raises(NotAnArticle) as info:
        parse_page(BLOG_URL, body, content_type="text/html")
    assert info.value.reason == "too_large"
    assert time.perf_counter() - start < 2


def test_profile_page_of_an_unknown_layout_goes_to_trafilatura():
    url = "http://www.policeoracle.localhost/news/article.cfm?id=77"
    page = parse_page(url, BLOG.replace("The Beat Blog", "Police Oracle").encode())
    assert page.extractor == "trafilatura" and page.site == "policeoracle"
    assert page.url == url  # the canonical link names another site: not used
    assert page.title == "Why sergeants matter"


def test_table_layout_plain_trafilatura_vs_profile():
    """What trafilatura alone makes of the old table layout, and what the profile gets right."""
    case, body = load("table_article")
    html = body.decode("utf-8")
    expected = case["expected"]

    # with the fallback's precision settings (tables excluded) it finds no text at all
    assert (
        trafilatura.bare_extraction(
            html,
            url=case["url"],
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
        is None
    )
    # with its defaults it reads the layout table as text
    plain = trafilatura.bare_extraction(html, url=case["url"], with_metadata=True)
    assert plain.title == "Police Oracle"  # the site name: the <title> is all it has
    assert plain.author is None  # "Author: Mike Carter" is in the dateline only
    assert plain.date == "2010-08-12"  # the date but not the time
    for leak in (
        "View Comments 3",
        "Leave a Comment",
        "In Other News",
        "Email this article",
        "Latest Jobs",
        "Date - 12/08/2010",
        "Author: Mike Carter",
    ):
        assert leak in plain.text
    assert "\u2022 cell checks were not recorded" in plain.text  # bullets glued into the text

    ours = parse_page(case["url"], body, content_type="text/html")
    assert ours.title == expected["title"] == "Force fined after custody suite failings"
    assert ours.author == "Mike Carter"
    assert ours.published == "2010-08-12T17:04:00"
    assert ours.text == expected["text"]
    assert "cell checks were not recorded" in ours.text.split("\n\n")


def test_modern_layout_plain_trafilatura_keeps_the_title_suffix_out_but_not_the_byline():
    case, body = load("modern_article")
    plain = trafilatura.bare_extraction(body.decode(), url=case["url"], with_metadata=True)
    ours = parse_page(case["url"], body)
    assert ours.title == case["expected"]["title"]
    assert ours.text == case["expected"]["text"]
    assert plain.text != ours.text  # headline/byline/tools are not ours to keep


# --- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/08/20 @ 17:04", "2020-08-12T17:04:00"),
        ("12/08/2020 @ 17:04", "2020-08-12T17:04:00"),
        ("12/08/2010 @ 17:04", "2010-08-12T17:04:00"),
        ("Date - 02/03/2009 @ 08:15 | Author: Jo", "2009-03-02T08:15:00"),
        ("(14/08/20 @ 22:41)", "2020-08-14T22:41:00"),
        ("12/08/2020", "2020-08-12"),
        ("1/2/99", "1999-02-01"),
        ("12.08.2020 17:04", "2020-08-12T17:04:00"),
        ("28th September 2022", "2022-09-28"),
        ("Wednesday 28th September 2022 at 5:04pm", "2022-09-28T17:04:00"),
        ("1 Sept 2021", "2021-09-01"),
        ("September 28, 2022", "2022-09-28"),
        ("2020-08-12T17:04:00+01:00", "2020-08-12T17:04:00+01:00"),
        ("2020-08-12T17:04:00Z", "2020-08-12T17:04:00+00:00"),
        ("2020-08-12T17:04:00.123-0500", "2020-08-12T17:04:00-05:00"),
        ("2020-08-12T17:04", "2020-08-12T17:04:00"),
        ("2020-08-12 17:04:59", "2020-08-12T17:04:59"),
        ("2020-08-12", "2020-08-12"),
        ("Wed, 12 Aug 2020 17:04:00 +0100", "2020-08-12T17:04:00+01:00"),
        ("posted 31/12/2019, edited 2020-01-02", "2019-12-31"),
        ("", None),
        (None, None),
        ("garbage", None),
        ("View Comments 3", None),
        ("31/02/2020", None),
        ("12/13/2020", None),  # no 13th month, day first
        ("99/99/99", None),
        ("2020-13-45", None),
        ("12/08/2020 @ 25:04", None),  # an impossible time: no date rather than half of one
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_parse_date_month_first():
    assert parse_date("08/12/2020 17:04", day_first=False) == "2020-08-12T17:04:00"
    assert parse_date("12/13/2020", day_first=False) == "2020-12-13"


# --- cleaning


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Officer cleared | Police Oracle", "Officer cleared"),
        ("Police Oracle - Officer cleared", "Officer cleared"),
        ("Police Oracle", ""),
        ("Officer cleared - a year on | Police Oracle", "Officer cleared - a year on"),
        ("Officer cleared - a year on", "Officer cleared - a year on"),
        ("  Officer\n cleared  ", "Officer cleared"),
    ],
)
def test_clean_title(title, expected):
    assert clean_title(title, ["Police Oracle", "policeoracle"]) == expected


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("By Jane Smith", "Jane Smith"),
        ("By", ""),
        ("by: Jane Smith", "Jane Smith"),
        ("Police Oracle", ""),
        ("policeoracle", ""),
        ("editor@policeoracle.example", ""),
        ("Jane Smith (jane@example.com)", "Jane Smith"),
        ("http://www.policeoracle.com", ""),
        ("", ""),
    ],
)
def test_clean_author(author, expected):
    assert clean_author(author, ["Police Oracle", "policeoracle"]) == expected


def test_layouts_are_data_on_the_profile():
    names = [(layout.kind, layout.name) for layout in default_profiles()[0].layouts]
    assert names == [
        ("article", "modern"),
        ("article", "table"),
        ("comments", "comments"),
        ("comments", "comments-table"),
        ("listing", "listing"),
    ]


@pytest.mark.bench
def test_speed():
    """Profile pages well under 5 ms each; the trafilatura fallback for comparison."""
    pages = [load(name) for name in CASES]
    rounds = 50
    start = time.perf_counter()
    for _ in range(rounds):
        for case, body in pages:
            parse_page(case["url"], body, content_type=case["content_type"])
    per_page = (time.perf_counter() - start) / rounds / len(pages) * 1000
    start = time.perf_counter()
    for _ in range(rounds):
        parse_page(BLOG_URL, BLOG.encode())
    fallback = (time.perf_counter() - start) / rounds * 1000
    print(f"profile: {per_page:.2f} ms/page, trafilatura: {fallback:.2f} ms/page")
    assert per_page < 5


def test_links_are_link_records():
    _, page = parse_case("table_article")
    assert all(isinstance(link, Link) for link in page.links)
    assert text_body.TRAFILATURA == "trafilatura"


# --- robustness


def test_comment_thread_without_back_link_uses_the_thread_id():
    case, body = load("comments_table")
    body = body.replace(b'class="comments-title"', b'class="title"')
    page = parse_page(case["url"], body)
    assert page.article_url == case["expected"]["article_url"]
    assert [link.to_url for link in page.links] == [case["expected"]["article_url"]]
    assert len(page.comments) == len(case["expected"]["comments"])


def test_listing_without_a_known_layout():
    body = b"""<html><body><a href="/news/article.cfm?id=5">Five</a>
    <a href="/news/index.cfm?page=3">Older</a> <a href="/jobs/">Jobs</a>
    <a href="/news/article.cfm?id=5&utm_source=x">Five again</a></body></html>"""
    page = parse_page("http://www.policeoracle.localhost/news/index.cfm?page=2", body)
    assert isinstance(page, Listing)
    assert [[link.to_url, link.section, link.anchor] for link in page.links] == [
        ["http://www.policeoracle.localhost/news/article.cfm?id=5", "listing", "Five"],
        ["http://www.policeoracle.localhost/news/index.cfm?page=3", "pagination", "Older"],
    ]


@pytest.mark.parametrize("name", CASES)
def test_truncated_and_corrupted_pages_never_crash(name):
    case, body = load(name)
    step = max(1, len(body) // 25)
    for cut in range(0, len(body), step):
        for variant in (body[:cut], body[cut:], body[:cut] + b"\x00\xff<\x81>&#;" + body[cut:]):
            try:
                page = parse_page(case["url"], variant, content_type=case["content_type"])
            except NotAnArticle as exc:
                assert exc.reason in ("empty_body", "not_html", "no_text", "unknown_layout")
            else:
                assert isinstance(page, Article | CommentThread | Listing)


# --- the generic fallback: the second opinion and metadata of sites without a profile

UK_PAGE = """<html lang="en-GB"><head><title>{title}</title>
<meta property="og:site_name" content="Anyshire Gazette"></head><body>
<header><a href="/">Anyshire Gazette</a></header>
<nav class="date-picker"><a href="/archive/2019">2019</a></nav>
<article><h1>Station to close</h1>
<div class="byline">By {author}</div><div class="article-date">{date}</div>
{paragraphs}</article></body></html>"""
PARAGRAPHS = "".join(
    f"<p>Paragraph {i}: the county force confirmed that the station on the high street will "
    f"close next spring, after a review of the estate and of how people report crime.</p>"
    for i in range(5)
)
UK_URL = "https://www.anyshire-gazette.co.uk/news/station-to-close"


def uk_page(date="12/08/2020 @ 17:04", author="Reporter", title="Station to close", **fmt):
    html = UK_PAGE.format(title=title, author=author, date=date, paragraphs=PARAGRAPHS, **fmt)
    return parse_page(UK_URL, html.encode())


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("12/08/20", "2020-08-12"),
        ("12/08/2020 @ 17:04", "2020-08-12T17:04:00"),
        ("Published 05/06/2019, 09:30", "2019-06-05T09:30:00"),
        ("28th September 2022", "2022-09-28"),
        ("Wednesday 28th September 2022 at 5:04pm", "2022-09-28T17:04:00"),
    ],
)
def test_generic_uk_page_dates_are_day_first(shown, expected):
    page = uk_page(date=shown)
    assert page.extractor in ("trafilatura", "readability")
    assert page.published == expected  # day first, with the time the page shows


def test_generic_page_in_us_english_reads_numeric_dates_month_first():
    html = UK_PAGE.replace('lang="en-GB"', 'lang="en-US"').format(
        title="t", author="Sam Writer", date="05/06/2019", paragraphs=PARAGRAPHS
    )
    assert parse_page(UK_URL, html.encode()).published == "2019-05-06"


def test_placeholder_meta_dates_are_skipped():
    html = UK_PAGE.format(title="t", author="x", date="28th September 2022", paragraphs=PARAGRAPHS)
    html = html.replace(
        "</head>", '<meta property="article:published_time" content="0001-01-01T00:00:00Z"></head>'
    )
    assert parse_page(UK_URL, html.encode()).published == "2022-09-28"


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Reporter", ""),
        ("Staff Reporter", ""),
        ("jo.bloggs@anyshire-gazette.co.uk", ""),
        ("Anyshire Gazette", ""),
        ("Jo Bloggs, Crime Reporter", "Jo Bloggs"),
        ("Sam Writer", "Sam Writer"),
    ],
)
def test_generic_page_authors(byline, expected):
    assert uk_page(author=byline).author == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Station to close | Anyshire Gazette", "Station to close"),
        ("Station to close - Anyshire News and Sport", "Station to close"),  # the <h1> says
        ("Opinion | Station to close", "Station to close"),
        ("Station to close", "Station to close"),
    ],
)
def test_generic_page_titles_lose_the_site_name(title, expected):
    assert uk_page(title=title).title == expected


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Reporter", ""),
        ("By Reporter", ""),
        ("Staff writer", ""),
        # desks and agencies are authors as the page names them (the issue of bylines that are
        # organisations): a researcher filters agency copy by them
        ("News desk", "News desk"),
        ("Telegraph Sport staff", "Telegraph Sport staff"),
        ("By PA Media", "PA Media"),
        ("Press Association", "Press Association"),
        ("CNN Business", "CNN Business"),
        ("By Reuters Staff", "Reuters Staff"),
        ("admin", ""),  # a CMS account, no one
        ("Super User", ""),
        ("Phil Helsel is a reporter", "Phil Helsel"),
        ("Tom Gillespie News reporter", "Tom Gillespie"),
        ("Jo Bloggs - Political Editor", "Jo Bloggs"),
        ("Analysis by Chris Cillizza", "Chris Cillizza"),
        ("Carrie Arnold November 15, 2019", "Carrie Arnold"),
        ("AP Sports Writer", ""),
        ("Sam Writer", "Sam Writer"),  # a surname, not a job
        ("Mary Ann Editor", "Mary Ann Editor"),
        ("Rachael Link, MS, RD", "Rachael Link, MS, RD"),
    ],
)
def test_clean_author_drops_jobs_and_groups(author, expected):
    assert clean_author(author, ["Police Oracle"]) == expected


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Jo Bloggs and Ann Smith", "Jo Bloggs; Ann Smith"),
        ("Jo Bloggs & Ann Smith, Crime Reporters", "Jo Bloggs; Ann Smith"),
        ("Jo Bloggs, Ann Smith, Mark Lee", "Jo Bloggs; Ann Smith; Mark Lee"),
        ("Jo Bloggs; PA Media", "Jo Bloggs; PA Media"),
        ("Jo Bloggs, Crime Reporter", "Jo Bloggs"),  # a job, not a second author
        ("Bloggs, Jo", "Bloggs, Jo"),  # one name, surname first
        ("Smith & Sons", "Smith & Sons"),  # not two people
        ("Jo Bloggs; Jo Bloggs", "Jo Bloggs"),
        ("Reporter; Staff writer", ""),
    ],
)
def test_several_authors_are_stored_with_one_separator(byline, expected):
    assert clean_authors(byline, ["Police Oracle"]) == expected


def test_every_json_ld_author_is_read():
    authors = [{"@type": "Person", "name": "Jo Bloggs"}, {"@type": "Person", "name": "Ann Smith"}]
    ld = json.dumps({"@type": "NewsArticle", "headline": "Six arrested", "author": authors})
    body = (
        f'<html><head><script type="application/ld+json">{ld}</script></head><body>'
        "<article><h1>Six arrested</h1>"
        + "<p>Officers from the force arrested six people in the town centre on Friday.</p>" * 6
        + "</article></body></html>"
    )
    page = parse_page("https://news.example/six-arrested", body.encode())
    assert page.author == "Jo Bloggs; Ann Smith"


def test_clean_title_cuts_to_the_headline():
    assert clean_title("Opinion | Big story", [], headline="Big story") == "Big story"
    assert clean_title("Big story - Auto News", [], headline="Big story") == "Big story"
    assert clean_title("Big story - Auto News", []) == "Big story - Auto News"  # no <h1>: kept
    assert clean_title("A - B - C", [], headline="A - B") == "A - B"
    assert clean_title("Big story", [], headline="Other") == "Big story"
    # a short <h1> (a section name, a logo) never takes the place of a longer title
    assert clean_title("News | Station to close next spring", [], headline="News") == (
        "News | Station to close next spring"
    )


def test_second_opinion_replaces_a_much_shorter_trafilatura_text(monkeypatch):
    long = [f"Readability paragraph {i} " + "word " * 30 for i in range(6)]
    monkeypatch.setattr(text_body, "_readability_blocks", lambda html, url: long)
    # a page without an article region (whose text would say nothing was lost)
    monkeypatch.setattr(generic, "article_region", lambda root, headline: None)
    page = parse_page(BLOG_URL, BLOG.encode())  # trafilatura keeps about 90 words
    assert page.extractor == "readability"
    assert page.text.split("\n\n")[0].startswith("Readability paragraph 0")
    assert page.title == "Why sergeants matter" and page.author == "Sam Writer"


def test_second_opinion_of_similar_length_leaves_trafilatura_text(monkeypatch):
    similar = ["Readability paragraph " + "word " * 100]
    monkeypatch.setattr(text_body, "_readability_blocks", lambda html, url: similar)
    page = parse_page(BLOG_URL, BLOG.encode())
    assert page.extractor == "trafilatura"
    assert page.text.startswith("Sergeants are the backbone")


def test_second_opinion_when_trafilatura_finds_nothing(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    monkeypatch.setattr(generic, "article_region", lambda root, headline: None)
    page = parse_page(BLOG_URL, (BLOG.replace("</p>", " " + "more words " * 20 + "</p>")).encode())
    assert page.extractor == "readability"
    assert "They review every arrest before it goes to charge." in page.text.split("\n\n")
    assert page.title == "Why sergeants matter"  # trafilatura's metadata alone
    assert page.published == "2021-03-04T10:30:00+00:00"


def test_the_article_region_spares_the_second_opinion(monkeypatch):
    # the region a reader sees holds no more words than trafilatura kept: nothing was lost, so
    # neither trafilatura's fallbacks nor readability are asked
    def never(*args, **kwargs):
        raise AssertionError("readability asked")

    monkeypatch.setattr(text_body, "_readability_blocks", never)
    asked = []
    bare = text_body.trafilatura.bare_extraction

    def counted(*args, **kwargs):
        asked.append(kwargs["fast"])
        return bare(*args, **kwargs)

    monkeypatch.setattr(text_body.trafilatura, "bare_extraction", counted)
    page = parse_page(BLOG_URL, BLOG.encode())
    assert page.extractor == "trafilatura" and asked == [True]
    assert page.text.startswith("Sergeants are the backbone")


def test_the_region_is_the_text_when_trafilatura_keeps_nothing(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    page = parse_page(BLOG_URL, (BLOG.replace("</p>", " " + "more words " * 20 + "</p>")).encode())
    assert page.extractor == "region"
    assert any(b.startswith("They review every arrest before it goes to charge.") for b in
               page.text.split("\n\n"))  # fmt: skip
    assert page.title == "Why sergeants matter"  # trafilatura's metadata alone
    assert page.published == "2021-03-04T10:30:00+00:00"


def test_both_passes_read_the_page_and_its_metadata_once(monkeypatch):
    # the region holds far more words than trafilatura's fast pass keeps: the full pass runs
    # too, on the same parsed page, and the metadata is read once for both
    asked, metadata = [], []
    bare, extract_metadata = (
        text_body.trafilatura.bare_extraction,
        text_body.trafilatura.extract_metadata,
    )

    def fast_keeps_little(tree, *args, **kwargs):
        asked.append((kwargs["fast"], kwargs["with_metadata"]))
        document = bare(tree, *args, **kwargs)
        if kwargs["fast"] and document is not None:
            del document.body[1:]
        return document

    def counted(*args, **kwargs):
        metadata.append(1)
        return extract_metadata(*args, **kwargs)

    monkeypatch.setattr(text_body.trafilatura, "bare_extraction", fast_keeps_little)
    monkeypatch.setattr(text_body.trafilatura, "extract_metadata", counted)
    page = parse_page(BLOG_URL, BLOG.encode())
    assert asked[:2] == [(True, False), (False, False)] and len(metadata) == 1
    assert page.title == "Why sergeants matter" and "backbone" in page.text


def test_justext_stoplists_are_found_by_identity():
    import justext.core
    from trafilatura import external

    stoplist = external.JT_STOPLIST or external.jt_stoplist_init()
    first = justext.core.define_stoplist(stoplist)
    assert first == frozenset(word.lower() for word in stoplist)
    assert justext.core.define_stoplist(stoplist) is first
    # another stoplist, with the same words or not, is its own
    assert justext.core.define_stoplist(("The", "a")) == frozenset({"the", "a"})


def test_readability_without_a_main_block_gives_no_opinion():
    nav = "<html><body><nav><a href=/>Home</a></nav></body></html>"
    assert text_body._readability_blocks(nav, None) == []
    assert text_body._readability_blocks("<html><head><title>x</title></head></html>", None) == []
    blocks = text_body._readability_blocks(BLOG, BLOG_URL)
    assert "They review every arrest before it goes to charge." in blocks


def test_undeclared_windows_1252_body():
    html = "<html><body><p>Chief\u2019s \u00a32m caf\u00e9 pledge</p></body></html>"
    body = html.encode("cp1252")
    assert "Chief\u2019s \u00a32m caf\u00e9" in decode_html(body, None)
    assert "Chief\u2019s \u00a32m caf\u00e9" in decode_html(body, "text/html")
    # a declared charset still wins over the guess
    assert "\u00e2\u20ac" not in decode_html("\u2019".encode(), "text/html; charset=utf-8")


def test_a_short_article_under_a_long_notice_starts_at_its_headline():
    # a paywalled stub: fewer words in the article than in the notice and breadcrumb above its
    # headline; the dateline under the headline says where the article starts
    notice = (
        "Planned maintenance: the website will be unavailable on Saturday night between "
        "midnight and three in the morning while we upgrade our servers. Thank you for your "
        "patience during this time."
    )
    html = f"""<html><head><title>Archive</title></head><body>
<div id="wrap"><div id="nav"><a href="/">Home</a> <a href="/news/">News</a></div>
<div id="content">
<p><strong>{notice}</strong></p>
<div class="trail"><a href="/">Home</a> / <a href="/news/">News</a> /
<a href="/news/courts/">Courts</a></div>
<h2>Van thief jailed in Hull</h2>
<div class="meta">By Sam Okafor | 3 March 2021</div>
<div class="copy"><p>A man who stole eleven vans from a depot was jailed for two years.</p>
<p>Officers traced the vans through their trackers within a week of the thefts.</p></div>
<p><a href="/news/">All news</a></p>
</div></div></body></html>"""
    page = parse_page("http://127.0.0.1:8/news/story.php?id=7", html.encode())
    assert page.title == "Van thief jailed in Hull"
    assert page.text.startswith("A man who stole eleven vans")
    assert "maintenance" not in page.text and "Courts" not in page.text


STORY_URL = "http://127.0.0.1:8/news/article.cfm?id=5"


def _story(after_body: str, inside_body: str = "") -> bytes:
    """A table-era page with no article markup: the headline, a dateline, loose text before
    the first paragraph (which trafilatura leaves out), the body, then `after_body`."""
    paragraphs = "".join(
        f"<p>Paragraph {n} of the story: officers in the county said the custody review would "
        f"report by the spring, and the federation asked to see the figures first.</p>"
        for n in range(1, 5)
    )
    return f"""<html><head><title>Dispatch</title></head><body><table><tr>
<td><a href="/">Home</a> <a href="/news/index.cfm">News</a></td></tr><tr><td>
<div class="story"><h2>Custody suites to be reviewed</h2>
<div><span>By Priya Raman</span> &middot; <span>Sunday 2 March 2014</span></div>
<div class="storytext">The review was announced on Friday afternoon by the chief constable herself.
{paragraphs}{inside_body}</div>{after_body}
<div><a href="comments.cfm?id=5">View Comments (1)</a> | <a href="index.cfm">More News</a></div>
</div></td></tr></table></body></html>""".encode()


def test_the_region_fills_in_only_up_to_the_articles_last_passage():
    # text trafilatura leaves out before its first paragraph is the article's; a blurb after
    # its last one (a teaser, an author's line) is not, labelled or not
    blurb = (
        "<div>Priya Raman has covered policing in the North East for the Dispatch since 2009.</div>"
    )
    page = parse_page(STORY_URL, _story(blurb))
    assert page.text.startswith("The review was announced on Friday")
    assert "Paragraph 4 of the story" in page.text and "North East" not in page.text


@pytest.mark.parametrize(
    ("after_body", "inside_body"),
    [
        ("<div><em>Latest comment:</em> &ldquo;Who signed this off? Nobody asked the sergeants "
         "who run the suites.&rdquo; &ndash; Custody Skipper</div>", ""),
        ("", "<p><b>Top comment -</b> Who signed this off? Nobody asked the sergeants who run "
         "the suites. (Custody Skipper)</p>"),
    ],
)  # fmt: skip
def test_a_comment_teaser_is_never_article_text(after_body, inside_body):
    page = parse_page(STORY_URL, _story(after_body, inside_body))
    assert "Paragraph 4 of the story" in page.text
    assert "signed this off" not in page.text and "comment" not in page.text.lower()


def test_the_standfirst_is_the_description_the_page_shows_over_the_text():
    from pages.generic import _standfirst
    from pages.pagetext import parse_html

    lead = "Six people were arrested after a raid on a warehouse in the town centre."
    body = ["Officers from the force searched the building on Friday.", "A court date is set."]
    shown = parse_html(f"<html><body><h1>Six held</h1><p>{lead}</p><p>{body[0]}</p></body></html>")
    hidden = parse_html(f"<html><body><h1>Six held</h1><p>{body[0]}</p></body></html>")
    assert _standfirst(shown, lead, body) == lead  # shown, and left out of the text
    assert _standfirst(hidden, lead, body) == ""  # a description the page does not show
    assert _standfirst(shown, lead, [lead, *body]) == lead  # the text opens with it
    assert _standfirst(shown, "Six held", body) == ""  # not a sentence: no summary
    assert _standfirst(shown, "", body) == ""
