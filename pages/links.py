"""Link discovery by what a reader sees: the related-articles box, More News, pagination and the
comment thread, on any HTML page, without a site profile. No Scrapy here.

`discover` gives every link the crawl may care about its section:

- **Link texts** first: "More News" and the like (`more_news`), "View Comments 3",
  "Comments (3)", "Leave a Comment" (`comments`, with the count when the text or the text right
  after the link gives one), and pagination: a `rel=next`/`rel=prev` link or "Next", "Older",
  "›", "»" to another page of the same listing, or a number whose URL differs from the page's
  own only by that page number (`pagination`).
- Then the **boxes** (pages/boxes.py): the links of a related-articles box are
  `in_other_news`; other boxes (Most Read, Latest Jobs, Share) give no links, but like the
  related ones they are not article text.

`Discovery.boxes`, `other_boxes` and `chrome` are the elements that are not article text (the
boxes with their labels, and the More News, comment and pagination links); the generic reader
takes them out before extracting the text, so a page without a profile gets no In Other News
leak either. Which of the links the crawl follows is not decided here: the crawler's policy does
that (its sites, bounds, which URLs are worth following; crawler/follow.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from archive.records import Section
from pages.boxes import anchors, boxes
from pages.pagetext import fold, node_text, norm, word_set
from pages.urls import resolve

__all__ = ["Discovery", "FoundLink", "discover"]

MORE_NEWS = re.compile(
    r"(?:more|all|latest|view all|see all|back to|browse|other) (?:the )?"
    r"(?:news|stories|headlines|news stories|articles)|news (?:index|home)|more news stories"
)
COMMENTS_LINK = re.compile(
    r"(?:(?:view|read|show|see|add|post|leave|write|make|join|hide)(?: (?:a|the|all|your))? )?"
    r"(?:comments?|discussion|conversation)(?: \(?\d+\)?)?|\d+ comments?|have your say"
)
PAGINATION_TEXT = re.compile(
    r"next(?: page)?|older(?: (?:posts|stories|articles|entries|news|items))?|"
    r"previous(?: page)?|prev|newer(?: (?:posts|stories|articles|entries|news|items))?|"
    r"earlier(?: (?:posts|stories|articles|news))?|more articles"
)
PAGINATION_SYMBOLS = frozenset({"›", "»", "→", "‹", "«", "←", ">", ">>", "<", "<<", "...", "…"})
_COUNT = re.compile(r"(\d[\d,]*)")
_COUNT_AFTER = re.compile(r"\s*[(\[]?\s*(\d[\d,]*)\s*[)\]]?")


@dataclass(frozen=True)
class FoundLink:
    """A link the page offers: its absolute URL (not canonicalised), section and visible text."""

    url: str
    section: Section
    anchor: str = ""
    count: int | None = None  # for comment links: the number of comments the text gives
    position: int = 0  # the link's place among the page's links, for document order


@dataclass
class Discovery:
    links: list[FoundLink] = field(default_factory=list)  # in page order, one per <a>
    boxes: list[Any] = field(default_factory=list)  # related boxes: label blocks and lists
    other_boxes: list[Any] = field(default_factory=list)  # other labelled boxes of links
    chrome: list[Any] = field(default_factory=list)  # More News, comment and pagination links
    labels: list[str] = field(default_factory=list)  # the related labels seen, as shown

    def of(self, section: Section) -> list[FoundLink]:
        return [link for link in self.links if link.section == section]

    @property
    def comment_count(self) -> int | None:
        """The comment count a comment link's text gives ("View Comments 3"), if any."""
        return next((c.count for c in self.of(Section.COMMENTS) if c.count is not None), None)


def discover(root: Any, base: str, page_url: str | None = None) -> Discovery:
    """The related box, More News, comment and pagination links of a parsed page (see the
    module docstring). `base` resolves relative links; `page_url` (default `base`) is the page's
    own URL, which numbered pagination links are compared with."""
    page_url = page_url or base
    found = Discovery()
    in_box: dict[Any, int] = {}
    for label, box, related in boxes(root):
        if not related:  # another box (Most Read, Latest Jobs, Share): not article text either
            found.other_boxes.extend(box)
            continue
        found.labels.append(label)
        found.boxes.extend(box)
        for element in box[1:] if len(box) > 1 else box:  # the list's links, not the label's
            for a in anchors(element):
                in_box.setdefault(a, len(found.boxes))
    for position, a in enumerate(root.iter("a", "link")):
        href = a.get("href")
        if href is None or a.tag == "link" and "next" not in _rel(a):
            continue
        text = node_text(a) if a.tag == "a" else ""
        if a not in in_box and not _candidate(a, text):
            continue
        url = resolve(base, href)
        if url is None:
            continue
        section, count = _by_text(a, text, url, page_url)
        if section is not None:
            found.chrome.append(a)
        elif a in in_box:
            section = Section.IN_OTHER_NEWS
        else:
            continue
        found.links.append(FoundLink(url, section, text, count, position))
    return found


# ---------------------------------------------------------------------------------------------
# Link texts


def _rel(a: Any) -> set[str]:
    return set((a.get("rel") or "").lower().split())


def _candidate(a: Any, text: str) -> bool:
    """Whether a link's text or rel may give it a section (the cheap test before `_by_text`)."""
    if _rel(a) & {"next", "prev", "previous"}:
        return True
    folded = fold(text)
    if not folded:
        return norm(text) in PAGINATION_SYMBOLS
    return len(folded) <= 40 and (
        folded.isdigit()
        or bool(MORE_NEWS.fullmatch(folded))
        or bool(COMMENTS_LINK.fullmatch(folded))
        or bool(PAGINATION_TEXT.fullmatch(folded))
    )


def _by_text(a: Any, text: str, url: str, page_url: str) -> tuple[Section | None, int | None]:
    """The section a link's own text (or rel) gives it, and a comment count."""
    folded = fold(text)
    rel = _rel(a)
    if rel & {"next", "prev", "previous"} and _page_variant(page_url, url, any_number=True):
        return Section.PAGINATION, None
    if not folded:
        symbol = norm(text)
        if symbol in PAGINATION_SYMBOLS and _page_variant(page_url, url):
            return Section.PAGINATION, None
        return None, None
    if len(folded) > 40:
        return None, None
    if MORE_NEWS.fullmatch(folded):
        return Section.MORE_NEWS, None
    if COMMENTS_LINK.fullmatch(folded):
        # the count in the text ("Comments (3)"), else right after the link ("Comments</a> (3)")
        match = _COUNT.search(folded) or _COUNT_AFTER.match(a.tail or "")
        return Section.COMMENTS, int(match.group(1).replace(",", "")) if match else None
    if PAGINATION_TEXT.fullmatch(folded) and _page_variant(page_url, url):
        return Section.PAGINATION, None
    if folded.isdigit() and len(folded) <= 4 and _page_variant(page_url, url, folded):
        return Section.PAGINATION, None
    return None, None


def _parts(url: str) -> tuple[str, list[str], dict[str, str]]:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    query = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
    return (parts.hostname or "").lower(), segments, query


_PAGE_WORDS = word_set(
    "p pg page pages pagenum pageno page_no paged pn start offset from skip seite pagina"
)


def _page_variant(
    page_url: str, url: str, number: str | None = None, *, any_number: bool = False
) -> bool:
    """Whether `url` is another page of the same listing as `page_url`: the same host and path
    with a page number changed or added in the query (``?page=3``), or the same query with a
    page number in the path (``/page/3/``). The number is recognised by its name ("page",
    "start"...) or, for a numbered link, by being the link's own text (`number`)."""
    host, segments, query = _parts(page_url)
    other_host, other_segments, other_query = _parts(url)
    if host != other_host or (segments, query) == (other_segments, other_query):
        return False
    if segments == other_segments:
        changed = [
            k for k in query.keys() | other_query.keys() if query.get(k) != other_query.get(k)
        ]
        if len(changed) != 1:
            return False
        name, value = changed[0], other_query.get(changed[0], "1")
        return value.isdigit() and (name in _PAGE_WORDS or value == number or any_number)
    if query != other_query:
        return False
    if len(segments) == len(other_segments):
        diff = [i for i, (x, y) in enumerate(zip(segments, other_segments, strict=True)) if x != y]
        if len(diff) != 1 or not other_segments[diff[0]].isdigit():
            return False
        i = diff[0]
        named = i > 0 and segments[i - 1].lower() in _PAGE_WORDS
        return other_segments[i] == number or named
    shorter, longer = sorted((segments, other_segments), key=len)
    extra = longer[len(shorter) :]
    if longer[: len(shorter)] != shorter or not extra[-1].isdigit() or len(extra) > 2:
        return False
    return (
        len(extra) == 1
        and extra[0] == number
        or len(extra) == 2
        and extra[0].lower() in _PAGE_WORDS
    )
