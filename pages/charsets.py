"""The encoding of a page that declares none: no BOM, no Content-Type charset, no `<meta>`.

UTF-8 when the bytes are valid UTF-8 (what almost every page is). Otherwise charset-normalizer
reads the bytes (`charset_normalizer.from_bytes`), and:

- a guess of an encoding of its own script (Japanese, Chinese, Korean, Cyrillic, Greek, Hebrew,
  Arabic, Thai...) is taken: its byte patterns are not an accident of Western text;
- a guess in the Latin family (the windows-125x and ISO-8859 code pages, the Mac and DOS ones)
  is not trusted as it is: on Western text it picks among code pages that read the same bytes
  as different letters (English windows-1252 read as windows-1250 turns every £ into Ł). The
  page is read as windows-1252, windows-1250 and ISO-8859-2 (Central Europe), and the reading
  whose non-ASCII characters sit best in words wins (`word_fit`: letters inside words count for
  it, symbols inside words and letters glued to digits against it); a tie goes to windows-1252,
  the legacy encoding of the English-language web;
- no guess at all: windows-1252 when the bytes decode as it, else None (UTF-8 with replacement
  characters), as Scrapy guesses.

tests/test_encodings.py builds undeclared pages from the text of real pages of the evaluation
corpus, encoded in Shift-JIS, GB2312, windows-1251, ISO-8859-2 and windows-1250, and English and
German pages in windows-1252.
"""

from __future__ import annotations

import codecs
import unicodedata

import charset_normalizer

# the code pages of the Latin family that charset-normalizer confuses with one another
_LATIN = (
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "cp775", "cp850", "cp852", "cp858",
    "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish",
)  # fmt: skip
_LATIN_PREFIXES = ("iso8859_", "cp437", "cp86")
# the readings tried for a Latin-family page, in order of preference on a tie
_WESTERN_CANDIDATES = ("cp1252", "cp1250", "iso8859_2")
# how much of a large page charset-normalizer reads
_SAMPLE = 256 * 1024


def undeclared_encoding(body: bytes) -> str | None:
    """The encoding of `body` (see the module docstring); None when no guess decodes it."""
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # (its default threshold, 0.2, loses real Shift-JIS pages with full-width Latin letters)
    best = charset_normalizer.from_bytes(body[:_SAMPLE], threshold=0.5).best()
    if best is not None and not _latin(best.encoding):
        return best.encoding
    readings = {}
    for encoding in _WESTERN_CANDIDATES:
        try:
            readings[encoding] = body.decode(encoding)
        except UnicodeDecodeError:
            continue
    if not readings:
        return None
    return max(readings, key=lambda e: (word_fit(readings[e]), -_WESTERN_CANDIDATES.index(e)))


def _latin(encoding: str) -> bool:
    name = codecs.lookup(encoding).name.replace("-", "_")
    return name in _LATIN or name.startswith(_LATIN_PREFIXES) or name == "ascii"


def word_fit(text: str) -> int:
    """How well the non-ASCII characters of `text` sit in words: +1 for a letter next to a
    letter, -1 for a symbol between two letters (mojibake: "Sk³adniki") and for a letter glued
    to a digit ("Ł2,000")."""
    score = 0
    for i, char in enumerate(text):
        if char < "\x80":
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if unicodedata.category(char).startswith("L"):
            if before.isdigit() or after.isdigit():
                score -= 1
            elif before.isalpha() or after.isalpha():
                score += 1
        elif before.isalpha() and after.isalpha() and char not in "’'\u00ad":
            score -= 1
    return score
