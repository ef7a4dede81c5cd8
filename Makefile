# Every recipe has a comment: `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help regenerate test lint typecheck drift spec-diff check bench

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

regenerate: $(STAMP) ## Create .venv if missing, then generate every client into generated/
	$(PY) -m generator generate

test: $(STAMP) ## Run the whole test suite
	$(PY) -m pytest -q

lint: $(STAMP) ## ruff over the generator, the tests and the generated clients
	$(PY) -m ruff check generator tests generated
	$(PY) -m ruff format --check generator tests

typecheck: $(STAMP) ## mypy --strict over the generator and the generated clients
	$(PY) -m mypy generator
	$(PY) -m mypy generated

drift: $(STAMP) ## Fail with a diff when generated/ is stale
	$(PY) -m generator generate --check

spec-diff: $(STAMP) ## Fail on breaking spec changes since the merge base unless acknowledged
	$(PY) -m generator spec-diff

check: lint typecheck drift spec-diff test ## lint + typecheck + drift + spec-diff + tests

$(VENV)/.bench: $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $(VENV)/.bench

bench: $(VENV)/.bench ## Measure against the peers (tests/bench/); not part of check
	$(PY) tests/bench/run.py
