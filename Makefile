# pobi — the two commands: `make demo` and `make test`. Both bootstrap what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
SYSTEM := $(shell [ "$$(id -u)" = 0 ] && echo --system)

.PHONY: demo test lint format bench bootstrap clean

bootstrap:
	@scripts/bootstrap.sh $(SYSTEM)

demo: bootstrap
	$(VENV)/bin/pobi demo $(DEMO_ARGS)

test: bootstrap
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: bootstrap
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format: bootstrap
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: bootstrap
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache pobi-data
