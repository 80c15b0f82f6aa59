"""Titles and bylines as people write them, cleaned: the headline without " | Site", the
author's name without "By", a job, an e-mail address or the site's name. No Scrapy here.

- `clean_title`: a title without a leading or trailing part naming the site.
- `clean_author`, `byline_name`: a byline's name, or "" for a job alone, a CMS account, an
  address; a desk or an agency ("News desk", "PA Media", "Reuters Staff") is kept as named.
- `clean_authors`: every name of a byline, joined by `AUTHOR_SEPARATOR` ("; "), the way the
  archive stores several authors (its `article_authors` view has one row per author).
- `squash`: text reduced to lower-case letters and digits, for comparisons.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pages.dates import DATE_WORDS
from pages.pagetext import norm, word_set

__all__ = [
    "AUTHOR_SEPARATOR",
    "byline_name",
    "clean_author",
    "clean_authors",
    "clean_title",
    "looks_like_name",
    "squash",
]

# Several authors of one article are stored in one `author` value, in byline order, joined by
# this separator (trafilatura's): "Jo Bloggs; Ann Smith". The archive's `article_authors` view
# splits them, one row per author.
AUTHOR_SEPARATOR = "; "

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|\u2013|\u2014|::|\u00bb|\u2022|\u00b7)\s+")
_AUTHOR_PREFIX = re.compile(
    r"^(?:(?:written|posted|words|report(?:ed)?|story|analysis|opinion|commentary|review|"
    r"interview|text|photos?|pictures?|video)\s+)?by\b[:\s]*",
    re.I,
)
# A person's job after the name ("Jo Bloggs, Crime Reporter", "Jo Bloggs is a reporter").
_AUTHOR_ROLE = word_set(
    "reporter reporters correspondent correspondents writer writers editor editors columnist "
    "contributor contributors journalist journalists"
)
# Words that make a byline a desk, a team or an agency, not a person ("News desk", "Telegraph
# staff", "Reuters Staff", "Support Team", "Redaktion"): kept as the author, as the page names
# it (a researcher filters agency and desk copy by it), unless it is a job alone.
_AUTHOR_GROUP = word_set(
    "staff team desk newsdesk newsroom reports services bureau wire wires editorial redaktion "
    "rédaction redacción redazione"
)
# Bylines that name no one: a CMS account ("admin", "Super User"), a placeholder.
_NO_AUTHOR = frozenset({"admin", "administrator", "super user", "unknown", "anonymous", "name"})
_AUTHOR_QUALIFIERS = word_set(
    "a an the our news senior chief deputy assistant associate special national international "
    "foreign political crime home affairs security health science technology business economics "
    "sport sports city local regional digital online web staff contributing freelance guest "
    "managing features entertainment arts education environment legal auto motoring travel "
    "ap pa afp"  # news agencies: "AP Sports Writer"
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URLISH = re.compile(r"^(?:https?://|www\.)", re.I)


def squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _without_role(author: str) -> str:
    """The byline without a job description after the name; "" when it names a job or a group
    (staff, a desk, a team) and no person."""
    author = re.sub(r"\s+is\s+(?:an?|the|our)\s.*$", "", author, flags=re.I)
    # "Jo Bloggs, Crime Reporter" / "Jo Bloggs - Political Editor": the job part goes
    parts = re.split(r"\s*(?:,|\s-\s|\s\u2013\s|\|)\s*", author)
    if len(parts) > 1:
        kept = [parts[0]] + [p for p in parts[1:] if not _is_role(p)]
        author = ", ".join(p for p in kept if p)
    words = author.split()
    lowered = [w.lower().strip(".,") for w in words]
    if not words or _is_role(author) or " ".join(lowered) in _NO_AUTHOR:
        return ""
    if any(w in _AUTHOR_GROUP for w in lowered):
        return author  # a desk or an agency, as the page names it
    # "Carrie Arnold November 15, 2019": a date run into the byline
    if lowered[0] in DATE_WORDS:
        return ""
    for i, word in enumerate(lowered[2:], start=2):
        if word in DATE_WORDS:
            words, lowered = words[:i], lowered[:i]
            break
    # "Tom Gillespie News reporter": the job and its qualifiers go, the name stays; a capitalised
    # last word alone may be a surname ("Sam Writer")
    if lowered[-1] in _AUTHOR_ROLE and (
        words[-1].islower() or (len(words) > 2 and lowered[-2] in _AUTHOR_QUALIFIERS)
    ):
        end = len(words) - 1
        while end > 0 and lowered[end - 1] in _AUTHOR_QUALIFIERS:
            end -= 1
        words = words[:end]
    return " ".join(words)


def _is_role(text: str) -> bool:
    """Whether `text` names a job only: "Reporter", "Staff writer", "Senior Crime Reporter"
    (not a desk: "News desk", "Newsroom")."""
    words = [w.lower().strip(".,") for w in text.split()]
    return (
        bool(words)
        and words[-1] in _AUTHOR_ROLE
        and all(w in _AUTHOR_ROLE | _AUTHOR_QUALIFIERS for w in words)
    )


def _is_site_name(text: str, site_names: Iterable[str]) -> bool:
    key = squash(text)
    if not key:
        return False
    for name in site_names:
        name_key = squash(name)
        # "policeoracle", "Police Oracle", "policeoracle.com", "www.policeoracle.localhost"
        if name_key and (key == name_key or key == squash(_host_label(name))):
            return True
    return False


def _host_label(name: str) -> str:
    """The main label of a host name ("www.policeoracle.com" -> "policeoracle"); else `name`."""
    labels = [label for label in name.lower().split(".") if label]
    if len(labels) < 2 or " " in name:
        return name
    labels = [label for label in labels if label not in ("www", "touch", "m", "mobile")]
    return labels[0] if len(labels) >= 2 else name


def clean_title(title: str, site_names: Iterable[str] = (), headline: str = "") -> str:
    """The headline: without a leading or trailing " | Site" / " - Site" part naming the site;
    "" when the title is nothing but the site name.

    `headline` is the page's visible headline (its <h1>), if any: a title made of the headline
    and a leading or trailing " | Anything" part no longer than it (a site name the page does not
    declare, a section: "Opinion | ...") is cut to the headline."""
    title = norm(title)
    names = [n for n in site_names if n]
    if not title or _is_site_name(title, names):
        return ""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        seps = _TITLE_SEPARATORS.findall(title)
        if _is_site_name(parts[-1], names):
            return clean_title(title[: title.rfind(seps[-1])], names, headline)
        if _is_site_name(parts[0], names):
            return clean_title(title[title.find(seps[0]) + len(seps[0]) :], names, headline)
        headline = norm(headline)
        key = headline.casefold()
        if key and key != title.casefold():
            for sep in _TITLE_SEPARATORS.finditer(title):
                before, after = title[: sep.start()], title[sep.end() :]
                for kept, cut in ((before, after), (after, before)):
                    # never cut to a short <h1> (a logo, a section name) more than it keeps
                    if kept.casefold() == key and len(cut.split()) <= len(kept.split()):
                        return headline
    return title


def clean_author(author: str, site_names: Iterable[str] = ()) -> str:
    """A byline's name: without "By" and without the job after it ("Jo Bloggs, Crime Reporter",
    "Jo Bloggs is a reporter"); "" for no name, an e-mail address, a URL, the site, a job alone
    ("Reporter", "Staff writer") or a group ("News desk", "Telegraph staff")."""
    author = norm(author)
    author = _AUTHOR_PREFIX.sub("", author).strip(" ,;:|-")
    author = _EMAIL.sub("", author).strip(" ,;:|-()")
    author = _without_role(author)
    if (
        not author
        or len(author) > 100
        or _URLISH.match(author)
        or not re.search(r"[^\W\d_]", author)
        or _is_site_name(author, site_names)
    ):
        return ""
    return author


# "Jo Bloggs and Ann Smith", "Jo Bloggs & Ann Smith", "Jo Bloggs und Ann Smith", and commas
_AND = re.compile(r"\s+(?:and|&|und|et|y)\s+|\s*,\s*", re.I)


def clean_authors(byline: str, site_names: Iterable[str] = ()) -> str:
    """Every author a byline names, cleaned (`clean_author`), in order, without repeats, joined
    by AUTHOR_SEPARATOR: "By Jo Bloggs and Ann Smith, Crime Reporters" -> "Jo Bloggs; Ann
    Smith". A byline is split at ";" always, and at "and", "&" or a comma only when every part
    is a name of two words or more (so "Bloggs, Jo" and "Smith & Sons" stay whole)."""
    names: list[str] = []
    for part in norm(byline).split(";"):
        part = _AUTHOR_PREFIX.sub("", part.strip()).strip(" ,;:|-")
        pieces = [p for p in _AND.split(part) if p]
        people = [clean_author(p, site_names) for p in pieces]
        cleaned = [p for p in people if p]
        if len(cleaned) > 1 and all(looks_like_name(p) and len(p.split()) >= 2 for p in cleaned):
            names.extend(cleaned)
        elif name := clean_author(part, site_names):
            names.append(name)
    return AUTHOR_SEPARATOR.join(dict.fromkeys(names))


def byline_name(line: str, site_names: Iterable[str] = ()) -> str:
    """The name of a line that is a byline alone ("By Jo Bloggs"); "" for other lines (a
    sentence that starts with "By", a line without a person's name)."""
    if _AUTHOR_PREFIX.match(line) and looks_like_name(name := clean_authors(line, site_names)):
        return name
    return ""


_NAME_PARTICLES = word_set("and & de da del della der di du la le van von of")


def looks_like_name(text: str) -> bool:
    """A person's name (or two, or several joined by AUTHOR_SEPARATOR): each 1-8 capitalised
    words, not a sentence."""
    if not text or text.endswith((".", "!", "?", ":")):
        return False
    for name in text.split(";"):
        words = name.replace(",", " ").split()
        if not 0 < len(words) <= 8:
            return False
        if not all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words):
            return False
    return True
