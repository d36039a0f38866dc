# Lianxin: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test bench lint format messages clean install

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	scripts/ensure-system-packages fonts
	$(BIN)/lianxin migrate --noinput -v0
	$(BIN)/lianxin calendar sync
	$(BIN)/lianxin collectstatic --noinput -v0
	$(BIN)/lianxin demo --first-start
	HOST=$(HOST) PORT=$(PORT) $(BIN)/lianxin serve

test: $(STAMP)
	scripts/ensure-system-packages fonts chromium
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m lianxin.bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the message catalogues after changing strings, then translate the new entries.
messages: $(STAMP)
	for app in lianxin/*/; do if [ -d "$$app/locale" ]; then (cd $$app && ../../$(BIN)/lianxin makemessages -l zh_Hans --no-obsolete --no-location -v0); fi; done
	$(BIN)/lianxin compilemessages -v0

clean:
	rm -rf $(VENV) var
