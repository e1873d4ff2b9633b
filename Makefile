# One entry point per job. Each target (re)creates .venv when the pinned dependencies changed.
# .venv is made with PYTHON: python3, which must be Python 3.11, 3.12 or 3.13 (pyproject.toml's
# requires-python); where python3 is another version, name one, e.g. `make PYTHON=python3.13 test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The venv's packages are installed by uv (from PyPI, into .venv): the same pinned versions pip
# would install, in seconds rather than minutes, since it asks the index for them in parallel.
UV_VERSION := 0.13.9
UV_PIP := $(BIN)/uv --no-progress pip install --quiet --python $(BIN)/python

# Debian packages each target needs, as command:package. They are installed by
# scripts/system-packages (with apt-get as root; otherwise it prints the command and stops).
SYSTEM_BASE := ensurepip:python3-venv
SYSTEM_TEST := $(SYSTEM_BASE) chromium:chromium pdftotext:poppler-utils java:default-jre-headless npm:npm
SYSTEM_FAST := $(SYSTEM_BASE) pdftotext:poppler-utils

# First in every target that may create an environment: stop with one line unless PYTHON is a
# version the project supports.
CHECK_PYTHON = @$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
	2>/dev/null || { echo "make needs Python 3.11, 3.12 or 3.13, but PYTHON=$(PYTHON) is" \
	"$$($(PYTHON) --version 2>/dev/null || echo 'not found')." \
	"Install one of them and name it, e.g. make PYTHON=python3.13 test" >&2; exit 1; }

.PHONY: report test test-fast lab bench lock clean preview snapshots

# JupyterLab's settings for `make lab`, in the environment (JupyterLab reads overrides.json
# there before a user's own settings): it opens on the notebooks without the news prompt, the
# news feed or the update check, so it makes no request to the internet.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
LAB_OVERRIDES := {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}
define WRITE_LAB_SETTINGS
	mkdir -p $(dir $(LAB_SETTINGS))
	printf '%s\n' '$(LAB_OVERRIDES)' > $(LAB_SETTINGS)
endef

$(STAMP): requirements.lock pyproject.toml
	$(CHECK_PYTHON)
	@PYTHON=$(PYTHON) scripts/system-packages $(SYSTEM_BASE)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV_PIP) -r requirements.lock
	$(UV_PIP) --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (rapport)" >/dev/null
	$(WRITE_LAB_SETTINGS)
	touch $(STAMP)

$(LAB_SETTINGS): Makefile | $(STAMP)
	$(WRITE_LAB_SETTINGS)

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
# browser), spread over every core. No chromium needed; pdftotext is, for the rendering tests.
test-fast:
	$(CHECK_PYTHON)
	@PYTHON=$(PYTHON) scripts/system-packages $(SYSTEM_FAST)
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/python -m pytest -m "not e2e" -n auto

# The marker lines (what JupyterLab shows of a cell that is not in every report) are written
# anew from each cell's condition and tags first.
lab: $(STAMP) $(LAB_SETTINGS)
	$(BIN)/python -m analysis.report.dialect notebooks/*.ipynb
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

# The report re-rendered on every save, at http://127.0.0.1:8000/ (make preview KOMMUNE=Køge).
preview: $(STAMP)
	$(BIN)/rapport preview $(if $(KOMMUNE),--kommune "$(KOMMUNE)")

# Re-record the prose snapshots (tests/__snapshots__/) after a reviewed change of wording.
snapshots: $(STAMP)
	$(BIN)/python -m pytest tests/test_prose.py --snapshot-update

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
