#!/usr/bin/env bash
# Install Carnet with its test extras in .venv and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
.venv/bin/lint-imports
.venv/bin/python -m pytest -q "$@"
