"""pages/links.py: the related box, More News, comment and pagination links, by what a reader
sees, on hand-written pages built in many ways (none of them the fixture's)."""

from __future__ import annotations

import pytest

from archive.records import Section
from pages.boxes import is_related_label
from pages.links import discover
from pages.pagetext import parse_html

PAGE = "http://news.example.localhost/story/10"


def found(body: str, url: str = PAGE):
    root = parse_html(f"<html><body>{body}</body></html>")
    return discover(root, url, url)


def urls(body: str, section: Section = Section.IN_OTHER_NEWS, url: str = PAGE) -> list[str]:
    return [link.url.rsplit("/", 1)[-1] for link in found(body, url).of(section)]


ITEMS = '<li><a href="/story/1">First story here</a></li><li><a href="/story/2">Second one</a></li>'


@pytest.mark.parametrize(
    "body",
    [
        f"<section><h2>In Other News</h2><ul>{ITEMS}</ul></section>",
        f"<aside><h3>Related Stories</h3><ul>{ITEMS}</ul></aside>",
        f"<div><h4>RELATED ARTICLES:</h4><ol>{ITEMS}</ol></div>",
        f"<div><strong>Other News</strong><ul>{ITEMS}</ul></div>",
        f"<div><b>More on this story</b><br><ul>{ITEMS}</ul></div>",
        f'<div><span class="x">You may also like</span><div class="y"><ul>{ITEMS}</ul></div></div>',
        f"<div><div>Related News</div><div><ul>{ITEMS}</ul></div></div>",
        f'<nav aria-label="Related articles"><ul>{ITEMS}</ul></nav>',
        '<table><tr><td><b>In Other News</b></td></tr><tr><td><a href="/story/1">First story'
        ' here</a></td></tr><tr><td><a href="/story/2">Second one</a></td></tr></table>',
        '<table><tr><th>Read more</th></tr><tr><td><a href="/story/1">First story here</a>'
        '<br><a href="/story/2">Second one</a></td></tr></table>',
        '<p><strong>Read more:</strong> <a href="/story/1">First story here</a>, '
        '<a href="/story/2">Second one</a></p>',
        # the label inside a link to "#", as some templates style headings
        f'<section><h3><a href="#">Related stories</a></h3><div><ul>{ITEMS}</ul></div></section>',
        # a wrapper between the label and the list, and a see-all link beside the label
        f'<div><header><h3>Related</h3><a href="/related">See all</a></header><ul>{ITEMS}</ul>'
        "</div>",
        # an empty ad slot between the label and the list
        f'<div><h2><span>Related</span></h2><div class="ad"></div><ul>{ITEMS}</ul></div>',
        # the label split over two elements
        f"<div><h3>Related <span>Articles</span></h3><ul>{ITEMS}</ul></div>",
        # cards: a headline link and a teaser
        '<div><h3>Related</h3><div class="card"><a href="/story/1">First story here</a><p>A '
        'short teaser of a dozen words or so about it.</p></div><div class="card"><a href="/'
        'story/2">Second one is here</a><p>Another teaser.</p></div></div>',
    ],
)
def test_related_boxes_in_many_markups(body):
    assert urls(body) == ["1", "2"]


def test_sibling_boxes_without_wrappers_are_kept_apart():
    body = (
        f"<div class='sidebar'><h3>In Other News</h3><ul>{ITEMS}</ul>"
        '<h3>Most Read</h3><ul><li><a href="/story/7">Popular story</a></li></ul>'
        '<h3>Latest Jobs</h3><ul><li><a href="/jobs/1">Detective</a></li></ul></div>'
    )
    page = found(body)
    assert [link.url.rsplit("/", 1)[-1] for link in page.of(Section.IN_OTHER_NEWS)] == ["1", "2"]
    assert page.labels == ["In Other News"]
    assert len(page.other_boxes) >= 2  # Most Read, Latest Jobs: taken out of the text too


def test_a_label_in_running_text_is_not_a_box():
    body = (
        "<p>The series <em>Fargo</em> was made <a href='/story/3'>according to reports</a> "
        "and the film was <a href='/story/4'>poorly received by critics</a> last year.</p>"
        "<p>Read more about it in our archive, where we have written about this before.</p>"
    )
    page = found(body)
    assert not page.of(Section.IN_OTHER_NEWS) and not page.other_boxes


def test_an_article_paragraph_after_a_label_is_not_its_list():
    body = (
        "<div><h3>Related</h3><p>This is a paragraph of the article that happens to follow "
        "the heading, with one <a href='/story/5'>link</a> in it among many words of text "
        "that nobody would take for a list of related stories.</p></div>"
    )
    assert urls(body) == []


@pytest.mark.parametrize(
    ("text", "section", "count"),
    [
        ("More News", Section.MORE_NEWS, None),
        ("More news »", Section.MORE_NEWS, None),
        ("All news", Section.MORE_NEWS, None),
        ("More stories", Section.MORE_NEWS, None),
        ("View Comments 3", Section.COMMENTS, 3),
        ("Comments (12)", Section.COMMENTS, 12),
        ("4 comments", Section.COMMENTS, 4),
        ("Leave a Comment", Section.COMMENTS, None),
        ("Read comments", Section.COMMENTS, None),
    ],
)
def test_links_by_their_text(text, section, count):
    page = found(f'<p><a href="/other/9">{text}</a></p>')
    (link,) = page.of(section)
    assert link.count == count and link.anchor == text


def test_a_comment_count_after_the_link():
    page = found('<p><a href="/story/10/comments">Read comments</a> (7)</p>')
    assert page.comment_count == 7


LISTING = "http://news.example.localhost/news/index.cfm?page=2"


@pytest.mark.parametrize(
    "link",
    [
        '<a href="index.cfm?page=3" rel="next">Next</a>',
        '<a href="index.cfm?page=3">Next ›</a>',
        '<a href="index.cfm?page=3">Older stories »</a>',
        '<a href="index.cfm?page=3">»</a>',
        '<a href="index.cfm?page=3">3</a>',
        '<a href="index.cfm?page=1">« Previous</a>',
    ],
)
def test_pagination(link):
    assert len(found(f"<div>{link}</div>", LISTING).of(Section.PAGINATION)) == 1


def test_pagination_in_the_path():
    page = found('<a href="/news/page/3/">Older</a> <a href="/news/page/4/">4</a>', "http://"
                 "news.example.localhost/news/page/2/")  # fmt: skip
    assert len(page.of(Section.PAGINATION)) == 2


def test_next_post_is_not_pagination():
    """An article's link to the next article (rel=next included) leads to another article."""
    page = found('<a href="/story/11" rel="next">Next post</a> <a href="/story/12">Next »</a>')
    assert not page.of(Section.PAGINATION)


def test_labels_are_folded_and_matched_whole():
    assert is_related_label("RELATED STORIES:")
    assert is_related_label("  In other news ")
    assert is_related_label("Mehr zum Thema")
    assert not is_related_label("Related to the inquiry, officers said")
    assert not is_related_label("Most Read")
