# budgetkit — the data flows one way: raw → tables → tidy → checks → figures → reports.
# `make report` sets up (if needed), extracts every document of the manifest and builds the HTML
# reports; `make test` runs the tests. `make help` lists all targets.

SHELL := /bin/bash
PYTHON ?= python3
CONDA := $(shell command -v conda 2>/dev/null)
ifeq ($(CONDA),)
ENV := .venv
else
ENV := .conda
endif
PY := $(ENV)/bin/python
BK := $(ENV)/bin/budgetkit
STAMP := $(ENV)/.setup-done
MANIFEST := data/raw/manifest.csv
PROCESSED := data/processed
REPORTS := reports
JOBS ?= 2

.DEFAULT_GOAL := help
.PHONY: help setup data check report lab test lint bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: $(STAMP) ## create the environment (conda if present, else .venv + pip)

$(STAMP): requirements.txt environment.yml pyproject.toml
ifeq ($(CONDA),)
	$(PYTHON) -m venv $(ENV)
	$(ENV)/bin/pip install --quiet --upgrade pip
	$(ENV)/bin/pip install --quiet -r requirements.txt
	$(ENV)/bin/pip install --quiet --no-deps -e .
else
	conda env create --quiet --yes -p $(ENV) -f environment.yml || conda env update --quiet -p $(ENV) -f environment.yml
endif
	@java -version >/dev/null 2>&1 || echo "note: Java not found — PDF tables need it (apt-get install default-jre, or conda install openjdk); text dumps work without it"
	touch $(STAMP)

data: $(STAMP) ## extract, tidy and check every document of the manifest into data/processed/
	$(BK) extract $(MANIFEST) --out $(PROCESSED) || echo "some documents failed — listed above and in $(REPORTS)/index.html"

check: $(STAMP) ## print the reconciliation summary of every document
	$(BK) check $(MANIFEST) --out $(PROCESSED)

report: $(STAMP) ## the main job: set up, extract and report what changed, build reports/index.html
	$(BK) report --manifest $(MANIFEST) --processed $(PROCESSED) --out $(REPORTS) --jobs $(JOBS)
	@echo "open $(REPORTS)/index.html"

LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP) ## open JupyterLab on the notebooks (paired .py ↔ .ipynb via jupytext)
	cd notebooks && ../$(ENV)/bin/jupyter lab $(LAB_FLAGS)

test: $(STAMP) ## run the test suite
	$(PY) -m pytest -q

lint: $(STAMP) ## check the code with ruff (configured in pyproject.toml)
	$(ENV)/bin/ruff check budgetkit tests benchmarks scripts

bench: $(STAMP) ## run the benchmarks (numbers go in README.md)
	$(PY) benchmarks/bench_pdf.py
	$(PY) benchmarks/bench_corpus.py
	$(PY) benchmarks/bench_report.py

clean: ## remove generated data and reports (never data/raw)
	rm -rf $(PROCESSED)/* $(REPORTS)/* data/corpus
	touch $(PROCESSED)/.gitkeep $(REPORTS)/.gitkeep
