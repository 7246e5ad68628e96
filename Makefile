# Parcours — developer commands. `make run` and `make test` do all set-up from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings

.PHONY: run test test-fast quality install install-runtime install-bench browser demo bench clean \
	format lock screenshots

# Locked, hashed package sets (requirements/*.txt, compiled from the short requirements/*.in by
# `make lock`): the runtime for `make run`, runtime + test tools for the suite and `make quality`
# (`make install`), runtime + load generator and profiler for the benchmarks. Each set is
# installed once into .venv, again when its lock file changes.
PIP_INSTALL = $(PY) -m pip install --quiet --require-hashes

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements/base.txt | $(PY)
	$(PIP_INSTALL) -r requirements/base.txt
	touch $@

$(VENV)/.installed: requirements/test.txt | $(PY)
	$(PIP_INSTALL) -r requirements/test.txt
	touch $@

$(VENV)/.bench: requirements/bench.txt | $(PY)
	$(PIP_INSTALL) -r requirements/bench.txt
	touch $@

install: $(VENV)/.installed

install-runtime: $(VENV)/.runtime

install-bench: $(VENV)/.bench

# Regenerate the lock files after editing requirements/*.in (UPGRADE=1: newest versions allowed
# by the .in files; otherwise the versions already locked are kept).
lock: | $(PY)
	test -x $(VENV)/bin/uv || $(PIP_INSTALL) -r requirements/tools.txt
	cd requirements && for set in base test bench tools; do \
		../$(VENV)/bin/uv pip compile --quiet --generate-hashes --no-strip-extras --python-version 3.11 \
			--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) \
			$$set.in -o $$set.txt || exit 1; \
	done

browser:
	bash scripts/ensure-chromium.sh

demo: install-runtime
	mkdir -p var
	$(PY) manage.py migrate --noinput
	PARCOURS_DEMO=1 $(PY) manage.py seed_demo

run: demo
	PORT=$(PORT) PARCOURS_DEMO=1 bash scripts/run.sh

test: install browser
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The main pages of each demo role at 1366x900 and 390x844, into var/screenshots/ (with the
# browser checks and the page-ready figures of tests/e2e/test_daily_d_pages.py).
screenshots: install browser
	$(PY) scripts/screenshots.py $(ROLES)

# The inner loop: everything but the browser tests (no Chromium needed).
test-fast: install
	$(PY) -m pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

quality: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

# Benchmarks on a fresh demo database of its own (results: docs/benchmarks.md): the nightly
# recomputations first (they fill the alerts, as `make run` does), then each page against the
# request floor, side by side.
BENCH_RUNS ?= 50
bench: install-bench
	rm -rf var/bench && mkdir -p var/bench
	PARCOURS_VAR_DIR=var/bench $(PY) manage.py migrate --noinput -v0
	PARCOURS_VAR_DIR=var/bench PARCOURS_DEMO=1 $(PY) manage.py seed_demo
	PARCOURS_VAR_DIR=var/bench $(PY) bench/nightly.py --runs 5
	PARCOURS_VAR_DIR=var/bench $(PY) bench/pages.py --runs $(BENCH_RUNS)

# National-scale dataset (issue 6) on an empty throwaway database: DATABASE_URL if set (PostgreSQL
# recommended), else SQLite in var/national/. Then `make bench-national` (pages, SQL floors,
# nightly). `make bench-load`: each page's throughput as a share of the request floor's under
# gunicorn + locust (bench/load.sh; RUN_TIME per page): on DATABASE_URL (the national dataset's
# accounts) if set, else on a fresh demo SQLite database in var/load/.
.PHONY: bench-data bench-national bench-load
SCALE ?= 0.01
RUNS ?= 30
RUN_TIME ?= 60s
USERS ?= 20
bench-data: install-bench
	$(if $(DATABASE_URL),,mkdir -p var/national)
	$(if $(DATABASE_URL),,PARCOURS_VAR_DIR=var/national) $(PY) manage.py migrate --noinput -v0
	$(if $(DATABASE_URL),,PARCOURS_VAR_DIR=var/national) PARCOURS_DEMO=1 $(PY) manage.py bench_data --scale $(SCALE)

bench-national: install-bench
	$(if $(DATABASE_URL),,PARCOURS_VAR_DIR=var/national) PARCOURS_DEMO=1 $(PY) bench/national.py --runs $(RUNS)

bench-load: install-bench
	bash bench/load.sh $(RUN_TIME) $(USERS)
