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

# Installs come from the lock files only, every file checked against its hash. With WHEELHOUSE set
# (a folder made by `make wheelhouse`), they come from that folder alone and touch no network.
WHEELHOUSE_DIR := $(or $(WHEELHOUSE),wheelhouse)
PIP_INSTALL := $(strip $(PY) -m pip install --quiet --require-hashes \
	$(if $(WHEELHOUSE),--no-index --find-links=$(abspath $(WHEELHOUSE))))

.PHONY: run test lint venv dev-venv lock lock-check wheelhouse offline-check chromium nginx redis-server demo worker clean

# The venv's own pip (the one Python's ensurepip brings) installs; nothing upgrades it from the network.
$(VENV)/.installed: requirements.lock | lock-check
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.lock
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.lock
	$(PIP_INSTALL) -r requirements-dev.lock
	touch $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.dev-installed

# The lock files: every package of the tree, runtime and dev, pinned with its hashes, compiled by uv
# (UV_VERSION, installed in .lock-tool/) from the hand-edited requirements*.txt. The dev tree is
# resolved first and the runtime one within it, so both pin the same versions. A compile keeps the
# pins it already has where they still fit; `make lock UPGRADE=1` moves everything to the newest.
# Resolved for CPython 3.11 on Linux x86_64 from 3.11.0 up (Debian 12 has 3.11.2), wheels only.
UV_VERSION := 0.13.10
LOCK_TOOL := .lock-tool
UV_COMPILE := $(LOCK_TOOL)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --only-binary :all: --custom-compile-command "make lock" \
	$(if $(UPGRADE),--upgrade)

$(LOCK_TOOL)/bin/uv:
	$(PYTHON) -m venv $(LOCK_TOOL)
	$(LOCK_TOOL)/bin/pip install --quiet uv==$(UV_VERSION)

lock: $(LOCK_TOOL)/bin/uv
	$(UV_COMPILE) -o requirements-dev.lock requirements-dev.txt
	$(UV_COMPILE) -c requirements-dev.lock -o requirements.lock requirements.txt

# A pin of requirements*.txt that its lock file doesn't hold (same version) means `make lock` was
# not run after an edit: installs and lint stop here rather than miss the package.
define LOCK_CHECK
import re, sys
def pins(path):
    found = {}
    for line in open(path):
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)", line.split("#")[0].strip())
        if match:
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found
runtime = pins("requirements.txt")
stale = [f"{name}=={version} (from {source}) is not in {lock}"
         for source, lock, wanted in (("requirements.txt", "requirements.lock", runtime),
                                      ("requirements.txt", "requirements-dev.lock", runtime),
                                      ("requirements-dev.txt", "requirements-dev.lock", pins("requirements-dev.txt")))
         for name, version in wanted.items() if pins(lock).get(name) != version]
if stale:
    sys.exit("The lock files are behind requirements*.txt; run `make lock`:\n  " + "\n  ".join(stale))
endef
export LOCK_CHECK
lock-check:
	@$(PYTHON) -c "$$LOCK_CHECK"

# Every wheel of the dev lock (which holds the runtime one) for this platform, hash-checked, into
# WHEELHOUSE (default wheelhouse/): carried to a machine without internet, it installs everything.
# Its stamp follows the dev lock, so a second run with the lock unchanged asks the index nothing.
wheelhouse: $(WHEELHOUSE_DIR)/.downloaded
$(WHEELHOUSE_DIR)/.downloaded: requirements-dev.lock
	$(PYTHON) -m pip download --quiet --require-hashes --only-binary=:all: --no-deps \
	  --dest $(WHEELHOUSE_DIR) -r requirements-dev.lock
	touch $@

# Proof that the wheelhouse is complete: a throwaway venv takes the whole dev lock from it with no
# index, no pip configuration and (where unshare can) no network at all, then runs Django's checks
# on the project with it (ninja needs configured settings even to import).
NO_NETWORK := $(shell unshare -n true 2>/dev/null && echo unshare -n)
offline-check: wheelhouse
	@set -e; check_venv="$$(mktemp -d /tmp/offline-check.XXXXXX)"; trap 'rm -rf "$$check_venv"' EXIT; \
	  $(PYTHON) -m venv "$$check_venv"; \
	  echo "installing requirements-dev.lock from $(WHEELHOUSE_DIR) into $$check_venv with no index$(if $(NO_NETWORK), and no network)"; \
	  env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 \
	    $(NO_NETWORK) "$$check_venv/bin/python" -m pip install --quiet --no-compile --require-hashes \
	    --no-index --find-links="$(abspath $(WHEELHOUSE_DIR))" -r requirements-dev.lock; \
	  $(DEV) DJANGO_SETTINGS_MODULE=config.settings $(NO_NETWORK) "$$check_venv/bin/python" -c \
	    "import django; django.setup(); import ninja, celery, pytest, playwright, requests"; \
	  $(DEV) $(NO_NETWORK) "$$check_venv/bin/python" manage.py check; \
	  echo "offline-check: passed"

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

# The deployment kit's tests check the rendered nginx site with Debian's nginx (tests/deploy).
nginx:
	@test -x /usr/sbin/nginx || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null)

# The fault tests start Redis servers of their own (tests/faults/stack.py).
redis-server:
	@command -v redis-server >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)

lint: dev-venv lock-check
	$(VENV)/bin/ruff check .
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

# The whole suite; DATABASE_URL picks the database (SQLite by default).
test: dev-venv chromium nginx redis-server var/.dirs lint
	$(PY) -m pytest

clean:
	rm -rf var
