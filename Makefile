# The two commands: `make build` sets up and builds the default kits into output/;
# `make test` sets up and runs the linters, the type checker and the tests.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: build test test-browser setup setup-test lint schemas clean bench

build: setup
	$(BIN)/presskit build

test: setup-test lint
	$(BIN)/pytest

# Only the real-browser tests (Chromium, axe-core, the Nu HTML Checker); screenshots land in
# test-results/screenshots/.
test-browser: setup-test
	$(BIN)/pytest -m browser

lint:
	$(BIN)/ruff check presskit tests bench
	$(BIN)/mypy

# Regenerate schemas/*.schema.json after changing presskit/models.py (a test checks they match).
schemas: setup
	$(BIN)/presskit schema --write

# Speed against WeasyPrint's own floor on a synthetic 50-event project (a few minutes);
# `make bench BENCH_ARGS=--quick` for a quick smoke run. Results go to bench/results/.
bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

setup:
	@VENV=$(VENV) scripts/setup.sh build

setup-test:
	@VENV=$(VENV) scripts/setup.sh test

clean:
	rm -rf output build dist test-results .pytest_cache .mypy_cache .ruff_cache
