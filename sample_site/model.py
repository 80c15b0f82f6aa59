"""The fixture site's data: articles and comments, as every markup renders them.

Markups (sample_site/markups/) are pure functions of these records: the same article has the same
title, author, date, standfirst, paragraphs, bullet list, comments and related links whatever the
markup, so one ground truth (sample_site/truth.py) holds for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

SITE_NAME = "Police Oracle"
OUTAGE = (
    "Service notice: Police Oracle will be unavailable on Sunday between 02:00 and 04:00 "
    "for planned maintenance. We apologise for any inconvenience."
)
COOKIES = (
    "We use cookies to give you the best experience of our website. By continuing to browse "
    "you agree to our use of cookies."
)
SUBSCRIBE = (
    "This article is available to subscribers only. Subscribe today for full access to news, "
    "analysis and the jobs board, or log in if you already have an account."
)

# The kinds of an In Other News link's target (FixtureArticle.related_targets): an article URL
# (possibly of a dead or odd hazard page), a legacy URL that redirects to the article (one hop or
# a chain of two), or a robots-disallowed draft.
LINK_KINDS = ("article", "legacy_story", "legacy_chain", "robots_draft")


@dataclass
class FixtureComment:
    author: str
    posted: datetime
    text: str


@dataclass
class FixtureArticle:
    id: int
    layout: str  # "modern" | "table": the era of the classic markup (other markups ignore it)
    title: str
    author: str  # "" for no byline
    published: datetime
    standfirst: str
    paragraphs: list[str]
    category: str
    bullets: list[str] = field(default_factory=list)  # a list after the second paragraph
    link_sentence: int | None = None  # index of a paragraph that carries an inline link
    paywalled: bool = False
    related: list[str] = field(default_factory=list)  # hrefs of In Other News links (as written)
    related_titles: list[str] = field(default_factory=list)
    comments: list[FixtureComment] = field(default_factory=list)
    encoding: str = "utf-8"  # "windows-1252": declared in <meta> only
    broken: bool = False  # leave tags unclosed, as real old pages do
    # (kind, id) of each In Other News link, in the order of `related` (kinds: LINK_KINDS)
    related_targets: list[tuple[str, int]] = field(default_factory=list)

    @property
    def visible_paragraphs(self) -> list[str]:
        return self.paragraphs[:1] if self.paywalled else self.paragraphs

    def expected_text(self) -> str:
        """The article text the extractor must produce: standfirst, paragraphs, list items."""
        blocks = [self.standfirst] if self.standfirst else []
        for i, para in enumerate(self.visible_paragraphs):
            blocks.append(para)
            if i == 1 and self.bullets and not self.paywalled:
                blocks.extend(self.bullets)
        return "\n\n".join(blocks)
