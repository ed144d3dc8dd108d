# Traject: two commands do all set-up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# A Python 3.12+ interpreter: PYTHON=... wins; otherwise the first suitable one
# on PATH or under pyenv.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$HOME/.pyenv/versions/3.13*/bin/python $$HOME/.pyenv/versions/3.12*/bin/python \
	/root/.pyenv/versions/3.13*/bin/python /root/.pyenv/versions/3.12*/bin/python; do \
	p=$$(command -v $$c 2>/dev/null) || continue; \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; \
	done)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# The demo and the development server ask for DEBUG (it is off unless asked for);
# the checks of `make test` use the test settings.
DEV := DEBUG=1
TEST_MANAGE := DJANGO_SETTINGS_MODULE=config.settings_test $(MANAGE)
PG_URL ?= postgres://postgres@127.0.0.1:5432/traject

.PHONY: help install demo serve migrate test lint typecheck layers pytest test-postgres messages bench bench-regions clean

help:
	@echo "make demo   set up, load the demo organisation and serve http://127.0.0.1:8000"
	@echo "make test   set up, lint, type-check, layer contracts, makemigrations --check and the whole test suite"
	@echo "make test-postgres   the test suite on PostgreSQL ($(PG_URL))"
	@echo "make bench  the import/export, council-report, seed_demo, audit and page (gunicorn, 50 users) benchmarks"
	@echo "make bench-regions   regional reports on a Flemish-scale installation (PostgreSQL; BENCH_ARGS=--small: a quick run)"

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "Traject needs Python 3.12 or newer and none was found."; \
		echo "Install one (e.g. 'pyenv install 3.12') or run: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)"; \
		exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) -V))"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV) $(MANAGE) migrate --noinput

# The background worker (record-bundle imports, the daily digest) and the scheduler (which
# enqueues the daily digest once a day) run beside the web server and stop with it.
demo: migrate
	$(DEV) $(MANAGE) seed_demo
	$(DEV) $(MANAGE) db_worker & worker=$$!; $(DEV) $(MANAGE) run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler' EXIT INT TERM; \
	$(DEV) $(MANAGE) runserver 127.0.0.1:8000

serve: migrate
	$(DEV) $(MANAGE) db_worker & worker=$$!; $(DEV) $(MANAGE) run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler' EXIT INT TERM; \
	$(DEV) $(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: install
	$(PY) -m mypy

# The layers of README "Layout" (import-linter contracts in pyproject.toml).
layers: install
	$(VENV)/bin/lint-imports

pytest: install
	$(PY) -m pytest $(PYTEST_ARGS)

test: lint typecheck layers
	$(TEST_MANAGE) makemigrations --check --dry-run
	$(TEST_MANAGE) check
	@if [ -x /usr/bin/chromium ]; then echo "Browser tests: Chromium found at /usr/bin/chromium, they run."; \
	else echo "Browser tests: NO Chromium at /usr/bin/chromium, they are SKIPPED (apt-get install chromium)."; fi
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$(PG_URL) $(PY) -m pytest $(PYTEST_ARGS)

# The source strings are Dutch; locale/en holds the English catalogue (committed, .mo too).
# translate_en.py fills it from locale/en_translations.json and lists what is untranslated.
messages: install
	$(DEV) $(MANAGE) makemessages -l en --no-obsolete --ignore=.venv --ignore=artifacts --ignore=benchmarks
	$(PY) locale/translate_en.py
	$(DEV) $(MANAGE) compilemessages --ignore=.venv

# The record bundle at 100,000 and 1,000,000 rows on SQLite and PostgreSQL (rows/s, peak
# memory, x COPY); the statistics against their hand-written SQL; the pages against the login
# page and under 50 users. PostgreSQL on $(BENCH_PG) (each script makes its own database).
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
bench: install
	$(DEV) $(PY) benchmarks/bench_records.py --clients 11500 115000 --first-only \
		--postgres $(BENCH_PG)/traject_bench_records
	$(DEV) $(PY) benchmarks/bench_council_report.py --repeat 3
	$(DEV) $(PY) benchmarks/bench_seed_demo.py
	$(DEV) $(PY) benchmarks/bench_audit.py
	$(PY) benchmarks/bench_pages.py

# Long (it builds ~5 million records first); BENCH_ARGS="--keep" reuses them, "--small" is quick.
bench-regions: install
	$(PY) benchmarks/bench_regions.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 artifacts
