# Portal 138 — developer commands. `make run` and `make test` are the two that matter.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Build environments only: XStatic sdists still import pkg_resources (setuptools<81).
PIP_ENV := PIP_CONSTRAINT=$(CURDIR)/scripts/build-constraints.txt PIP_BUILD_CONSTRAINT=$(CURDIR)/scripts/build-constraints.txt PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: run setup test lint format check-migrations messages bench clean help

help:
	@echo "make run    - install, migrate, load units and demo data, serve http://127.0.0.1:8000 (web + Celery worker + beat)"
	@echo "make test   - run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)"
	@echo "make lint   - ruff check + ruff format --check + makemigrations --check"
	@echo "make bench  - benchmark the hot paths against their SQL floors (PostgreSQL; DATABASE_URL, default"
	@echo "              database portal_bench on 127.0.0.1, created if missing; BENCH_CASES=1000000, BENCH_SEED)"

$(VENV)/.created:
	@py=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV) && touch $@

$(VENV)/.installed: $(VENV)/.created requirements.txt requirements-dev.txt scripts/build-constraints.txt
	$(PIP_ENV) $(VENV)/bin/pip install -q -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_units
	$(PY) manage.py sync_roles
	$(PY) manage.py seed_demo

run: setup
	@echo "Portal 138: http://127.0.0.1:8000/  (Ctrl+C stops web, worker and beat)"
	$(VENV)/bin/honcho start -f Procfile

test: $(VENV)/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l vi --no-obsolete --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages -l vi --ignore '.venv/*'

# The environment's DATABASE_URL (not .env's), else a PostgreSQL database portal_bench created if missing.
# The dataset (BENCH_CASES, default 1,000,000) is built once and reused; see docs/performance.md.
BENCH_DATABASE_URL := postgres://postgres@127.0.0.1:5432/portal_bench

bench: $(VENV)/.installed
	@url="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}"; \
	echo "Benchmarking against $$url (BENCH_CASES=$${BENCH_CASES:-1000000}; a missing PostgreSQL database is created)"; \
	DATABASE_URL="$$url" $(PY) -m benchmarks.harness --prepare $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
