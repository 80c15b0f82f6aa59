"""Answers of the fixture site: the response type, request counting and the bodies of simple,
error and hazard pages (redirects, 404/410/429/503, the ColdFusion error page, a PDF, a huge
streamed page). No I/O: sample_site/server.py sends them."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from .markups.classic import _nav
from .model import OUTAGE, SITE_NAME

HUGE_BYTES = 12 * 1024 * 1024
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@dataclass
class FixtureResponse:
    """One answer. `body` is bytes, or a callable returning an iterable of byte chunks (streamed;
    the headers then carry its Content-Length). `delay_s`: wait this long before answering.
    `last_modified` (UTC; article pages): what the server sends as ``Last-Modified`` when it
    answers conditional requests (conditional.py)."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | Callable[[], Iterable[bytes]] = b""
    delay_s: float = 0.0
    last_modified: datetime | None = None

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def streamed(self) -> bool:
        return callable(self.body)

    def read(self) -> bytes:
        """The whole body (joins a streamed one)."""
        return b"".join(self.body()) if callable(self.body) else self.body


class AttemptCounter:
    """Thread-safe request counts by key; calling it counts one more and returns the count."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def __call__(self, key: str) -> int:
        with self._lock:
            self._counts[key] += 1
            return self._counts[key]

    def get(self, key: str) -> int:
        with self._lock:
            return self._counts[key]


def encode(text: str, encoding: str) -> bytes:
    codec = "cp1252" if encoding.lower() in ("windows-1252", "cp1252") else encoding
    return text.encode(codec, errors="xmlcharrefreplace")


def html_response(
    text: str,
    *,
    status: int = 200,
    encoding: str = "utf-8",
    header_charset: str | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> FixtureResponse:
    if header_charset:
        ctype = f"text/html; charset={header_charset}"
    elif encoding.lower() == "utf-8":
        ctype = "text/html; charset=utf-8"
    else:
        ctype = "text/html"  # the charset is declared in <meta> only
    return FixtureResponse(status, [("Content-Type", ctype), *headers], encode(text, encoding))


def text_response(text: str, ctype: str = "text/plain; charset=utf-8") -> FixtureResponse:
    return FixtureResponse(200, [("Content-Type", ctype)], text.encode())


def simple_page(title: str, body: str, *, robots: str = "") -> str:
    """A simple page of the site (home, jobs, errors...), with its boilerplate; every markup
    serves these in the same plain layout."""
    meta = f'<meta name="robots" content="{robots}">' if robots else ""
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{escape(title)} | {SITE_NAME}</title>{meta}
</head>
<body>
<div class="outage-banner" role="alert">{OUTAGE}</div>
<header class="site-header"><a href="/" class="logo">{SITE_NAME}</a><nav>{_nav()}</nav></header>
<main id="content">
<h1>{escape(title)}</h1>
{body}
</main>
<footer class="site-footer"><p>&copy; {SITE_NAME}</p>
<ul><li><a href="/terms.cfm">Terms</a></li><li><a href="/privacy.cfm">Privacy</a></li></ul>
</footer>
</body></html>
"""


def redirect(status: int, location: str) -> FixtureResponse:
    body = (
        f"<html><head><title>Object moved</title></head><body><h1>Object Moved</h1>"
        f'This object may be found <a href="{escape(location)}">here</a>.</body></html>'
    )
    return FixtureResponse(
        status,
        [("Location", location), ("Content-Type", "text/html; charset=utf-8")],
        body.encode(),
    )


def not_found(
    status: int = 404,
    message: str = "The page you requested could not be found.",
    headers: Iterable[tuple[str, str]] = (),
) -> FixtureResponse:
    titles = {
        404: "Page not found",
        410: "Article removed",
        429: "Too Many Requests",
        503: "Service Temporarily Unavailable",
    }
    title = titles.get(status, "Error")
    return html_response(
        simple_page(title, f"<p>{escape(message)}</p>"), status=status, headers=headers
    )


def cf_error() -> FixtureResponse:
    body = (
        "<html><head><title>Error Occurred While Processing Request</title></head><body>"
        '<font face="arial"><h2>Error Occurred While Processing Request</h2>'
        "<p>Timed out while waiting to obtain exclusive lock.</p>"
        "<p>The error occurred in D:\\inetpub\\wwwroot\\news\\article.cfm: line 212</p>"
        "</font></body></html>"
    )
    return html_response(body, status=500)


def pdf_response(number: int, title: str) -> FixtureResponse:
    return FixtureResponse(
        200,
        [
            ("Content-Type", "application/pdf"),
            ("Content-Disposition", f'inline; filename="article-{number}.pdf"'),
        ],
        pdf_bytes(title),
    )


def pdf_bytes(title: str) -> bytes:
    """A small, valid one-page PDF."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 16 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def huge_response(canonical: str) -> FixtureResponse:
    """A ~12 MB page of statistics tables, streamed; `canonical` is its absolute URL."""
    head = (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>Recorded crime: full tables | {SITE_NAME}</title>"
        f'<link rel="canonical" href="{canonical}"></head>\n'
        '<body><main id="content"><article class="news-article">'
        '<h1 class="headline">Recorded crime: full tables</h1><table class="stats">\n'
    ).encode()
    row = (
        b"<tr><td>Force area</td><td>Burglary</td><td>1234</td><td>Robbery</td><td>567</td>"
        b"<td>Vehicle crime</td><td>890</td><td>Criminal damage</td><td>4321</td></tr>\n"
    )
    chunk = row * (65536 // len(row))
    tail = b"</table></article></main></body></html>\n"
    count = math.ceil((HUGE_BYTES - len(head) - len(tail)) / len(chunk))
    length = len(head) + count * len(chunk) + len(tail)

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(count):
            yield chunk
        yield tail

    return FixtureResponse(
        200,
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(length))],
        body,
    )
