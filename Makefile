# One entry point per job. Each target (re)creates .venv when the pinned dependencies changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Debian packages each target needs, as command:package. They are installed by
# scripts/system-packages (with apt-get as root; otherwise it prints the command and stops).
SYSTEM_BASE := ensurepip:python3-venv
SYSTEM_TEST := $(SYSTEM_BASE) chromium:chromium pdftotext:poppler-utils

.PHONY: report test lab bench lock clean

$(STAMP): requirements.lock pyproject.toml
	@PYTHON=$(PYTHON) scripts/system-packages $(SYSTEM_BASE)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (rapport)" >/dev/null
	touch $(STAMP)

report:
	@PYTHON=$(PYTHON) scripts/system-packages $(SYSTEM_BASE)
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/rapport render --all

# System packages first, so a machine without them stops within seconds, before the venv.
test:
	@PYTHON=$(PYTHON) scripts/system-packages $(SYSTEM_TEST)
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

bench: $(STAMP)
	$(BIN)/python -m devtools.bench

# Re-pin after editing pyproject.toml's dependencies.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet '.[test]'
	.lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^kommunerne-paa-banen' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf outputs .cache
