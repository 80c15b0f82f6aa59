"""The README stays true: its schema section is the schema, its commands exist."""

from pathlib import Path

from archive.schemadoc import readme_with_schema

README = Path(__file__).parent.parent / "README.md"


def test_schema_section_is_current():
    text = README.read_text()
    assert readme_with_schema(text) == text, "run: python -m archive.schemadoc README.md"


def test_make_targets_named_in_the_readme_exist():
    makefile = (README.parent / "Makefile").read_text()
    for target in ("demo", "test", "test-all", "bench", "bench-datasette", "lint"):
        assert f"make {target}" in README.read_text()
        assert f"\n{target}:" in makefile
