# Kinroll: `make run` serves the demo studio, `make test` runs the whole suite. Both build .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CATALOGS := $(wildcard locales/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
SOURCES := main.py domain pages components

.PHONY: install translations extract run test lint tools bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

%.mo: %.po $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

translations: $(COMPILED)

# After adding or changing messages: refresh the template and every catalog, then translate what is new.
extract: $(STAMP)
	$(VENV)/bin/pybabel extract --no-location --sort-output -k _ -k N_ -o locales/messages.pot $(SOURCES)
	$(VENV)/bin/pybabel update --no-fuzzy-matching -i locales/messages.pot -d locales -D messages

# axe-core and Lighthouse for the accessibility tests and the benchmarks, from the npm registry, when npm is
# here; without it those tests say why they were skipped.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the axe-core and Lighthouse checks will be skipped"; fi

tools: node_modules/.installed

# Static checks, part of `make test`: ruff's lint and format check everywhere, mypy on the domain.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

run: install translations
	$(PY) main.py --demo

# Two passes: everything on SQLite, then everything but the browser journeys on PostgreSQL (when reachable;
# .ci/run requires it).
test: install translations lint tools
	$(PY) -m pytest
	@$(PY) -m tests.postgres_check; status=$$?; \
	if [ $$status -eq 0 ]; then KINROLL_TEST_DATABASE=postgres $(PY) -m pytest tests --ignore=tests/e2e; \
	elif [ $$status -eq 2 ]; then exit 1; fi

# Speed and memory figures, written to bench/RESULTS.md (needs chromium, Redis, and `make tools` for Lighthouse).
bench: install translations tools
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) $(COMPILED)
