#!/usr/bin/env bash
# Regenerate samples/studio/: every exercise clean and with its headline faults, from the view
# each rule needs. Needs the studio extra (README, "Sample studio"). About 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=samples/studio
render() {
    local name=$1
    shift
    .venv/bin/formcheck studio --reps 2 --size 640x480 --fps 15 --seed 0 -o "$out/$name.mp4" "$@"
}
render hip_hinge_clean             --exercise hip_hinge
render hip_hinge_hinge_depth       --exercise hip_hinge --fault hinge_depth=30
render hip_hinge_knee_over_toes    --exercise hip_hinge --fault knee_over_toes=0.15
render clamshell_clean             --exercise clamshell --distance 2.6
render clamshell_pelvis_still      --exercise clamshell --distance 2.6 --fault pelvis_still=20
render split_squat_clean           --exercise split_squat
render split_squat_knee_over_toes  --exercise split_squat --fault knee_over_toes=0.2
render split_squat_knee_tracking   --exercise split_squat --view front --fault knee_tracking=15
render squat_clean                 --exercise squat --side both
render squat_knee_tracking         --exercise squat --side both --view front --fault knee_tracking=15
render glute_bridge_clean          --exercise glute_bridge --distance 2.6
render glute_bridge_pelvis_drop    --exercise glute_bridge --distance 2.6 --view front --height 1.6 --fault pelvis_drop=15
render hip_flexor_march_clean      --exercise hip_flexor_march --side both --distance 2.6
render hip_flexor_march_height     --exercise hip_flexor_march --side both --distance 2.6 --fault march_height=30
render band_walk_clean             --exercise band_walk
render band_walk_knee_valgus       --exercise band_walk --fault knee_valgus=15
render mountain_climber_clean      --exercise mountain_climber --side both --distance 2.6
render mountain_climber_hips_pike  --exercise mountain_climber --side both --distance 2.6 --fault hips_pike=15
render mountain_climber_hips_sag   --exercise mountain_climber --side both --distance 2.6 --fault hips_sag=10
render hip_internal_rotation_clean --exercise hip_internal_rotation --side both --distance 2.4 --height 1.8
render hip_internal_rotation_knees_apart --exercise hip_internal_rotation --side both --distance 2.4 --height 1.8 \
    --fault knees_apart=12
# From high beyond the feet (looking down ~70 deg): the view in which the knees can be placed.
render hip_internal_rotation_high_clean --exercise hip_internal_rotation --side both --distance 1.0 --height 2.6
render hip_internal_rotation_high_knees_apart --exercise hip_internal_rotation --side both --distance 1.0 --height 2.6 \
    --fault knees_apart=12
