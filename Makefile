# Wachhund – the author's commands. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
ARS    ?=
ARGS   ?=
URL    ?=
PORTAL ?=
# Cut-off day for scheduled posts: posts dated later are previewed, not published.
# Empty: today in Europe/Berlin. The builds read it from the environment.
HEUTE  ?=
export HEUTE
# Where `make upload` puts the site, e.g. user@host:/var/www/wachhund/, and (optional) the
# header file nginx includes, e.g. user@host:/etc/nginx/snippets/wachhund-security-headers.conf
DEPLOY_TARGET ?=
DEPLOY_HEADERS ?=
HEADERS := deploy/generated/security-headers.conf

.DEFAULT_GOAL := help
.PHONY: help install html publish serve test newpost clean import-catalog update update-ozg update-anfragen update-opendata linkcheck webmention lock deploy upload headers bench

help: ## Show the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

# Every file pip installs must match a sha256 in requirements.lock, pip itself first
# (the venv's own pip is whichever came with Python): its stanza is cut out of the lock.
# Then the project itself (wachhund/ and plugins/, editable), built with the locked setuptools.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	awk '/^pip==/ {on = 1} on {print} on && !/\\$$/ {exit}' requirements.lock > $(VENV)/pip.lock
	@grep -q -- '--hash=sha256:' $(VENV)/pip.lock || { echo 'requirements.lock has no hashed pip==: run make lock'; exit 1; }
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(VENV)/pip.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the locked dependencies

html: $(STAMP) ## Build the site into output/ (HEUTE=YYYY-MM-DD: cut-off day for scheduled posts, default today)
	$(PY) -m wachhund.commands.build -s pelicanconf.py -o output

publish: $(STAMP) ## Build the site for the web (publishconf.py); posts dated after HEUTE=YYYY-MM-DD (default today) wait
	$(PY) -m wachhund.commands.build -s publishconf.py -o output

serve: $(STAMP) ## Build, serve at http://127.0.0.1:8000/ and rebuild on every change
	$(PY) -m wachhund.commands.serve --host $(HOST) --port $(PORT)

NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --ignore-scripts --silent && touch $(NODE_STAMP); \
	else echo "npm not found: axe-core and vnu.jar tests will be skipped (install nodejs and npm)"; fi

test: $(STAMP) ## Run the whole test suite
	@$(MAKE) --no-print-directory $(NODE_STAMP) || echo "npm ci failed: browser-side checks will be skipped"
	$(PY) -m pytest -n auto --dist loadfile

newpost: $(STAMP) ## New post: make newpost TITLE="Mein Titel"
	@test -n "$(TITLE)" || { echo 'Usage: make newpost TITLE="Mein Titel"'; exit 2; }
	$(PY) -m wachhund.commands.newpost "$(TITLE)"

import-catalog: $(STAMP) ## Re-import the OZG catalogue, the WSP.NRW list and the Kennzahlen into data/ozg/
	$(PY) -m wachhund.commands.importers.catalog
	$(PY) -m wachhund.commands.importers.wsp
	$(PY) -m wachhund.commands.importers.kennzahlen

update: $(STAMP) ## Every online update in turn (dashboard, links, archive), one summary: make update [ARGS='--pruefen --annehmen --allow-private --date YYYY-MM-DD']
	$(PY) -m wachhund.commands.update $(ARGS)

update-ozg: $(STAMP) ## Import the federal dashboard (no ARS: every key of OZG['IMPORT']): make update-ozg [ARS=050000000000] [URL='…{ars}…'] [ARGS=--annehmen|--pruefen]
	$(PY) -m wachhund.commands.importers.dashboard $(if $(ARS),--ars $(ARS)) $(if $(URL),--url '$(URL)') $(ARGS)

update-anfragen: $(STAMP) ## Sync the questions' FragDenStaat requests (network!): make update-anfragen [ARGS='--date YYYY-MM-DD']
	$(PY) -m wachhund.commands.anfragen $(ARGS)
update-opendata: $(STAMP) ## Import the open-data catalogues (network!): make update-opendata [PORTAL=duisburg] [URL='…'] [ARGS='--date YYYY-MM-DD --annehmen']
	$(PY) -m wachhund.commands.opendata $(if $(PORTAL),--portal '$(PORTAL)') $(if $(URL),--url '$(URL)') $(ARGS)

linkcheck: $(STAMP) ## Check every external link (network!): make linkcheck ARGS='--all'
	$(PY) -m wachhund.commands.linkcheck $(ARGS)

webmention: $(STAMP) ## After make deploy: tell the pages the posts cite (network!): make webmention [ARGS=--allow-private]
	$(PY) -m wachhund.commands.webmention $(ARGS)

lock: $(STAMP) ## Re-compile requirements.lock (versions kept, sha256 of every file): make lock [ARGS=--upgrade | ARGS='--upgrade-package NAME']
	$(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --extra dev --strip-extras --no-emit-index-url --no-emit-find-links $(ARGS) -o requirements.lock pyproject.toml

# make publish also writes the header file nginx includes, for publishconf.py's SITEURL
# (before the build: a SITEURL that cannot stand in the CSP stops it).
publish: headers
headers: $(STAMP) ## Write deploy/generated/security-headers.conf for publishconf.py's SITEURL
	$(PY) -m wachhund.commands.headers publishconf.py $(HEADERS)

upload: ## Upload what make publish built, building nothing: make upload DEPLOY_TARGET=user@host:/path/ [DEPLOY_HEADERS=…]
	@test -n "$(DEPLOY_TARGET)" || { echo 'Set DEPLOY_TARGET=user@host:/path/'; exit 2; }
	@test -f output/index.html.gz -a -f $(HEADERS) || { echo 'Nothing published to upload (output/ without .gz copies or no $(HEADERS)): run make publish first'; exit 2; }
	rsync -avz --delete --checksum $(if $(RSYNC_RSH),-e "$(RSYNC_RSH)") output/ "$(DEPLOY_TARGET)"
	@if [ -n "$(DEPLOY_HEADERS)" ]; then set -x; rsync -tvz --checksum $(if $(RSYNC_RSH),-e "$(RSYNC_RSH)") $(HEADERS) "$(DEPLOY_HEADERS)"; \
	else echo "$(HEADERS) not uploaded (no DEPLOY_HEADERS): the server's copy must match it"; fi

deploy: publish ## make publish, then make upload: make deploy DEPLOY_TARGET=user@host:/path/
	@$(MAKE) --no-print-directory upload

bench: $(STAMP) ## Run the benchmarks in bench/
	$(PY) bench/build_bench.py

clean: ## Remove output/ and caches (keeps .venv)
	rm -rf output .output-old-* .output-build-* cache .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +
