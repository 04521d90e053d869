#!/usr/bin/env bash
# Create .venv (once) and install formcheck into it with its test tools.
# Sourced by demo.sh and test.sh so that both README commands work on a fresh machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
# pip and setuptools are chatty even with --quiet; keep their output in a log shown on failure.
log=.venv/setup.log
if ! { .venv/bin/python -m pip install --quiet --upgrade pip &&
       .venv/bin/python -m pip install --quiet -e '.[test]'; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup.sh: installing formcheck failed (log above, also in $log)" >&2
    exit 1
fi
