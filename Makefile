# The two commands a new developer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: run setup test lint check mutation clean

# The site and, beside it, the task worker (db_worker); Ctrl-C stops both.
run: setup
	$(BIN)/python manage.py serve 127.0.0.1:8000

# Everything `make run` does before serving: safe to repeat.
setup: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_admin

# PYTEST_ARGS: more options, e.g. `make test PYTEST_ARGS="-p randomly"`.
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(STAMP)
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# Mutation testing of the rule modules, by hand (slow; not part of CI). One
# module: `make mutation MODULES=publishing`. Results are kept in mutants/.
MUTATION_STAMP := $(VENV)/.mutation-installed
mutation: $(STAMP) $(MUTATION_STAMP)
	$(BIN)/python bench/mutation.py $(MODULES)

$(MUTATION_STAMP): pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev,mutation]"
	touch $@

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# axe-core for the accessibility checks in the browser tests; skipped when
# npm is not installed (the browser tests then say so and skip).
$(NODE_STAMP): package.json
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-audit --no-fund --silent && touch $@; \
	else \
		echo "npm not found: browser accessibility checks will be skipped"; \
	fi

clean:
	rm -rf $(VENV) node_modules var/static .pytest_cache
