"""Publishing without a server: the search-box syntax, e-mail masking, snapshots, exports, and the
`police-archive serve / publish / export` commands."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.schema import ArchiveError
from archive.tables import TABLES_BY_NAME
from police_archive.cli import cli
from publish.app import CANNED_QUERIES
from publish.copies import (
    EMAIL_MASK,
    EXPORTABLE,
    SnapshotReport,
    export_rows,
    mask_emails,
    snapshot,
)
from publish.search import fts_query
from tests.published_archive import BURGLAR, JOHN_EMAIL, LiveWriter, build_archive

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("publish") / "police.db")


# --- the search box ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "fts5"),
    [
        ("burglar", '"burglar"'),
        ("burglar*", '"burglar"*'),
        ('"knife crime"', '"knife crime"'),
        ('"knife crime"*', '"knife crime"*'),
        ('"unbalanced phrase', '"unbalanced phrase"'),
        ("knife OR gun", '"knife" OR "gun"'),
        ("knife or gun", '"knife" AND "or" AND "gun"'),  # operators are in capitals
        ("knife -crime", '"knife" NOT "crime"'),
        ("knife NOT crime", '"knife" NOT "crime"'),
        ("a OR b -c", '("a" OR "b") NOT "c"'),
        ("O'Brien co-operation", '"O\'Brien" AND "co-operation"'),
        ("-crime", '""'),  # nothing wanted: nothing found
        ("OR AND", '""'),
        ("( ) * - !!", '""'),
        ("", '""'),
        ("“smart quotes”", '"smart quotes"'),
    ],
)
def test_fts_query(typed, fts5):
    assert fts_query(typed) == fts5


@pytest.fixture(scope="module")
def fts_db():
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(title, text, tokenize='porter')")
    conn.execute("insert into t values ('Burglar jailed', 'burglaries fell; O''Brien said')")
    yield conn
    conn.close()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_anything_typed_is_valid_fts5(fts_db, typed):
    fts_db.execute("select count(*) from t where t match ?", (fts_query(typed),)).fetchone()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["burglar", "jailed", "O'Brien", "fell"]), min_size=1))
def test_words_that_are_there_are_found(fts_db, words):
    query = fts_query(" ".join(words))
    assert fts_db.execute("select count(*) from t where t match ?", (query,)).fetchone() == (1,)


# --- e-mail addresses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("write to john.doe@example.com today", f"write to {EMAIL_MASK} today"),
        ("J.Smith@met.police.uk.", f"{EMAIL_MASK}."),
        ("jane [at] example [dot] org", EMAIL_MASK),
        ("jane(at)example.co.uk", EMAIL_MASK),
        ("two: a@b.org, c@d.net", f"two: {EMAIL_MASK}, {EMAIL_MASK}"),
        ("meet at the station", "meet at the station"),
        ("@PoliceFed on Twitter", "@PoliceFed on Twitter"),
        ("", ""),
        (None, None),
        # obfuscations masked all along
        ("name (at) host (dot) co (dot) uk", EMAIL_MASK),
        ("name [ at ] host [ dot ] org", EMAIL_MASK),
        ("name[at]host.com", EMAIL_MASK),
        ("o'brien-smith+news@force.police.uk", EMAIL_MASK),
    ],
)
def test_mask_emails(text, masked):
    assert mask_emails(text) == masked


# Addresses that escaped masking before.
OBFUSCATED = [
    "name at host dot com",
    "name AT host DOT com",
    "john.smith at met dot police dot uk",
    "name {at} host {dot} com",
    "name <at> host <dot> net",
    "name @ host.com",
    "name@ host . com",
    "name@host dot co dot uk",
    "name＠host.com",  # full-width at sign (U+FF20)
    "name ＠ host．org",  # and full-width full stop (U+FF0E)
    "name﹫host.co.uk",  # small at sign (U+FE6B)
]


@pytest.mark.parametrize("address", OBFUSCATED)
def test_mask_obfuscated_emails(address):
    assert mask_emails(f"Contact {address} today.") == f"Contact {EMAIL_MASK} today."
    assert mask_emails(f"({address})") == f"({EMAIL_MASK})"


# A guard rather than a test of the change: ordinary sentences were never masked, and must not be.
@pytest.mark.parametrize(
    "prose",
    [
        "we met at home",
        "we met at home dot com",
        "meet at the station dot com",
        "meet at the station",
        "the boom at the dot com",
        "visit us at example.com for the details",  # a web address, not an e-mail address
        "details at www.police.uk.",
        "arrived at 10 dot 30",
        "ring at 10.30 please",
        "look at them dot by dot",
        "Thanks @PoliceFed.",
        "@PoliceFed on Twitter",
        "good at maths dot dot dot",
        "see you at least once",
        "a " * 5000 + "at",  # and quickly
    ],
)
def test_mask_emails_leaves_prose_alone(prose):
    assert mask_emails(prose) == prose


def test_mask_emails_is_linear():
    import time

    for text in ("a" * 200_000, "a." * 100_000, "a @" * 50_000, "x at y dot " * 20_000):
        started = time.monotonic()
        mask_emails(text)
        assert time.monotonic() - started < 1, text[:20]


# --- snapshots ---------------------------------------------------------------------------------


def test_snapshot_masks_emails_and_is_served_ready(archive_path, tmp_path):
    report = snapshot(archive_path, tmp_path / "public.db")
    assert isinstance(report, SnapshotReport)
    assert (report.articles, report.comments, report.emails_masked) == (5, 4, 2)
    conn = sqlite3.connect(tmp_path / "public.db")
    assert conn.execute("pragma journal_mode").fetchone() == ("delete",)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    conn.execute("insert into comments_fts (comments_fts) values ('integrity-check')")
    texts = [r[0] for r in conn.execute("select author || ' ' || text from comments")]
    assert not any("@" in t or "[at]" in t for t in texts)
    assert sum(EMAIL_MASK in t for t in texts) == 2
    # the search index follows: the address is not searchable any more
    found = conn.execute("select count(*) from comments_fts where comments_fts match 'example'")
    assert found.fetchone() == (0,)
    # articles untouched, and the snapshot is still an archive
    assert conn.execute("select count(*) from articles").fetchone() == (5,)
    assert (conn.execute("pragma user_version").fetchone()[0]) >= 1
    conn.close()
    assert not Path(f"{tmp_path / 'public.db'}-wal").exists()


def test_snapshot_masks_obfuscated_addresses(tmp_path):
    from archive.records import Comment, CommentThread
    from archive.store import Archive
    from tests.published_archive import CAMERAS

    path = build_archive(tmp_path / "police.db")
    texts = [f"Mail {address} please." for address in OBFUSCATED[:5] + OBFUSCATED[-3:]]
    texts.append("We met at the station dot com.")
    with Archive.open(path) as archive:
        crawl = archive.start_crawl(seeds=[], settings={})
        comments = tuple(Comment(f"Reader {i}", "2024-01-01", t) for i, t in enumerate(texts))
        archive.save_comments(CommentThread(CAMERAS, comments, fetched_url=CAMERAS), crawl_id=crawl)
        archive.finish_crawl(crawl, finish_reason="finished", counts={}, stats={})
    report = snapshot(path, tmp_path / "public.db")
    assert report.emails_masked == 2 + len(texts) - 1
    conn = sqlite3.connect(tmp_path / "public.db")
    sql = "select text from comments where article_url = ? order by position"
    masked = [r[0] for r in conn.execute(sql, (CAMERAS,))]
    conn.close()
    assert masked == [f"Mail {EMAIL_MASK} please."] * (len(texts) - 1) + [texts[-1]]


def test_snapshot_can_keep_emails(archive_path, tmp_path):
    report = snapshot(archive_path, tmp_path / "private.db", keep_emails=True)
    assert report.emails_masked == 0
    conn = sqlite3.connect(tmp_path / "private.db")
    assert conn.execute("select count(*) from comments where text like ?", (f"%{JOHN_EMAIL}%",))
    conn.close()


def test_snapshot_refuses_to_overwrite(archive_path, tmp_path):
    dest = tmp_path / "public.db"
    dest.write_text("important")
    with pytest.raises(ArchiveError, match="exists"):
        snapshot(archive_path, dest)
    assert dest.read_text() == "important"
    with pytest.raises(ArchiveError, match="overwrite the archive itself"):
        snapshot(archive_path, archive_path, overwrite=True)
    snapshot(archive_path, dest, overwrite=True)
    assert dest.read_bytes().startswith(b"SQLite format 3\x00")


def test_snapshot_refuses_what_is_not_an_archive(tmp_path):
    notes = tmp_path / "notes.db"
    with sqlite3.connect(notes) as conn:
        conn.execute("create table notes (x)")
    with pytest.raises(ArchiveError, match="not an archive"):
        snapshot(notes, tmp_path / "out.db")
    assert not (tmp_path / "out.db").exists()


def test_snapshot_while_a_crawl_writes(tmp_path):
    """VACUUM INTO copies the committed state: a consistent archive, whatever the writer does."""
    path = build_archive(tmp_path / "live.db")
    with LiveWriter(
        path, first_id=70000, limit=2000, text="text " * 200, batch_size=3, batch_seconds=0.01
    ) as writer:
        reports = [snapshot(path, tmp_path / f"snap{i}.db") for i in range(3)]
    assert not writer.errors, writer.errors
    counts = [r.articles for r in reports]
    assert counts == sorted(counts) and counts[0] >= 5
    for report in reports:
        conn = sqlite3.connect(report.path)
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        conn.execute("insert into articles_fts (articles_fts) values ('integrity-check')")
        fts = conn.execute("select count(*) from articles_fts where articles_fts match 'text'")
        assert fts.fetchone()[0] == report.articles - 5  # the index matches the rows
        conn.close()


# --- exports -----------------------------------------------------------------------------------


@pytest.mark.parametrize("table", EXPORTABLE)
def test_every_table_exports(archive_path, table):
    rows = list(export_rows(archive_path, table))
    assert rows, table
    assert list(rows[0]) == list(TABLES_BY_NAME[table].column_names)


def test_export_masks_commenters_emails(archive_path):
    masked = [r["text"] + r["author"] for r in export_rows(archive_path, "comments")]
    assert not any("@" in t or "[at]" in t for t in masked)
    kept = [r["text"] for r in export_rows(archive_path, "comments", keep_emails=True)]
    assert any(JOHN_EMAIL in t for t in kept)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_export_command_jsonl_and_csv(archive_path, tmp_path):
    result = run("export", str(archive_path), "--format", "jsonl")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 5 and {r["url"] for r in lines} >= {BURGLAR}
    out = tmp_path / "comments.csv"
    result = run("export", str(archive_path), "--table", "comments", "--format", "csv", "-o",
                 str(out))  # fmt: skip
    assert result.exit_code == 0
    assert "Exported 4 rows of comments" in result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 4 and JOHN_EMAIL not in out.read_text()
    assert list(rows[0]) == list(TABLES_BY_NAME["comments"].column_names)


def test_export_command_refuses_bad_input(archive_path, tmp_path):
    result = CliRunner().invoke(cli, ["export", str(archive_path), "--table", "articles_fts"])
    assert result.exit_code == 2
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "missing.db")])
    assert result.exit_code == 1 and "no archive at" in result.output


def test_publish_command(archive_path, tmp_path):
    out = tmp_path / "public.db"
    result = run("publish", str(archive_path), str(out))
    assert result.exit_code == 0
    assert "5 articles, 4 comments, e-mail addresses masked in 2 comments" in result.output
    again = CliRunner().invoke(cli, ["publish", str(archive_path), str(out)])
    assert again.exit_code == 1 and "--overwrite" in again.output
    kept = run("publish", str(archive_path), str(out), "--overwrite", "--keep-emails")
    assert kept.exit_code == 0 and "e-mail addresses kept" in kept.output


def test_serve_refuses_what_is_not_an_archive(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("shopping list\n")
    result = CliRunner().invoke(cli, ["serve", str(notes)])
    assert result.exit_code == 1 and "not an archive" in result.output


def test_readme_documents_publishing():
    text = README.read_text()
    for command in ("serve", "publish", "export"):
        assert f"police-archive {command}" in text
    for query in CANNED_QUERIES:
        assert f"`{query.name}`" in text, query.name


def test_publishing_never_imports_scrapy_or_the_crawler():
    import subprocess
    import sys

    code = (
        "import sys, publish.copies, publish.app, publish.search, publish.plugin\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('scrapy', 'crawler', 'twisted')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
