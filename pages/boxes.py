"""Boxes of links under a label, found by what a reader sees. No Scrapy here.

A reader finds an article's related articles under a label ("In Other News", "Related
Stories", "More on this story", "You may also like", "Read more"...), whatever the element
carrying it (`h2`-`h6`, `strong`, `b`, `span`, `div`, a table cell, an `aria-label`) and
whatever the class names; and the page's other boxes of links (Most Read, Latest Jobs, Share)
under labels of their own. `boxes` finds both:

1. **Labels**: an element that is not a link (or only a link to "#") whose whole text is a
   related-articles label (`RELATED_LABEL`, matched on the text folded to lower case without
   surrounding punctuation), or an element whose `aria-label` is one; for the other boxes, a
   short heading of a line of its own. The label block is the label with any wrapper whose
   text is the label alone (plus at most a "See all" link): `<td><b>In Other News</b></td>`
   inside its `<tr>` is one label block.
2. **The box**: the label block and the block after it that is a list of links (a `<ul>`, a
   `<div>`, table rows, bare `<a>`s, cards of a headline link and a teaser), with the following
   siblings of the same kind (more rows, more items), up to the next heading or anything else;
   separators and empty ad slots between are skipped. An `aria-label`led element is its own
   box. If the label block has no such sibling, the same is tried up to three levels above.
   Related boxes are found first, so that no other box takes their place.
"""

from __future__ import annotations

import re
from typing import Any

from pages.pagetext import fold, node_text, norm, word_set

__all__ = ["Box", "RELATED_LABEL", "anchors", "boxes", "is_related_label"]

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
SEE_ALL = re.compile(r"(?:see|view|show|read)?(?: all| more)+(?: \w+)?|more|all")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LABEL_TAGS = _HEADINGS | word_set(
    "strong b span div p td th dt caption legend label header figcaption em i font li"
)
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title"})
_MAX_LABEL_CHARS = 60
_INLINE_LABELS = frozenset({"b", "strong", "span", "em", "i", "font", "label", "a"})
_OTHER_LABEL_WORDS = 5
_OTHER_BOX_LINKS = 30  # the longest label of another box: "Most Read", "Latest Jobs"


def is_related_label(text: str) -> bool:
    return len(text) <= _MAX_LABEL_CHARS and bool(RELATED_LABEL.fullmatch(fold(text)))


def anchors(element: Any) -> list[Any]:
    """The links of an element that lead somewhere (not "#top", not javascript:)."""
    anchors = [element] if element.tag == "a" else element.iter("a")
    return [a for a in anchors if _leads_away(a)]


def _leads_away(a: Any) -> bool:
    href = (a.get("href") or "").strip()
    return bool(href) and not href.startswith("#") and not href.lower().startswith("javascript:")


def _inside_link(element: Any) -> bool:
    """Whether an element is (in) a link that leads somewhere: a label may be a link to "#"."""
    return any(a.tag == "a" and _leads_away(a) for a in (element, *element.iterancestors()))


Box = tuple[str, list[Any], bool]  # (label as shown, its elements, whether related)


def boxes(root: Any) -> list[Box]:
    """(label as shown, elements of the box, whether it is a related-articles box) of each box
    of links under a label: the related ones (`RELATED_LABEL`), and the others (a short label
    over a list that is all links: Most Read, Latest Jobs, Share)."""
    boxes: list[tuple[str, list[Any], bool]] = []
    taken: set[Any] = set()
    for el in root.xpath("//*[@aria-label]"):
        aria = el.get("aria-label") or ""
        if el.tag not in _SKIP and is_related_label(aria) and anchors(el):
            boxes.append((norm(aria), [el], True))
            taken.update(el.iter())
    # the text nodes that may be a label, then the element whose whole text they are; the
    # related boxes first, so that no other box takes their place
    texts = [
        (text, is_related_label(text))
        for text in root.xpath("//text()[string-length(normalize-space()) > 2]")
        if len(text) <= _MAX_LABEL_CHARS * 2
    ]
    for related in (True, False):
        for text, labelled in texts:
            if labelled != related:
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
    if sum(len(anchors(b)) for b in box) > _OTHER_BOX_LINKS:
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
    links = anchors(el)
    linked = sum(len(_text(a).split()) for a in links)
    return bool(links) and linked * 10 >= len(_text(el).split()) * 9


def _label_block(label: Any, text: str) -> Any:
    """The label with the wrappers that hold nothing else (or one short "See all" link)."""
    block = label
    for parent in label.iterancestors():
        if parent.tag in ("body", "html") or parent.get("aria-label"):
            break
        rest = norm(_text(parent).replace(text, "", 1))
        links = anchors(parent)
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
        if node is None or node.tag in ("body", "html", "main", "article") or anchors(node):
            return []
    return []


def _siblings_with_links(node: Any) -> list[Any]:
    """The list after a label: the first following sibling that is mostly links, and the ones
    after it of the same kind (more rows, more items)."""
    items: list[Any] = []
    for sibling in node.itersiblings():
        if not isinstance(sibling.tag, str) or sibling.tag in _SKIP:
            continue
        if sibling.tag in ("br", "hr") or not (anchors(sibling) or _text(sibling)):
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
    links = anchors(el)
    if not links:
        return False
    lengths = [len(_text(a).split()) for a in links]
    words = len(_text(el).split())
    return sum(lengths) * 2 >= words or (max(lengths) >= 3 and words - sum(lengths) <= 40)


def _is_heading(el: Any) -> bool:
    """A heading of the next box: a heading element (not a headline that is a link), or a short
    label-like text without a link."""
    if el.tag in _HEADINGS:
        links = anchors(el)
        return not links or sum(len(_text(a).split()) for a in links) < len(_text(el).split())
    text = _text(el)
    return bool(text) and len(text) <= _MAX_LABEL_CHARS and not anchors(el) and el.tag != "p"


def _similar(el: Any, first: Any) -> bool:
    if el.tag == "a" or first.tag == "a":
        return el.tag == first.tag
    return el.tag == first.tag and (el.get("class") or "") == (first.get("class") or "")
