# Two commands do all the set-up on a fresh machine (see README.md):
#   make run   - the portal with demo data on SQLite at http://127.0.0.1:8000 (no Redis needed),
#                with a Celery worker and beat on a filesystem broker beside it
#   make test  - the whole suite against this machine's PostgreSQL and Redis
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := var/.stamps

# Debian packages: Chromium for the browser tests; CJK fonts and HarfBuzz subsetting for the PDF;
# LibreOffice Writer (headless) for the test that opens the report's DOCX and counts its grid
# (see DOMAIN.md: without libharfbuzz-subset0 WeasyPrint embeds whole fonts and is 20x slower).
# LDAP: the headers python-ldap builds against, and slapd / ldap-utils for the tests' private
# directory (tests/sso/slapd.py starts its own on a free port; the system service is not used).
DEBIAN_PACKAGES := chromium fonts-noto-cjk fonts-arphic-gkai00mp texlive-lang-chinese \
	libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 libmagic1 poppler-utils docker-compose \
	libldap2-dev libsasl2-dev slapd ldap-utils libreoffice-writer-nogui

.PHONY: help run test setup system-deps python-deps assets lint format lock check-services \
	migrate demo worker beat bench load restore-drill clean

help:
	@echo "make run    start the portal with demo data (SQLite, no Redis) on http://$(HOST):$(PORT)"
	@echo "make test   run the whole suite against PostgreSQL and Redis"
	@echo "make lint   ruff and the migrations check"

setup: system-deps python-deps assets

system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "Missing Debian packages (run as root, or install them): $$missing"; \
	fi

$(PY):
	$(PYTHON) -m venv $(VENV)

# The lock goes in with uv (requirements/bootstrap.txt pins it): the same pins, 17 s instead of
# pip's 63 s into an empty virtualenv. Where uv cannot be installed or cannot reach the index
# (uv does not read pip.conf: set UV_INDEX_URL for a mirror), pip installs the lock. Neither
# compiles every module up front: a module is compiled when first imported (into the same
# __pycache__ folders); pip's up-front compilation was 24 s of its 63.
$(STAMP)/python-deps: requirements/dev.txt requirements/bootstrap.txt | $(PY)
	@mkdir -p $(STAMP)
	@if $(PIP) install --quiet --disable-pip-version-check -r requirements/bootstrap.txt; then \
		$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements/dev.txt && exit 0; \
		echo "uv could not install the lock: pip installs it"; fi; \
	$(PIP) install --quiet --no-compile --disable-pip-version-check -r requirements/dev.txt
	@touch $@

python-deps: $(STAMP)/python-deps

$(STAMP)/assets: package.json package-lock.json
	@mkdir -p $(STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/bootstrap static/vendor/bootstrap-icons/fonts static/vendor/htmx static/vendor/chartjs
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css static/vendor/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff static/vendor/bootstrap-icons/fonts/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/chartjs/
	@touch $@

assets: $(STAMP)/assets

migrate: setup
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py migrate --noinput

demo: migrate
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py seed_demo

run: demo
	@# Today's reminders are in the bells before the server starts; from then on the worker and
	@# beat that runportal starts beside runserver (filesystem broker in var/celery, no Redis)
	@# run the periodic jobs at their times. Ctrl-C stops all three.
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py send_reminders --inline --verbosity 0
	@echo "主体责任管理平台: http://$(HOST):$(PORT)/  (demo accounts above; stop with Ctrl-C)"
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py runportal $(HOST):$(PORT)

check-services: setup
	@DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m config.checks

# The suite runs on PYTEST_WORKERS processes (pytest-xdist; each has its own test database and
# Redis database). It runs a second time on the `make run` configuration (SQLite, filesystem
# broker, no Redis) for the browser journeys, the findings import, the notices and the embedded
# schedule, so that a defect of either database fails a test. The fault tests stop, freeze and
# kill servers and time the answers: they run last, and the SQLite run goes beside them at the
# lowest CPU priority, so that it takes only the CPU the fault tests leave while they wait for
# servers and timeouts (about a minute less in all). `nice` alone ranks processes only within
# one session, and the kernel shares the CPU between sessions first (autogroup) while the
# fault tests' servers run in sessions of their own: so the SQLite run gets a session of its
# own (setsid) whose group is niced too (/proc/self/autogroup). Its output goes to
# var/test-sqlite.log and is printed when both runs have ended. Exit code 5 ("no tests ran")
# is fine for the fault tests when PYTEST_ARGS selects none of them.
PYTEST_WORKERS ?= 3
SQLITE_TESTS := tests/e2e tests/rectification/test_import.py tests/notices/test_event_notices.py \
	tests/deadlines/test_embedded_schedule.py tests/rectification/test_prepared.py

# Every process of the runs (pytest, its xdist workers, the Celery workers and gunicorn the tests
# start) imports the project; with PYTHONDONTWRITEBYTECODE set in the caller's environment each
# of them compiled every module again (5 s of a worker's 10 s collection). The bytecode goes to
# the usual __pycache__ folders (ignored by git).
test: export PYTHONDONTWRITEBYTECODE :=
test: check-services
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal -m "not faults" $(PYTEST_ARGS)
	@mkdir -p var
	setsid sh -c '{ echo 19 > /proc/self/autogroup; } 2>/dev/null; exec nice -n 19 env \
		DJANGO_SETTINGS_MODULE=config.settings.test_sqlite $(PY) -m pytest -n $(PYTEST_WORKERS) \
		--dist worksteal $(SQLITE_TESTS)' > var/test-sqlite.log 2>&1 & sqlite=$$!; \
	trap 'kill $$sqlite 2>/dev/null' INT TERM; \
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -p no:xdist -m faults $(PYTEST_ARGS); \
	faults=$$?; wait $$sqlite; sqlite=$$?; \
	echo "---- the SQLite run (make run's configuration), beside the fault tests ----"; cat var/test-sqlite.log; \
	[ $$sqlite -eq 0 ] && { [ $$faults -eq 0 ] || [ $$faults -eq 5 ]; }

lint: python-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py makemigrations --check --dry-run
	@# The production compose file must parse (no Docker engine here: config only).
	@if docker compose version >/dev/null 2>&1; then compose="docker compose"; \
	elif command -v docker-compose >/dev/null; then compose=docker-compose; fi; \
	if [ -n "$$compose" ]; then POSTGRES_PASSWORD=x DJANGO_SECRET_KEY=x DJANGO_ALLOWED_HOSTS=x \
		MINIO_ROOT_PASSWORD=x S3_SECRET_KEY=x \
		$$compose -f docker-compose.yml config -q && echo "docker-compose.yml: valid"; \
	else echo "docker compose not installed: docker-compose.yml not checked"; fi

format: python-deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: $(PY)
	$(PIP) install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/base.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements/dev.txt pyproject.toml

worker: setup
	$(VENV)/bin/celery -A config worker -l info

beat: setup
	@mkdir -p var  # the schedule file; run exactly one beat process
	$(VENV)/bin/celery -A config beat -l info

restore-drill: setup
	$(PY) bench/restore_drill.py

bench: setup
	@for script in bench/bench_*.py; do $(PY) $$script || exit 1; done

# 50 locust users for 60 s against gunicorn on generate_dataset scale 10 (bench/bench_load.py);
# `make load USERS=200` for issue 15's load.
USERS ?= 50
load: setup
	$(PY) bench/bench_load.py --users $(USERS)

clean:
	rm -rf $(VENV) node_modules static/vendor var
