# One-command tasks. `make demo` and `make test` are the two commands of the README;
# .ci/run calls `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HUB := $(BIN)/credit-hub
ENTERPRISES ?= 1000
SEED ?= 1

.PHONY: install neo4j browser demo test pytest lint typecheck schema bench-import bench-import-initial bench-import-floor bench-propagation bench-check bench-investigate bench-soak bench-search bench-documents bench-site bench-peer bench-compare bench-shuanggongshi bench-events bench-event-nodes bench-explorer bench-sampling stop

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Python dependencies (re-run when pyproject.toml changes).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The site's and GraphiQL's scripts, style sheets and fonts, pinned by web/package-lock.json
# (served by the hub from web/node_modules/, which git ignores; docs/site.md).
web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The CJK font of report PDFs, cut once from the npm package (report/font.py; ~10 s).
web/node_modules/.credit-hub-report-fonts/.done: web/node_modules/.installed $(VENV)/.installed
	$(BIN)/python -m report.font >/dev/null
	touch $@

install: $(VENV)/.installed web/node_modules/.installed web/node_modules/.credit-hub-report-fonts/.done

# Neo4j Community 5.26 LTS under .neo4j/, fetched with mvn (see docs/operations.md).
neo4j: install
	$(HUB) db install

# Everything, then the server: the public site at http://127.0.0.1:8000/, GraphiQL at /graphql
demo: neo4j
	$(HUB) db start
	$(HUB) migrate
	$(HUB) seed --enterprises $(ENTERPRISES) --seed $(SEED)
	@echo "Site: http://127.0.0.1:8000/  GraphiQL: http://127.0.0.1:8000/graphql  (stop Neo4j later with: $(HUB) db stop)"
	$(HUB) serve

# Everything, then the whole test suite against a real Neo4j (instance "test", port 7688).
# The `routed` tests run a second time with the store on the routing driver (neo4j://), as
# against a cluster (tests/conftest.py, tests/test_routing.py).
test: neo4j browser
	$(HUB) --instance test db start
	$(MAKE) lint typecheck
	$(BIN)/pytest && CREDITHUB_TEST_ROUTING=1 $(BIN)/pytest -m routed -q; \
		status=$$?; $(HUB) --instance test db stop; exit $$status

# The browser tests' Chromium, CJK font and pdftotext from Debian's packages (root, as CI is);
# Playwright drives /usr/bin/chromium (tests/browser.py) in Chinese (zh-CN: chromium-l10n holds
# its Chinese strings, e.g. a file input's 选择文件). Skipped when already installed.
browser:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null \
	  && fc-list :lang=zh | grep -q . && test -f /usr/lib/chromium/locales/zh-CN.pak \
	  || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium chromium-l10n fonts-noto-cjk poppler-utils >/dev/null)

# The suite alone (the test instance is started by the fixtures when needed).
pytest: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check hub schema resolvers graphql_engine graph_seed web report bench tests
	$(BIN)/ruff format --check hub schema resolvers graphql_engine graph_seed web report bench tests

typecheck: install
	$(BIN)/mypy

# Writes schema/schema.graphql from the code (CI fails when the committed file drifts).
schema: install
	$(HUB) export-schema

# Benchmarks: `credit-hub bench WHAT` runs the checkout's bench/ (not installed with the package).
# Figures and how to read them: docs/benchmarks.md.
bench-import: neo4j
	$(HUB) bench import --enterprises 100000
# Issue 21: the bulk first load against the import tool alone; the import against its floor.
bench-import-initial: neo4j
	$(HUB) bench import-initial --enterprises 100000
bench-import-floor: neo4j
	$(HUB) bench import-floor --enterprises 100000
bench-propagation: neo4j
	$(HUB) bench propagation --enterprises 100000
bench-check: neo4j
	$(HUB) bench check --enterprises 100000 --seed 7 --reuse --requests 800
bench-investigate: neo4j
	CREDITHUB_EMBEDDED_HEAP=4g CREDITHUB_EMBEDDED_PAGECACHE=8g $(HUB) bench investigate --enterprises 1000000 --seed 7 --requests 1000
bench-soak: neo4j
	$(HUB) bench soak --enterprises 100000 --reuse --duration 600
# The hub against @neo4j/graphql on the same graph (bench/peers/neo4j-graphql/README.md).
bench-peer: neo4j
	cd bench/peers/neo4j-graphql && npm ci --no-audit --no-fund --silent
	PYTHONPATH=. $(BIN)/python bench/peers/neo4j-graphql/compare.py --enterprises 100000 --seed 7 --reuse

# Parse + document limits + validation + cost of adversarial 8 KB documents (no Neo4j needed).
bench-documents: install
	$(HUB) bench documents --requests 50
bench-search: neo4j
	$(HUB) bench search --enterprises 100000 --seed 7 --reuse --requests 800
# The public site's profile and search pages beside their GraphQL queries, c=16; reports/s.
bench-site: neo4j
	$(HUB) bench site --enterprises 100000 --seed 7 --reuse --requests 3200

bench-shuanggongshi: neo4j
	$(HUB) bench shuanggongshi --rows 100000 --rounds 2
# The graph explorer's click-to-drawn time beside the API's (a modest graph: 2,000 enterprises).
bench-explorer: neo4j browser
	CREDITHUB_EMBEDDED_HEAP=2g CREDITHUB_EMBEDDED_PAGECACHE=1g $(HUB) bench explorer --enterprises 2000 --seed 7

# Issue 19: an import with and without the event log, interleaved; the feed's delivery rates.
bench-events: neo4j
	$(HUB) bench events --enterprises 2000 --rounds 24
# One event node's cost to Neo4j, apart from any import (docs/benchmarks.md#event-log).
bench-event-nodes: neo4j
	$(HUB) bench event-nodes --rounds 20
# A 双随机一公开 sampling plan over the check bench's county (docs/benchmarks.md).
bench-sampling: neo4j
	$(HUB) bench sampling --enterprises 100000 --seed 7 --reuse --rounds 2

# Hub CPU per check of this checkout against another (BASE=/path/to/worktree), side by side on
# the bench instance that bench-check loaded.
BASE ?= .
bench-compare: neo4j
	$(BIN)/python -m bench.compare_hubs --b $(BASE) -c 1 --checks 400
	$(BIN)/python -m bench.compare_hubs --b $(BASE) -c 8

stop:
	-$(HUB) db stop
	-$(HUB) --instance test db stop
