# Kinroll: `make run` serves the demo studio, `make test` runs the whole suite. Both build .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CATALOGS := $(wildcard locales/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
SOURCES := main.py domain pages components

.PHONY: install translations extract run test bench clean

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

run: install translations
	$(PY) main.py --demo

test: install translations
	$(PY) -m pytest

clean:
	rm -rf $(VENV) $(COMPILED)
