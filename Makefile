# CASP: `make run` starts the app with demo data; `make test` runs the whole suite.
PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench cluster install lint format messages migrate seed stop-db clean screenshots requirements

# Runtime (requirements.txt) and development (requirements-dev.txt) packages, each locked with hashes;
# the face-recognition packages without their dependencies (requirements-face.txt, see docs/deployment.md).
$(STAMP): requirements.txt requirements-dev.txt requirements-face.txt
	test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-face.txt
	touch $(STAMP)

install: $(STAMP)

# The first run writes a git-ignored .env (DEBUG on, a generated SECRET_KEY) that every manage.py
# command, the worker and gunicorn read; migrate and seed_demo connect as the database owner,
# the processes of scripts/run.sh as the application role (docs/security.md).
run: $(STAMP)
	$(PY) scripts/write_env.py
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	PY=$(PY) scripts/run.sh

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	BENCH_SCALE=$${BENCH_SCALE:-small} $(PY) -m bench

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: $(STAMP)
	DEBUG=true $(PY) manage.py makemessages -l ur --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=staticfiles
	$(PY) scripts/apply_translations.py

# PNGs of the main pages in English and Urdu at 1366 and 390 px, and of the FIR copies, in var/screenshots/.
screenshots: $(STAMP)
	DEBUG=true $(PY) scripts/screenshots.py

stop-db: $(STAMP)
	DEBUG=true $(PY) manage.py embedded_db stop

# Re-lock requirements.txt and requirements-dev.txt from the .in files (needs uv: `pip install uv` anywhere).
UV ?= uv
UV_COMPILE = $(UV) pip compile --generate-hashes --python-version 3.11 --no-header --custom-compile-command "make requirements"
requirements:
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# The cluster proof (docs/scaling.md, "Cluster proof"): two web instances, two workers and beat over a primary,
# a streaming replica and S3-compatible storage under Locust load, with faults; prints name: value unit.
cluster: $(STAMP)
	BENCH_SCALE=$${BENCH_SCALE:-small} $(PY) -m bench bench_cluster
