# The two set-up commands of the README: `make demo` and `make test`.
# Both bootstrap .venv from nothing but Python 3.11+ and make, and install exact,
# hash-checked versions from requirements/*.lock (`make upgrade` refreshes them).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out
SURVEYS := models/surveys
PIP    := $(BIN)/python -m pip --disable-pip-version-check
RUN_LOCK := requirements/run.lock
DEV_LOCK := requirements/dev.lock
# One version of each package for every Python >= 3.11 and every platform, all files hashed.
LOCK_FLAGS := --universal --python-version 3.11 --fork-strategy fewest --generate-hashes \
              --quiet --custom-compile-command "make upgrade"

.PHONY: demo test lint bench lock upgrade clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "blueprint needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

# The lock pins pip, setuptools and wheel too: the editable install then builds without
# build isolation, and nothing unlocked is ever fetched.
$(VENV)/.installed: $(RUN_LOCK) pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --require-hashes -r $(RUN_LOCK)
	$(PIP) install -qq --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: $(DEV_LOCK) pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --require-hashes -r $(DEV_LOCK)
	$(PIP) install -qq --no-deps --no-build-isolation -e .
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
	$(BIN)/blueprint survey models/bank_branch.yaml -o $(OUT)/bank_branch.questionnaire.csv
	$(BIN)/blueprint quality models/bank_branch.yaml --survey $(SURVEYS)/bank_branch.responses.csv \
	  --respondents $(SURVEYS)/bank_branch.respondents.csv --json $(OUT)/bank_branch.quality.json
	$(BIN)/blueprint render models/bank_branch.yaml -o $(OUT)/bank_branch.quality.svg \
	  --overlay $(OUT)/bank_branch.quality.json
	$(BIN)/blueprint report models/bank_branch.yaml --study sims/bank_lunch_staffing.yaml \
	  -o $(OUT)/report.html --replications 20 --survey $(SURVEYS)/bank_branch.responses.csv \
	  --respondents $(SURVEYS)/bank_branch.respondents.csv \
	  --management $(SURVEYS)/bank_branch.management.csv
	@echo "demo: wrote into $(OUT)/: a blueprint of every model (*.svg, *.png), the bank's"
	@echo "      simulation results (bank_branch.results.json, bank_branch.csv/), its"
	@echo "      blueprint coloured by simulated waits (bank_branch.waits.svg), its survey"
	@echo "      questionnaire (bank_branch.questionnaire*.csv) and the customers' verdict"
	@echo "      (bank_branch.quality.json, bank_branch.quality.svg), and the report to"
	@echo "      hand to a client: $(OUT)/report.html"

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check blueprint tests benchmarks
	$(BIN)/mypy blueprint

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_commands.py
	$(BIN)/python benchmarks/bench_loader.py
	$(BIN)/python benchmarks/bench_render.py
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_quality.py

# The locks from pyproject.toml's ranges: `lock` keeps the pinned versions where they still
# fit (after editing the dependencies), `upgrade` takes the newest the ranges allow, then
# reinstalls and runs the suite. dev.lock is resolved first and run.lock within it, so the
# two agree on every package they share.
lock: $(VENV)/.installed-dev
	$(BIN)/uv pip compile $(LOCK_FLAGS) $(UPGRADE) pyproject.toml --extra dev \
	  requirements/build.in requirements/tools.in -o $(DEV_LOCK)
	$(BIN)/uv pip compile $(LOCK_FLAGS) $(UPGRADE) pyproject.toml requirements/build.in \
	  -c $(DEV_LOCK) -o $(RUN_LOCK)

upgrade:
	$(MAKE) lock UPGRADE=--upgrade
	$(MAKE) test

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
