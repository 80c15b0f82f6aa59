"""Police forces and people, tagged as an article is extracted (pages/tagging.py) and written with
it (`article_forces`, `people`, `forces`); `police-archive retag` for stored articles."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from archive.store import Archive
from pages.extract import parse_page
from pages.gazetteer import Gazetteer
from pages.tagging import gazetteer_rows, tag, tag_text
from police_archive.cli import cli
from tests.test_store import article

FIXTURES = Path(__file__).parent / "fixtures"

STORY = (
    "<html><head><title>Kent Police chief praises officers</title></head><body><main>"
    "<h1>Kent Police chief praises officers</h1>"
    "<p>Chief Constable Tim Smith of Kent Police praised officers who arrested six people after "
    "a raid in Maidstone on Friday, working with the National Crime Agency.</p>"
    "<p>Det Supt Mark Lee said the operation had taken months. The IOPC has been informed, as "
    "is usual after a vehicle pursuit, and Det Supt Lee said he welcomed its review.</p>"
    "<p>Residents met officers at a public meeting in the town hall on Saturday evening, and "
    "the chief constable answered their questions about patrols in the town centre.</p>"
    "</main></body></html>"
)


def test_an_extracted_article_names_its_forces_and_people():
    page = parse_page("https://news.example/kent-raid", STORY.encode(), content_type="text/html")
    forces = {f.force: f for f in page.forces}
    assert set(forces) == {"kent", "nca", "iopc"}
    assert forces["kent"].in_headline and forces["kent"].mentions == 2  # the title and the text
    assert not forces["iopc"].in_headline
    people = {p.name: p for p in page.people}
    assert set(people) == {"Tim Smith", "Mark Lee"}  # "the chief constable": no one
    assert people["Tim Smith"].rank == "Chief Constable" and people["Tim Smith"].force == "kent"
    assert people["Mark Lee"].mentions == 2 and people["Mark Lee"].force == "kent"
    assert page.tagged == Gazetteer.load().version


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_the_archive_keeps_the_tags_of_the_version_it_shows(tmp_path):
    path = tmp_path / "a.db"
    text = "Chief Constable Tim Smith of Kent Police praised officers of Essex Police."
    first = tag(article(title="Praise", standfirst="", text=text))
    with Archive.open(path) as archive:
        archive.save_gazetteer(*gazetteer_rows())
        crawl = archive.start_crawl(seeds=[], settings={})
        assert archive.save_article(first, crawl_id=crawl) == "new"
        archive.flush()
        assert rows(path, "SELECT force FROM article_forces ORDER BY force") == [
            ("essex",),
            ("kent",),
        ]
        # an edit: the new version's forces and people replace the old ones
        edited = tag(article(title="Praise", standfirst="", text=text.replace("Essex", "Surrey")))
        assert archive.save_article(edited, crawl_id=crawl) == "updated"
        # a broken-looking version is held back: the tags stay those of the version shown
        broken = tag(article(title="", standfirst="", text="Sussex Police."))
        assert archive.save_article(broken, crawl_id=crawl) == "flagged"
        archive.flush()
    assert rows(path, "SELECT force FROM article_forces ORDER BY force") == [
        ("kent",),
        ("surrey",),
    ]
    assert rows(path, "SELECT name, rank, force FROM people") == [
        ("Tim Smith", "Chief Constable", "kent")
    ]
    found = rows(path, "SELECT force_name, title FROM force_articles WHERE force = 'surrey'")
    assert found == [("Surrey Police", "Praise")]
    assert rows(path, "SELECT count(*) FROM forces")[0][0] == len(Gazetteer.load().bodies)


def test_retag_tags_an_archive_written_before_tagging(tmp_path):
    db = tmp_path / "archive-v3.db"
    shutil.copyfile(FIXTURES / "archive-v3.db", db)

    def run(*args: str):
        result = CliRunner().invoke(cli, ["retag", str(db), *args])
        assert result.exit_code == 0, result.output
        return result.output

    articles = rows(db, "SELECT count(*) FROM articles")[0][0]
    assert f": {articles} article(s) tagged with gazetteer" in run()
    assert rows(db, "SELECT DISTINCT tagged FROM articles") == [(Gazetteer.load().version,)]
    tagged = rows(db, "SELECT article_url, force, mentions, in_headline FROM article_forces")
    assert len(tagged) > articles / 2  # the sample site's articles name real forces
    assert rows(db, "SELECT count(*) FROM people")[0][0] > 0
    assert ": 0 article(s) tagged" in run()  # nothing left to tag with this version
    assert f": {articles} article(s)" in run("--all")
    assert sorted(tagged) == sorted(
        rows(db, "SELECT article_url, force, mentions, in_headline FROM article_forces")
    )


def test_no_break_and_thin_spaces_are_spaces():
    # text that did not come through extraction (an archive tagged again, a caller's own text)
    text = "Chief\u00a0Constable Jane\u00a0Smith of Kent\u00a0Police thanked Det Supt\u2009Mark Lee"
    forces, people, _ = tag_text("", "", text)
    assert [f.force for f in forces] == ["kent"]
    assert {(p.name, p.rank) for p in people} == {
        ("Jane Smith", "Chief Constable"),
        ("Mark Lee", "Detective Superintendent"),
    }
