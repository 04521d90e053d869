#!/usr/bin/env bash
# The README's main command: set up .venv, then start live mode (hip hinge) on the webcam.
# Where no camera is found, formcheck says so and plays the bundled sample clip instead.
# Where there is no display either, it analyses that sample and prints the per-rep table.
# Extra arguments go to `formcheck live`, e.g. `bash scripts/demo.sh --camera 1`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
sample="samples/studio/hip_hinge_knee_over_toes.mp4"
if [ -n "${DISPLAY:-}" ]; then
    exec .venv/bin/formcheck live --exercise hip_hinge --camera 0 --fallback-source "$sample" "$@"
fi
echo "demo.sh: no display (DISPLAY is unset), so no live window; analysing the bundled sample $sample instead" >&2
exec .venv/bin/formcheck analyze "$sample" --exercise hip_hinge --out out
