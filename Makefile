# Two commands do all the set-up on a fresh machine (see README):
#   make serve   install everything, build the site and serve it at http://127.0.0.1:8000
#   make test    install everything and run the whole test suite
# Everything installs into .venv and node_modules; nothing is fetched at run time.

VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: serve build test check lint bench clean setup

setup: $(STAMP) node_modules/.package-lock.json

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

serve: setup
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup
	$(VENV)/bin/mkdocs build --strict

test: setup
	$(PY) -m pytest

check: $(STAMP)
	$(VENV)/bin/rulebook check

lint: $(STAMP)
	$(VENV)/bin/ruff check site_src tests bench
	$(VENV)/bin/mypy

bench: setup
	$(PY) bench/run_all.py

clean:
	rm -rf site build .cache
