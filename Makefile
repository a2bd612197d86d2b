# Fresh machine to running demo or passing tests, one command each.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo and the developer's commands run with DEBUG on unless DEBUG is set: with DEBUG off,
# start-up stops without a SECRET_KEY of its own and load_demo refuses to run (README: Production).
DEV := DEBUG=$${DEBUG:-1}
# The demo lives on 8 January 2014, 10:00, two days before the preliminary summary is due (000):
# its clock starts there and runs on (core.clock); `make run CAMPAIGN_CLOCK=` runs it on real time.
# Its e-mails (reminders of the sweeps load_demo replays, and the worker's) are files in var/mail.
# Links in e-mails start with SITE_URL: where this server answers unless told otherwise.
DEMO := $(DEV) SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} CAMPAIGN_CLOCK=$${CAMPAIGN_CLOCK-2014-01-08T10:00+08:00} \
	EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}

.PHONY: run test lint venv dev-venv chromium redis-server demo worker clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.dev-installed

var/.dirs:
	mkdir -p var/broker/queue var/broker/processed var/uploads
	touch $@

# Demo database: migrate and load the Mass Line campaign as it stood on 8 January 2014 (idempotent).
demo: venv var/.dirs
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEMO) $(PY) manage.py load_demo
	$(DEV) $(PY) manage.py collectstatic --noinput >/dev/null

# Serve the demo with its Celery worker and beat on the embedded broker.
run: demo
	@echo "Starting the worker and beat (embedded broker, no server needed)..."
	$(DEMO) $(VENV)/bin/celery -A config worker --beat --loglevel=INFO --concurrency=1 --pool=solo >var/worker.log 2>&1 & \
	  echo $$! > var/worker.pid; \
	  trap 'kill $$(cat var/worker.pid) 2>/dev/null' EXIT INT TERM; \
	  echo ""; echo "Open http://$(HOST):$(PORT)/ (worker log: var/worker.log)"; \
	  $(DEV) $(PY) manage.py demo_logins; echo ""; \
	  $(DEMO) $(PY) manage.py runserver $(HOST):$(PORT)

chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# The fault tests start Redis servers of their own (tests/faults/stack.py).
redis-server:
	@command -v redis-server >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)

lint: dev-venv
	$(VENV)/bin/ruff check .
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

# The whole suite; DATABASE_URL picks the database (SQLite by default).
test: dev-venv chromium redis-server var/.dirs lint
	$(PY) -m pytest

clean:
	rm -rf var
