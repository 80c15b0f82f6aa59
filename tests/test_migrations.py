"""archive/migrations.py: an archive written by an earlier release opens in this one with every
row it held, and with exactly the schema a new archive gets.

tests/fixtures/archive-v1.db was written by the release before schema version 2, archive-v2.db
by the release before schema version 3, archive-v3.db by the release before schema version 4 and
archive-v4.db by the release before schema version 5 (each a crawl of the sample site, then a
second crawl: for v4, `build_site(60, seed=1)` in proxy mode, `police-archive crawl` with
tests/crawl_check.py's FAST settings, twice): read here, never rewritten (each test upgrades a
copy).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from archive import database
from archive.migrations import MIGRATIONS, Migration
from archive.schema import SCHEMA_VERSION
from archive.store import Archive
from archive.tables import TABLES

FIXTURES = Path(__file__).parent / "fixtures"
V1 = FIXTURES / "archive-v1.db"
V2 = FIXTURES / "archive-v2.db"
V3 = FIXTURES / "archive-v3.db"
V4 = FIXTURES / "archive-v4.db"


def rows(path: Path) -> dict[str, set[tuple]]:
    """Every row of every table (FTS shadow tables aside), as sets of (column, value) tuples."""
    with sqlite3.connect(path) as conn:
        names = [
            n
            for (n,) in conn.execute(
                "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
                " and name not like '%_fts%'"
            )
        ]
        out = {}
        for name in names:
            cursor = conn.execute(f"select * from [{name}]")
            columns = [d[0] for d in cursor.description]
            out[name] = {tuple(zip(columns, row, strict=True)) for row in cursor}
    return out


def schema(path: Path) -> dict[str, object]:
    """What scripts see of an archive's schema: each table's and view's columns (name, type,
    not null, default, primary key: in any order, since a migration adds columns at the end),
    the indexes with their columns, the triggers, and the pragmas the archive is known by."""
    with sqlite3.connect(path) as conn:
        objects = conn.execute(
            "select type, name, tbl_name from sqlite_master where name not like 'sqlite_%'"
        ).fetchall()
        out: dict[str, object] = {}
        for kind, name, table in objects:
            if kind in ("table", "view"):
                info = conn.execute(f"pragma table_info([{name}])").fetchall()
                out[f"{kind} {name}"] = {(c[1], c[2].upper(), c[3], c[4], c[5]) for c in info}
            elif kind == "index":
                columns = [c[2] for c in conn.execute(f"pragma index_info([{name}])")]
                out[f"index {name}"] = (table, tuple(columns))
            else:
                out[f"{kind} {name}"] = table
        for pragma in ("user_version", "application_id", "journal_mode"):
            out[pragma] = conn.execute(f"pragma {pragma}").fetchone()[0]
    return out


@pytest.fixture(params=[V1, V2, V3, V4], ids=["v1", "v2", "v3", "v4"])
def v1(request, tmp_path) -> Path:
    """A copy of an archive of each earlier schema version."""
    copy = tmp_path / request.param.name
    shutil.copyfile(request.param, copy)
    return copy


@pytest.fixture(params=[V1, V2], ids=["v1", "v2"])
def before_revisions(request, tmp_path) -> Path:
    """A copy of an archive written before schema version 3 (which added revisions)."""
    copy = tmp_path / request.param.name
    shutil.copyfile(request.param, copy)
    return copy


def _declared_default(table: str, column: str):
    from archive.tables import TABLES_BY_NAME

    for c in TABLES_BY_NAME[table].columns:
        if c.name == column:
            return c.default
    return None


def test_the_fixture_is_an_archive_of_the_first_schema():
    with sqlite3.connect(f"file:{V1}?mode=ro", uri=True) as conn:
        assert conn.execute("pragma user_version").fetchone()[0] == 1
        assert conn.execute("select count(*) from articles").fetchone()[0] > 0
        assert conn.execute("select count(*) from comments").fetchone()[0] > 0
        assert conn.execute("select count(distinct crawl_id) from fetches").fetchone()[0] == 2


def test_every_row_survives_the_upgrade(v1):
    before = rows(v1)
    Archive.open(v1, create=False).close()
    after = rows(v1)
    for table, old_rows in before.items():
        assert table in after, table
        old_columns = {c for row in old_rows for c, _ in row}
        # each row as it was, with the new columns beside it (NULL or their default: nobody
        # recorded them then), but the date an article already gone was found gone
        kept = {tuple(pair for pair in row if pair[0] in old_columns) for row in after[table]}
        assert len(after[table]) == len(old_rows) and kept == old_rows, table
        for row in after[table]:
            values = dict(row)
            for column, value in row:
                if column in old_columns:
                    continue
                if (table, column) == ("articles", "gone_since") and values["status"] == "gone":
                    assert value is not None and value <= values["last_seen"]
                    continue
                assert value == _declared_default(table, column), (table, column)


def test_each_article_becomes_its_first_revision(before_revisions):
    v1 = before_revisions
    before = rows(v1)["articles"]
    Archive.open(v1, create=False).close()
    with sqlite3.connect(v1) as conn:
        conn.row_factory = sqlite3.Row
        revisions = conn.execute("select * from revisions order by url").fetchall()
    assert len(revisions) == len(before)
    for article, revision in zip(
        sorted((dict(r) for r in before), key=lambda a: a["url"]), revisions, strict=True
    ):
        assert revision["url"] == article["url"] and revision["revision"] == 1
        for field in ("title", "author", "published", "text", "content_hash", "word_count"):
            assert revision[field] == article[field], field
        assert revision["source"] == "migration" and revision["flags"] == ""


def test_the_upgraded_archive_has_the_schema_of_a_new_one(v1, tmp_path):
    Archive.open(v1, create=False).close()
    fresh = tmp_path / "new.db"
    Archive.open(fresh).close()
    upgraded, new = schema(v1), schema(fresh)
    assert upgraded["user_version"] == SCHEMA_VERSION
    assert set(upgraded) == set(new)
    for name in new:
        assert upgraded[name] == new[name], name
    # every table of the documented schema is there
    assert {t.name for t in TABLES if t.kind == "table"} <= {
        n.split(" ", 1)[1] for n in upgraded if n.startswith("table ")
    }


def test_the_upgraded_archive_searches_and_takes_new_crawls(v1):
    with sqlite3.connect(v1) as conn:
        word = conn.execute("select title from articles limit 1").fetchone()[0].split()[0]
    with Archive.open(v1, create=False) as archive:
        crawl_id = archive.start_crawl(seeds=["http://127.0.0.1:1/news/"], settings={})
        assert crawl_id == 3  # after the fixture's two crawls
    with sqlite3.connect(v1) as conn:
        hits = conn.execute(
            "select count(*) from articles_fts where articles_fts match ?", (f'"{word}"',)
        ).fetchone()[0]
    assert hits >= 1


def _definitions(path: Path) -> dict[str, tuple[str, int]]:
    """Each index's and view's SQL, and where it lies in the file (a rebuilt index moves)."""
    with sqlite3.connect(path) as conn:
        return {
            name: (sql, rootpage)
            for name, sql, rootpage in conn.execute(
                "select name, sql, rootpage from sqlite_master "
                "where type in ('index', 'view') and sql is not null"
            )
        }


def test_indexes_and_views_are_redefined_as_this_release_defines_them(v1, tmp_path):
    """An index or a view an older release defined otherwise is rebuilt on opening (their
    columns, or the SQL of a view, changed between releases); then left alone."""
    Archive.open(v1, create=False).close()
    fresh = tmp_path / "new.db"
    Archive.open(fresh).close()
    upgraded, new = _definitions(v1), _definitions(fresh)
    assert {n: sql for n, (sql, _) in upgraded.items()} == {n: sql for n, (sql, _) in new.items()}
    Archive.open(v1, create=False).close()
    assert _definitions(v1) == upgraded  # nothing rebuilt the second time


def test_opening_twice_changes_nothing(v1):
    Archive.open(v1, create=False).close()
    once = (rows(v1), schema(v1))
    Archive.open(v1, create=False).close()
    assert (rows(v1), schema(v1)) == once


def test_a_failed_migration_leaves_the_archive_as_it_was(v1, monkeypatch):
    def state(path):  # the journal mode aside: WAL is switched on before the upgrade begins
        return rows(path), {k: v for k, v in schema(path).items() if k != "journal_mode"}

    before = state(v1)

    def half_done(conn):
        MIGRATIONS[-1].apply(conn)  # some of the changes made...
        raise sqlite3.OperationalError("disk I/O error")  # ...then the upgrade fails

    monkeypatch.setattr(
        database, "pending", lambda version: [Migration(SCHEMA_VERSION, "test", half_done)]
    )
    with pytest.raises(Exception, match="disk I/O error"):
        Archive.open(v1, create=False)
    assert state(v1) == before
    monkeypatch.undo()
    Archive.open(v1, create=False).close()  # and the real upgrade still works afterwards
    assert schema(v1)["user_version"] == SCHEMA_VERSION
