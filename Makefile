# Two commands set everything up on a bare machine with Python 3.11+:
#   make run    embedded PostgreSQL + Redis, migrations, seed data, web + worker + beat
#   make test   the same services, then the whole test suite (ARGS="tests/..." for a part)
#   make manage ARGS="..."   one manage.py command against those services
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test manage lint format browser-deps

$(VENV)/.installed: requirements.txt requirements-embedded.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m config.stack run

# The browser tests drive Debian's Chromium (Playwright cannot download browsers here) and
# need Urdu-capable fonts. Installed when missing and we are root; otherwise they skip.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium and fonts-noto-core for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null) \
	    || echo "could not install chromium: the browser tests will be skipped"; \
	fi

test: $(VENV)/.installed browser-deps
	$(BIN)/python -m config.stack test $(ARGS)

# Any manage.py command against the same embedded servers as `make run` (shared while it runs):
#   make manage ARGS="ingest articles.jsonl"
manage: $(VENV)/.installed
	@$(BIN)/python -m config.stack manage $(ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
