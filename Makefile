# Two commands for a newcomer: `make demo` (set up, crawl the bundled sample site, browse it)
# and `make test`. Everything installs into .venv from the package registry.
# The first of these Python versions found on the PATH (make PYTHON=... to choose).
PYTHON ?= $(firstword $(foreach v,3.11 3.12 3.13,$(shell command -v python$(v) 2>/dev/null)))
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8001

.PHONY: install demo test test-all quality bench bench-datasette bench-distributed lint clean \
	scrapyd-env scrapyd

$(BIN)/police-archive: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/police-archive

## Scrapyd's own environment (Scrapyd 1.6 needs setuptools<81): scrapyd, scrapyd-deploy and the
## project's dependencies, not the project: Scrapyd runs the egg scrapyd-deploy uploads.
SCRAPYD_VENV ?= .venv-scrapyd
SCRAPYD_DIR ?= scrapyd-data
# Scrapyd 1.6 activates eggs with pkg_resources, which warns on every job (why setuptools<81)
SCRAPYD_WARNINGS := 'ignore:pkg_resources is deprecated as an API:UserWarning'

$(SCRAPYD_VENV)/bin/scrapyd: pyproject.toml deploy/scrapyd/requirements.txt
	$(PYTHON) -m venv $(SCRAPYD_VENV)
	$(SCRAPYD_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SCRAPYD_VENV)/bin/python deploy/scrapyd/dependencies.py > $(SCRAPYD_VENV)/project.txt
	$(SCRAPYD_VENV)/bin/python -m pip install --quiet \
		-r deploy/scrapyd/requirements.txt -r $(SCRAPYD_VENV)/project.txt
	touch $@

scrapyd-env: $(SCRAPYD_VENV)/bin/scrapyd

## Scrapyd on 127.0.0.1:6800 (deploy/scrapyd/scrapyd.conf), its eggs, logs and job queue in
## $(SCRAPYD_DIR)/ (never the checkout's root: a crawl would import the checkout, not the egg).
scrapyd: scrapyd-env
	mkdir -p $(SCRAPYD_DIR)
	test -e $(SCRAPYD_DIR)/scrapyd.conf || cp deploy/scrapyd/scrapyd.conf $(SCRAPYD_DIR)/
	cd $(SCRAPYD_DIR) && PYTHONWARNINGS=$(SCRAPYD_WARNINGS) exec $(abspath $(SCRAPYD_VENV))/bin/scrapyd

## Serve the bundled sample site on 127.0.0.1, crawl it into demo.db, open it in Datasette.
demo: install
	$(BIN)/python -m sample_site.demo --db demo.db --port $(PORT)

## The default test suite (fast: the hazard crawl at full size and benchmarks are marked).
test: install scrapyd-env
	$(BIN)/python -m pytest

## Everything, including the 400-article hazard crawl.
test-all: install scrapyd-env
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

## The distributed crawl (workers + writer on a Redis of its own) against the single crawl: pages/s
## with 1, 2 and 4 workers, the writer's rows/s, peak memory on a 10,000-article site, Redis bytes
## per URL (15-20 min; needs redis-server; JSON=FILE keeps every figure).
bench-distributed: install
	$(BIN)/python bench/distributed_bench.py $(if $(JSON),--json $(JSON))

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(SCRAPYD_VENV) demo.db demo.db-wal demo.db-shm demo.db.lock warc
