# Two commands set everything up on a bare machine with Python 3.11+:
#   make run    embedded PostgreSQL + Redis, migrations, seed data, web + worker + beat
#   make test   the same services, then the whole test suite (ARGS="tests/..." for a part)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m config.stack run

test: $(VENV)/.installed
	$(BIN)/python -m config.stack test $(ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
