"""Link discovery by what a reader sees: the related-articles box, More News, pagination and the
comment thread, on any HTML page, without a site profile. No Scrapy here.

A reader finds an article's related articles under a label ("In Other News", "Related
Stories", "More on this story", "You may also like", "Read more"...), whatever the element
carrying it (`h2`-`h6`, `strong`, `b`, `span`, `div`, a table cell, an `aria-label`) and
whatever the class names. So does `discover`:

1. **Labels**: an element that is not a link and whose whole text is a related-articles label
   (`RELATED_LABEL`, matched on the text folded to lower case without surrounding punctuation),
   or an element whose `aria-label` is one. The label block is the label with any wrapper whose
   text is the label alone (plus at most a short "See all" link): `<td><b>In Other News</b></td>`
   inside its `<tr>` is one label block.
2. **The box**: the label block and the block after it that holds links (its list: a `<ul>`, a
   `<div>`, table rows, bare `<a>`s), with the following siblings of the same kind (more rows,
   more `<p>`s of links), up to the next heading or anything else. An `aria-label`led element is
   its own box. If the label block has no such sibling, the same is tried one level up (at most
   three levels). Links of a box are `in_other_news`.
3. **Link texts**: "More News" and the like (`more_news`), "View Comments 3", "Comments (3)",
   "Leave a Comment" (`comments`, with the count when the text gives one), and pagination: a
   `rel=next`/`rel=prev` link, "Next", "Older", "›", "»"... or a number whose URL differs from the
   page's own only by a number (`pagination`). A link's text decides before its box.

`Discovery.boxes` and `Discovery.chrome` are the elements that are not article text (the boxes
with their labels, and the More News, comment and pagination links); the generic reader drops
them before extracting the text, so a page without a profile gets no In Other News leak either.
Which of the links the crawl follows is not decided here: the crawler's policy does that (sites,
bounds, which URLs are articles; pages/shapes.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from archive.records import Section
from pages.pagetext import node_text, norm, word_set
from pages.urls import resolve

__all__ = ["Discovery", "FoundLink", "discover", "fold", "is_related_label"]

RELATED_LABEL = re.compile(
    r"(?:in )?other news|related(?: (?:news|stories|story|articles?|content|coverage|"
    r"posts?|reading|items|reports?))?(?: (?:from|on|about) [^:]{1,50})?|"
    r"more on(?: this(?: story| topic)?| [\w ]{1,30})?|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|(?:see|read) also|also read|"
    r"read more|read this next|read next|(?:more )?stories like this(?: one)?|more like this|"
    # other languages: German, French, Italian, Spanish, Portuguese, Dutch, Russian
    r"mehr zum thema|weitere (?:artikel|beiträge|berichte)(?: zum thema)?|"
    r"das könnte sie auch interessieren|lesen sie auch|(?:à )?lire aussi|sur le même sujet|"
    r"leggi anche(?: su)?|articoli correlati|(?:noticias|artículos) relacionad[oa]s|"
    r"te puede interesar|leia também|(?:notícias|artigos) relacionad[oa]s|lees ook|"
    r"gerelateerde artikelen|читайте также|вам также может быть интересно|похожие (?:статьи|записи)"
)
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
SEE_ALL = re.compile(r"(?:see|view|show|read)?(?: all| more)+(?: \w+)?|more|all")
PAGINATION_SYMBOLS = frozenset({"›", "»", "→", "‹", "«", "←", ">", ">>", "<", "<<", "...", "…"})
_COUNT = re.compile(r"(\d[\d,]*)")
_COUNT_AFTER = re.compile(r"\s*[(\[]?\s*(\d[\d,]*)\s*[)\]]?")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LABEL_TAGS = _HEADINGS | word_set(
    "strong b span div p td th dt caption legend label header figcaption em i font li"
)
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title"})
_MAX_LABEL_CHARS = 60
_INLINE_LABELS = frozenset({"b", "strong", "span", "em", "i", "font", "label", "a"})
_OTHER_LABEL_WORDS = 5
_OTHER_BOX_LINKS = 30  # the longest label of another box: "Most Read", "Latest Jobs"


def fold(text: str) -> str:
    """Text as labels are compared: normalised, lower case, without surrounding punctuation."""
    return _EDGES.sub("", norm(text).casefold())


def is_related_label(text: str) -> bool:
    return len(text) <= _MAX_LABEL_CHARS and bool(RELATED_LABEL.fullmatch(fold(text)))


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
    for label, box, related in _boxes(root):
        if not related:  # another box (Most Read, Latest Jobs, Share): not article text either
            found.other_boxes.extend(box)
            continue
        found.labels.append(label)
        found.boxes.extend(box)
        for element in box[1:] if len(box) > 1 else box:  # the list's links, not the label's
            for a in _anchors(element):
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


# ---------------------------------------------------------------------------------------------
# Related boxes


def _anchors(element: Any) -> list[Any]:
    """The links of an element that lead somewhere (not "#top", not javascript:)."""
    anchors = [element] if element.tag == "a" else element.iter("a")
    return [a for a in anchors if _leads_away(a)]


def _leads_away(a: Any) -> bool:
    href = (a.get("href") or "").strip()
    return bool(href) and not href.startswith("#") and not href.lower().startswith("javascript:")


def _inside_link(element: Any) -> bool:
    """Whether an element is (in) a link that leads somewhere: a label may be a link to "#"."""
    return any(a.tag == "a" and _leads_away(a) for a in (element, *element.iterancestors()))


def _boxes(root: Any) -> list[tuple[str, list[Any], bool]]:
    """(label as shown, elements of the box, whether it is a related-articles box) of each box
    of links under a label: the related ones (`RELATED_LABEL`), and the others (a short label
    over a list that is all links: Most Read, Latest Jobs, Share)."""
    boxes: list[tuple[str, list[Any], bool]] = []
    taken: set[Any] = set()
    for el in root.xpath("//*[@aria-label]"):
        aria = el.get("aria-label") or ""
        if el.tag not in _SKIP and is_related_label(aria) and _anchors(el):
            boxes.append((norm(aria), [el], True))
            taken.update(el.iter())
    # the text nodes that may be a label, then the element whose whole text they are; the
    # related boxes first, so that no other box takes their place
    texts = [
        text
        for text in root.xpath("//text()[string-length(normalize-space()) > 2]")
        if len(text) <= _MAX_LABEL_CHARS * 2
    ]
    for related in (True, False):
        for text in texts:
            if is_related_label(text) != related:
                continue
            if not related and (len(text.split()) > _OTHER_LABEL_WORDS or len(text) > 40):
                continue
            found = _box_of(text, related, taken)
            if found is not None:
                label, box = found
                boxes.append((label, box, related))
                for b in box:
                    taken.update(b.iter())
    return boxes


def _box_of(text: Any, related: bool, taken: set[Any]) -> tuple[str, list[Any]] | None:
    """The label and the box of links of a text node that may be a label; None if it is not."""
    el = text.getparent()
    if text.is_tail:
        el = el.getparent()
    if el is not None and el.tag == "a" and not _leads_away(el):
        el = el.getparent()  # a label that is a link to "#" (styled as a link)
    if el is None or el in taken or el.tag not in _LABEL_TAGS or _inside_link(el):
        return None
    if not related and el.tag in ("p", "li"):
        return None  # another box's label is a heading, not a paragraph or an item
    label = node_text(el)
    if not is_related_label(label) if related else label != norm(text):
        return None  # the element holds more than the label
    block = _label_block(el, label)
    box = _list_after(block)
    if not box or any(b in taken for b in box):
        return None
    if not related and not _other_box(block, box):
        return None
    return label, [block, *box]


def _other_box(block: Any, box: list[Any]) -> bool:
    """Whether a label and the list after it are a box of links of their own (Most Read,
    Latest Jobs, Share): the label a line of its own, the list blocks that are all links; not a
    word in a sentence and the links after it."""
    if block.tag in _INLINE_LABELS and _line_has_more(block):
        return False
    if sum(len(_anchors(b)) for b in box) > _OTHER_BOX_LINKS:
        return False  # a region of the page, not a box
    return all(_all_links(b) for b in box)


def _line_has_more(el: Any) -> bool:
    """Whether an inline element shares its line with running text of its parent's."""
    parent = el.getparent()
    if parent is None:
        return False
    own = (parent.text or "") + "".join((child.tail or "") for child in parent)
    return len(own.split()) > 2


def _text(el: Any) -> str:
    """An element's text, fast (lxml's text_content): for weighing structure, not for storing."""
    return norm(el.text_content())


def _all_links(el: Any) -> bool:
    """Whether nearly all an element's words are link text (a list of links, share buttons)."""
    anchors = _anchors(el)
    linked = sum(len(_text(a).split()) for a in anchors)
    return bool(anchors) and linked * 10 >= len(_text(el).split()) * 9


def _label_block(label: Any, text: str) -> Any:
    """The label with the wrappers that hold nothing else (or one short "See all" link)."""
    block = label
    for parent in label.iterancestors():
        if parent.tag in ("body", "html") or parent.get("aria-label"):
            break
        rest = norm(_text(parent).replace(text, "", 1))
        links = _anchors(parent)
        if rest and not (
            len(links) == 1 and norm(_text(links[0])) == rest and SEE_ALL.fullmatch(fold(rest))
        ):
            break
        block = parent
    return block


def _list_after(block: Any) -> list[Any]:
    """The block of links after a label block, with its siblings of the same kind; tried at the
    label block's level, then up to three levels above."""
    node = block
    for _ in range(4):
        items = _siblings_with_links(node)
        if items:
            return items
        node = node.getparent()
        if node is None or node.tag in ("body", "html", "main", "article") or _anchors(node):
            return []
    return []


def _siblings_with_links(node: Any) -> list[Any]:
    """The list after a label: the first following sibling that is mostly links, and the ones
    after it of the same kind (more rows, more items)."""
    items: list[Any] = []
    for sibling in node.itersiblings():
        if not isinstance(sibling.tag, str) or sibling.tag in _SKIP:
            continue
        if sibling.tag in ("br", "hr") or not (_anchors(sibling) or _text(sibling)):
            continue  # separators, empty ad slots
        if not items:
            if _is_heading(sibling):
                return []
            if _links_mostly(sibling):
                items.append(sibling)
                continue
            if _text(sibling):
                return []  # text before any link: not a list of links
            continue
        if _is_heading(sibling) or not _similar(sibling, items[0]) or not _links_mostly(sibling):
            break
        items.append(sibling)
    return items


def _links_mostly(el: Any) -> bool:
    """Whether an element is an item of a list of links: at least half its words are link
    text, or it is a headline link (three words or more) with at most a teaser besides (40
    words); an article's paragraphs are neither."""
    anchors = _anchors(el)
    if not anchors:
        return False
    lengths = [len(_text(a).split()) for a in anchors]
    words = len(_text(el).split())
    return sum(lengths) * 2 >= words or (max(lengths) >= 3 and words - sum(lengths) <= 40)


def _is_heading(el: Any) -> bool:
    """A heading of the next box: a heading element (not a headline that is a link), or a short
    label-like text without a link."""
    if el.tag in _HEADINGS:
        anchors = _anchors(el)
        return not anchors or sum(len(_text(a).split()) for a in anchors) < len(_text(el).split())
    text = _text(el)
    return bool(text) and len(text) <= _MAX_LABEL_CHARS and not _anchors(el) and el.tag != "p"


def _similar(el: Any, first: Any) -> bool:
    if el.tag == "a" or first.tag == "a":
        return el.tag == first.tag
    return el.tag == first.tag and (el.get("class") or "") == (first.get("class") or "")
