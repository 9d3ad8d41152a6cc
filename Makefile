# Crossgov: `make run` serves the intranet with demo data, `make test` runs the suite.
# Both install what they need first and can be run again at any time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PEOPLE ?= 300
CHROMIUM ?= /usr/bin/chromium
# Test processes (pytest-xdist): one per core; 0 runs the suite in this process.
TEST_WORKERS ?= auto
# A server test database is kept between local runs (migrations still apply);
# CI builds it afresh.
TEST_DB := $(if $(CI),--create-db,--reuse-db)

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint install install-dev assets browser serve clean

run: install assets
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --people $(PEOPLE)
	$(BIN)/python manage.py search_index_ensure
	@echo ""
	@echo "  Crossgov is starting at http://$(HOST):$(PORT)/"
	@echo "  Sign in as demo / crossgov-demo (IT admin: demo-admin / crossgov-demo)"
	@echo ""
	$(BIN)/uvicorn asgi:application --host $(HOST) --port $(PORT) --lifespan off --ws-per-message-deflate false

test: install-dev assets browser
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(TEST_DB) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: static/build/.built

static/build/.built: node_modules/.installed $(shell find assets -type f 2>/dev/null)
	npm run build
	touch $@

# Browser tests drive Debian's Chromium. Install it where we can (root with apt-get);
# elsewhere the tests say loudly that they are skipped, or fail under CI=true.
browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends chromium fonts-liberation; \
	else \
		echo "!!! No Chromium at $(CHROMIUM) and no way to install it here:" \
			"browser tests will be skipped (install Debian's chromium to run them)"; \
	fi

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
