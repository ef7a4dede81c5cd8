# Every recipe has a comment: `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := tests/node_modules/.installed

.DEFAULT_GOAL := help
.PHONY: help regenerate test contract e2e record node_modules lint typecheck drift spec-diff check golden corpus corpus-e2e bench

help: ## List the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

regenerate: $(STAMP) ## Create .venv if missing, then generate every client into generated/
	$(PY) -m generator generate

# Prism (the mock server of the end-to-end tests) is pinned in tests/package-lock.json.
$(NODE_STAMP): tests/package.json tests/package-lock.json
	npm ci --prefix tests --no-audit --no-fund
	touch $(NODE_STAMP)

node_modules: $(NODE_STAMP) ## Install the tests' Node tools (Prism) from tests/package-lock.json

test: $(STAMP) $(NODE_STAMP) ## Run the whole test suite (includes contract and e2e)
	$(PY) -m pytest -q

contract: $(STAMP) ## Replay every cassette through the clients and check each against its spec
	$(PY) -m pytest -q tests/contract

e2e: $(STAMP) $(NODE_STAMP) ## Call every operation over loopback HTTP against Prism serving each spec
	$(PY) -m pytest -q tests/e2e

record: $(STAMP) ## Re-record the cassettes of API=<api> against the live API (needs <API>_API_KEY)
	@test -n "$(API)" || { echo "usage: make record API=autosana|automated_future|testmo|panto"; exit 2; }
	$(PY) -m pytest -q tests/contract/test_replay.py --record-mode=rewrite \
		-k "$(API)"

lint: $(STAMP) ## ruff over the generator, the tests and the generated clients
	$(PY) -m ruff check generator tests generated
	$(PY) -m ruff format --check generator tests

typecheck: $(STAMP) ## mypy --strict over the generator, the generated clients and the tests
	$(PY) -m mypy generator
	$(PY) -m mypy generated
	$(PY) -m mypy tests

drift: $(STAMP) ## Fail with a diff when generated/ is stale
	$(PY) -m generator generate --check

spec-diff: $(STAMP) ## Fail on breaking spec changes since the merge base unless acknowledged
	$(PY) -m generator spec-diff

check: lint typecheck drift spec-diff test ## lint + typecheck + drift + spec-diff + tests

# The same lint and type checks before each commit: `pre-commit install` once (pre-commit is not
# a dependency; install it as you like). The hooks in .pre-commit-config.yaml run this .venv.

# The expected outputs the tests compare against: the package trees of tests/generator/cases and
# the expected.json of tests/diff/cases. Review the listed changes (git diff) before committing.
GOLDEN := tests/generator/cases tests/diff/cases

golden: $(STAMP) ## Rewrite the expected outputs of the golden tests, then list what changed; not part of check
	@UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/generator/test_golden.py tests/diff/test_cases.py; \
	status=$$?; \
	changed=$$(git status --short -- $(GOLDEN)); \
	if [ -n "$$changed" ]; then echo "$$changed"; else echo "golden outputs unchanged"; fi; \
	exit $$status

# JOBS=N runs N documents at once (default: one per CPU).
corpus: $(STAMP) ## Generate, type-check and call every document of ../shared/realworld/corpus
	$(PY) tests/corpus/run.py $(if $(JOBS),-j $(JOBS))

# SPEC=FILE checks that document instead of the corpus; REPORT=FILE moves the JSON report of
# every call (default build/corpus-e2e.json); JOBS=N as for corpus.
corpus-e2e: $(STAMP) $(NODE_STAMP) ## Call every operation of every corpus document against Prism serving it
	$(PY) tests/corpus/e2e.py $(SPEC) $(if $(JOBS),-j $(JOBS)) $(if $(REPORT),--report $(REPORT))

$(VENV)/.bench: $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $(VENV)/.bench

bench: $(VENV)/.bench ## Measure against the peers (tests/bench/); not part of check
	$(PY) tests/bench/run.py
