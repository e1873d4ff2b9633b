# One entry point per job. Each target (re)creates .venv when the pinned dependencies changed.
# .venv is made with PYTHON: python3, which must be Python 3.11, 3.12 or 3.13 (pyproject.toml's
# requires-python); where python3 is another version, name one, e.g. `make PYTHON=python3.13 test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Debian packages each target needs, as command:package. They are installed by
# scripts/system-packages (with apt-get as root; otherwise it prints the command and stops).
SYSTEM_BASE := ensurepip:python3-venv
SYSTEM_TEST := $(SYSTEM_BASE) chromium:chromium pdftotext:poppler-utils
SYSTEM_FAST := $(SYSTEM_BASE) pdftotext:poppler-utils

# First in every target that may create an environment: stop with one line unless PYTHON is a
# version the project supports.
CHECK_PYTHON = @$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
	2>/dev/null || { echo "make needs Python 3.11, 3.12 or 3.13, but PYTHON=$(PYTHON) is" \
	"$$($(PYTHON) --version 2>/dev/null || echo 'not found')." \
	"Install one of them and name it, e.g. make PYTHON=python3.13 test" >&2; exit 1; }

.PHONY: report test test-fast lab bench lock clean

$(STAMP): requirements.lock pyproject.toml
	$(CHECK_PYTHON)
	@PYTHON=$(PYTHON) scripts/system-packages $(SYSTEM_BASE)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (rapport)" >/dev/null
	touch $(STAMP)

report:
	$(CHECK_PYTHON)
	@PYTHON=$(PYTHON) scripts/system-packages $(SYSTEM_BASE)
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/rapport render --all

# System packages first, so a machine without them stops within seconds, before the venv.
test:
	$(CHECK_PYTHON)
	@PYTHON=$(PYTHON) scripts/system-packages $(SYSTEM_TEST)
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/python -m pytest

# The unit tests only: everything but the tests marked e2e (those render whole reports or drive a
# browser). No chromium needed; pdftotext is, for the rendering tests.
test-fast:
	$(CHECK_PYTHON)
	@PYTHON=$(PYTHON) scripts/system-packages $(SYSTEM_FAST)
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/python -m pytest -m "not e2e"

lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

bench: $(STAMP)
	$(BIN)/python -m devtools.bench

# Re-pin after editing pyproject.toml's dependencies. Pin with the oldest supported Python (3.11):
# the lock must install on 3.11 to 3.13, and CI installs it on 3.13 too (.ci/run). setuptools
# (JupyterLab needs it) is pinned as well: only 3.11's venv comes with one.
lock:
	$(CHECK_PYTHON)
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --upgrade setuptools
	.lockenv/bin/python -m pip install --quiet '.[test]'
	.lockenv/bin/python -m pip freeze --all --exclude-editable \
		| grep -v -e '^kommunerne-paa-banen' -e '^pip==' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf outputs .cache
