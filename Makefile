# The two set-up commands: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench messages check-messages clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt '.[dev]'
	touch $@

run: $(STAMP)
	$(PY) -m devstack run

test: $(STAMP)
	$(PY) -m devstack test

bench: $(STAMP)
	$(PY) -m devstack exec -- $(PY) bench/run_all.py

# Extract translatable strings into each app's catalogue and the project's, then compile them.
messages: $(STAMP)
	$(PY) -m devstack.messages

clean:
	rm -rf .data
