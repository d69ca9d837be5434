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
	@echo "demo: wrote $(OUT)/bank_branch.info.json and a blueprint of every model: $(OUT)/*.svg, $(OUT)/*.png"

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check blueprint tests benchmarks

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_loader.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
