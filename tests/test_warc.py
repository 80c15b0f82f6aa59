"""WARC capture (crawler/warcfiles.py, crawler/warc.py): real files in tmp_path read back with
warcio (ArchiveIterator and its CLI, ``python -m warcio.cli``: warcio has no ``__main__``), the
middleware fed Scrapy responses, then a real crawl of a loopback server in a subprocess."""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import subprocess
import sys
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from crawler import warcfiles
from crawler.warc import WarcMiddleware
from crawler.warcfiles import Exchange, WarcWriterSet

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
URL = "http://127.0.0.1:8080"
NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


def warcio(*args: object) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "warcio.cli", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def read_all(path: Path) -> list[tuple[int, object, bytes]]:
    """(offset, record, decoded content) of every record of a file."""
    found = []
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            content = record.content_stream().read()
            found.append((it.get_record_offset(), record, content))
    return found


def pointed(directory: Path, pointer) -> tuple:
    """The record a pointer (WarcPointer or dict) points at, checked, and its decoded content."""
    pointer = pointer if isinstance(pointer, dict) else pointer.as_dict()
    with open(directory / pointer["file"], "rb") as fh:
        fh.seek(pointer["offset"])
        record = next(iter(ArchiveIterator(fh)))
        body = record.content_stream().read()
    headers = [record.rec_headers[f"WARC-{n}"] for n in ("Record-ID", "Date", "Payload-Digest")]
    assert headers == [pointer["record_id"], pointer["date"], pointer["payload_digest"]]
    return record, body


def uri(record) -> str:
    return record.rec_headers["WARC-Target-URI"]


def page(path: str, body: bytes = b"<p>hello</p>", status: int = 200, **kw) -> Exchange:
    headers = [("Content-Type", "text/html"), ("Content-Length", str(len(body)))]
    return Exchange(f"{URL}{path}", status, kw.pop("response_headers", headers), body, **kw)


@pytest.fixture
def warcs(tmp_path) -> WarcWriterSet:
    with WarcWriterSet(tmp_path, prefix="police", crawl_id=7, started=START) as writer:
        yield writer


def test_a_fetch_is_a_response_and_its_request_linked(warcs, tmp_path):
    headers = [("User-Agent", "ua/1"), ("Accept", "text/html")]
    pointer = warcs.write(page("/a?b=1#part", request_headers=headers))
    warcs.close()
    assert pointer.file == "police-00007-20250102030405-00000.warc.gz"
    (_, info, fields), (offset, response, body), (_, request, _) = read_all(tmp_path / pointer.file)
    assert (info.rec_type, info.rec_headers["WARC-Filename"]) == ("warcinfo", pointer.file)
    for field in (b"software: police-news-archive/0.1.0", b"robots: obey", b"crawl-id: 7"):
        assert field in fields
    assert (response.rec_type, request.rec_type, offset) == ("response", "request", pointer.offset)
    assert pointed(tmp_path, pointer)[0].rec_headers == response.rec_headers
    assert request.rec_headers["WARC-Concurrent-To"] == pointer.record_id
    assert request.rec_headers["WARC-Date"] == response.rec_headers["WARC-Date"]
    assert uri(request) == uri(response) == f"{URL}/a?b=1"  # no fragment
    assert response.http_headers.statusline == "200 OK" and body == b"<p>hello</p>"
    line = (request.http_headers.protocol, request.http_headers.statusline)
    assert line == ("GET", "/a?b=1 HTTP/1.1")
    assert request.http_headers.headers == [*headers, ("Host", "127.0.0.1:8080")]


def test_a_304_is_a_server_not_modified_revisit(warcs, tmp_path):
    etag = [("ETag", '"v1"')]
    first = warcs.write(page("/e", response_headers=etag))
    earlier = {"uri": f"{URL}/e", "date": first.date, "digest": first.payload_digest}
    known = warcs.write(page("/e", b"", 304, response_headers=etag, revisit_of=earlier))
    unknown = warcs.write(page("/f", b"", 304, response_headers=[]))
    digests = (known.payload_digest, unknown.payload_digest, warcs.revisits)
    assert digests == (first.payload_digest, None, 2)
    revisit, _ = pointed(tmp_path, known)
    assert revisit.rec_type == "revisit" and revisit.http_headers.statusline == "304 Not Modified"
    assert revisit.http_headers.headers == etag
    assert revisit.rec_headers["WARC-Profile"] == NOT_MODIFIED
    assert revisit.rec_headers["WARC-Refers-To-Target-URI"] == f"{URL}/e"
    assert revisit.rec_headers["WARC-Refers-To-Date"] == first.date
    bare, _ = pointed(tmp_path, unknown)
    assert bare.rec_headers["WARC-Profile"] == NOT_MODIFIED
    assert bare.rec_headers["WARC-Refers-To-Date"] is None
    requests = [r for _, r, _ in read_all(tmp_path / known.file) if r.rec_type == "request"]
    linked = [r.rec_headers["WARC-Concurrent-To"] for r in requests[1:]]
    assert linked == [known.record_id, unknown.record_id]


def test_chunked_and_gzip_bodies_read_back_decoded(warcs, tmp_path):
    html = b"<html><body>" + b"<p>news</p>" * 50 + b"</body></html>"
    zipped = gzip.compress(html)
    chunked = warcs.write(page("/c", html, response_headers=[("Transfer-Encoding", "chunked")]))
    coded = [("Content-Encoding", "gzip"), ("Content-Length", str(len(zipped)))]
    gz = warcs.write(page("/g", zipped, response_headers=coded))
    short = [("Content-Length", "8")]
    cut = warcs.write(page("/cut", b"half", response_headers=short, truncated="disconnect"))
    head = warcs.write(page("/h", b"", response_headers=[("Content-Length", "99")], method="HEAD"))
    warcs.close()
    record, body = pointed(tmp_path, chunked)
    assert body == html and record.http_headers["Transfer-Encoding"] is None
    assert record.http_headers["X-Archive-Orig-Transfer-Encoding"] == "chunked"
    record, body = pointed(tmp_path, gz)
    assert body == html and record.http_headers["Content-Encoding"] == "gzip"
    with open(tmp_path / gz.file, "rb") as fh:
        fh.seek(gz.offset)
        assert next(iter(ArchiveIterator(fh))).raw_stream.read() == zipped  # stored as sent
    record, body = pointed(tmp_path, cut)
    assert body == b"half" and record.http_headers["Content-Length"] == "4"
    assert record.http_headers["X-Archive-Orig-Content-Length"] == "8"
    assert record.rec_headers["WARC-Truncated"] == "disconnect"
    record, _ = pointed(tmp_path, head)
    assert record.http_headers.headers == [("Content-Length", "99")]  # HEAD: no body expected
    check = warcio("check", "-v", tmp_path / gz.file)
    assert check.returncode == 0 and "fail" not in check.stdout, check.stdout


def test_files_roll_over_by_size_and_warcio_accepts_them(tmp_path):
    urls = [f"{URL}/p{i}" for i in range(10)]
    with WarcWriterSet(tmp_path, prefix="p", crawl_id=3, max_size=3000, started=START) as writer:
        for url in urls:
            first = writer.write(Exchange(url, 200, [("Content-Type", "text/a")], os.urandom(900)))
            earlier = {"uri": url, "date": first.date, "digest": first.payload_digest}
            writer.write(Exchange(url, 304, revisit_of=earlier))
    files = sorted(tmp_path.glob("*.warc.gz"))
    names = [f"p-00003-20250102030405-{n:05d}.warc.gz" for n in range(len(files))]
    assert [f.name for f in files] == names and writer.files == len(files) > 3
    assert writer.bytes == sum(f.stat().st_size for f in files)
    assert writer.records == 10 * 4 + len(files)
    for path in files:
        (_, info, _), *pairs = read_all(path)
        assert (info.rec_type, info.rec_headers["WARC-Filename"]) == ("warcinfo", path.name)
        assert [r.rec_type for _, r, _ in pairs][1::2] == ["request"] * (len(pairs) // 2)
        assert path.stat().st_size < 3000 + 1500  # full once over max_size, not after
    check = warcio("check", "-v", *files)
    assert check.returncode == 0 and "fail" not in check.stdout, check.stdout + check.stderr
    index = warcio("index", "-f", "warc-type,warc-target-uri,http:status", *files)
    rows = [json.loads(line) for line in index.stdout.splitlines()]
    assert index.returncode == 0 and len(rows) == writer.records, index.stderr
    for url in urls:
        assert {"warc-type": "response", "warc-target-uri": url, "http:status": "200"} in rows
        assert {"warc-type": "revisit", "warc-target-uri": url, "http:status": "304"} in rows


def test_an_existing_file_is_never_appended_to(tmp_path):
    writer = WarcWriterSet(tmp_path, prefix="p", started=START)
    (tmp_path / writer.file_name(0)).write_bytes(b"not mine")
    first = writer.write(page("/1"))
    writer.close()
    second = writer.write(page("/2"))  # after close: a new file, not the old one reopened
    writer.close()
    assert (tmp_path / writer.file_name(0)).read_bytes() == b"not mine"
    assert (first.file, second.file) == (writer.file_name(1), writer.file_name(2))
    assert [r.rec_type for _, r, _ in read_all(tmp_path / second.file)][0] == "warcinfo"


def test_pointers_read_back_even_when_the_last_record_is_cut(warcs, tmp_path):
    """A kill in the middle of the last write: the bytes before it are whole records."""
    bodies = [os.urandom(2000) for _ in range(5)]
    pointers = [warcs.write(page(f"/{i}", body)) for i, body in enumerate(bodies)]
    assert len({p.offset for p in pointers}) == 5 and warcs.records == 11
    warcs.close()
    path = tmp_path / pointers[0].file
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size - 300)
    for i, pointer in enumerate(pointers[:4]):
        record, body = pointed(tmp_path, pointer)
        assert (uri(record), body) == (f"{URL}/{i}", bodies[i])


def test_a_failed_write_cuts_the_file_back_and_moves_on(warcs, tmp_path, monkeypatch):
    first = warcs.write(page("/1"))
    size = (tmp_path / first.file).stat().st_size
    real_write = os.write

    def disk_full(fd, data):
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(warcfiles.os, "write", disk_full)
    with pytest.raises(OSError):
        warcs.write(page("/2"))
    monkeypatch.setattr(warcfiles.os, "write", real_write)
    third = warcs.write(page("/3"))
    assert (tmp_path / first.file).stat().st_size == size  # cut back to its whole records
    assert third.file == warcs.file_name(1)
    assert [r.rec_type for _, r, _ in read_all(tmp_path / first.file)][-1] == "request"


def middleware(tmp_path: Path, **settings) -> WarcMiddleware:
    crawler = get_crawler(settings_dict={"ARCHIVE_DB": str(tmp_path / "police.db"), **settings})
    return WarcMiddleware.from_crawler(crawler)


def test_middleware_settings_and_pointers(tmp_path):
    with pytest.raises(NotConfigured):
        middleware(tmp_path, WARC_ENABLED=False)
    own = middleware(tmp_path, WARC_DIR=str(tmp_path / "w"), WARC_PREFIX="x", WARC_MAX_SIZE=5)
    assert (own.directory, own.prefix, own.max_size) == (tmp_path / "w", "x", 5)
    mw = middleware(tmp_path)  # every response written, the pointer in its meta
    assert (mw.directory, mw.prefix, mw.max_size) == (tmp_path / "warc", "police", 10**9)
    mw.stats.set_value("archive/crawl_id", 4)
    pointers = {}
    for status in (200, 301, 404, 500):
        request = Request(f"{URL}/{status}", meta={"warc": {"stale": 1}})
        assert mw.process_request(request) is None and "warc" not in request.meta
        response = Response(request.url, status=status, body=b"x", protocol="HTTP/1.1")
        assert mw.process_response(request, response) is response
        pointers[status] = request.meta["warc"]
    earlier = {"uri": f"{URL}/200", "date": pointers[200]["date"], "digest": "sha1:AAAA"}
    request = Request(f"{URL}/200", meta={"revisit_of": earlier})
    mw.process_response(request, Response(request.url, status=304))
    mw.spider_closed()
    assert request.meta["warc"]["payload_digest"] == "sha1:AAAA"
    assert set(pointers[200]) == {"file", "offset", "record_id", "date", "payload_digest"}
    path = tmp_path / "warc" / pointers[200]["file"]
    assert re.fullmatch(r"police-00004-\d{14}-00000\.warc\.gz", path.name)
    for status, pointer in pointers.items():
        record, body = pointed(path.parent, pointer)
        assert record.http_headers.get_statuscode() == str(status) and body == b"x"
    stats = mw.stats.get_stats()
    assert (stats["warc/records"], stats["warc/files"], stats["warc/revisits"]) == (11, 1, 1)
    assert stats["warc/bytes"] == path.stat().st_size and "warc/errors" not in stats


def test_a_write_error_is_logged_once_and_counted(tmp_path, caplog):
    (tmp_path / "taken").write_text("a file where the WARC folder should be")
    mw = middleware(tmp_path, WARC_DIR=str(tmp_path / "taken"))
    for path in ("/1", "/2"):
        request = Request(URL + path)
        response = Response(request.url, body=b"x")
        with caplog.at_level(logging.ERROR):
            assert mw.process_response(request, response) is response
        assert "warc" not in request.meta
    assert mw.stats.get_value("warc/errors") == 2
    assert len([r for r in caplog.records if r.levelno == logging.ERROR]) == 1


HTML = b"<html><body><p>%s</p></body></html>"
CHUNKS = [b"<html><body>", b"<p>sent in chunks</p>", b"</body></html>"]
SCRIPT = r"""
import json, sys
import scrapy
from scrapy.crawler import AsyncCrawlerProcess

BASE, WARC_DIR, DB, OUT = sys.argv[1:]


class Capture(scrapy.Spider):
    name = "capture"
    seen = []

    async def start(self):
        self.crawler.stats.set_value("archive/crawl_id", 7)  # as the archive pipeline does
        for path in ["/page.html", "/gzip.html", "/chunked.html", "/old.html", "/missing.html", "/etag.html"]:
            yield scrapy.Request(BASE + path, meta={"handle_httpstatus_list": [404]})
        meta = {"dont_redirect": True, "handle_httpstatus_list": [301]}
        yield scrapy.Request(BASE + "/old.html", meta=meta, dont_filter=True)

    def parse(self, response):
        warc, body = response.meta.get("warc"), response.body.decode("latin-1")
        self.seen.append({"url": response.url, "status": response.status, "body": body, "warc": warc})
        if response.url.endswith("/etag.html") and response.status == 200:
            earlier = {"uri": response.url, "date": warc["date"], "digest": warc["payload_digest"]}
            headers = {"If-None-Match": response.headers["ETag"].decode()}
            meta = {"handle_httpstatus_list": [304], "revisit_of": earlier}
            yield scrapy.Request(response.url, headers=headers, meta=meta, dont_filter=True)

    def closed(self, reason):
        stats = {k: v for k, v in self.crawler.stats.get_stats().items() if k.startswith("warc/")}
        with open(OUT, "w") as f:
            json.dump({"seen": self.seen, "stats": stats}, f)


process = AsyncCrawlerProcess(settings={
    "ARCHIVE_DB": DB, "WARC_DIR": WARC_DIR, "ROBOTSTXT_OBEY": False, "RETRY_ENABLED": False,
    "DOWNLOADER_MIDDLEWARES": {"crawler.warc.WarcMiddleware": 880},
    "TELNETCONSOLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 10, "LOG_LEVEL": "INFO",
})
process.crawl(Capture)
process.start()
"""  # noqa: E501


class Site(BaseHTTPRequestHandler):
    """200 pages (one gzip-encoded, one chunked), a 301, a 404 and a 304 for If-None-Match."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status: int, body: bytes = b"", *headers: tuple[str, str]) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if status != 304 and ("Transfer-Encoding", "chunked") not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.server.seen.append((self.path, [(k.lower(), v) for k, v in self.headers.items()]))
        html, etag = ("Content-Type", "text/html; charset=utf-8"), ("ETag", '"v1"')
        if self.path == "/gzip.html":
            self.reply(200, gzip.compress(HTML % b"zipped"), html, ("Content-Encoding", "gzip"))
        elif self.path == "/chunked.html":
            body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in [*CHUNKS, b""])
            self.reply(200, body, html, ("Transfer-Encoding", "chunked"))
        elif self.path == "/old.html":
            self.reply(301, b"", ("Location", "/target.html"))
        elif self.path == "/missing.html":
            self.reply(404, HTML % b"not here", html)
        elif self.path == "/etag.html" and self.headers["If-None-Match"] == '"v1"':
            self.reply(304, b"", etag)
        else:
            self.reply(200, HTML % self.path.encode(), html, etag)


def test_a_crawl_writes_every_fetch_to_warc(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    script, out, warc_dir = tmp_path / "crawl.py", tmp_path / "out.json", tmp_path / "warc"
    script.write_text(SCRIPT)
    proxies = ("http_proxy", "https_proxy", "no_proxy")
    env = {k: v for k, v in os.environ.items() if k.lower() not in proxies}
    env.update(NO_PROXY="*", PYTHONPATH=str(ROOT))
    try:
        args = [sys.executable, script, base, warc_dir, tmp_path / "police.db", out]
        result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0 and out.exists(), result.stderr[-3000:]
    files = sorted(warc_dir.iterdir())
    assert len(files) == 1 and re.fullmatch(r"police-00007-\d{14}-00000\.warc\.gz", files[0].name)
    check = warcio("check", "-v", *files)
    assert check.returncode == 0 and "fail" not in check.stdout, check.stdout + check.stderr
    records = [r for f in files for _, r, _ in read_all(f)]
    captured = [r for r in records if r.rec_type in ("response", "revisit")]
    requests = [r for r in records if r.rec_type == "request"]
    # every request the server got is a pair of records; request records: the headers it got
    assert sorted(map(uri, captured)) == sorted(base + path for path, _ in server.seen)
    sent = [(uri(r), sorted((k.lower(), v) for k, v in r.http_headers.headers)) for r in requests]
    assert sorted(sent) == sorted((base + path, sorted(got)) for path, got in server.seen)
    report = json.loads(out.read_text())
    seen = report["seen"]
    assert sorted(f"{s['url'].removeprefix(base)} {s['status']}" for s in seen) == [
        *("/chunked.html 200", "/etag.html 200", "/etag.html 304", "/gzip.html 200"),
        *("/missing.html 404", "/old.html 301", "/page.html 200", "/target.html 200"),
    ]
    for s in seen:
        record, body = pointed(warc_dir, pointer := s["warc"])
        assert (uri(record), record.http_headers.get_statuscode()) == (s["url"], str(s["status"]))
        assert body == s["body"].encode("latin-1")  # as the spider saw it, decoded
        if s["url"].endswith("/gzip.html"):
            assert record.http_headers["Content-Encoding"] == "gzip"
        if s["url"].endswith("/chunked.html"):
            assert body == b"".join(CHUNKS) and record.http_headers["Transfer-Encoding"] is None
        if s["status"] == 304:
            first = next(x["warc"] for x in seen if x["url"] == s["url"] and x["status"] == 200)
            assert record.rec_type == "revisit"
            assert record.rec_headers["WARC-Profile"] == NOT_MODIFIED
            assert record.rec_headers["WARC-Refers-To-Date"] == first["date"]
            assert pointer["payload_digest"] == first["payload_digest"]
    size = files[0].stat().st_size
    want = {"warc/records": len(records), "warc/bytes": size, "warc/files": 1, "warc/revisits": 1}
    assert report["stats"] == want
