# The two commands a returning officer or a developer needs:
#   make run    install into .venv, run the demo contest on SQLite, then serve the web app
#   make test   install everything the tests need, then lint, type-check and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DATA   ?= var
SCALE  ?= 0.01
SECRET ?= $(DATA).secret
STAMP  := $(VENV)/.installed

.PHONY: run test install system-deps lint check-core pytest clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[web,postgres,dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	test -f $(SECRET) || $(BIN)/mandate keys secret $(SECRET)
	$(BIN)/mandate demo --data-dir $(DATA) --scale $(SCALE) --secret-file $(SECRET)
	$(BIN)/mandate serve --data-dir $(DATA) --secret-file $(SECRET) --host 127.0.0.1 --port 8000

system-deps:
	bash scripts/install-system-deps.sh

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test: system-deps lint pytest

clean:
	rm -rf $(VENV) $(DATA) .mypy_cache .ruff_cache .pytest_cache
