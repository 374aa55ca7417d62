# Two commands for a new machine: `make run` (the service with demo data) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PYTHON := $(VENV)/bin/python

.PHONY: run test stop venv lint bench

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	scripts/venv.sh "$(VENV)"
	touch $@

run: venv
	scripts/run.sh

test: venv
	scripts/test.sh

stop:
	scripts/pg.sh stop

lint: venv
	$(VENV)/bin/ruff check app migrations tests scripts bench
	$(VENV)/bin/ruff format --check app migrations tests scripts bench

bench: venv
	scripts/bench.sh
