# Two commands for a new machine: `make run` (the service with demo data) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PYTHON := $(VENV)/bin/python
# The tests that need no database, no browser, no GIS client and no Java.
FAST := not db and not browser and not gis_client and not java

.PHONY: run test test-fast stop venv lint typecheck check lock bench backup restore

venv: $(VENV)/.installed

# The virtual environment holds exactly requirements-dev.lock (made anew when the lock changes).
$(VENV)/.installed: requirements-dev.lock pyproject.toml scripts/venv.sh
	scripts/venv.sh "$(VENV)"
	touch $@

run: venv
	scripts/run.sh

test: venv
	scripts/test.sh

test-fast: venv
	env -u DATABASE_URL -u TEST_DATABASE_URL $(PYTHON) -m pytest -q -m "$(FAST)"

stop:
	scripts/pg.sh stop

lint: venv
	$(VENV)/bin/ruff check app migrations tests scripts bench
	$(VENV)/bin/ruff format --check app migrations tests scripts bench

typecheck: venv
	$(VENV)/bin/mypy

# What CI checks before the tests (.ci/run), and the pre-commit hooks too.
check: lint typecheck

# Pin every dependency anew after changing them in pyproject.toml; `make lock UPGRADE=1`
# moves every pin to the newest release allowed (scripts/lock.sh).
lock: venv
	UPGRADE=$(UPGRADE) scripts/lock.sh

bench: venv
	scripts/bench.sh

# A consistent dump of the database and its checksum (backups/, or DIR=...); restored into a
# new database with `make restore FILE=backups/landrelease-....dump` (docs/operations.md).
backup: venv
	scripts/backup.sh $(DIR)

restore: venv
	scripts/restore.sh "$(FILE)" $(DB)
