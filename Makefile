# make run  — create .venv (Python >= 3.12), install, run the baseline and the policy comparison
# make test — same set-up, then the test suite
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Find a Python >= 3.12 that really runs (pyenv shims may exist yet refuse to run).
define find_python
for c in python3.13 python3.12 python3; do \
  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
    command -v $$c; exit 0; fi; done; \
if command -v pyenv >/dev/null 2>&1; then \
  for c in $$(ls -d "$$(pyenv root)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
    if "$$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then echo "$$c"; exit 0; fi; done; fi; \
exit 1
endef

.PHONY: run test venv lint bench clean docs

$(STAMP): pyproject.toml
	@PYTHON=$$( $(find_python) ) || { echo "error: hsr-careers needs Python >= 3.12 (Mesa >= 3.4 requires it)." >&2; \
	  echo "Install one, e.g. 'pyenv install 3.12' or your system's python3.12 package, then rerun make." >&2; exit 1; }; \
	echo "Using $$PYTHON ($$($$PYTHON --version))"; \
	[ -x $(PY) ] || $$PYTHON -m venv $(VENV); \
	$(PY) -m pip install --quiet --upgrade pip && \
	$(PY) -m pip install --quiet -e '.[test]' && touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/hsr-careers run scenarios/baseline.yaml --out results/baseline --force
	$(VENV)/bin/hsr-careers compare scenarios/baseline.yaml scenarios/bridge_funding.yaml scenarios/stable_contracts.yaml \
	  scenarios/fair_mentoring.yaml scenarios/tackle_inequalities.yaml scenarios/inclusive_culture.yaml \
	  scenarios/cross_sector.yaml scenarios/funding_shock.yaml scenarios/combined_reform.yaml --out results/compare --force \
	  --baseline-results results/baseline

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -q

# Rebuild the generated docs (tests fail while they are stale): the policy reference, and every quoted
# result in README.md and docs/ (and docs/report.png) from make run's results/compare.
docs: $(STAMP)
	$(PY) -m experiments.scenarios.policy_docs
	$(VENV)/bin/hsr-careers report results/compare --docs

bench: $(STAMP)
	$(PY) benchmarks/model_speed.py

clean:
	rm -rf $(VENV) results
