"""What one line or element of a comment thread shows (pages/comments.py reads the threads).

A header line's date (`shown_date`: month names of seven languages, the time also when written
before the date), its name (`author_of`: the line without date, time, "Posted by", "wrote",
brackets and buttons), whether it shows a time (`timed`); buttons, vote counts and thread
headings (`junk`, `thread_heading`); class names saying comments (`hinted`, PascalCase ones
too); elements never read (`skipped`), and those that are or hold a page's title
(`holds_title`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pages.dates import parse_date, plausible
from pages.pagetext import SKIP_TAGS, word_set

__all__ = [
    "HEADINGS",
    "REPLY",
    "THREAD",
    "author_of",
    "hinted",
    "holds_title",
    "junk",
    "kind_of",
    "shown_date",
    "skipped",
    "thread_heading",
    "timed",
    "undated",
]

_SKIP = SKIP_TAGS | word_set("nav label")
HEADINGS = word_set("h1 h2 h3 h4 h5 h6")
_HINT = re.compile(  # a class or id saying comments ("comment-body", "replies"), not a form
    r"(?i)(?!.*(?:respond|form|count|open|closed|link|button|icon|number|no-?comment|recent"
    r"|latest|widget|^category-|^tag-))(?:.*[_-])?(?:comments?|comment(?:list|body|text|s?wrap\w*"
    r"|thread|box)|kommentare?|repl(?:y|ies)|responses|reactions?|discussion|diskussion|guestbook"
    r"|disqus)(?:[_-].*)?"
)
_FORM_WORDS = 150  # a form of fewer words is chrome (as pages/kinds.py `chrome_of` decides)
THREAD = re.compile(r"(?i)[\W\d]*(?:comments?|kommentare?|responses?|reactions?)[\W\d]*")
_JUNK = re.compile(  # thread headings ("3 Comments", "2 thoughts on X"), "Leave a comment"...
    r"(?i)[\W\d]*(?:one|two|three|[\w']+)?[\W\d]*(?:comments?|kommentare?|repl(?:y|ies)|responses?"
    r"|reactions?|réactions?|commentaires?|comentarios?|commenti|reacties|discussion|diskussion"
    r"|meinungen?|antworten|posts?|beiträge)[\W\d]*|\w+ (?:thoughts?|responses?|comments?) on\b.*"
    r"|(?:leave|post|add|write|submit|schreibe?n?|hinterlasse)\b.{0,30}\b(?:comment|reply"
    r"|kommentar|antwort).*|.*(?:(?:log|sign)(?:ged)? in to|(?:^|\b)(?:no|keine) (?:comments"
    r"|kommentare)|be the first|comments? (?:are|is) closed|kommentare sind geschlossen).*"
)
_TITLED = re.compile(  # a thread heading naming its article: "Comments on: Headline"
    r"(?i)\W*(?:readers?'?s?'? |your )?(?:comments?|kommentare?|reactions?|responses?|replies)"
    r"(?: (?:on|to|for|zu))?\s?:\s*\w"
)
REPLY = word_set("reply antworten répondre responder rispondi beantwoorden")
_NOISE = REPLY | word_set(  # the words of a header line besides name and date, and of buttons
    "report melden signaler like likes liked unlike dislike dislikes share teilen partager "
    "permalink link quote zitieren citer edit bearbeiten delete löschen flag upvote upvotes "
    "downvote vote votes recommend empfehlen points point replies show hide view more read cancel "
    "abuse this to gefällt mir daumen hoch runter thumbs posted submitted written published "
    "updated veröffentlicht aktualisiert publié publicado erstellt created geschrieben commented "
    "kommentiert kommentar comment by von vom par por door às alle om wrote writes said says "
    "schrieb schreibt sagt sagte meint écrit dit escribió dijo dice scrive schreef zegt on at am "
    "pm um uhr le à in ago vor il y a hace las seconds minutes hours days weeks months years "
    "second minute hour day week month year sekunden minuten stunden tagen wochen monaten jahren "
    "einem einer atrás ano anos há permanente"
)
_MONTH_NAMES = (  # English first, as parse_date reads them
    "january jan januar jänner janvier janv enero gennaio januari janeiro|february feb februar "
    "feber février fevrier févr febrero febbraio februari fevereiro|march mar märz maerz mrz "
    "mär mars marzo maart março|april apr avril abril aprile|may mai mayo maggio mei maio|june "
    "jun juni juin junio giugno junho|july jul juli juillet juil julio luglio julho|august aug "
    "août aout agosto augustus|september sep sept septembre septiembre settembre setembro|"
    "october oct oktober okt octobre octubre ottobre outubro|november nov novembre noviembre "
    "novembro|december dec dezember dez décembre decembre déc diciembre dicembre dezembro"
)
_MONTHS = {name: names.split()[0] for names in _MONTH_NAMES.split("|") for name in names.split()}
_DATE_WORDS = frozenset(_MONTHS) | word_set(  # dropped from a header line beside numbers
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat "
    "sun montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so lundi "
    "mardi mercredi jeudi vendredi samedi dimanche of de"
)
_TOKEN = re.compile(r"[^\s,;|·•@<>«»“”\"{}]+")
_NUMBER = re.compile(r"[#+-]?\d[\d:./+tz-]*(?:st|nd|rd|th|h\d\d|h|am|pm|uhr)?")  # lower case
_CLOCK = re.compile(  # "17:04", "5.04 pm", "11h13", "5pm"; not "12.08" of "12.08.2020"
    r"(?i)(?<![\d./-])(\d{1,2})(?:[:.h](\d\d)(?::\d\d)?(?:\s*([ap])\.?m\b)?|\s*([ap])\.?m\b)"
    r"(?![\d./-])"
)
_RELATIVE = re.compile(r"\b(?:an?|\d+)\s+\w+\s+ago\b|\bvor\s+(?:\d+|einer?m?)\s+\w+", re.I)


def shown_date(text: str, day_first: bool) -> str | None:
    """The date and time a line shows, the time also when written before the date."""
    english = re.sub(r"\S*(?:://|www\.)\S*", " ", text)  # no URLs, English month names
    english = re.sub(r"[^\W\d_]+", lambda m: _MONTHS.get(m[0].lower(), m[0]), english)
    english = re.sub(r"\b(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\b", r"\1.\2.\3", english)
    english = re.sub(r"(?<!\d)(\d{1,2})\.\s+(?=[^\W\d_])", r"\1 ", english)  # "12. Mai"
    found = parse_date(re.sub(r"\s(?:um|à|a las|alle|om)\s(?=\d)", " at ", english), day_first)
    if found and "T" not in found and (clock := _CLOCK.search(text)):
        hours = f"{clock[1]}:{clock[2] or '00'} {clock[3] or clock[4] or ''}m".removesuffix(" m")
        found = parse_date(f"{found.replace('-', '/')} {hours}", day_first) or found
    return found if found and plausible(found) else None


@lru_cache(maxsize=4096)
def undated(text: str) -> tuple[str, int]:
    """The first run of words of a header line that are no date, time, "Posted by", "wrote" or
    button ("Sgt Ann Baker" of "Posted by Sgt Ann Baker at 17:04 | Reply"); how many there are."""
    spans = [(m.start(), m.end(), m[0].lower().strip(" .:-/'’()[]")) for m in _TOKEN.finditer(text)]
    dated = [  # numbers, dates, times, symbols; then month and day names next to them
        not any(c.isalpha() for c in w) or (w[:1] in "#+-0123456789" and bool(_NUMBER.fullmatch(w)))
        for *_, w in spans
    ]
    for _ in range(3 if _DATE_WORDS.intersection(w for *_, w in spans) else 0):
        dated = [d or (w in _DATE_WORDS and any(dated[max(0, k - 1) : k + 2])) for k, (d, (*_, w))
                 in enumerate(zip(dated, spans, strict=True))]  # fmt: skip
    kept = [k for k, (*_, w) in enumerate(spans) if not dated[k] and w not in _NOISE]
    end = next((k for k in kept if k + 1 not in kept), 0)  # the first run of them
    name = text[spans[kept[0]][0] : spans[end][1]].strip(" .:-–—/'’[]") if kept else ""
    return (name.strip("()") if name.count("(") != name.count(")") else name), len(kept)


def author_of(text: str) -> str:
    """The name a header line shows, or ""."""
    name = undated(text)[0]
    named = 0 < len(name) <= 60 and len(name.split()) <= 5 and re.search(r"[^\W\d_]", name)
    bad = name[-1:] in "!?…;" or re.search(r"[€$£¥%]", name) or junk(name)
    return name if named and not bad else ""


def junk(line: str) -> bool:
    """A button, vote count, "Leave a comment", a thread heading ("Comments (3)"), a date."""
    return len(line) <= 80 and bool(_JUNK.fullmatch(line) or not undated(line)[1])


def hinted(el: Any) -> bool:
    """Whether a class or id says comments ("comment-body", "replies", "gvComments")."""
    names = f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}"
    names = re.sub(r"Comments?(?![a-z])", r"-\g<0>-", names)  # "CommentGrid": "-Comment-Grid"
    return any(_HINT.fullmatch(name) for name in names.split())


@lru_cache(maxsize=2)
def _size(root: Any) -> int:
    """The characters of a page's text (its body's)."""
    return len(next(root.iter("body"), root).text_content())


def skipped(el: Any) -> bool:
    """Never read: scripts, buttons, nav, hidden elements, page headers and footers, and forms
    of under 150 words or holding a textarea (a comment box) unless they wrap the page (an
    ASP.NET page is one <form>)."""
    if el.tag in _SKIP or "hidden" in el.attrib or el.get("role") in ("navigation", "banner"):
        return True
    if el.tag == "form":
        text = el.text_content()
        if len(text) >= 0.8 * _size(el.getroottree().getroot()):  # around most of the page
            return False
        return len(text.split()) < _FORM_WORDS or el.find(".//textarea") is not None
    size = len(el.text_content()) if el.tag in ("header", "footer") else 0
    return (size > 300 or (size > 0 and el.find(".//ul") is not None)) and size < 3000


def holds_title(el: Any) -> bool:
    """Whether an element is or holds the <h1>, or a linked heading of 5+ words (a teaser)."""
    linked = next(el.iterancestors("a"), el).tag == "a"
    for heading in el.iter(*HEADINGS):
        long = len(re.findall(r"[^\W\d_]{2,}", heading.text_content())) >= 5
        if heading.tag == "h1" or (long and (linked or heading.find(".//a") is not None)):
            return True
    return False


def thread_heading(line: str) -> bool:
    """A thread heading: "3 Comments", "Leave a comment", "Comments on: Headline"."""
    return bool(_JUNK.fullmatch(line) or _TITLED.match(line))


def timed(line: str) -> bool:
    """Whether a date line shows a time ("17:04", "5pm") or how long ago ("3 days ago")."""
    return bool(_CLOCK.search(line) or _RELATIVE.search(line))


def kind_of(el: Any) -> str:
    """An element's first class without digits ("comment" of "comment1 odd")."""
    return re.sub(r"\d+", "", (el.get("class") or "").strip().split(" ")[0])
