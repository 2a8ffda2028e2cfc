# Công sở số — the two commands: `make run` (serve the Tây Hồ demo) and `make test`.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_LINK_MODE := copy

.PHONY: run test bench lint venv sysdeps sysdeps-test migrate demo static serve clean

venv: .venv/.synced
.venv/.synced: pyproject.toml uv.lock
	@scripts/ensure-uv.sh
	@$(UV) sync --frozen --quiet
	@touch $@

sysdeps:
	@scripts/install-sysdeps.sh run

sysdeps-test:
	@scripts/install-sysdeps.sh test

migrate: venv
	@$(PY) manage.py migrate --noinput -v0

demo: migrate
	@$(PY) manage.py demo

static: venv
	@$(PY) manage.py collectstatic --noinput -v0

run: sysdeps venv migrate demo static
	@HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

test: sysdeps sysdeps-test venv
	@scripts/test.sh

lint: venv
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/mypy

bench: sysdeps venv
	@scripts/bench.sh

clean:
	rm -rf .venv var/static .pytest_cache .mypy_cache .ruff_cache
