"""The layout holds: imports run one way, no module grows past 400 lines, the README's map is
the code's (tests/layout.py)."""

from __future__ import annotations

import pytest

from tests.layout import (
    END,
    MAY_IMPORT,
    NO_SCRAPY,
    PACKAGES,
    ROOT,
    START,
    imported,
    modules,
    readme_with_layout,
)

PROJECT = set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_run_one_way(package):
    wrong = {}
    for path in modules(package):
        bad = (imported(path) & PROJECT) - MAY_IMPORT[package]
        if package in NO_SCRAPY:
            bad |= imported(path) & {"scrapy", "twisted"}
        if bad:
            wrong[path.relative_to(ROOT).as_posix()] = sorted(bad)
    assert not wrong


@pytest.mark.parametrize("package", PACKAGES)
def test_no_production_module_over_400_lines(package):
    long = {
        path.relative_to(ROOT).as_posix(): n
        for path in modules(package)
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long


def test_every_package_and_module_says_what_it_is():
    from tests.layout import _summary

    missing = [
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in modules(package)
        if not _summary(path)
    ]
    assert not missing


def test_the_readme_layout_section_is_the_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert START in readme and END in readme
    assert readme_with_layout(readme) == readme, "run: python -m tests.layout README.md"


def test_the_checker_sees_a_wrong_import(tmp_path, monkeypatch):
    """The import test can fail: an upward import is found."""
    import tests.layout as layout

    (tmp_path / "archive").mkdir()
    bad = tmp_path / "archive" / "bad.py"
    bad.write_text("from crawler.settings import USER_AGENT\nimport scrapy\n")
    monkeypatch.setattr(layout, "ROOT", tmp_path)
    assert layout.imported(bad) & PROJECT - MAY_IMPORT["archive"] == {"crawler"}
