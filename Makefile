# The two set-up commands of the README: `make demo` and `make test`.
# Both bootstrap .venv from nothing but Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "blueprint needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@mkdir -p $(OUT)
	$(BIN)/blueprint validate models/*.yaml
	$(BIN)/blueprint lint models/bank_branch.yaml
	$(BIN)/blueprint info models/bank_branch.yaml
	$(BIN)/blueprint info models/bank_branch.yaml --output-format json > $(OUT)/bank_branch.info.json
	@for model in models/*.yaml; do \
	  name=$$(basename $$model .yaml); \
	  $(BIN)/blueprint render $$model -o $(OUT)/$$name.svg || exit 1; \
	  $(BIN)/blueprint render $$model -o $(OUT)/$$name.png || exit 1; \
	done
	$(BIN)/blueprint simulate models/bank_branch.yaml --replications 20 --seed 1 \
	  --json $(OUT)/bank_branch.results.json --csv $(OUT)/bank_branch.csv
	$(BIN)/blueprint render models/bank_branch.yaml -o $(OUT)/bank_branch.waits.svg \
	  --overlay $(OUT)/bank_branch.results.json
	$(BIN)/blueprint report models/bank_branch.yaml --study sims/bank_lunch_staffing.yaml \
	  -o $(OUT)/report.html --replications 20
	@echo "demo: wrote into $(OUT)/: a blueprint of every model (*.svg, *.png), the bank's"
	@echo "      simulation results (bank_branch.results.json, bank_branch.csv/), its"
	@echo "      blueprint coloured by simulated waits (bank_branch.waits.svg), and"
	@echo "      the report to hand to a client: $(OUT)/report.html"

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check blueprint tests benchmarks

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_loader.py
	$(BIN)/python benchmarks/bench_render.py
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_sweep.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
