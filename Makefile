# The set-up commands: `make demo`, `make test` and `make notebooks` (or `make lab`),
# and `make docs` for the documentation site. Each creates .venv, installs the package
# with what it needs and makes sure Graphviz's `dot` exists.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NOTEBOOKS_STAMP := $(VENV)/.installed-notebooks
DOCS_STAMP := $(VENV)/.installed-docs
# Options for JupyterLab, e.g. make notebooks LAB_ARGS="--no-browser --port 8899"
LAB_ARGS ?=

# The tests' matrices are small: one BLAS thread runs them as fast as two, and on a busy
# machine two threads that spin-wait for each other slow them down about twenty times.
TEST_ENV := OPENBLAS_NUM_THREADS=1

.PHONY: demo test test-kernel notebooks lab docs docs-test lint typecheck bench dot browser clean

demo: $(STAMP) dot
	$(VENV)/bin/micrograd-dls demo --out out

test: $(STAMP) dot browser lint typecheck
	$(TEST_ENV) $(PY) -m pytest --nbmake tests notebooks

# The numerical tests again under another OpenBLAS kernel (default Prescott: no fused
# multiply-add, runs on every x86-64 CPU), so that no figure depends on one CPU's rounding.
KERNEL ?= Prescott
test-kernel: $(STAMP) dot
	OPENBLAS_CORETYPE=$(KERNEL) $(TEST_ENV) $(PY) -m pytest -m "not drawing and not packaging" \
		--nbmake tests notebooks

# JupyterLab on the notebooks folder, in the same .venv (its kernel has the package);
# as root (a container) JupyterLab asks for --allow-root. `exec` puts JupyterLab in the
# shell's place, so stopping make (Ctrl-C, a signal to make) stops JupyterLab too.
notebooks: $(NOTEBOOKS_STAMP) dot
	exec $(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks \
		$$(test "$$(id -u)" = 0 && echo --allow-root) $(LAB_ARGS)

lab: notebooks

# The documentation site, offline, into docs/_build/html (open index.html). -E reads
# every page again, so the notebooks run against the code as it is now; a warning is
# an error. docs-test then opens the site in headless Chromium (docs/test_site.py).
docs: $(DOCS_STAMP) dot
	$(TEST_ENV) $(VENV)/bin/sphinx-build -E -W --keep-going -q -b html docs docs/_build/html

docs-test: docs browser
	$(TEST_ENV) $(PY) -m pytest docs/test_site.py

lint: $(STAMP)
	$(VENV)/bin/ruff check micrograd_dls tests benchmarks notebooks docs conftest.py

# mypy over the package, as [tool.mypy] in pyproject.toml sets it (about ten seconds).
typecheck: $(STAMP)
	$(VENV)/bin/mypy

# Benchmarks unset the OpenBLAS tuning variables of some machines, which slow
# numpy's matrix products; tests never touch them. Every row of the speed table,
# each engine in its own process; on a busy machine: make bench BENCH_ARGS="--threads 1".
bench: $(STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) benchmarks/run.py $(BENCH_ARGS)

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(NOTEBOOKS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[notebooks]"
	touch $(NOTEBOOKS_STAMP)

$(DOCS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[docs]"
	touch $(DOCS_STAMP)

dot:
	@sh scripts/ensure_dot.sh

# Headless Chromium for the stepper's browser tests (skipped, with the reason, without it).
browser:
	@sh scripts/ensure_browser.sh

clean:
	rm -rf $(VENV) .mypy_cache out build dist *.egg-info docs/_build docs/notebooks docs/api/generated \
		docs/api/micrograd_dls*.rst
