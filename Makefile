# lumbo — two entry points: `make run` (install + start) and `make test` (install test deps + whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8765

.PHONY: run test lint lock clean install install-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .

run: install
	$(BIN)/lumbo serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -n 2

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# Regenerate the lock files from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml -o requirements.lock --python-version 3.11 --quiet
	uv pip compile pyproject.toml --extra dev -o requirements-dev.lock --python-version 3.11 --quiet

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
