# Sanggar — two commands on a fresh machine:  `make run`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser)

.PHONY: run test setup deps assets migrate seed lint format worker bench clean check-browser prod-check backup restore \
	soak faults bench-money bench-migration bench-community bench-chat

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
	$(PY) -m bench $(BENCH_ARGS)
	$(PY) -m bench.migration $(MIGRATION_BENCH_ARGS)
	$(PY) -m bench.soak $(if $(CI),--ci,) $(SOAK_ARGS)
	$(PY) -m bench.faults $(FAULT_ARGS)

# The Sejoli + Tutor import at full size (19,016 users, 19,252 orders) from a synthetic MariaDB source into PostgreSQL:
# wall, CPU, database and source time, rows/s; fails if the report has differences or a second run writes anything.
bench-migration: deps
	$(PY) -m bench.migration $(MIGRATION_BENCH_ARGS)

# The money path of issue 10 alone (order creation, paid webhook, admin sales list, each beside /healthz), at the
# client's scale: 2 uvicorn workers, 32 connections.
bench-money: setup
	$(PY) -m bench --targets orders,webhooks,signed_in,sales --workers 2 --concurrency 32 $(BENCH_ARGS)

# The community (issue 13: feed page / API, group posts, post page at 100,000 posts and 1,000,000 reactions, the
# fan-out to a 10,000-member group) and chat (issue 14: 500 websocket clients on one process, the reminder sweep over
# 20,000 members, a broadcast to a local SMTP sink) alone; `BENCH_ARGS="--scale 0.05"` for a quick run.
bench-community: setup
	$(PY) -m bench --targets community $(BENCH_ARGS)

bench-chat: setup
	$(PY) -m bench --targets chat $(BENCH_ARGS)

# --- production ---------------------------------------------------------------------------------------------------
# The production topology on this machine (2 web, 2 workers, beat, Redis, PostgreSQL, S3-compatible store on
# loopback) and a smoke test through it (README "Deploying"). Needs DATABASE_URL (PostgreSQL) and Redis.
PRODCHECK_DATABASE ?= sanggar_prodcheck
PRODCHECK_REDIS_DB ?= 13
prod-check: deps assets
	$(PY) -m bench.prodcheck --database $(PRODCHECK_DATABASE) --redis-db $(PRODCHECK_REDIS_DB)

# Load and soak (default 10 minutes; `make soak SOAK_ARGS="--ci"`: 60 s) and fault injection, on the same topology.
soak: deps assets
	$(PY) -m bench.soak $(SOAK_ARGS)

faults: deps assets
	$(PY) -m bench.faults $(FAULT_ARGS)

# A backup of the database and every uploaded file to BACKUP_DIR (timestamped; the newest BACKUP_KEEP are kept),
# and a restore into an EMPTY database (`make restore FROM=var/backups/sanggar-... [DATABASE_URL=...]`).
FROM ?= latest
backup: deps
	$(PY) manage.py backup

restore: deps
	$(PY) manage.py restore --from $(FROM)

clean:
	rm -rf $(VENV) node_modules assets/build var
