"""A list of entries as a reader sees it: each entry's card, and the page's own text besides.
No Scrapy here.

A listing page is its entries, one after another in a list, a grid, a table or a row of
`<article>`s: each a card of a headline link, maybe with a date, a section name, a picture and
a teaser. Whatever else it says (a line of introduction, "Page 1 of 3") is a line or two. An
article, however short, has a body: running text of its own under its headline, outside any
link. pages/kinds.py weighs the two; this module measures them:

- `entry_cards`: the card of each entry link: the largest element around the link that holds no
  link to another entry, no more than a date or a byline before the link and no more than a
  teaser's words besides; a teaser the markup puts after its card (an `<h3>` then a `<p>`, a
  `<dt>` then a `<dd>`, a table row of its own) goes with it, as a reader reads it. The page's
  list (`Cards.listed`) is the most cards of one kind side by side in one element: a `<ul>` of
  `<li>`s, a grid of `<article>`s, a table of rows; not cards scattered over the page.
- `own_prose`: the page's own running text: the words of the `column` that holds its headline
  and its list (not the banners, sidebars and footers around), after its headline, outside its
  chrome, boxes, notices and cards, links, headings, asides and alerts, in blocks of a sentence
  or more (a page count, a lone date or a section name is not).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from pages.pagetext import word_set
from pages.urls import resolve

__all__ = ["Cards", "column", "entry_cards", "own_prose"]

_TEASER_WORDS = 80  # the most words of a card besides its links: a teaser of three sentences
_KICKER_WORDS = 15  # the most words before a card's link: a date, a byline, a section name
_TEASER_GAP = 3  # the most elements between two cards that are the first one's teaser
_SENTENCE_WORDS = 6  # the fewest words of a block of running text
_SENTENCE_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f\u061f\u0964]")  # ends a sentence
_BLOCKS = word_set(
    "p div td th li dd dt section article main body blockquote table tr ul ol dl header form "
    "center figure pre address"
)
_NOT_PROSE_TAGS = word_set(
    "a h1 h2 h3 h4 h5 h6 aside script style noscript template select option button label "
    "figcaption nav footer"
)
# ARIA roles a reader sees as around the page, not its text: banners, alerts, dialogs, sidebars
_NOT_PROSE_ROLES = word_set(
    "alert alertdialog status dialog complementary marquee timer log banner navigation "
    "contentinfo search menu menubar"
)


@dataclass(frozen=True, slots=True)
class Cards:
    """The cards of a page's entries, with their teasers."""

    cards: tuple[Any, ...] = ()  # one element per entry with a card, in page order
    elements: frozenset[Any] = frozenset()  # every element of every card and teaser
    listed: tuple[Any, ...] = ()  # the cards of the page's list, in page order
    words: int = 0  # the words of the list's cards and their teasers
    headlines: int = 0  # the words of the list's links: its headlines


def entry_cards(root: Any, base: str, entries: Collection[str], skip: Collection[Any]) -> Cards:
    """The cards of the links to `entries` (absolute URLs) outside the elements `skip`."""
    links: list[tuple[Any, str]] = []
    under: dict[Any, set[str]] = {}
    for a in root.iter("a"):
        href = a.get("href")
        url = resolve(base, href) if href and a not in skip else None
        if url is not None and url in entries:
            links.append((a, url))
            for el in (a, *a.iterancestors()):
                under.setdefault(el, set()).add(url)
    words = _word_counts(root)
    order = {el: i for i, el in enumerate(root.iter())}
    cards: dict[Any, int] = {}  # card -> the words of its longest link
    for a, url in links:
        card = a
        for el in a.iterancestors():
            if el.tag in ("body", "html") or under.get(el) != {url}:
                break
            if words[el][1] > _TEASER_WORDS or _words_before(el, a) > _KICKER_WORDS:
                break
            card = el
        cards[card] = max(cards.get(card, 0), words[a][0])
    ordered = sorted(cards, key=order.__getitem__)
    teasers = _teasers(ordered, under, words)
    members = [*ordered, *(el for gap in teasers.values() for el in gap)]
    listed = _the_list(ordered, under)
    return Cards(
        cards=tuple(ordered),
        elements=frozenset(el for member in members for el in member.iter()),
        listed=listed,
        words=sum(words[el][0] for card in listed for el in (card, *teasers.get(card, ()))),
        headlines=sum(cards[card] for card in listed),
    )


def _the_list(cards: list[Any], under: dict[Any, set[str]]) -> tuple[Any, ...]:
    """The page's list: the most cards of one tag whose nearest element holding another entry
    is the same (a `<ul>` of `<li>`s; a grid of `<article>`s, each in a wrapper of its own)."""
    groups: dict[tuple[Any, str], list[Any]] = {}
    for card in cards:
        holder = next((el for el in card.iterancestors() if len(under.get(el, ())) > 1), None)
        groups.setdefault((holder, card.tag), []).append(card)
    largest: list[Any] = max(groups.values(), key=len, default=[])
    return tuple(largest)


def _word_counts(root: Any) -> dict[Any, tuple[int, int]]:
    """Every element's (words, words outside links), its descendants' included, in one pass."""
    counts: dict[Any, tuple[int, int]] = {}
    for el in reversed(list(root.iter())):  # children before their parents
        own = len((el.text or "").split()) if isinstance(el.tag, str) else 0
        every, unlinked = own, own
        for child in el:
            child_every, child_unlinked = counts.get(child, (0, 0))
            tail = len((child.tail or "").split())
            every += child_every + tail
            unlinked += child_unlinked + tail
        counts[el] = (every, 0 if el.tag == "a" else unlinked)
    return counts


def _words_before(container: Any, a: Any) -> int:
    """The words of `container` before the link `a` in it."""
    around = set(a.iterancestors())
    words = 0
    for el in container.iter():
        if el is a:
            break
        words += len((el.text or "").split()) if isinstance(el.tag, str) else 0
        if el is not container and el not in around:
            words += len((el.tail or "").split())
    return words


def _teasers(
    cards: list[Any], under: dict[Any, set[str]], words: dict[Any, tuple[int, int]]
) -> dict[Any, list[Any]]:
    """The elements after each card that are its teaser: between two cards of one parent, at
    most `_TEASER_GAP` elements of a teaser's words without an entry link; after the last card,
    as many as after the first, of the same tags."""
    by_parent: dict[Any, list[Any]] = {}
    for card in cards:
        if (parent := card.getparent()) is not None:
            by_parent.setdefault(parent, []).append(card)
    teasers: dict[Any, list[Any]] = {}
    for parent, siblings in by_parent.items():
        if len(siblings) < 2:
            continue
        children = [child for child in parent if isinstance(child.tag, str)]
        index = {child: i for i, child in enumerate(children)}
        places = sorted(index[card] for card in siblings)
        gaps = [children[i + 1 : j] for i, j in zip(places, places[1:], strict=False)]
        gaps.append(children[places[-1] + 1 : places[-1] + 1 + len(gaps[0])])
        if [el.tag for el in gaps[-1]] != [el.tag for el in gaps[0]]:
            gaps.pop()
        for place, gap in zip(places, gaps, strict=False):
            if len(gap) <= _TEASER_GAP and all(
                el not in under and words[el][1] <= _TEASER_WORDS for el in gap
            ):
                teasers[children[place]] = gap
    return teasers


def column(root: Any, start: Any, cards: Cards) -> Any:
    """The element that holds the page's headline `start` and its list: the column a reader
    reads them in, without the banners, sidebars and footers around it; the page's body when
    there is no headline (an article without one has its text anywhere around its links)."""
    body = root.find("body")
    body = body if body is not None else root
    if start is None or not cards.listed:
        return body
    chain = [start, *start.iterancestors()]
    place = {el: i for i, el in enumerate(chain)}
    highest = 0
    for card in cards.listed:
        around = next((el for el in (card, *card.iterancestors()) if el in place), None)
        if around is None:
            return body
        highest = max(highest, place[around])
    return chain[highest]


def own_prose(body: Any, start: Any, skip: Collection[Any]) -> int:
    """The words of the running text in `body` (the page's column) after `start` (its
    headline; None: all of it), outside the elements `skip` (chrome, boxes, notices, cards):
    the words of its blocks of sentences (`_SENTENCE_WORDS` words or more, a full stop or
    another sentence end: not "Latest news Page 1 of 3"), outside links, headings, asides and
    alerts."""
    excluded: set[Any] = set()
    for el in body.iter():
        if el in excluded:
            continue
        if not isinstance(el.tag, str) or el in skip or _not_prose(el):
            excluded.update(el.iter())
    started = start is None
    opened = set(start.iterancestors()) if start is not None else set()
    blocks: dict[Any, list[str]] = {}
    for el in body.iter():
        if el is start:
            started = True
        parent = el.getparent()
        if el not in excluded and started and el.text:
            blocks.setdefault(_block(el), []).append(el.text)
        # a tail is the parent's text, after `el` ends: after the headline when `el` holds it
        tail = el.tail and el is not body and parent is not None and parent not in excluded
        if tail and (started or el in opened):
            blocks.setdefault(_block(parent), []).append(el.tail)
    running = (" ".join(texts) for texts in blocks.values())
    return sum(
        words
        for text in running
        if (words := len(text.split())) >= _SENTENCE_WORDS and _SENTENCE_END.search(text)
    )


def _not_prose(el: Any) -> bool:
    role = (el.get("role") or "").strip().lower()
    return el.tag in _NOT_PROSE_TAGS or role in _NOT_PROSE_ROLES


def _block(el: Any) -> Any:
    """The nearest block element holding `el` (itself included)."""
    for candidate in (el, *el.iterancestors()):
        if candidate.tag in _BLOCKS:
            return candidate
    return el
