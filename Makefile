# Two commands for a newcomer: `make demo` (set up, crawl the bundled sample site, browse it)
# and `make test`. Everything installs into .venv from the package registry.
# The first of these Python versions found on the PATH (make PYTHON=... to choose).
PYTHON ?= $(firstword $(foreach v,3.11 3.12 3.13,$(shell command -v python$(v) 2>/dev/null)))
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8001

.PHONY: install demo test test-all quality bench bench-datasette lint clean

$(BIN)/police-archive: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/police-archive

## Serve the bundled sample site on 127.0.0.1, crawl it into demo.db, open it in Datasette.
demo: install
	$(BIN)/python -m sample_site.demo --db demo.db --port $(PORT)

## The default test suite (fast: the hazard crawl at full size and benchmarks are marked).
test: install
	$(BIN)/python -m pytest

## Everything, including the 400-article hazard crawl.
test-all: install
	$(BIN)/python -m pytest -m 'not bench'

## Extraction quality on both real-page sets (../shared/corpora), side by side with plain
## trafilatura and readability-lxml: the figures a change to extraction is judged by (2-3 min).
quality: install
	$(BIN)/python -m pages.quality

## The crawl benchmark against the one-file baseline spider (bench/README.md).
bench: install
	$(BIN)/python bench/crawl_bench.py

## Search and table-page latency over HTTP on a synthetic 100,000-article archive (about 5 min;
## DB=FILE keeps the archive for the next run).
bench-datasette: install
	$(BIN)/python bench/datasette_bench.py $(if $(DB),--db $(DB))

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo.db.lock warc
