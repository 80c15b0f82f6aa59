"""An article's police forces and people, found as it is extracted. No Scrapy here.

`tag` gives an Article its `forces` (each body of the gazetteer it names, with its mentions and
whether the title or standfirst names it) and `people` (officers and office holders named with a
rank, with the body named with them), and the gazetteer's version in `tagged`; the archive writes
them with the article (`article_forces`, `people`). Tagging reads the title, the standfirst and
the text once, searched for bodies once: about half a millisecond for an 800-word article
after the gazetteer is compiled, once per process (0.2-0.3 s); `make bench-datasette` prints
the cost per article on its 100,000 articles.

`gazetteer_rows` are the gazetteer's bodies as the archive's `forces` table holds them, for the
names and kinds Datasette shows beside the ids; `police-archive retag` tags an archive's
articles again (after a new gazetteer, or an archive written before tagging).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from archive.records import Article, ForceMention, PersonMention
from pages.gazetteer import Gazetteer, find_people
from pages.gazetteer.forces import tags_of
from pages.gazetteer.people import OFFICER_FORCE_KINDS

__all__ = ["gazetteer_rows", "tag", "tag_text"]


def tag_text(
    title: str, standfirst: str, text: str, gazetteer: Gazetteer | None = None
) -> tuple[tuple[ForceMention, ...], tuple[PersonMention, ...], str]:
    """The forces and people an article's title, standfirst and text name, and the gazetteer's
    version. A text that opens with the standfirst (a profile layout's) is read once; each part
    is searched for bodies once, for the tags and the people alike."""
    gazetteer = gazetteer or Gazetteer.load()
    body = text[len(standfirst) :] if standfirst and text.startswith(standfirst) else text
    # no-break and thin spaces as spaces ("Chief&nbsp;Constable"), one for one: what extraction
    # does (pages/pagetext.py), for text that did not come through it
    parts = (title.translate(_SPACES), standfirst.translate(_SPACES), body.translate(_SPACES))
    found = [gazetteer.mentions(part) for part in parts]
    tags = tags_of(*found)
    forces = tuple(ForceMention(t.force, t.mentions, t.in_headline) for t in tags)
    # the people, in the parts joined as one text (a name's sentence never spans two parts),
    # with each part's mentions moved to where the part starts in it
    joined, mentions, offset = [], [], 0
    for index, (part, in_part) in enumerate(zip(parts, found, strict=True)):
        if index == 0 and title_case(title):
            continue  # "Chief Constable Welcomes Funding Boost": every word looks like a name
        if part:
            joined.append(part)
            mentions += [replace(m, start=m.start + offset, end=m.end + offset) for m in in_part]
            offset += len(part) + len(_JOIN)
    # the article's main force: the force (not a watchdog or a union) it names most
    main = next((t.force for t in tags if _is_force(gazetteer, t.force)), None)
    named = find_people(_JOIN.join(joined), gazetteer, main_force=main, mentions=mentions)
    people = tuple(PersonMention(p.name, p.rank, p.force, p.mentions) for p in named)
    return forces, people, gazetteer.version


_JOIN = "\n\n"
_SPACES = str.maketrans(dict.fromkeys("\u00a0\u2002\u2003\u2007\u2009\u200a\u202f", " "))
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
# Short words a sentence-case headline writes in lower case and Title Case capitalises.
_SMALL_WORDS = frozenset(
    {"A", "An", "And", "As", "At", "By", "For", "From", "In", "Into", "Of", "On", "Or", "Over"}
    | {"The", "To", "With", "After"}
)


def title_case(title: str) -> bool:
    """Whether a headline Capitalises Its Words: a short word capitalised after the first word
    ("Officers Return To Work"), or every word of four letters or more after the first (at least
    two: "Chief Constable Welcomes Funding Boost"). Its people are not read from it, since a name
    cannot be told from the words after it. "Chief Constable Jane Smith to retire" is not."""
    words = _WORD.findall(title)[1:]
    if any(word in _SMALL_WORDS for word in words):
        return True
    long = [word for word in words if len(word) >= 4]
    return len(long) >= 2 and all(word[0].isupper() for word in long)


def tag(article: Article, gazetteer: Gazetteer | None = None) -> Article:
    """The article with its forces, people and the gazetteer's version."""
    forces, people, version = tag_text(article.title, article.standfirst, article.text, gazetteer)
    return replace(article, forces=forces, people=people, tagged=version)


def _is_force(gazetteer: Gazetteer, body_id: str) -> bool:
    body = gazetteer.body(body_id)
    return body is not None and body.kind in OFFICER_FORCE_KINDS


def gazetteer_rows(gazetteer: Gazetteer | None = None) -> tuple[str, list[dict[str, Any]]]:
    """The gazetteer's version and its bodies as rows of the archive's `forces` table."""
    gazetteer = gazetteer or Gazetteer.load()
    rows = [
        {
            "id": body.id,
            "name": body.name,
            "kind": body.kind,
            "nation": body.nation,
            "force": body.force,
            "names": "; ".join(gazetteer.names(body.id)),
        }
        for body in gazetteer.bodies
    ]
    return gazetteer.version, rows
