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


def _options(command) -> set[str]:
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}


def test_every_command_and_option_the_readme_names_exists():
    import re

    from police_archive.cli import cli

    text = README.read_text()
    used = re.findall(r"police-archive ([a-z][a-z-]*)((?:[^\n`|]*))", text)
    assert used, "the README shows no police-archive command"
    for name, rest in used:
        assert name in cli.commands, f"README: `police-archive {name}` is no command"
        options = _options(cli.commands[name]) | {"--help", "-h"}
        for option in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", rest):
            assert option in options, f"README: `police-archive {name} {option}`: no such option"


def test_every_module_the_readme_names_exists():
    import re

    text = README.read_text()
    root = README.parent
    named = set(re.findall(r"`((?:crawler|pages|archive|publish|police_archive|sample_site"
                           r"|tests|bench|examples)/[\w/.-]+)`", text))  # fmt: skip
    assert named
    missing = sorted(p for p in named if not (root / p).exists())
    assert not missing, f"README names files that do not exist: {missing}"
