# Chancery: `make demo` and `make test` are all a fresh machine needs (README.md).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DB     ?= $(CURDIR)/warehouse/diplomacy.duckdb

PORT   ?= 8501

.PHONY: install demo warehouse serve test check format lint types bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Build the sample warehouse and record the extractor's accuracy on the annotated releases it contains.
warehouse: install
	$(PY) -m etl run --input data/sample --db $(DB)
	$(PY) -m etl evaluate --gold tests/gold/pmd_dev.jsonl --db $(DB) > /dev/null
	$(PY) -m etl evaluate --gold tests/gold/pmd_holdout2.jsonl --db $(DB) > /dev/null
	@echo "warehouse: $(DB)"

# Serve the dashboard on this machine only (http://127.0.0.1:$(PORT)).
serve: install
	DIPLOMACY_DB=$(DB) $(PY) -m streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port $(PORT)

demo: warehouse serve

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

bench: install
	$(PY) -m benchmarks.dashboard_queries

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
