# Two commands are the whole set-up: `make demo` and `make test`.
# Each creates .venv when it is missing and installs what it needs into it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip

.PHONY: demo test lint bench clean help

help:
	@echo "make demo   run the main demo (creates .venv, installs deltagrad with its example extras)"
	@echo "make test   lint + the whole test suite (creates .venv, installs the dev extras, and torch==2.13.0 when it can be had)"
	@echo "make bench  the benchmarks (installs micrograd and torch==2.13.0 when they can be had)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.examples: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[examples]'
	@touch $@

$(VENV)/.dev: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[dev]'
	@touch $@

# PyTorch for the tests that check against it (nn.pytorch, the losses, the ops): best-effort, as for the
# benchmarks. Without it those checks skip themselves and `make test` still runs the rest.
$(VENV)/.torch: pyproject.toml | $(PY)
	-$(PIP) install --quiet 'torch==2.13.0'
	@touch $@

$(VENV)/.bench: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[examples]'
	# The baselines are optional: the benchmarks say so and go on without them.
	-$(PIP) install --quiet 'micrograd==0.1.0'
	-$(PIP) install --quiet 'torch==2.13.0'
	@touch $@

demo: $(VENV)/.examples
	$(PY) examples/hh19_netbp.py

test: $(VENV)/.dev $(VENV)/.torch
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2    # two workers: the suite is CPU-bound, and these machines have two cores

bench: $(VENV)/.bench
	$(PY) benchmarks/scalar.py
	$(PY) benchmarks/tensor.py
	$(PY) benchmarks/backprop.py

clean:
	rm -rf $(VENV) examples/out .pytest_cache .hypothesis .ruff_cache
