# The two commands: `make run` (the demo site, offline) and `make test` (the whole suite).
# Both create .venv on first use; nothing else needs to be installed by hand.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# `make run` installs what the demo needs; the rest (tests, linters, benchmarks) the dev tools.
DEMO_STAMP := $(VENV)/.demo-stamp
STAMP := $(VENV)/.dev-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench clean venv node

venv: $(STAMP)

$(VENV)/.created:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required (set PYTHON=python3.11)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

$(DEMO_STAMP): pyproject.toml $(VENV)/.created
	$(PY) -m pip install --quiet -e '.[demo]'
	@touch $@

$(STAMP): pyproject.toml $(VENV)/.created
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# The embedded emulator sends its cache-tags webhook to the site it runs in.
run: export DATOCMS_EMULATOR_WEBHOOK_URL ?= http://$(HOST):$(PORT)/datocms/webhooks/cache-tags/
run: $(DEMO_STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy --strict datocms_app

test: lint
	$(PY) -m pytest $(PYTEST_ARGS)

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# DatoCMS's npm packages (anchors, fixture generators, compatibility tests).
NODE_STAMP := tools/node/node_modules/.installed-stamp
node: $(NODE_STAMP)

$(NODE_STAMP): tools/node/package.json
	npm install --prefix tools/node --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

bench: $(STAMP) $(NODE_STAMP)
	$(PY) -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache tools/node/node_modules
