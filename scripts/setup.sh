#!/usr/bin/env bash
# Create .venv (once) and install formcheck into it with its test tools.
# Sourced by demo.sh and test.sh so that both README commands work on a fresh machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
