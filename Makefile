# The two set-up commands: `make demo` and `make test`. Each creates .venv,
# installs the package with what it needs and makes sure Graphviz's `dot` exists.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench dot browser clean

demo: $(STAMP) dot
	$(VENV)/bin/micrograd-dls demo --out out

test: $(STAMP) dot browser lint
	$(PY) -m pytest --nbmake tests notebooks

lint: $(STAMP)
	$(VENV)/bin/ruff check micrograd_dls tests benchmarks notebooks

# Benchmarks unset the OpenBLAS tuning variables of some machines, which slow
# numpy's matrix products; tests never touch them.
bench: $(STAMP)
	for b in benchmarks/bench_*.py; do \
		echo "== $$b"; env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) $$b || exit 1; done

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

dot:
	@sh scripts/ensure_dot.sh

# Headless Chromium for the stepper's browser tests (skipped, with the reason, without it).
browser:
	@sh scripts/ensure_browser.sh

clean:
	rm -rf $(VENV) out build dist *.egg-info
