# The two commands: `make run` serves the site locally, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
INSTALLED := $(VENV)/.installed

# Local development: debug on, a secret generated on first run and never committed.
DEV_ENV = DJANGO_DEBUG=true DJANGO_SECRET_KEY="$$(cat .secret_key)"

.PHONY: translations install run serve test check ci messages lock clean bench-import bench

install: $(INSTALLED)

$(INSTALLED): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(MAKE) --no-print-directory messages
	touch $@

.secret_key:
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# English lives in locale/ (French is the source language); .mo files are built, not committed.
messages:
	DJANGO_SECRET_KEY=compilemessages $(BIN)/python manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules

# After adding strings: extract them, English to translate by hand in locale/en. The French
# catalogue mirrors the source (msgen) only so that French plural rules apply (« 0 cluster publié »).
translations: install
	DJANGO_SECRET_KEY=makemessages $(BIN)/python manage.py makemessages -l en -l fr -v0 \
		--ignore=.venv --ignore=staticfiles --ignore=node_modules --ignore=benchmarks
	msgattrib --clear-fuzzy --empty locale/fr/LC_MESSAGES/django.po | msgen -o locale/fr/LC_MESSAGES/django.po -
	$(MAKE) --no-print-directory messages

run: install .secret_key
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_seed_data
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	@test -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" || echo "make test: Chromium is missing, the browser tests will be skipped (apt-get install chromium)."
	$(BIN)/python -m pytest

# Quick checks before a commit; CI (`make ci`) runs these and much more.
check: install
	DJANGO_DEBUG=true $(BIN)/python manage.py check
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

# What CI runs: the suite on SQLite and on a throwaway PostgreSQL, and the production checks.
ci:
	bash .ci/run

# The member import at national scale: 80,000 generated rows, validated and imported (twice) into
# the database in DATABASE_URL (PostgreSQL for the issue's figure), migrated first. Prints the timings.
bench-import: install
	@test -n "$$DATABASE_URL" || { echo "make bench-import: set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5433/imports_bench"; exit 1; }
	DJANGO_SECRET_KEY=benchmark-only $(BIN)/python manage.py migrate --noinput -v0
	DJANGO_SECRET_KEY=benchmark-only $(BIN)/python benchmarks/import_members.py

# The public site at national scale (seed + 400 clusters / 80,000 organisations) on a throwaway
# PostgreSQL, gunicorn and wrk on 127.0.0.1: writes benchmarks/results/ (needs root for PostgreSQL).
bench: install
	bash benchmarks/run_bench.sh

# Regenerate the lock file after changing dependencies in pyproject.toml (needs uv).
lock:
	uv pip compile pyproject.toml --group dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
