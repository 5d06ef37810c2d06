# Essaim — the entry points. `make demo` then `make test` on a fresh machine with Python >= 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_TERRITORY ?= 200072460
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?= -n 2
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo dev test test-sqlite test-postgres test-scaleout quality fix bench mutation serve worker clean messages

$(BIN)/essaim: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --config-settings editable_mode=compat -e .
	@touch $@

install: $(BIN)/essaim

# The demo as a user sees it: DEBUG off, so French error pages (404, 403, 500) and never Django's technical ones;
# static files collected under var/static and served by whitenoise.
demo: install
	$(BIN)/essaim migrate --verbosity 0
	ESSAIM_DEFAULT_TERRITORY=$(DEMO_TERRITORY) $(BIN)/essaim demo
	DEBUG=false $(BIN)/essaim collectstatic --noinput --verbosity 0
	DEBUG=false ESSAIM_DEFAULT_TERRITORY=$(DEMO_TERRITORY) $(BIN)/essaim runserver $(HOST):$(PORT)

# For developers: the same demo with DEBUG on (Django's technical pages, templates and static files reloaded).
dev: install
	$(BIN)/essaim migrate --verbosity 0
	ESSAIM_DEFAULT_TERRITORY=$(DEMO_TERRITORY) $(BIN)/essaim demo
	DEBUG=true ESSAIM_DEFAULT_TERRITORY=$(DEMO_TERRITORY) $(BIN)/essaim runserver $(HOST):$(PORT)

# The whole suite on SQLite, then again on PostgreSQL when one answers (mandatory under CI=true), then the scale-out
# suite against real servers.
test: install test-sqlite test-postgres test-scaleout

test-sqlite: install
	@echo "== Suite complète sur SQLite"
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== Suite complète sur PostgreSQL ($(PG_TEST_URL))"; \
		DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "ERREUR : PostgreSQL injoignable sur $(PG_TEST_URL) alors que CI=true." >&2; exit 1; \
	else \
		echo "== PostgreSQL injoignable sur $(PG_TEST_URL) : suite PostgreSQL sautée (obligatoire quand CI=true)."; \
	fi

# Scale-out with real servers started on this machine (tests/scaleout): a PostgreSQL 15 primary and its hot standby
# of their own (never the machine's server), two web nodes behind nginx, two workers. About 2 minutes; skipped when
# PostgreSQL 15 or nginx is missing, except under CI=true.
test-scaleout: install
	@echo "== Montée en charge : serveurs réels (PostgreSQL primaire et réplique, deux nœuds, nginx, workers)"
	ESSAIM_SCALEOUT=run $(BIN)/pytest -p no:randomly -p no:xdist -m scaleout tests/scaleout

quality: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint essaim/templates --check
	$(BIN)/djlint essaim/templates --lint
	$(BIN)/essaim makemigrations --check --dry-run

fix: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint essaim/templates --reformat

messages: install
	cd essaim && ../$(BIN)/essaim compilemessages

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Mutation testing of the functions that handle money, seats and rights (not part of `make test` nor CI; each run
# measures every mutant in scope again, about half an hour on 2 cores). One module:
# make mutation MUTANTS='essaim.grants.rules.*'. Scores, goal (85 %) and equivalent mutants: docs/testing.md.
MUTANTS ?=
mutation: install
	env -u DATABASE_URL $(BIN)/mutmut run $(or $(MUTANTS),$(shell $(BIN)/python tools/mutation_report.py --globs))
	$(BIN)/python tools/mutation_report.py $(if $(MUTANTS),,--check)

# Production server: granian with one process per core, whitenoise for static files, a secret kept in var/; the
# background worker (`essaim worker`: mails, retries, daily commands) runs beside it and stops with it.
serve: install
	@mkdir -p var
	@test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key
	ESSAIM_ENV=production ESSAIM_HTTPS=false SECRET_KEY=$$(cat var/secret_key) ALLOWED_HOSTS=$(HOST),localhost \
		ESSAIM_DEFAULT_TERRITORY=$(DEMO_TERRITORY) sh -c '$(BIN)/essaim migrate --verbosity 0 && \
		$(BIN)/essaim collectstatic --noinput --verbosity 0 && \
		{ $(BIN)/essaim worker & worker=$$!; trap "kill $$worker 2>/dev/null; wait $$worker" EXIT INT TERM; \
		$(BIN)/essaim serve --bind $(HOST):$(PORT); }'

# The background worker alone, on the same database as `make serve` (production: a systemd unit, docs/operations.md).
worker: install
	@test -s var/secret_key || { echo "ERREUR : lancez d'abord make serve (var/secret_key)." >&2; exit 1; }
	ESSAIM_ENV=production ESSAIM_HTTPS=false SECRET_KEY=$$(cat var/secret_key) ALLOWED_HOSTS=$(HOST),localhost \
		$(BIN)/essaim worker

clean:
	rm -rf $(VENV) var/static mutants
