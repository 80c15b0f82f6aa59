"""Print the project's dependencies (pyproject.toml's [project] dependencies), one a line: the
requirements of Scrapyd's environment besides deploy/scrapyd/requirements.txt.

    python deploy/scrapyd/dependencies.py > requirements.txt
"""

import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

if __name__ == "__main__":
    with PYPROJECT.open("rb") as f:
        sys.stdout.write("".join(f"{d}\n" for d in tomllib.load(f)["project"]["dependencies"]))
