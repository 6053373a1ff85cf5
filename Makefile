# The two commands a new user needs: `make demo` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
export PYOPENGL_PLATFORM ?= egl
# options of tools/misc/run_main_job.py, e.g. make demo DEMO_ARGS='--amp --iters 850'
DEMO_ARGS ?=

.PHONY: setup demo test

setup:
	@bash tools/setup_env.sh

demo: setup
	@$(PY) tools/misc/run_main_job.py $(DEMO_ARGS)

test: setup
	@$(PY) -m pytest -n 2 --dist worksteal -q tests
