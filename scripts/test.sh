#!/usr/bin/env bash
# Install Carnet with its test extras in .venv and run the whole test suite.
# Browser tests need Chromium (Debian's package); it is installed when missing and we can.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
.venv/bin/lint-imports
.venv/bin/python -m pytest -q "$@"
