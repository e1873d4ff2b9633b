# One entry point per job. Each target (re)creates .venv when the pinned dependencies changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test lab bench lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (rapport)" >/dev/null
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/rapport render --all

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

bench: $(STAMP)
	$(BIN)/python -m analysis.bench

# Re-pin after editing pyproject.toml's dependencies.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet '.[test]'
	.lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^kommunerne-paa-banen' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf outputs .cache
