"""`police-archive check-site URL|FILE`: what the crawler sees on one page.

Reads one page exactly as the crawl does (pages/extract.py `parse_page`, with the crawl's site
profiles) and prints, for an archivist checking a site before crawling it (or after a summary
said its layouts no longer match):

- the site profile and the layout that read the page, or "generic" (and, for a page of a
  profiled site that none of its layouts read, the layouts tried: the site may have changed);
- the page's kind and its fields (title, author, date, standfirst, category, text length...);
- every link found, with its section, its text, its target, and whether the crawl would follow
  it or why not (crawler/follow.py's policy: another site, not worth following, a bound).

A URL is fetched once, with the crawler's User-Agent, through the proxies of the environment,
at most DOWNLOAD_MAXSIZE bytes; a FILE is read as `police-archive extract` reads it.
"""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from pathlib import Path

from archive.records import Article, CommentThread, Listing, NotAnArticle, Page, kind_of
from crawler import settings as crawl_settings
from crawler.boundary import SiteBoundary
from crawler.follow import SEED, FollowPolicy, Step
from pages.extract import parse_page
from pages.pagefiles import PageFileError, page_url, read_page
from pages.profiles import Profiles, profile_for
from pages.shapes import worth_following

_TIMEOUT = 30


@dataclass
class Fetched:
    url: str
    body: bytes
    content_type: str | None


def fetch(url: str) -> Fetched:
    """One GET of `url` with the crawler's User-Agent (raises OSError with the reason)."""
    request = urllib.request.Request(url, headers={"User-Agent": crawl_settings.USER_AGENT})
    with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:  # noqa: S310 - http(s) only
        body = response.read(crawl_settings.DOWNLOAD_MAXSIZE + 1)
        if len(body) > crawl_settings.DOWNLOAD_MAXSIZE:
            raise OSError(f"over {crawl_settings.DOWNLOAD_MAXSIZE} bytes (DOWNLOAD_MAXSIZE)")
        return Fetched(response.geturl(), body, response.headers.get("Content-Type"))


def load(target: str, url: str | None) -> Fetched:
    """The page a URL or FILE names; raises OSError or PageFileError."""
    if target.startswith(("http://", "https://")):
        return fetch(target)
    body = read_page(target)
    return Fetched(url or page_url(body, Path(target)), body, None)


def report(page: Fetched, profiles: Profiles) -> str:
    """What the crawler sees on the page, as text (see the module docstring)."""
    profile = profile_for(page.url, profiles)
    lines = [f"page     {page.url}"]
    site = f"{profile.name} (profile {profile.source})" if profile else "no profile: generic"
    lines.append(f"site     {site}")
    try:
        parsed = parse_page(page.url, page.body, content_type=page.content_type, profiles=profiles)
    except NotAnArticle as exc:
        lines.append(f"result   no record: {exc.reason}{': ' + exc.detail if exc.detail else ''}")
        return "\n".join(lines)
    lines.append(f"kind     {kind_of(parsed)}")
    if parsed.warning:
        lines.append(f"WARNING  {parsed.warning}: {parsed.warning_detail} (read the generic way)")
    lines += _fields(parsed)
    lines += _links(parsed, page.url, profiles)
    return "\n".join(lines)


def _fields(page: Page) -> list[str]:
    if isinstance(page, Article):
        return [
            f"read by  {page.extractor}",
            f"url      {page.url}",
            f"title    {page.title or '(none)'}",
            f"author   {page.author or '(none)'}",
            f"date     {page.published or '(none)'}",
            f"section  {page.category or '(none)'}",
            f"lead     {page.standfirst[:100] or '(none)'}",
            f"text     {len(page.text.split())} words: {page.text[:160]!r}",
            f"comments {'(no count shown)' if page.comment_count is None else page.comment_count}",
            f"paywall  {'yes' if page.paywalled else 'no'}",
        ]
    if isinstance(page, CommentThread):
        first = page.comments[0] if page.comments else None
        return [
            f"article  {page.article_url}",
            f"comments {len(page.comments)}"
            + (f", the first by {first.author or '?'} on {first.posted or '?'}" if first else ""),
        ]
    return [f"url      {page.url}"]


def _links(page: Page, url: str, profiles: Profiles) -> list[str]:
    policy = FollowPolicy(SiteBoundary([url], profiles))
    here = page.url if isinstance(page, Article | Listing) else url
    step = Step(here, SEED)
    followed = {s.url for s in policy.follow(page, step)}
    lines = [f"links    {len(page.links)}"]
    for link in page.links:
        if link.to_url in followed:
            verdict = "follow"
        elif not policy.boundary.allows(link.to_url):
            verdict = "not followed: another site"
        elif not worth_following(link.to_url):
            verdict = "not followed: navigation, tool or filter page"
        else:
            verdict = "not followed: not a section the crawl follows from this kind of page"
        lines.append(f"  {link.section:<14} {verdict:<44} {link.to_url}  {link.anchor[:60]!r}")
    if not page.links:
        lines.append(
            "  none: no In Other News box, More News, pagination or comment link recognised"
        )
    return lines


__all__ = ["PageFileError", "fetch", "load", "report"]
