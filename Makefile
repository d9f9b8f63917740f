# The two commands: `make build` sets up and builds the default kits into output/;
# `make test` sets up and runs the linters, the type checker, the layer contracts and the tests.
VENV ?= .venv
BIN := $(VENV)/bin
# Test processes: `make test JOBS=4`. --dist loadfile keeps each test file in one process, so the
# module- and session-scoped fixtures (built kits, one Chromium) are made once, not per process.
JOBS ?= auto
PYTEST := $(BIN)/pytest -n $(JOBS) --dist loadfile

.PHONY: build test test-fast test-browser setup setup-test lint schemas clean bench

build: setup
	$(BIN)/presskit build

test: setup-test lint
	$(PYTEST)

# Everything but PDF rendering and the browser (markers `slow` and `browser`): under a minute on
# two cores. No linters; `make lint` runs them.
test-fast: setup-test
	$(PYTEST) -m "not slow and not browser"

# Only the real-browser tests (Chromium, axe-core, the Nu HTML Checker); screenshots land in
# test-results/screenshots/.
test-browser: setup-test
	$(BIN)/pytest -m browser

lint:
	$(BIN)/ruff check presskit tests bench
	$(BIN)/ruff format --check presskit tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# Regenerate schemas/*.schema.json after changing presskit/project/models.py (a test checks they
# match).
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
	rm -rf output build dist test-results .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
