# lumbo — two entry points: `make run` (install + start) and `make test` (install test deps + whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8765

.PHONY: run test lint lock clean install install-dev

# Stamp files record what was installed: pip runs again only when a lock file or
# pyproject.toml is newer than its stamp (or the venv is new), so `make run` starts at once.
STAMP_INSTALL := $(VENV)/.stamp-install
STAMP_DEV := $(VENV)/.stamp-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(STAMP_INSTALL)

install-dev: $(STAMP_DEV)

$(STAMP_INSTALL): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(STAMP_DEV): requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

run: install
	$(BIN)/lumbo serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy
	$(BIN)/pytest -n 2

lint: install-dev
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy

# Regenerate the lock files from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml -o requirements.lock --python-version 3.11 --universal --quiet
	uv pip compile pyproject.toml --extra dev -o requirements-dev.lock --python-version 3.11 --universal --quiet

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
