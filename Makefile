# Everything a fresh machine needs is python3 and make: the first target that needs the
# virtualenv builds it (pinned by constraints.txt) and later runs reuse it.
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST := $(PY) -m pytest

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test,lint]"
	touch $(STAMP)

$(VENV)/.bench-installed: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test,lint,bench]"
	touch $@

.PHONY: help install test lint format unit emulator integration demo bench live clean eval-tools test-matrix test-peers dist

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: $(STAMP)  ## create .venv and install the package with its test and lint tools

TEST_STAGES := lint unit emulator integration

# Every stage runs even when an earlier one fails (a unit failure must not hide the
# integration results); the summary says what ran and how it ended.
test: $(STAMP)  ## lint, unit tests (no sockets), emulator tests, integration tests (127.0.0.x); a summary
	@status=0; summary=""; \
	for stage in $(TEST_STAGES); do \
	  if $(MAKE) --no-print-directory $$stage; then result=passed; else result=FAILED; status=1; fi; \
	  summary="$$summary\n  $$stage: $$result"; \
	done; \
	printf '%b\n' "\nmake test:$$summary"; \
	exit $$status

unit: $(STAMP)  ## unit tests only: sockets disabled
	$(PYTEST) tests/unit_tests --disable-socket --allow-unix-socket -q

emulator: $(STAMP)  ## the emulator's own tests: raw HTTP on 127.0.0.1, no client code
	$(PYTEST) tests/emulator_tests --allow-hosts=127.0.0.1 -q

integration: $(STAMP)  ## integration tests against the bundled emulator (loopback only)
	$(PYTEST) tests/integration_tests --allow-hosts=127.0.0.1,127.0.0.2,127.0.0.3 -q

live: $(STAMP)  ## the integration suite against api.1min.ai (needs ONEMINAI_API_KEY; emulator-only tests skip)
	ONEMINAI_LIVE=1 $(PYTEST) tests/integration_tests -q

lint: $(STAMP)  ## ruff (lint + format check) and mypy --strict
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)  ## apply ruff formatting and autofixes
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

DEMO_OUT ?= demo-output
demo: $(STAMP)  ## the main job: against 1min.ai with ONEMINAI_API_KEY, else against the emulator
	$(PY) -m langchain_oneminai demo --out $(DEMO_OUT)

bench: $(VENV)/.bench-installed  ## side-by-side benchmarks; writes benchmarks/RESULTS.md
	$(PY) -m benchmarks

eval-tools: $(STAMP)  ## opt-in: tool calling on a real local model, native vs emulated (~15 min)
	$(PY) -m evals

test-matrix: $(STAMP)  ## the suite against the newest and the lowest supported dependencies
	$(PYTHON) scripts/test_matrix.py

test-peers: $(STAMP)  ## third-party 1min.ai clients against the emulator (installed in a cache)
	$(PY) -m pytest tests/peer_tests --allow-hosts=127.0.0.1 -q

dist:  ## build the wheel and sdist into dist/, twine-check them, import every public name from the wheel
	$(PYTHON) scripts/check_dist.py --outdir dist

clean:  ## remove the virtualenv and caches
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache demo-output
