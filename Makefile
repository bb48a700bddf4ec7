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
	@# pip is upgraded only when the venv's own is older than 22 (editable installs from pyproject.toml need 21.3):
	@# Python 3.11's bundled 23.2 does, and the upgrade took 3 s of every set-up
	$(PY) -c 'import pip, sys; sys.exit(int(pip.__version__.split(".")[0]) < 22)' || $(PIP) install --quiet --upgrade pip

# pip byte-compiles every module it installs (torch alone: thousands of files, most never imported here): half
# of the set-up's time. --no-compile skips that, and one import of what the tests and examples use writes the
# byte code of just those modules (PYTHONDONTWRITEBYTECODE set empty: these machines set it, which would leave
# every process to compile them again).
INSTALL := $(PIP) install --quiet --no-compile
WARM    := PYTHONDONTWRITEBYTECODE= $(PY) -c

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.examples: pyproject.toml | $(PY)
	$(INSTALL) -e '.[examples]'
	$(WARM) 'import numpy, graphviz, matplotlib.pyplot, sklearn.datasets, mlxtend.data, tqdm.auto'
	@touch $@

$(VENV)/.dev: pyproject.toml | $(PY)
	$(INSTALL) -e '.[dev]'
	$(WARM) 'import numpy, graphviz, matplotlib.pyplot, sklearn.datasets, mlxtend.data, tqdm.auto, hypothesis, \
	    pytest, xdist, nbclient, nbformat, ipykernel.kernelapp, matplotlib_inline.backend_inline, micrograd.nn, mpmath'
	@touch $@

# PyTorch for the tests that check against it (nn.pytorch, the losses, the ops): best-effort, as for the
# benchmarks. Without it those checks skip themselves and `make test` still runs the rest.
# torch._dynamo is warmed too: torch imports it (some 800 modules, sympy among them) at the first optimizer built and
# sympy at the first torch.autograd.grad given a gradient, which the tests do. Left cold, each pytest worker compiled
# them from source: 8 s of CPU at the first torch.optim.SGD() where byte code takes 2.5 s (3.4 s against 0.7 s for
# sympy alone).
$(VENV)/.torch: pyproject.toml | $(PY)
	-$(INSTALL) 'torch==2.13.0' && $(WARM) 'import torch, torch.nn.functional, torch._dynamo'
	@touch $@

$(VENV)/.bench: pyproject.toml | $(PY)
	$(INSTALL) -e '.[examples]'
	# The baselines are optional: the benchmarks say so and go on without them.
	-$(INSTALL) 'micrograd==0.1.0'
	-$(INSTALL) 'torch==2.13.0' && $(WARM) 'import torch, torch.nn.functional'
	@touch $@

demo: $(VENV)/.examples
	$(PY) examples/hh19_netbp.py

# Each pytest worker compiles every module it imports, test modules rewritten by pytest included: 12 s of each
# worker's 22 s of collection on a clean clone (and these machines keep no byte code). .ci/warm_bytecode.py does it
# once on both cores, as byte code checked against each source's hash, and the workers read it (5 s for 12 s).
test: $(VENV)/.dev $(VENV)/.torch
	$(PY) -m ruff check .
	$(PY) .ci/warm_bytecode.py
	$(PY) -m pytest -n 2 --dist worksteal    # two workers (CPU-bound, two cores); an idle one takes tests from the other

bench: $(VENV)/.bench
	$(PY) benchmarks/scalar.py
	$(PY) benchmarks/tensor.py
	$(PY) benchmarks/backprop.py

clean:
	rm -rf $(VENV) examples/out .pytest_cache .hypothesis .ruff_cache
