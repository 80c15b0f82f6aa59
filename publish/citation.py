"""How to cite an archived article: plain text, BibTeX (biblatex ``@online``) and CSL-JSON.

Each names the original URL, the archive's stable URL for its copy, the publication date and
when the archive first and last saw it.

The stable URL is the archive's own route ``/-/article?url=ORIGINAL`` (`publish.reader`), which
redirects to wherever Datasette shows the article: it does not depend on Datasette's encoding of
a row's key in its URL (changed once already, in 0.61), reads as the original URL, and an old
address of the article (`url_aliases`) finds it too.

What goes where: the entry describes the article as published (title, byline, date, the site as
`organization` / `container-title`, the original URL); ``urldate`` / ``accessed`` is the day the
archive last found the original with this text (``last_seen``); the archived copy (its stable
URL, and ``first_seen``, the day it was first archived) is biblatex's ``addendum`` and CSL's
``archive`` / ``archive_location``. Bylines are kept as written (BibTeX names braced, CSL
``literal``): they include agencies and desks, which no name parser splits right; several
names are separated by "; ". Every value is escaped for its format: LaTeX's special characters
in BibTeX (braces as ``\\textbraceleft{}``, so a field's braces always balance), JSON's own
escaping in CSL-JSON, and HTML escaping by the page that shows either.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from publish import dates

# LaTeX's special characters in a BibTeX field (braced: a field's braces must balance, and
# BibTeX counts \{ as a brace too).
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(text: str) -> str:
    """`text` on one line: control characters dropped, whitespace runs made one space."""
    return _SPACE.sub(" ", _CONTROL.sub("", text or "")).strip()


def latex(text: str) -> str:
    """`text` as the value of a BibTeX field (LaTeX's special characters escaped)."""
    return "".join(_LATEX.get(ch, ch) for ch in one_line(text))


# Printable ASCII but for what may not appear raw in a URL and would end or unbalance a BibTeX
# field; % stays (a URL's own percent-escapes).
_URL_SAFE = "".join(chr(c) for c in range(33, 127) if chr(c) not in '{}\\"<>^`|')


def bib_url(url: str) -> str:
    """A URL for a verbatim BibTeX field (``url``): spaces, braces, backslashes and non-ASCII
    characters percent-encoded (none may appear raw in a URL), its own %-escapes kept."""
    return quote(one_line(url), safe=_URL_SAFE)


def latex_url(url: str) -> str:
    r"""A URL for ``\url{}`` inside another field: % and # escaped, as the url package asks of a
    URL in an argument; the URL itself is `bib_url`'s."""
    return bib_url(url).replace("%", r"\%").replace("#", r"\#")


def authors(byline: str) -> list[str]:
    """The names in a byline (several are separated by "; ")."""
    return [name for name in (one_line(n) for n in (byline or "").split(";")) if name]


@dataclass(frozen=True, slots=True)
class Citation:
    """An archived article, cited: `original_url` as published on `site`, and `archive_url`,
    the archive's stable URL for its copy, in the archive named `archive_name`."""

    title: str
    byline: str
    site: str
    published: str | None
    original_url: str
    archive_url: str
    archive_name: str
    first_seen: str
    last_seen: str

    @property
    def key(self) -> str:
        """A BibTeX key: site, year and the title's first word (ASCII letters and digits)."""
        year = (dates.iso_day(self.published) or "")[:4]
        words = re.findall(r"[a-z0-9]+", self.title.lower().encode("ascii", "ignore").decode())
        word = next((w for w in words if len(w) > 3), words[0] if words else "article")
        site = re.sub(r"[^a-z0-9]", "", self.site.lower().encode("ascii", "ignore").decode())
        return f"{site}{year}{word}" or "article"

    def text(self) -> str:
        """Plain text: byline, “title”, site, date. Original URL. Archived ..., archive: URL."""
        names = authors(self.byline)
        head = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        published = dates.readable(self.published, day_only=True)
        title, site = f"“{one_line(self.title)}”", one_line(self.site)
        parts = [p for p in (head, title, site, published) if p]
        first = dates.readable(self.first_seen, day_only=True) or self.first_seen
        last = dates.readable(self.last_seen, day_only=True) or self.last_seen
        seen = f"Archived {first}" + (f" (last checked {last})" if last != first else "")
        return (
            f"{', '.join(parts)}. {one_line(self.original_url)}. "
            f"{seen}, {one_line(self.archive_name)}: {self.archive_url}"
        )

    def bibtex(self) -> str:
        """A biblatex ``@online`` entry."""
        first = dates.iso_day(self.first_seen) or one_line(self.first_seen)
        fields = [
            ("title", latex(self.title)),
            ("author", " and ".join("{" + latex(n) + "}" for n in authors(self.byline))),
            ("date", dates.iso_day(self.published) or ""),
            ("organization", latex(self.site)),
            ("url", bib_url(self.original_url)),
            ("urldate", dates.iso_day(self.last_seen) or ""),
            (
                "addendum",
                f"Archived {first} in {latex(self.archive_name)}: "
                rf"\url{{{latex_url(self.archive_url)}}}",
            ),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        return f"@online{{{self.key},\n{body},\n}}\n"

    def csl(self) -> dict[str, Any]:
        """The CSL-JSON item (an ``article-newspaper``)."""
        item: dict[str, Any] = {"id": self.key, "type": "article-newspaper"}
        item["title"] = one_line(self.title)
        if names := authors(self.byline):
            item["author"] = [{"literal": n} for n in names]
        if site := one_line(self.site):
            item["container-title"] = site
        if issued := _date_parts(self.published):
            item["issued"] = issued
        item["URL"] = one_line(self.original_url)
        if accessed := _date_parts(self.last_seen):
            item["accessed"] = accessed
        item["archive"] = one_line(self.archive_name)
        item["archive_location"] = self.archive_url
        first, last = dates.iso_day(self.first_seen), dates.iso_day(self.last_seen)
        item["note"] = f"First archived {first}; last checked {last}"
        return item

    def csl_json(self) -> str:
        """A CSL-JSON document, a list of one item, one field a line."""
        lines = (f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in
                 self.csl().items())  # fmt: skip
        return "[\n  {\n" + ",\n".join(lines) + "\n  }\n]\n"

    def downloads(self) -> dict[str, str]:
        """``data:`` URLs of the BibTeX entry and the CSL-JSON, to download."""
        return {
            "bibtex": "data:application/x-bibtex;charset=utf-8," + quote(self.bibtex()),
            "csl_json": "data:application/vnd.citationstyles.csl+json;charset=utf-8,"
            + quote(self.csl_json()),
        }


def _date_parts(value: str | None) -> dict[str, list[list[int]]] | None:
    day = dates.iso_day(value)
    if day is None:
        return None
    return {"date-parts": [[int(part) for part in day.split("-")]]}
