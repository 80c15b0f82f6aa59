"""The `police-archive` command: bad input gets a one-line message and a non-zero exit."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from police_archive.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_malformed_url_is_refused(tmp_path):
    result = run("crawl", "not a url", "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 2
    assert "not an http(s) URL: 'not a url'" in result.output
    assert not (tmp_path / "a.db").exists()


def test_ftp_url_is_refused(tmp_path):
    result = run("crawl", "ftp://example.localhost/x", "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 2
    assert "not an http(s) URL" in result.output


def test_unknown_option_is_refused(tmp_path):
    result = run("crawl", "http://www.policeoracle.localhost/news/", "--frobnicate")
    assert result.exit_code == 2
    assert "No such option '--frobnicate'" in result.output


def test_bad_setting_syntax_is_refused(tmp_path):
    result = run(
        "crawl",
        "http://www.policeoracle.localhost/news/",
        "--db",
        str(tmp_path / "a.db"),
        "-s",
        "DOWNLOAD_DELAY",
    )
    assert result.exit_code == 2
    assert "expected NAME=VALUE" in result.output


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n")
    result = run("crawl", "http://www.policeoracle.localhost/news/", "--db", str(path))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert len(result.output.strip().splitlines()) == 1
    assert path.read_text() == "shopping list\n"  # left untouched


def test_another_applications_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table invoices (id integer primary key, total real)")
    result = run("crawl", "http://www.policeoracle.localhost/news/", "--db", str(path))
    assert result.exit_code == 1
    assert "invoices" in result.output


def test_unwritable_database_path_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run(
        "crawl", "http://www.policeoracle.localhost/news/", "--db", str(blocker / "sub" / "a.db")
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")


def test_serve_refuses_a_missing_archive(tmp_path):
    result = run("serve", str(tmp_path / "missing.db"))
    assert result.exit_code == 1
    assert "no archive at" in result.output


def test_every_command_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    for name in cli.commands:
        assert f"police-archive {name}" in readme, name


def test_archive_package_never_imports_scrapy_or_the_crawler():
    code = (
        "import sys, archive.records, archive.schema, archive.store\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('scrapy', 'crawler', 'twisted')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("args", [["--help"], ["crawl", "--help"], ["serve", "--help"]])
def test_help(args):
    result = run(*args)
    assert result.exit_code == 0
    assert "Usage: " in result.output


def test_progress_line_counts():
    from crawler.progress import progress_line

    stats = {
        "response_received_count": 120,
        "archive/articles/new": 50,
        "archive/articles/updated": 2,
        "archive/comments/new": 7,
        "archive/fetches/failed": 3,
    }
    line = progress_line(stats, elapsed=60.0)
    assert line == (
        "pages 120 | articles new 50 updated 2 same 0 | comments 7 | failed 3 | 120/min"
    )
    assert len(line) < 80  # one terminal line


def test_summary_lists_failures_by_reason():
    from crawler.report import summary

    stats = {
        "archive/crawl_id": 4,
        "finish_reason": "finished",
        "archive/counted/pages_fetched": 10,
        "archive/counted/reason/http_404": 2,
        "archive/counted/reason/timeout": 5,
    }
    text = summary(stats, "x.db")
    assert text.splitlines()[0] == "Crawl 4 finished (finished) into x.db"
    assert text.index("timeout") < text.index("http_404")  # most frequent first
