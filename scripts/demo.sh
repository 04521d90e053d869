#!/usr/bin/env bash
# The README's main command: set up .venv, then extract the pose track of a real squat clip
# into out/.  (Later versions switch this to the live view and bundled samples.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
clip="../shared/clips/squat/kaiakol_half_squat_side.mp4"
if [ ! -f "$clip" ]; then
    echo "demo.sh: $clip is absent (the shared clips are not beside this repository); pass your own video: .venv/bin/formcheck extract YOUR_VIDEO -o out" >&2
    exit 1
fi
.venv/bin/formcheck extract "$clip" -o out
