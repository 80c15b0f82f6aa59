"""Site profiles as data: TOML files, packaged and in folders of one's own (pages/profiles.py)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pages.extract import parse_page
from pages.profiles import PACKAGED, ProfileError, load_profile, load_profiles
from police_archive.cli import cli
from sample_site import build_site, serve_site
from tests.crawl_check import CLI, FAST, loopback_env

EXAMPLE = Path(__file__).parent.parent / "examples" / "profiles" / "weeklyconstable.toml"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text)
    return path


def test_the_packaged_profile_is_a_toml_file():
    assert (PACKAGED / "policeoracle.toml").is_file()
    (police,) = [p for p in load_profiles() if p.name == "policeoracle"]
    assert [(layout.kind, layout.name) for layout in police.layouts] == [
        ("article", "modern"),
        ("article", "table"),
        ("comments", "comments"),
        ("comments", "comments-table"),
        ("listing", "listing"),
    ]
    assert police.title == "Police Oracle"


def test_localhost_mirrors_are_a_setting_not_part_of_the_profile():
    (mirrored,) = [p for p in load_profiles() if p.name == "policeoracle"]
    (plain,) = [p for p in load_profiles(localhost_mirrors=False) if p.name == "policeoracle"]
    assert plain.domains == ("policeoracle.com",)
    assert mirrored.domains == ("policeoracle.com", "policeoracle.localhost")
    assert "localhost" not in (PACKAGED / "policeoracle.toml").read_text()


def test_a_folder_of_ones_own_adds_and_replaces_profiles(tmp_path):
    write(tmp_path, "other", 'name = "other"\ndomains = ["other.example"]\n')
    write(
        tmp_path, "po", 'name = "policeoracle"\ndomains = ["policeoracle.com"]\nday_first = false\n'
    )
    profiles = {p.name: p for p in load_profiles([tmp_path])}
    assert set(profiles) >= {"policeoracle", "other"}
    assert profiles["policeoracle"].day_first is False  # the folder's profile replaced ours
    assert profiles["policeoracle"].layouts == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = 'x'\n", "'domains' must list at least one domain"),
        ("domains = ['x.example']\n", "'name' must be a non-empty string"),
        ("name = 'x'\ndomains = ['x.example']\nlayuots = []\n", "unknown key(s) layuots"),
        ("name = 'x'\ndomains = ['x.example']\n[urls.article]\npath = '(['\n",
         "regular expression"),
        ("name = 'x'\ndomains = ['x.example']\n[[layouts]]\nname = 'a'\ndetect = 'div[['\n",
         "not a valid CSS selector"),
        ("name = 'x'\ndomains = ['x.example']\n[[layouts]]\nname = 'a'\ndetect = '//div[['\n",
         "not a valid XPath"),
        ("name = 'x'\ndomains = ['x.example']\n[[layouts]]\nname = 'a'\n", "'detect'"),
        ("name = 'x'\ndomains = [\n", "Invalid"),
    ],
)  # fmt: skip
def test_a_broken_profile_is_refused_with_its_file_and_key(tmp_path, text, message):
    path = write(tmp_path, "broken", text)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_the_cli_refuses_a_broken_profile_in_one_line(tmp_path):
    write(tmp_path / "p", "broken", "name = 'x'\n")
    result = CliRunner().invoke(
        cli, ["crawl", "http://x.localhost/", "--db", str(tmp_path / "a.db"), "--profiles",
              str(tmp_path / "p")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "domains" in result.output
    assert not (tmp_path / "a.db").exists()  # refused before anything was written


def test_css_and_xpath_selectors(tmp_path):
    path = write(
        tmp_path,
        "s",
        "name = 's'\ndomains = ['s.example']\n[[layouts]]\nname = 'a'\n"
        "detect = 'article.story h1'\ntitle = 'xpath://h1[1]'\nbody_drop = ['.ad', './/aside']\n",
    )
    (layout,) = load_profile(path).layouts
    assert layout.detect.startswith("descendant-or-self::article")
    assert layout.title == "//h1[1]"
    assert layout.body_drop[0].startswith("descendant::") and layout.body_drop[1] == ".//aside"


def _loopback_example(folder: Path, host: str) -> Path:
    """The worked example, its domain swapped for the loopback host the test serves it on."""
    text = EXAMPLE.read_text()
    text = text.replace('domains = ["weeklyconstable.co.uk"]', f'domains = ["{host}"]')
    text = text.replace('canonical_subdomain = "www"', 'canonical_subdomain = ""\n'
                        'alias_subdomains = [""]')  # fmt: skip
    folder.mkdir()
    (folder / "weeklyconstable.toml").write_text(text)
    return folder


def test_the_worked_example_reads_its_site_and_leaves_the_rest_to_the_generic_reader(tmp_path):
    """README's example profile, for a site built like the fixture's "weekly" markup: its layout
    reads every article; the links, comment threads and listings are found the generic way."""
    site = build_site(30, seed=5, hazards=False, markup="weekly")
    with serve_site(site) as server:
        origin = server.origin
        profiles = _loopback_example(tmp_path / "profiles", "127.0.0.1")
        db = tmp_path / "weekly.db"
        result = subprocess.run(
            [CLI, "crawl", *site.seeds(origin), "--db", str(db), "--profiles", str(profiles),
             *FAST],
            env=loopback_env(server.proxy_url), capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    expected = site.expected_by_url(origin)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select url, title, author, published, extractor from articles")
        articles = {r[0]: r[1:] for r in rows}
        (misses,) = conn.execute("select count(*) from fetches where reason = 'layout_miss'")
        edges = set(conn.execute("select from_url, to_url from links where section = "
                                 "'in_other_news'"))  # fmt: skip
        (comments,) = conn.execute("select count(*) from comments").fetchone()
    assert set(articles) == set(expected)
    for url, (title, author, published, extractor) in articles.items():
        want = expected[url]
        assert (title, author, published) == (want["title"], want["author"], want["published"])
        assert extractor == "profile:weeklyconstable/article"
    assert misses == (0,)
    assert {(u, t) for u, e in expected.items() for t in e["in_other_news"]} <= edges
    assert comments == sum(len(e["comments"]) for e in expected.values())  # read the generic way


def test_the_example_is_valid_and_documented():
    profile = load_profile(EXAMPLE)
    assert profile.name == "weeklyconstable" and profile.layouts
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "examples/profiles/weeklyconstable.toml" in readme


def test_a_profile_changes_how_a_page_is_read(tmp_path):
    """The same saved page read with and without a profile of its site: the profile's layout
    reads it, and without the profile the generic reader does."""
    site = build_site(20, seed=5, hazards=False, markup="weekly")
    url = site.expected("http://127.0.0.1:9999")[0]["url"]
    response = site.respond(
        "127.0.0.1:9999", url.split("9999", 1)[1], origin="http://127.0.0.1:9999"
    )
    body = response.read()
    folder = _loopback_example(tmp_path / "p", "127.0.0.1")
    with_profile = parse_page(url, body, profiles=load_profiles([folder]))
    without = parse_page(url, body)
    assert with_profile.extractor == "profile:weeklyconstable/article"
    assert without.extractor in ("trafilatura", "region")
    assert with_profile.title == without.title
    assert re.sub(r"\s+", " ", with_profile.text) == re.sub(r"\s+", " ", without.text)
