# Portal 138 — developer commands. `make run` and `make test` are the two that matter.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Build environments only: XStatic sdists still import pkg_resources (setuptools<81).
PIP_ENV := PIP_CONSTRAINT=$(CURDIR)/scripts/build-constraints.txt PIP_BUILD_CONSTRAINT=$(CURDIR)/scripts/build-constraints.txt PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: run setup test lint format check-migrations messages bench clean help

help:
	@echo "make run    - install, migrate, load units and demo data, serve http://127.0.0.1:8000 (web + Celery worker + beat)"
	@echo "make test   - run the whole test suite on every CPU (SQLite; DATABASE_URL for PostgreSQL; PYTEST_WORKERS=0 serial)"
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

# axe-core (package.json) for the accessibility browser tests; without npm they skip and say why.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund && touch $@ || echo "npm ci failed (no registry?): the accessibility tests will skip"; \
	else \
		echo "npm not found: the accessibility tests will skip (apt-get install nodejs npm)"; \
	fi

# pytest-xdist: one process per CPU (PYTEST_WORKERS=0 runs in this process, e.g. for a debugger or -s);
# loadgroup keeps the tests marked xdist_group("...") together on one worker.
PYTEST_WORKERS ?= auto

test: $(VENV)/.installed node_modules/.installed
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

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
	rm -rf $(VENV) var staticfiles node_modules
