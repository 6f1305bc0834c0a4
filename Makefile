# 顧客管理 CRM — the two commands: `make run` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python

# Servers for the database and broker tests (kit.testing): CRM_TEST_DATABASE_URL and
# CRM_TEST_AMQP_URL when set; else testcontainers when a Docker engine answers; else this
# machine's own PostgreSQL and RabbitMQ on 127.0.0.1.

.PHONY: run test install system-deps lint bench multi clean api-documents

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: $(UV) uv.lock pyproject.toml $(wildcard libs/*/pyproject.toml services/*/pyproject.toml)
	$(UV) sync --frozen --all-groups
	touch $@

install: .venv/.synced

## The embedded default: every service in one process, embedded PostgreSQL, in-memory bus,
## demo data; web client on http://127.0.0.1:8000
PORT ?= 8000
DATA_DIR ?= .data/postgres
run: install
	$(PY) -m host run --port $(PORT) --data-dir $(DATA_DIR)

## Every service as its own process against CRM_AMQP_URL and <SERVICE>_DATABASE_URL.
multi: install
	$(PY) -m host multi

## Debian packages the tests use: Chromium + a Japanese font (browser tests), docker-compose
## (offline validation of docker-compose.yml), LibreOffice Calc (the CSV exports opened by a
## real spreadsheet program). Installed only when missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	dpkg -s chromium-l10n >/dev/null 2>&1 || missing="$$missing chromium-l10n"; \
	fc-list 2>/dev/null | grep -qi -E 'ipagothic|noto sans cjk' || missing="$$missing fonts-ipafont-gothic"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-calc-nogui"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
	fi

## The suite in TEST_WORKERS processes (pytest-xdist, a test module per worker at a time), then
## the tests marked `exclusive` (they stop the shared broker) alone. JUNIT=<folder> writes
## junit-parallel.xml and junit-exclusive.xml there.
TEST_WORKERS ?= 2
JUNIT ?=
test: install system-deps
	$(PY) -m ruff check .
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not exclusive" \
	  $(if $(JUNIT),--junitxml=$(JUNIT)/junit-parallel.xml) $(PYTEST_ARGS)
	$(PY) -m pytest -m exclusive $(if $(JUNIT),--junitxml=$(JUNIT)/junit-exclusive.xml) $(PYTEST_ARGS)

## The services' OpenAPI documents as the gateway reads them (run after changing a route).
api-documents: install
	$(PY) -m host.api_documents

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: install
	$(PY) bench/inquiry_throughput.py

clean:
	rm -rf .venv $(TOOLS) .data artifacts
