# Two commands do all the set-up on a fresh machine (see README):
#   make serve   install everything, build the site and serve it at http://127.0.0.1:8000
#   make test    install everything and run the whole test suite
# Everything installs into .venv and node_modules; nothing is fetched at run time.
#
# `PORT=8123 make serve` (or `make serve PORT=8123`) serves on another port; HOST likewise.
# `make zensical-serve` builds the same site with Zensical and serves it (same PORT and HOST).

VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
SITE_DIR ?= site
# Where `make zensical-build` writes the Zensical project: its mkdocs.yml, docs/ and site/.
ZENSICAL_DIR ?= build/zensical

# Material for MkDocs prints an end-of-life notice (to stderr, on import, not through logging)
# on every MkDocs run unless this variable is set; it is the switch Material documents in the
# notice itself. The README says why we keep it quiet and what the plan for Zensical is.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check lint bench clean setup zensical-build zensical-serve zensical-check

setup: $(STAMP) node_modules/.package-lock.json

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# `mkdocs serve` sets site_url to the address it serves, so instant navigation works on any PORT.
serve: setup
	$(VENV)/bin/mkdocs serve --dev-addr $(HOST):$(PORT)

build: setup
	$(VENV)/bin/mkdocs build --strict --site-dir $(SITE_DIR)

# The suite includes the Zensical build and its browser tests (tests/browser/test_zensical_site.py).
test: setup
	$(PY) -m pytest

# The same site built by Zensical: `rulebook generate` writes the docs tree and a Zensical
# configuration derived from mkdocs.yml (site_url set to where it will be served).
zensical-build: setup
	$(VENV)/bin/rulebook generate $(ZENSICAL_DIR)/docs --zensical-config $(ZENSICAL_DIR)/mkdocs.yml \
	  --site-url http://$(HOST):$(PORT)/
	$(VENV)/bin/zensical build --strict --config-file $(ZENSICAL_DIR)/mkdocs.yml

# Zensical rebuilds when a file of the generated tree changes, not when rules/ or content/ do (it
# runs no MkDocs plugin), and it loses the tree when `rulebook generate` swaps in a new one: after
# editing rules or pages, stop it and run `make zensical-serve` again (`make serve` live-reloads).
zensical-serve: zensical-build
	$(VENV)/bin/zensical serve --config-file $(ZENSICAL_DIR)/mkdocs.yml --dev-addr $(HOST):$(PORT)

# Prints whether Zensical builds the generated tree, its page count and build time (a figure for
# the README; the pass/fail check itself is part of `make test`).
zensical-check: setup
	$(PY) bench/check_zensical.py

check: $(STAMP)
	$(VENV)/bin/rulebook check

lint: $(STAMP)
	$(VENV)/bin/ruff check site_src tests bench
	$(VENV)/bin/mypy

bench: setup
	$(PY) bench/run_all.py

clean:
	rm -rf site build .cache
