"""WARC files of a crawl: each fetch's request and response appended whole, rolled over by size.

Scrapy-free: crawler/warc.py turns each Scrapy request and response into an `Exchange` and hands it
to a `WarcWriterSet`, which writes it with warcio (ISO 28500, WARC/1.1 by default, one gzip member
per record) and returns a `WarcPointer` to the response (or revisit) record.

Files: ``{prefix}-{crawl_id:05d}-{start:%Y%m%d%H%M%S}-{serial:05d}.warc.gz`` in one directory
(created when the first file is), opened lazily, each starting with a ``warcinfo`` record. A file
is never appended to once closed, nor if it existed already: it is created with ``O_EXCL``, and a
name taken goes to the next serial. Once a file holds ``max_size`` bytes or more (0: no limit),
the next pair goes to the next serial; a pair larger than ``max_size`` is written whole anyway.

Why a process killed at any moment leaves only whole records: each pair (the response first,
then its request) is serialised into memory, then appended with one ``os.write`` on an
``O_APPEND`` descriptor (repeated only after a short write). Nothing is buffered in the process,
so SIGKILL after that call loses nothing (the kernel has the bytes), and SIGKILL before or during
it loses at most that pair, cut at the end of the file, which readers of the earlier records never
reach. A failed write (disk full, I/O error) cuts the file back to its last whole record and
closes it; the next pair opens the next serial (a file that got no record is removed instead).
No fsync: a power cut can still lose what the kernel had not written.

What the records hold, and where it is not byte-for-byte what went over the wire:

- ``request``: ``METHOD path?query HTTP/1.1``, the given headers, a ``Host`` header when they
  have none and a ``Content-Length`` for a body (or a POST/PUT without one), as an HTTP/1.1
  client adds them; ``Proxy-Authorization`` is left out (a credential for the proxy, not part of
  the exchange with the site). Linked to its response by ``WARC-Concurrent-To``, with the same
  ``WARC-Target-URI`` (the URL without its fragment) and ``WARC-Date``.
- ``response``: the status line, the headers and the body as given (still content-coded: a
  gzip body is stored gzipped with its ``Content-Encoding``, and warcio's ``content_stream()``
  decodes it). The body has no transfer coding left, so the headers must not claim one: a
  ``Transfer-Encoding`` header is kept as ``X-Archive-Orig-Transfer-Encoding`` (the convention
  of pywb and the Wayback Machine; warcio would otherwise try to de-chunk the body), and a
  ``Content-Length`` that differs from the body's length (a body cut short) is kept as
  ``X-Archive-Orig-Content-Length`` beside a true one; neither applies to a HEAD request nor to
  1xx, 204 and 304 responses, which have no body. A body cut short is also marked with
  ``WARC-Truncated``. Digests: ``WARC-Block-Digest`` and ``WARC-Payload-Digest`` (sha1, base32).
- ``revisit`` (for a 304): the 304's status line and headers, profile ``server-not-modified``,
  and, with ``revisit_of`` (the earlier capture: ``uri``, ``date``, ``digest`` and optionally
  ``record_id``), ``WARC-Refers-To-Target-URI``, ``WARC-Refers-To-Date``, ``WARC-Payload-Digest``
  (and ``WARC-Refers-To``).

Counters (read by the middleware for its stats): `records` (warcinfo included), `bytes` (of the
files), `files` (started) and `revisits`. Not thread-safe: Scrapy calls it from one thread.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)

DISTRIBUTION = "police-news-archive"  # the software named in each warcinfo record
NOT_MODIFIED_PROFILE = {
    "WARC/1.0": "http://netpreserve.org/warc/1.0/revisit/server-not-modified",
    "WARC/1.1": "http://netpreserve.org/warc/1.1/revisit/server-not-modified",
}
CONFORMS_TO = {
    "WARC/1.0": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
    "WARC/1.1": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
}
DEFAULT_PORTS = {"http": 80, "https": 443}

Headers = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class WarcPointer:
    """Where a fetch's response (or revisit) record is: `file` (its name in the directory),
    `offset` (of the record's gzip member), its ``WARC-Record-ID``, ``WARC-Date`` and
    ``WARC-Payload-Digest`` ("sha1:BASE32"; for a revisit, the earlier capture's, if known)."""

    file: str
    offset: int
    record_id: str
    date: str
    payload_digest: str | None

    def as_dict(self) -> dict[str, Any]:
        # not dataclasses.asdict: it deep-copies every value, for every response of a crawl
        return {f: getattr(self, f) for f in _POINTER_FIELDS}


_POINTER_FIELDS = tuple(f.name for f in fields(WarcPointer))


@dataclass(frozen=True)
class Exchange:
    """One fetch as the client sent and received it (headers as (name, value) pairs, in order,
    a name repeated for each value; the body without transfer coding)."""

    url: str
    status: int
    response_headers: Headers = ()
    body: bytes = b""
    method: str = "GET"
    request_headers: Headers = ()
    request_body: bytes = b""
    protocol: str = "HTTP/1.1"  # of the response's status line
    ip_address: str | None = None  # WARC-IP-Address
    truncated: str | None = None  # WARC-Truncated: "length", "time", "disconnect", "unspecified"
    revisit_of: Mapping[str, str] | None = None  # for a 304: uri, date, digest[, record_id]


def software() -> str:
    try:
        return f"{DISTRIBUTION}/{version(DISTRIBUTION)}"
    except PackageNotFoundError:  # run from a checkout that was never installed
        return DISTRIBUTION


def target_uri(url: str) -> str:
    return urldefrag(url)[0]


def host_header(url: str) -> str:
    """The Host header an HTTP client sends for `url` (the port only when not the default)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    if parts.port is None or parts.port == DEFAULT_PORTS.get(parts.scheme):
        return host
    return f"{host}:{parts.port}"


def request_target(url: str) -> str:
    """The request line's target: the path (at least "/") and the query."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def has_body(exchange: Exchange) -> bool:
    """Whether the response can have a body (RFC 9110 6.4.1)."""
    status = exchange.status
    return exchange.method.upper() != "HEAD" and not (status < 200 or status in (204, 304))


def request_http_headers(exchange: Exchange) -> StatusAndHeaders:
    headers = [(n, v) for n, v in exchange.request_headers if n.lower() != "proxy-authorization"]
    names = {name.lower() for name, _ in headers}
    framing = []
    body = exchange.request_body
    if (body or exchange.method.upper() in ("POST", "PUT")) and "content-length" not in names:
        framing.append(("Content-Length", str(len(body))))
    if "host" not in names:
        headers.append(("Host", host_header(exchange.url)))
    line = f"{exchange.method} {request_target(exchange.url)} HTTP/1.1"
    return StatusAndHeaders(line, framing + headers, is_http_request=True)


def response_http_headers(exchange: Exchange) -> StatusAndHeaders:
    """The response's headers, but none claiming a framing the stored body has not."""
    headers: list[tuple[str, str]] = []
    length = str(len(exchange.body))
    wrong_length = False
    for name, value in exchange.response_headers:
        lower = name.lower()
        if lower == "transfer-encoding":
            headers.append(("X-Archive-Orig-Transfer-Encoding", value))
        elif lower == "content-length" and has_body(exchange) and value.strip() != length:
            headers.append(("X-Archive-Orig-Content-Length", value))
            wrong_length = True
        else:
            headers.append((name, value))
    if wrong_length:
        headers.append(("Content-Length", length))
    protocol = exchange.protocol if exchange.protocol.startswith("HTTP/") else "HTTP/1.1"
    return StatusAndHeaders(status_line(exchange.status), headers, protocol=protocol)


class WarcWriterSet:
    """The WARC files of one crawl in `directory` (see the module docstring)."""

    def __init__(
        self,
        directory: str | Path,
        *,
        prefix: str = "crawl",
        crawl_id: int = 0,
        max_size: int = 1_000_000_000,
        started: datetime | None = None,
        robots: str = "obey",
        info: Mapping[str, str] | None = None,
        warc_version: str = "1.1",
    ):
        self.directory = Path(directory)
        self.prefix = prefix
        self.crawl_id = crawl_id
        self.max_size = max_size
        self.started = (started or datetime.now(UTC)).astimezone(UTC)
        self.robots = robots
        self.info = dict(info or {})
        self.warc_version = f"WARC/{warc_version.removeprefix('WARC/')}"
        if self.warc_version not in NOT_MODIFIED_PROFILE:
            raise ValueError(f"unsupported WARC version {warc_version!r}")
        self.records = 0  # records written, warcinfo included
        self.bytes = 0  # bytes written to the files
        self.files = 0  # files started (each with its warcinfo record)
        self.revisits = 0
        self._warcio: WARCWriter | None = None  # one, pointed at each record's buffer in turn
        self.serial = 0  # of the current file, or of the next one to open
        self.name: str | None = None  # of the current file
        self._fd: int | None = None
        self._size = 0

    def file_name(self, serial: int) -> str:
        stamp = self.started.strftime("%Y%m%d%H%M%S")
        return f"{self.prefix}-{self.crawl_id:05d}-{stamp}-{serial:05d}.warc.gz"

    @property
    def path(self) -> Path | None:
        """The file being written, if one is open."""
        return self.directory / self.name if self.name else None

    def write(self, exchange: Exchange) -> WarcPointer:
        """Append the fetch's request and response (or revisit) records as one write; the
        pointer is to the response (or revisit) record. OSError when the write failed."""
        data, record = self._serialise(exchange)
        if self._fd is not None and 0 < self.max_size <= self._size:
            self.close()
            self.serial += 1
        if self._fd is None:
            self._open()
        assert self.name is not None
        offset = self._append(data)
        self.records += 2
        if record.rec_type == "revisit":
            self.revisits += 1
        headers = record.rec_headers
        return WarcPointer(
            file=self.name,
            offset=offset,
            record_id=headers.get_header("WARC-Record-ID"),
            date=headers.get_header("WARC-Date"),
            payload_digest=headers.get_header("WARC-Payload-Digest"),
        )

    def close(self) -> None:
        """Close the current file, if any; a later `write` starts the next one."""
        if self._fd is not None:
            fd, self._fd, self.name = self._fd, None, None
            os.close(fd)

    def __enter__(self) -> WarcWriterSet:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _writer(self, out: io.BytesIO) -> WARCWriter:
        if self._warcio is None:  # (creating one asks the system for the host name)
            self._warcio = WARCWriter(out, gzip=True, warc_version=self.warc_version)
        self._warcio.out = out
        return self._warcio

    def _serialise(self, exchange: Exchange) -> tuple[bytes, Any]:
        out = io.BytesIO()
        writer = self._writer(out)
        uri = target_uri(exchange.url)
        if exchange.status == 304:
            record = writer.create_warc_record(
                uri, "revisit", http_headers=response_http_headers(exchange)
            )
            add = record.rec_headers.add_header
            add("WARC-Profile", NOT_MODIFIED_PROFILE[self.warc_version])
            earlier = exchange.revisit_of or {}
            if earlier.get("record_id"):
                add("WARC-Refers-To", earlier["record_id"])
            if earlier.get("uri"):
                add("WARC-Refers-To-Target-URI", target_uri(earlier["uri"]))
            if earlier.get("date"):
                add("WARC-Refers-To-Date", earlier["date"])
            if earlier.get("digest"):
                add("WARC-Payload-Digest", earlier["digest"])
        else:
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(exchange.body),
                length=len(exchange.body),
                http_headers=response_http_headers(exchange),
            )
            if exchange.truncated:
                record.rec_headers.add_header("WARC-Truncated", exchange.truncated)
        if exchange.ip_address:
            record.rec_headers.add_header("WARC-IP-Address", exchange.ip_address)
        request = writer.create_warc_record(
            uri,
            "request",
            payload=io.BytesIO(exchange.request_body),
            length=len(exchange.request_body),
            http_headers=request_http_headers(exchange),
        )
        writer.write_request_response_pair(request, record)  # the response first
        return out.getvalue(), record

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC
        while True:
            name = self.file_name(self.serial)
            try:
                fd = os.open(self.directory / name, flags, 0o644)
            except FileExistsError:  # never append to a file that exists
                self.serial += 1
                continue
            break
        self._fd, self.name, self._size = fd, name, 0
        info = {
            "software": software(),
            "format": f"WARC File Format {self.warc_version.removeprefix('WARC/')}",
            "conformsTo": CONFORMS_TO[self.warc_version],
            "isPartOf": f"{self.prefix}-crawl-{self.crawl_id}",
            "crawl-id": str(self.crawl_id),
            "robots": self.robots,
            **self.info,
        }
        out = io.BytesIO()
        writer = self._writer(out)
        writer.write_record(writer.create_warcinfo_record(name, info))
        self._append(out.getvalue())
        self.records += 1
        self.files += 1
        logger.debug("Writing WARC file %s", self.directory / name)

    def _append(self, data: bytes) -> int:
        """Append `data` to the current file; its offset. A failed write cuts the file back to
        what it held before, closes it and moves on to the next serial."""
        assert self._fd is not None
        offset = self._size
        view = memoryview(data)
        written = 0
        try:
            while written < len(data):
                written += os.write(self._fd, view[written:])
        except OSError:
            self._abandon(offset)
            raise
        self._size += len(data)
        self.bytes += len(data)
        return offset

    def _abandon(self, whole: int) -> None:
        """After a failed write: cut the file to its `whole` bytes, close it, never reopen it."""
        assert self._fd is not None and self.path is not None
        path = self.path
        with contextlib.suppress(OSError):  # if not cut, what follows is a cut record: the end
            os.ftruncate(self._fd, whole)
        self.close()
        if whole == 0:  # not even its warcinfo record: the file goes, the serial is reused
            try:
                path.unlink()
            except OSError:
                self.serial += 1
        else:
            self.serial += 1
