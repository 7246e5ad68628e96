# Parcours — developer commands. `make run` and `make test` do all set-up from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings

.PHONY: run test test-fast quality install browser demo bench clean format

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

browser:
	bash scripts/ensure-chromium.sh

demo: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	PARCOURS_DEMO=1 $(PY) manage.py seed_demo

run: demo
	PORT=$(PORT) PARCOURS_DEMO=1 bash scripts/run.sh

test: install browser
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

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

# Benchmarks on a fresh demo database of its own (results: docs/benchmarks.md).
bench: install
	rm -rf var/bench && mkdir -p var/bench
	PARCOURS_VAR_DIR=var/bench $(PY) manage.py migrate --noinput -v0
	PARCOURS_VAR_DIR=var/bench PARCOURS_DEMO=1 $(PY) manage.py seed_demo
	PARCOURS_VAR_DIR=var/bench $(PY) bench/pages.py --runs 50
	PARCOURS_VAR_DIR=var/bench $(PY) bench/nightly.py --runs 5

# National-scale dataset (issue 6) on an empty throwaway database: DATABASE_URL if set (PostgreSQL
# recommended), else SQLite in var/national/. Then `make bench-national` (pages, SQL floors,
# nightly) and `make bench-load` (gunicorn + locust, PostgreSQL).
.PHONY: bench-data bench-national bench-load
SCALE ?= 0.01
RUNS ?= 30
RUN_TIME ?= 60s
USERS ?= 40
bench-data: install
	$(if $(DATABASE_URL),,mkdir -p var/national)
	$(if $(DATABASE_URL),,PARCOURS_VAR_DIR=var/national) $(PY) manage.py migrate --noinput -v0
	$(if $(DATABASE_URL),,PARCOURS_VAR_DIR=var/national) PARCOURS_DEMO=1 $(PY) manage.py bench_data --scale $(SCALE)

bench-national: install
	$(if $(DATABASE_URL),,PARCOURS_VAR_DIR=var/national) PARCOURS_DEMO=1 $(PY) bench/national.py --runs $(RUNS)

bench-load: install
	bash bench/load.sh $(RUN_TIME) $(USERS)
