"""Conditional GET on the fixture server (RFC 9110 §8.8 and §13): validators and 304 answers.

Which answers carry validators: every 200 answer of a GET or HEAD with a non-empty, non-streamed
body of type ``text/*``, RSS or Atom that is answered at once: article pages, comment threads,
listing pages, robots.txt, the feeds, the home, jobs, search and footer pages, the stylesheet.
Never redirects, 404/410, hazard answers (429, 503, 500, the stalled, huge, empty and PDF pages)
or any other status: they are sent as they are, and a conditional request for them is answered
as an unconditional one.

- ``ETag``: strong, a quoted hash of the body bytes, so it changes exactly when the bytes do (a
  page written for proxy mode and the same page on the origin have different ones).
- ``Last-Modified`` (an HTTP-date): on article pages only, `GroundTruth.last_modified`: the
  article's date, or its last edit in a later edition. Listing pages and the others send the
  ETag alone (a listing changes when an article is added, edited or removed, none of which its
  newest article's date tells).

A request is answered ``304 Not Modified`` (with ``ETag`` and, for articles, ``Last-Modified``,
and no body) when its ``If-None-Match`` (every header line of it; ``*``, or a list of entity
tags) matches the ETag by weak comparison (``W/"x"`` matches ``"x"``), or, when it has no
``If-None-Match``, when its single, valid ``If-Modified-Since`` is not earlier than the
page's ``Last-Modified`` (pages without one ignore it). Anything else gets the full answer with
its validators. Pure functions of the answer and the request's fields: safe in any thread.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from .responses import FixtureResponse

VALIDATED_TYPES = ("text/", "application/rss+xml", "application/atom+xml")
_ENTITY_TAG = re.compile(r'(W/)?"([^"]*)"')


def etag(body: bytes) -> str:
    """The strong entity tag of a body: its hash, quoted."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def http_date(ts: datetime) -> str:
    """An IMF-fixdate (``Sun, 06 Nov 1994 08:49:37 GMT``); naive datetimes are UTC."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return format_datetime(ts.astimezone(UTC), usegmt=True)


def parse_http_date(value: str) -> datetime | None:
    """The (aware) datetime of an HTTP-date in any of its three formats, or None if invalid."""
    try:
        ts = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


def validated(response: FixtureResponse) -> bool:
    """Whether the answer carries validators (see the module docstring)."""
    ctype = (response.header("Content-Type") or "").lower()
    return (
        response.status == 200
        and not response.streamed
        and bool(response.body)
        and not response.delay_s
        and ctype.startswith(VALIDATED_TYPES)
    )


def validators(response: FixtureResponse) -> list[tuple[str, str]]:
    """The ``ETag`` (and ``Last-Modified``) headers of a validated answer."""
    assert isinstance(response.body, bytes)
    headers = [("ETag", etag(response.body))]
    if response.last_modified is not None:
        headers.append(("Last-Modified", http_date(response.last_modified)))
    return headers


def none_match(field_lines: Sequence[str], tag: str) -> bool:
    """Whether ``If-None-Match`` (its header lines) matches `tag` (weak comparison): False
    means the condition holds (the page changed), True that a 304 is due."""
    value = ",".join(field_lines).strip()
    if value == "*":
        return True
    opaque = tag.removeprefix("W/")
    return any(m.group(2) == opaque[1:-1] for m in _ENTITY_TAG.finditer(value))


def not_modified_since(field_lines: Sequence[str], last_modified: datetime) -> bool:
    """Whether a 304 is due for ``If-Modified-Since``: one valid HTTP-date, and the page not
    modified after it (HTTP-dates have whole seconds)."""
    if len(field_lines) != 1:
        return False
    since = parse_http_date(field_lines[0])
    if since is None:
        return False
    if last_modified.tzinfo is None:
        last_modified = last_modified.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since


def answer(
    response: FixtureResponse,
    method: str,
    if_none_match: Sequence[str] = (),
    if_modified_since: Sequence[str] = (),
) -> FixtureResponse:
    """`response` with its validators, or the 304 that replaces it, for a request of `method`
    carrying these header lines (see the module docstring)."""
    if method not in ("GET", "HEAD") or not validated(response):
        return response
    headers = validators(response)
    if if_none_match:
        fresh = none_match(if_none_match, headers[0][1])
    elif if_modified_since and response.last_modified is not None:
        fresh = not_modified_since(if_modified_since, response.last_modified)
    else:
        fresh = False
    if fresh:
        return FixtureResponse(304, headers)
    return replace(response, headers=[*response.headers, *headers])
