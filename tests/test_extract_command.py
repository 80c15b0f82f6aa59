"""`police-archive extract`: saved pages through the crawler's extraction, one JSON line each."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.records import NotAnArticle
from crawler import settings as crawler_settings
from pages import extract as extract_module
from pages.pagefiles import MAX_PAGE_BYTES, extract_file, extract_files, read_page
from police_archive.cli import cli
from tests.hostile_server import CLI, gzip_bomb

GOLDEN = Path(__file__).parent / "golden"
TABLE_URL = "http://www.policeoracle.localhost/news/article.cfm?id=311"

PARAGRAPHS = "".join(
    f"<p>Paragraph {i}: officers from the county force attended the scene on the high street "
    f"and spoke to witnesses about what they had seen that evening near the café.</p>"
    for i in range(6)
)
GENERIC = f"""<html><head><title>Station to close | Anyshire Gazette</title>
<meta property="og:site_name" content="Anyshire Gazette"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Station to close</h1>{PARAGRAPHS}</article>
<footer>Copyright Anyshire Gazette</footer></body></html>"""


def run(*args: str):
    return CliRunner().invoke(cli, ["extract", *args])


def lines(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_golden_page_with_url_takes_the_profile_path():
    path = GOLDEN / "table_article.html"
    result = run(str(path), "--url", TABLE_URL)
    assert result.exit_code == 0, result.output
    [row] = lines(result)
    expected = json.loads((GOLDEN / "table_article.json").read_text())["expected"]
    assert row["file"] == str(path) and row["kind"] == "article"
    assert row["extractor"] == "profile:policeoracle/table"
    for field in ("url", "title", "author", "published", "text", "standfirst", "site"):
        assert row[field] == expected[field], field
    assert row["links"] and all(
        set(link) == {"to_url", "section", "anchor"} for link in row["links"]
    )


def test_without_url_the_page_canonical_link_picks_the_profile():
    [row] = lines(run(str(GOLDEN / "modern_article.html")))
    assert row["extractor"].startswith("profile:policeoracle/")
    assert row["url"] == "http://www.policeoracle.localhost/news/article.cfm?id=1201"


def test_without_url_or_canonical_link_the_generic_fallback_reads_it(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(GENERIC, encoding="utf-8")
    [row] = lines(run(str(path)))
    assert row["extractor"] in ("trafilatura", "readability")
    assert row["url"] == path.resolve().as_uri()
    assert row["title"] == "Station to close"
    assert row["text"].startswith("Paragraph 0: officers")
    assert "Copyright" not in row["text"] and "Home" not in row["text"]


@pytest.mark.parametrize("name", ["page.html.gz", "page.html"])
def test_gzip_file_is_read_by_its_magic_bytes(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress((GOLDEN / "table_article.html").read_bytes()))
    [row] = lines(run(str(path), "--url", TABLE_URL))
    assert row["title"] == "Force fined after custody suite failings"
    assert row["extractor"] == "profile:policeoracle/table"


def test_undeclared_windows_1252(tmp_path):
    html = GENERIC.replace("Station to close", "Chief\u2019s \u201czero tolerance\u201d pledge")
    html = html.replace("high street", "high street (cost \u00a32m \u2013 more)")
    body = html.encode("cp1252")
    assert b"charset" not in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    path = tmp_path / "legacy.html"
    path.write_bytes(body)
    [row] = lines(run(str(path)))
    assert row["title"] == "Chief\u2019s \u201czero tolerance\u201d pledge"
    assert "(cost \u00a32m \u2013 more)" in row["text"] and "caf\u00e9" in row["text"]
    assert "\ufffd" not in row["text"]


def test_undeclared_utf8_stays_utf8(tmp_path):
    path = tmp_path / "utf8.html"
    path.write_bytes(GENERIC.replace("high street", "caf\u00e9 \u2013 \u00a32m").encode("utf-8"))
    [row] = lines(run(str(path)))
    assert "caf\u00e9 \u2013 \u00a32m" in row["text"]


def test_broken_files_get_an_error_line_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.html"
    good.write_text(GENERIC, encoding="utf-8")
    pdf = tmp_path / "report.html"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n%%EOF\n")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    bad_gzip = tmp_path / "cut.html.gz"
    bad_gzip.write_bytes(gzip.compress(GENERIC.encode())[:40])
    no_text = tmp_path / "nav.html"
    no_text.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    missing = tmp_path / "missing.html"
    files = [pdf, good, empty, bad_gzip, missing, no_text, good]

    result = run(*map(str, files))
    assert result.exit_code == 0  # some files gave a record
    rows = lines(result)
    assert [row["file"] for row in rows] == [str(f) for f in files]  # in order, one line each
    errors = {Path(row["file"]).name: row["error"] for row in rows if "error" in row}
    assert errors == {
        "report.html": "not_html",
        "empty.html": "empty_body",
        "cut.html.gz": "unreadable",
        "missing.html": "unreadable",
        "nav.html": "no_text",
    }
    assert rows[1]["title"] == rows[6]["title"] == "Station to close"
    assert all(set(row) == {"file", "error", "detail"} for row in rows if "error" in row)
    assert "bad gzip data" in next(r["detail"] for r in rows if r["file"] == str(bad_gzip))
    # each failure also on stderr, with a count at the end
    assert f"{missing}: unreadable" in result.stderr
    assert result.stderr.strip().endswith("extracted 2 of 7 files")


def test_exit_1_when_every_file_fails(tmp_path):
    result = run(str(tmp_path / "missing.html"))
    assert result.exit_code == 1
    assert lines(result) == [
        {
            "file": str(tmp_path / "missing.html"),
            "error": "unreadable",
            "detail": "No such file or directory",
        }
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [([], "Missing argument 'FILE...'"), (["x.html", "--url", "not a url"], "not an http(s) URL")],
)
def test_usage_errors_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_bug_in_extraction_costs_one_file(tmp_path, monkeypatch):
    good = tmp_path / "good.html"
    good.write_text(GENERIC, encoding="utf-8")
    real = extract_module.parse_page

    def flaky(url, body, **kwargs):
        if b"Boom" in body:
            raise RuntimeError("a bug")
        return real(url, body, **kwargs)

    monkeypatch.setattr(extract_module, "parse_page", flaky)
    boom = tmp_path / "boom.html"
    boom.write_text(GENERIC.replace("Station", "Boom"), encoding="utf-8")
    rows = [extract_file(boom), extract_file(good)]
    assert rows[0]["error"] == "extract_error" and "RuntimeError: a bug" in rows[0]["detail"]
    assert rows[1]["title"] == "Station to close"


def test_output_file(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run(str(GOLDEN / "table_article.html"), "--url", TABLE_URL, "--output", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["author"] == "Mike Carter"


def test_many_files_in_one_process(tmp_path, monkeypatch):
    """Hundreds of pages in one run, all through one parse_page in this process (nothing is
    re-imported or re-launched per file)."""
    real = extract_module.parse_page
    pids = []

    def counting(url, body, **kwargs):
        pids.append(os.getpid())
        return real(url, body, **kwargs)

    monkeypatch.setattr(extract_module, "parse_page", counting)
    golden = sorted(p for p in GOLDEN.glob("*.html"))
    files = []
    for i in range(250):
        source = golden[i % len(golden)]
        path = tmp_path / f"{i:03}-{source.name}"
        path.write_bytes(source.read_bytes())
        files.append(path)
    for i in range(10):  # some pages for the generic fallback too
        path = tmp_path / f"generic-{i}.html"
        path.write_text(GENERIC.replace("Paragraph 0", f"Page {i}"), encoding="utf-8")
        files.append(path)
    result = run(*map(str, files))
    assert result.exit_code == 0, result.stderr
    rows = lines(result)
    assert len(rows) == len(files) == len(pids)
    assert set(pids) == {os.getpid()}
    assert [row["file"] for row in rows] == [str(f) for f in files]
    kinds = {row.get("kind") for row in rows}
    assert {"article", "comments"} <= kinds  # comment threads declare their canonical URL


def test_a_process_pool_gives_the_same_lines_in_the_same_order(tmp_path):
    files = sorted(str(p) for p in GOLDEN.glob("*.html"))[:8] + [str(tmp_path / "missing.html")]
    one = list(extract_files([(f, None) for f in files]))
    two = list(extract_files([(f, None) for f in files], workers=2))
    assert one == two


def test_read_page_leaves_plain_html_alone():
    path = GOLDEN / "table_article.html"
    assert read_page(path) == path.read_bytes()


def test_help_documents_the_url_rule_and_exit_status():
    result = CliRunner().invoke(cli, ["extract", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "canonical link or og:url" in text and "file: URI" in text
    assert "0 when at least one file gave a record, 1 when every file failed, 2" in text


def test_the_size_cap_is_the_crawlers():
    assert MAX_PAGE_BYTES == crawler_settings.DOWNLOAD_MAXSIZE


@pytest.mark.parametrize("packed", [False, True])
def test_read_page_stops_at_the_cap(tmp_path, packed):
    path = tmp_path / "page.html"

    def write(data: bytes) -> None:
        path.write_bytes(gzip.compress(data) if packed else data)

    write(b"x" * 1000)
    assert read_page(path, max_size=1000) == b"x" * 1000
    write(b"x" * 1001)
    with pytest.raises(NotAnArticle) as info:
        read_page(path, max_size=1000)
    assert info.value.reason == "too_large"
    assert read_page(path, max_size=0) == b"x" * 1001  # 0: no cap


def test_a_gzip_file_of_several_members_is_read_whole(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(b"<html><p>one</p>") + gzip.compress(b"<p>two</p></html>"))
    assert read_page(path) == b"<html><p>one</p><p>two</p></html>"


def test_a_page_over_the_cap_is_too_large_as_in_the_crawler(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("wb") as file:
        file.write(b"<html><body>")
        for _ in range(MAX_PAGE_BYTES // 1000 + 1):
            file.write(b"<p>" + b"x" * 993 + b"</p>\n")
    result = run(str(path))
    assert result.exit_code == 1
    assert [(row["file"], row["error"]) for row in lines(result)] == [(str(path), "too_large")]


# Runs a command and prints its time and the peak memory (RSS) of it and its children: the only
# child of this fresh interpreter is the command, so RUSAGE_CHILDREN is the command's own. A
# command still running after 60 s is killed (and reported as such).
MEASURE = """
import json, resource, subprocess, sys, time
start = time.monotonic()
try:
    result = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=60)
    status, stdout = result.returncode, result.stdout
except subprocess.TimeoutExpired:
    status, stdout = "killed after 60 s", ""
print(json.dumps({
    "seconds": time.monotonic() - start,
    "status": status,
    "stdout": stdout,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def test_a_gzip_bomb_is_refused_at_the_cap_fast_and_in_little_memory(tmp_path):
    """2.5 MB of gzip that unpacks to 1 GiB of HTML (it took 13.5 s and 2.1 GB before it was
    refused)."""
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip_bomb(1 << 30, fill=b"<p>Officers attended.</p>      \n"))
    assert bomb.stat().st_size < 4 << 20
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE, CLI, "extract", str(bomb)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(measured.stdout)
    assert report["peak_rss_mib"] < 300, report  # the interpreter and extraction stack: ~100
    assert report["seconds"] < 8, report  # mostly the interpreter starting
    [row] = [json.loads(line) for line in report["stdout"].splitlines()]
    assert (row["file"], row["error"], report["status"]) == (str(bomb), "too_large", 1)


SHORT_ITEM = (
    "<html><head><title>Road closed after crash</title></head><body>"
    "<h1>Road closed after crash</h1><div>"
    "<p>The A12 was closed in both directions on Tuesday morning after a lorry overturned near "
    "the junction, and officers asked drivers to avoid the area while the road was cleared. "
    "Nobody was seriously hurt, the force said, and the road reopened in the afternoon after "
    "recovery teams moved the lorry and its load of timber from the carriageway.</p>"
    "<p>Witnesses who saw the crash, or drivers with dashcam footage of the lorry before it "
    "overturned, are asked to contact the force quoting the incident number given above.</p></div>"
    "<ul>"
    + "".join(f'<li><a href="/travel/item-{i}">Travel update number {i} for the county</a></li>'
              for i in range(12))
    + '</ul><p><a href="/news/road-closed?page=2">Next page</a></p></body></html>'
)  # fmt: skip


def test_files_are_read_as_articles_unless_told_otherwise(tmp_path):
    """A short news item with a list of links and pagination: an article by default (`--as
    article`, as the crawler reads a page an article link led to), a listing with `--as auto`
    (nobody says what it is, as a crawl's seed)."""
    path = tmp_path / "item.html"
    path.write_text(SHORT_ITEM, encoding="utf-8")
    url = "https://news.example/news/road-closed"
    [row] = lines(run(str(path), "--url", url))
    assert row["kind"] == "article" and "lorry overturned" in row["text"]
    [auto] = lines(run(str(path), "--url", url, "--as", "auto"))
    assert auto["kind"] == "listing"
    assert run(str(path), "--as", "neither").exit_code == 2
