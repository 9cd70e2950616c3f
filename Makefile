# Two commands do all the set-up on a fresh machine (see README):
#   make serve   install everything, build the site and serve it at http://127.0.0.1:8000
#   make test    install everything and run the whole test suite
# Everything installs into .venv and node_modules; nothing is fetched at run time.

VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Zensical (Material's successor) in a venv of its own: it is not a dependency, only a
# non-blocking check that the tree `rulebook generate` writes builds with it too.
ZVENV  ?= .venv-zensical

.PHONY: serve build test check lint bench clean setup zensical-check

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
	-@$(MAKE) --no-print-directory zensical-check

# Non-blocking (the leading '-' above): prints whether `zensical build --strict` succeeds.
zensical-check: $(STAMP)
	@test -x $(ZVENV)/bin/zensical || { python3 -m venv $(ZVENV) && $(ZVENV)/bin/pip install --quiet 'zensical>=0.0.73,<0.1'; } \
	  || echo "zensical: could not be installed; check skipped"
	$(PY) bench/check_zensical.py $(ZVENV)/bin/zensical

check: $(STAMP)
	$(VENV)/bin/rulebook check

lint: $(STAMP)
	$(VENV)/bin/ruff check site_src tests bench
	$(VENV)/bin/mypy

bench: setup
	$(PY) bench/run_all.py

clean:
	rm -rf site build .cache
