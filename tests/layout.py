"""The code's layout, read from the code: which package may import which, and the README's map.

    python -m tests.layout README.md   # regenerate the README's layout section

`PACKAGES` are the production packages, top to bottom: each may import the ones its entry in
`MAY_IMPORT` lists and nothing else of the project (imports run one way: the CLI on top, then the
Scrapy glue, then page reading, the archive at the bottom; publishing reads the archive; the
sample site stands alone). tests/test_layout.py checks the imports, the size of every module
and that the README's map is this module's.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).parent.parent

PACKAGES = ("police_archive", "crawler", "pages", "publish", "archive", "sample_site")
MAY_IMPORT = {
    "police_archive": {"police_archive", "crawler", "pages", "publish", "archive"},
    "crawler": {"crawler", "pages", "archive"},
    "pages": {"pages", "archive"},
    "publish": {"publish", "archive"},
    "archive": {"archive"},
    "sample_site": {"sample_site"},
}
NO_SCRAPY = {"pages", "publish", "archive", "sample_site"}
START, END = "<!-- layout:start -->", "<!-- layout:end -->"


def modules(package: str) -> Iterator[Path]:
    yield from sorted((ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """The top-level names of the modules a file imports (relative imports: its own package)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                names.add(path.relative_to(ROOT).parts[0])
            elif node.module:
                names.add(node.module.split(".")[0])
    return names


def _summary(path: Path) -> str:
    """The first sentence of a module's docstring."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = re.split(r"(?<=[.])\s", " ".join(doc.split("\n\n")[0].split()), maxsplit=1)[0]
    return first.rstrip(":;").removesuffix(" No Scrapy here.").removesuffix(" No Scrapy.")


def layout_markdown() -> str:
    lines = []
    for package in PACKAGES:
        lines.append(f"- **`{package}/`**: {_summary(ROOT / package / '__init__.py')}")
        for path in modules(package):
            if path.name == "__init__.py" and path.parent == ROOT / package:
                continue
            name = path.relative_to(ROOT / package).as_posix()
            lines.append(f"  - `{name}`: {_summary(path)}")
    return "\n".join(lines)


def readme_with_layout(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{layout_markdown()}\n{END}{tail}"


if __name__ == "__main__":
    for name in sys.argv[1:]:
        target = Path(name)
        target.write_text(readme_with_layout(target.read_text(encoding="utf-8")), encoding="utf-8")
