# Sanggar — two commands on a fresh machine:  `make run`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser)

.PHONY: run test setup deps assets migrate seed lint format worker bench clean check-browser

# --- set-up (each step re-runs only when its inputs change) ---------------------------------------
$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets/build/app.css: node_modules/.installed assets/css/app.css assets/vendor.mjs $(shell find sanggar config -name '*.html' -o -name 'menu.py' 2>/dev/null)
	npm run --silent build

deps: $(VENV)/.installed node_modules/.installed
assets: assets/build/app.css

migrate: deps
	$(PY) manage.py migrate --noinput -v 0

seed: migrate
	$(PY) manage.py seed_demo

setup: deps assets seed

# --- the two commands ---------------------------------------------------------------------------------
run: setup
	@echo "Sanggar: http://$(HOST):$(PORT)  (demo accounts in README.md; Ctrl+C stops)"
	@trap 'kill 0' EXIT INT TERM; export PORT=$(PORT); \
	$(VENV)/bin/celery -A config worker --beat --pool=solo --loglevel=warning \
	  --schedule var/celerybeat-schedule & \
	$(VENV)/bin/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --lifespan off

test: deps assets check-browser
	$(MAKE) --no-print-directory lint
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest -q -n 2 $(PYTEST_ARGS)

# --- helpers ------------------------------------------------------------------------------------------
check-browser:
	@if [ -z "$(CHROMIUM)" ]; then \
	  echo "Chromium is missing: browser tests need Debian's chromium (apt-get install chromium)."; exit 1; fi

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: deps
	$(VENV)/bin/celery -A config worker --beat --pool=solo --loglevel=info --schedule var/celerybeat-schedule


bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules assets/build var
