# Chancery: `make demo` and `make test` are all a fresh machine needs (README.md).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DB     ?= $(CURDIR)/warehouse/diplomacy.duckdb

.PHONY: install demo warehouse test check format lint types clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

warehouse: install
	$(PY) -m etl run --input data/sample --db $(DB)
	@echo "warehouse: $(DB)"

demo: warehouse

test: install
	$(PY) -m pytest -q

format: install
	$(PY) -m ruff format etl warehouse dashboard tests benchmarks

lint: install
	$(PY) -m ruff format --check etl warehouse dashboard tests benchmarks
	$(PY) -m ruff check etl warehouse dashboard tests benchmarks

types: install
	$(PY) -m mypy

check: lint types test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
