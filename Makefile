# taxgov: `make run` starts everything for development; `make test` runs the whole suite.
# Nothing needs installing by hand: the first run creates .venv and node_modules here.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
DEPLOYABLES := identity federal state

HOST ?= 127.0.0.1
IDENTITY_PORT ?= 8000
FEDERAL_PORT ?= 8001
STATE_PORT ?= 8002
export HOST IDENTITY_PORT FEDERAL_PORT STATE_PORT
export TAXGOV_DATA_DIR ?= $(CURDIR)/data
# The federal account signs people in at the local identity provider.
export TAXGOV_FEDERAL_OIDC_ISSUER ?= http://localhost:$(IDENTITY_PORT)

STATIC_SOURCES := $(shell find taxgov -path '*/static/*' -type f 2>/dev/null)

.PHONY: run run-prod setup migrate demo-data test lint typecheck imports migrations-check pytest pytest-postgres test-resilience lock messages clean bench bench-ledger-payoff bench-ledger-scale bench-argon2 bench-idv bench-signin bench-federal-home bench-oidc-token bench-settlement bench-load bench-ratios

run: setup migrate demo-data
	@echo ""
	@echo "  identity (VerifyID):          http://localhost:$(IDENTITY_PORT)/"
	@echo "  federal  (Online Account):    http://localhost:$(FEDERAL_PORT)/"
	@echo "  state    (TaxConnect):        http://localhost:$(STATE_PORT)/"
	@echo "  dev outbox (email and texts): http://localhost:$(IDENTITY_PORT)/dev/outbox/ (and on each port)"
	@echo "  Ctrl-C stops all three and their workers."
	@echo ""
	@$(PY) manage.py demo_personas --settings=config.settings.federal || true
	@echo ""
	@exec $(VENV)/bin/honcho -f Procfile.dev start

# The production shape on loopback (ADR 0033): gunicorn, PostgreSQL, Redis, Celery worker and
# beat, TAXGOV_ENV=production, on ports 8100-8102 beside `make run`. bin/run-prod lists its
# variables (make run-prod PROD_IDENTITY_PORT=9100 ...).
run-prod: $(STAMPS)/system $(STAMPS)/venv $(STAMPS)/npm
	@exec bin/run-prod

setup: $(STAMPS)/system $(STAMPS)/venv $(STAMPS)/npm $(foreach d,$(DEPLOYABLES),$(STAMPS)/static-$(d))

$(STAMPS)/venv: requirements/main.txt
	@mkdir -p $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/main.txt
	@touch $@

$(STAMPS)/dev: requirements/dev.txt $(STAMPS)/venv
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-fund --no-audit --loglevel=error
	@touch $@

$(STAMPS)/static-%: $(STAMPS)/venv $(STAMPS)/npm $(STATIC_SOURCES)
	$(PY) manage.py collectstatic --noinput --verbosity 0 --settings=config.settings.$*
	@touch $@

$(STAMPS)/system: bin/ensure-system-packages
	bin/ensure-system-packages
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/chromium: bin/ensure-system-packages
	bin/ensure-system-packages --browser
	@mkdir -p $(STAMPS) && touch $@

migrate: $(STAMPS)/venv
	@for d in $(DEPLOYABLES); do $(PY) manage.py migrate --noinput --verbosity 0 --settings=config.settings.$$d & done; wait

demo-data: migrate
	@for d in $(DEPLOYABLES); do $(PY) manage.py load_demo_data --settings=config.settings.$$d || exit 1; done
	@$(PY) manage.py rotate_signing_key --if-missing --settings=config.settings.identity
	@bin/register-federal-client

test: lint typecheck imports migrations-check pytest

lint: $(STAMPS)/dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMPS)/dev
	bin/typecheck

imports: $(STAMPS)/dev
	$(VENV)/bin/lint-imports

migrations-check: $(STAMPS)/dev
	@for d in $(DEPLOYABLES); do \
	  echo "makemigrations --check ($$d)"; \
	  TAXGOV_ENV=test TAXGOV_DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run --settings=config.settings.$$d || exit 1; \
	done

pytest: $(STAMPS)/dev $(STAMPS)/npm $(STAMPS)/chromium
	bin/pytest-deployables

# Integration and architecture tests again, on PostgreSQL and Redis (CI=true in .ci/run).
pytest-postgres: $(STAMPS)/dev
	bin/pytest-deployables --postgres

# Fault and abuse tests (tests/resilience): killed workers, a restarted database, Redis down,
# concurrent duplicates, fuzzing. Minutes, not seconds, so apart from `make test`; CI runs them.
test-resilience: $(STAMPS)/dev
	bin/pytest-deployables --resilience

lock: $(STAMPS)/venv
	$(PY) -m pip install --quiet pip-tools==7.6.2
	cd requirements && ../$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o main.txt main.in
	cd requirements && ../$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o dev.txt dev.in

# Update the Spanish catalogue after changing strings (needs GNU gettext), then translate and commit.
messages: $(STAMPS)/venv
	TAXGOV_ENV=test $(PY) manage.py makemessages --locale es --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'data/*' --no-obsolete --settings=config.settings.test
	TAXGOV_ENV=test $(PY) manage.py compilemessages --locale es --ignore '.venv/*' --ignore 'node_modules/*' --settings=config.settings.test

# Benchmarks write their results to bench/results/ (commit them with the change); see bench/README.md.
bench: bench-ledger-payoff bench-argon2 bench-idv bench-signin bench-federal-home bench-oidc-token

# Issue 9's figures in one run and one file (results/ratios.md): sign-in, token endpoint, federal
# home, load test, settlement, ledger at scale, one after another; about 75 minutes on a quiet machine.
bench-ratios: $(STAMPS)/dev
	$(PY) bench/ratios.py

bench-signin: $(STAMPS)/dev
	$(PY) bench/signin_cost.py

bench-federal-home: $(STAMPS)/dev
	$(PY) bench/federal_home.py

# Against panva's oidc-provider (bench/oidc-reference, its own npm packages); a few minutes.
bench-oidc-token: $(STAMPS)/dev $(STAMPS)/oidc-reference
	$(PY) bench/oidc_token.py

$(STAMPS)/oidc-reference: bench/oidc-reference/package.json bench/oidc-reference/package-lock.json
	@mkdir -p $(STAMPS)
	cd bench/oidc-reference && npm ci --no-fund --no-audit --loglevel=error
	@touch $@

bench-ledger-payoff: $(STAMPS)/dev
	$(PY) bench/ledger_payoff.py

# Loads 1,000,000 taxpayers into a scratch PostgreSQL database (about an hour on 2 cores).
bench-ledger-scale: $(STAMPS)/dev
	$(PY) bench/ledger_scale.py

# Settles 1,000,000 payments through a Celery worker on a scratch PostgreSQL database, then
# again with the worker killed half-way (about 20 minutes on 2 cores).
bench-settlement: $(STAMPS)/dev
	$(PY) bench/settlement.py

# A filing-season mix against the three deployables under gunicorn (PostgreSQL, Redis databases 7-9),
# on loopback: make bench-load LOAD_ARGS="--users 10 --duration 20" for a trial; a few minutes.
bench-load: $(STAMPS)/dev $(foreach d,$(DEPLOYABLES),$(STAMPS)/static-$(d))
	$(PY) bench/load_test.py $(LOAD_ARGS)

bench-idv: $(STAMPS)/dev $(STAMPS)/system
	$(PY) bench/idv_decisions.py

bench-argon2: $(STAMPS)/venv
	$(PY) bench/argon2_cost.py

clean:
	rm -rf $(STAMPS) $(VENV) node_modules bench/oidc-reference/node_modules test-artifacts
