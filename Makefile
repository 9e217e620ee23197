# Wachhund – the author's commands. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
ARS    ?= 051120000000
ARGS   ?=
URL    ?=
# Cut-off day for scheduled posts: posts dated later are previewed, not published.
# Empty: today in Europe/Berlin. The builds read it from the environment.
HEUTE  ?=
export HEUTE
# Deploy target for `make deploy`, e.g. user@host:/var/www/wachhund/
DEPLOY_TARGET ?=

.DEFAULT_GOAL := help
.PHONY: help install html publish serve test newpost clean import-catalog update-ozg linkcheck lock deploy bench

help: ## Show the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the locked dependencies

html: $(STAMP) ## Build the site into output/ (HEUTE=YYYY-MM-DD: cut-off day for scheduled posts, default today)
	$(PY) tools/build.py -s pelicanconf.py -o output

publish: $(STAMP) ## Build the site for the web (publishconf.py); posts dated after HEUTE=YYYY-MM-DD (default today) wait
	$(PY) tools/build.py -s publishconf.py -o output

serve: $(STAMP) ## Build, serve at http://127.0.0.1:8000/ and rebuild on every change
	$(PY) tools/serve.py --host $(HOST) --port $(PORT)

NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --ignore-scripts --silent && touch $(NODE_STAMP); \
	else echo "npm not found: axe-core and vnu.jar tests will be skipped (install nodejs and npm)"; fi

test: $(STAMP) ## Run the whole test suite
	@$(MAKE) --no-print-directory $(NODE_STAMP) || echo "npm ci failed: browser-side checks will be skipped"
	$(PY) -m pytest

newpost: $(STAMP) ## New post: make newpost TITLE="Mein Titel"
	@test -n "$(TITLE)" || { echo 'Usage: make newpost TITLE="Mein Titel"'; exit 2; }
	$(PY) tools/newpost.py "$(TITLE)"

import-catalog: $(STAMP) ## Re-import the OZG catalogue, the WSP.NRW list and the Kennzahlen into data/ozg/
	PYTHONPATH=plugins $(PY) -m ozg_status.importers.catalog
	PYTHONPATH=plugins $(PY) -m ozg_status.importers.wsp
	PYTHONPATH=plugins $(PY) -m ozg_status.importers.kennzahlen

update-ozg: $(STAMP) ## Import the federal dashboard export: make update-ozg ARS=050000000000 [URL='…{ars}…']
	PYTHONPATH=plugins $(PY) -m ozg_status.importers.dashboard --ars $(ARS) $(if $(URL),--url '$(URL)') $(ARGS)

linkcheck: $(STAMP) ## Check every external link (network!): make linkcheck ARGS='--all'
	PYTHONPATH=plugins $(PY) -m link_health.check $(ARGS)

lock: ## Re-compile requirements.lock from pyproject.toml
	$(PY) -m piptools compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

deploy: publish ## Upload output/ with rsync: make deploy DEPLOY_TARGET=user@host:/path/
	@test -n "$(DEPLOY_TARGET)" || { echo 'Set DEPLOY_TARGET=user@host:/path/'; exit 2; }
	rsync -avz --delete --checksum $(if $(RSYNC_RSH),-e "$(RSYNC_RSH)") output/ $(DEPLOY_TARGET)

bench: $(STAMP) ## Run the benchmarks in bench/
	$(PY) bench/build_bench.py

clean: ## Remove output/ and caches (keeps .venv)
	rm -rf output .output-old-* .output-build-* cache .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +
