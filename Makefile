# make site: build site/ · make test: every test · make serve: live preview
# Each target creates .venv and installs the pinned versions first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export TZ := UTC
# Dates in the site (sitemap) come from the last commit, so rebuilds are byte-identical.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH

.PHONY: site build test test-fast serve check lint format lock clean bench bench-readers

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"

# The tool's own bytecode, compiled ahead as pip does for a regular install: an editable
# install leaves it to each run, which cannot save it where PYTHONDONTWRITEBYTECODE is set
# (then every build compiles ~60 modules again, about a quarter of a no-change rebuild).
BYTECODE = $(BIN)/python -m compileall -q -x starter site_builder

$(VENV)/.installed: $(BIN)/activate pyproject.toml requirements.lock
	$(BIN)/pip install -q -c requirements.lock -e .
	$(BYTECODE)
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -c requirements.lock -e '.[test]'
	touch $@

# BUILD_ARGS: more options for `site-builder build`, e.g. --prune-cache in CI.
site: $(VENV)/.installed
	@$(BYTECODE)
	$(BIN)/site-builder build $(BUILD_ARGS)

# The same build as `make site`, under the name of the command it runs.
build: site

serve: $(VENV)/.installed
	@$(BYTECODE)
	$(BIN)/site-builder serve

check: $(VENV)/.installed
	$(BIN)/site-builder check

# axe-core for the accessibility tests, at the version in package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the browser tests will be skipped (CI installs it)"; fi

test: $(VENV)/.installed-test node_modules/.package-lock.json
	$(BIN)/ruff check site_builder charts tests bench tools
	$(BIN)/ruff format --check site_builder charts tests bench tools
	$(BIN)/mypy
	$(BIN)/pytest -q

# The edit-test loop: the core's tests, without whole-site builds or the browser.
test-fast: $(VENV)/.installed-test
	$(BIN)/ruff check site_builder charts tests bench tools
	$(BIN)/pytest -q -m "not slow"

format: $(VENV)/.installed-test
	$(BIN)/ruff format site_builder charts tests bench tools
	$(BIN)/ruff check --fix site_builder charts tests bench tools

# Speed at scale (bench/scale.py): 1,000 charts, a 1,000,000-row CSV and the Chromium
# figures, then Lighthouse and reaching for a chart: about 35 minutes;
# `make bench BENCH="--pages 10 --runs 1 --big 100000"` for a quick run.
BENCH ?= --pages 250 --charts 4 --runs 3
bench: $(VENV)/.installed-test node_modules/.package-lock.json
	@$(BYTECODE)
	cd bench && ../$(BIN)/python scale.py $(BENCH) --json scale.json
	$(BIN)/python bench/build_times.py --runs 3
	$(BIN)/python bench/lighthouse.py $(BENCH_READERS) --json bench/lighthouse.json
	$(BIN)/python bench/reach.py $(BENCH_READERS) --json bench/reach.json

# What charts cost readers: Lighthouse, mobile, on every story page of both editions
# (bench/lighthouse.py, about 10 minutes), then what reaching for a chart costs
# (bench/reach.py) and the main thread's CPU per page (bench/main_thread.py, which a busy
# machine moves less than Lighthouse); `make bench-readers BENCH_READERS="--runs 1"` for a
# quick look.
BENCH_READERS ?= --runs 3
bench-readers: $(VENV)/.installed-test node_modules/.package-lock.json
	$(BIN)/python bench/lighthouse.py $(BENCH_READERS) --json bench/lighthouse.json
	$(BIN)/python bench/reach.py $(BENCH_READERS) --json bench/reach.json
	$(BIN)/python bench/main_thread.py $(BENCH_READERS)

# Refresh the pinned versions from the current .venv.
lock: $(VENV)/.installed-test
	{ echo "# Exact versions tested; pip installs with -c requirements.lock. Refresh with: make lock"; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^site-builder'; } > requirements.lock

clean:
	rm -rf site .cache .site.staging .site.old node_modules
