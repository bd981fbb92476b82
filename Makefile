# clustermap: every target bootstraps .venv with only python3 and is idempotent.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint docs bench bench-full data venv clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/clustermap run data/demo/project.toml

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: lint
	$(PY) -m pytest
	$(MAKE) --no-print-directory docs

# the user guide, method pages and API reference; --strict: a broken reference fails the build
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet

bench: $(STAMP)
	$(PY) -m benchmarks.run

bench-full: $(STAMP)
	$(PY) -m benchmarks.run --full

data: $(STAMP)
	$(PY) -W "ignore::RuntimeWarning:runpy" -m clustermap.loaders.generator data/demo
	$(PY) -W "ignore::RuntimeWarning:runpy" -m clustermap.loaders.employment_generator data/demo

clean:
	rm -rf $(VENV) clustermap-demo build .pytest_cache .mypy_cache .ruff_cache .bench-cache
