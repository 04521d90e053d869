#!/usr/bin/env bash
# Regenerate samples/tune/: labelled studio clips for `formcheck tune samples/ --exercise NAME`
# (hip_hinge, clamshell, split_squat). Every rule of the three gets two faulty clips, one of a
# moderate and one of a larger fault size (both clearly past the rule's default threshold in
# formcheck/exercises/<exercise>.toml), and each exercise two more clean clips than
# samples/studio/ has; the two clips of a pair differ in body, seed, camera distance and height
# and working side. Needs the studio extra (README, "Sample studio"). About 25 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Camera and body of the first (A) and second (B) clip of each pair.
A=(--side right --seed 1 --distance 3.6 --height 1.2)
B=(--side left --seed 2 --distance 2.8 --height 0.8)
render() {
    local exercise=$1 name=$2
    shift 2
    nice -n 10 .venv/bin/formcheck studio --reps 2 --size 640x480 --fps 15 --exercise "$exercise" \
        -o "samples/tune/$exercise/$name.mp4" "$@"
}

# Split squat: side-on, except knee_tracking (front-on), which needs clean front-on clips too.
render split_squat split_squat_clean_a               "${A[@]}" --body gender=1
render split_squat split_squat_clean_b               "${B[@]}" --body weight=0.8 --body age=0.7
render split_squat split_squat_clean_front_a         "${A[@]}" --view front --body gender=1 --body muscle=0.8
render split_squat split_squat_clean_front_b         "${B[@]}" --view front --body weight=0.7
render split_squat split_squat_knee_over_toes_moderate "${A[@]}" --body gender=1 --fault knee_over_toes=0.2
render split_squat split_squat_knee_over_toes_large  "${B[@]}" --body weight=0.7 --fault knee_over_toes=0.35
render split_squat split_squat_depth_moderate        "${A[@]}" --body muscle=0.8 --fault depth=24
render split_squat split_squat_depth_large           "${B[@]}" --body gender=1 --body weight=0.7 --fault depth=32
render split_squat split_squat_trunk_upright_moderate "${A[@]}" --body age=0.7 --fault trunk_upright=35
render split_squat split_squat_trunk_upright_large   "${B[@]}" --body gender=1 --fault trunk_upright=50
render split_squat split_squat_knee_tracking_moderate "${A[@]}" --view front --body gender=1 --fault knee_tracking=12
render split_squat split_squat_knee_tracking_large   "${B[@]}" --view front --body weight=0.8 --fault knee_tracking=20

# Hip hinge (single-leg, rear foot on a block), side-on.
render hip_hinge hip_hinge_clean_a                   "${A[@]}" --body gender=1
render hip_hinge hip_hinge_clean_b                   "${B[@]}" --body weight=0.8 --body age=0.7
render hip_hinge hip_hinge_hinge_depth_moderate      "${A[@]}" --body gender=1 --fault hinge_depth=32
render hip_hinge hip_hinge_hinge_depth_large         "${B[@]}" --body weight=0.7 --fault hinge_depth=31
render hip_hinge hip_hinge_knee_over_toes_moderate   "${A[@]}" --body muscle=0.8 --fault knee_over_toes=0.2
render hip_hinge hip_hinge_knee_over_toes_large      "${B[@]}" --body gender=1 --body weight=0.7 --fault knee_over_toes=0.3
render hip_hinge hip_hinge_hips_back_moderate        "${A[@]}" --body age=0.7 --fault hips_back=0.5
render hip_hinge hip_hinge_hips_back_large           "${B[@]}" --body gender=1 --fault hips_back=1.0
render hip_hinge hip_hinge_knee_quiet_moderate       "${A[@]}" --body weight=0.7 --fault knee_quiet=45
render hip_hinge hip_hinge_knee_quiet_large          "${B[@]}" --body gender=1 --body muscle=0.8 --fault knee_quiet=65
render hip_hinge hip_hinge_head_in_line_moderate     "${A[@]}" --body gender=1 --fault head_in_line=38
render hip_hinge hip_hinge_head_in_line_large        "${B[@]}" --body weight=0.8 --fault head_in_line=55
render hip_hinge hip_hinge_balance_moderate          "${A[@]}" --body muscle=0.8 --fault balance=0.7
render hip_hinge hip_hinge_balance_large             "${B[@]}" --body gender=1 --body age=0.7 --fault balance=1.0
render hip_hinge hip_hinge_controlled_tempo_moderate "${A[@]}" --body age=0.7 --fault controlled_tempo=0.5
render hip_hinge hip_hinge_controlled_tempo_large    "${B[@]}" --body gender=1 --fault controlled_tempo=0.3

# Clamshell (lying on the side, the top leg working), filmed from in front.
CA=(--side right --seed 1 --distance 3.0 --height 1.3)
CB=(--side left --seed 2 --distance 2.4 --height 0.8)
render clamshell clamshell_clean_a                   "${CA[@]}" --body gender=1
render clamshell clamshell_clean_b                   "${CB[@]}" --body weight=0.8 --body age=0.7
render clamshell clamshell_pelvis_still_moderate     "${CA[@]}" --body weight=0.7 --fault pelvis_still=18
render clamshell clamshell_pelvis_still_large        "${CB[@]}" --body gender=1 --fault pelvis_still=28
render clamshell clamshell_heels_together_moderate   "${CA[@]}" --body gender=1 --fault heels_together=0.6
render clamshell clamshell_heels_together_large      "${CB[@]}" --body muscle=0.8 --fault heels_together=1.0
render clamshell clamshell_knee_opening_moderate     "${CA[@]}" --body age=0.7 --fault knee_opening=22
render clamshell clamshell_knee_opening_large        "${CB[@]}" --body gender=1 --body weight=0.7 --fault knee_opening=26
render clamshell clamshell_top_hold_moderate         "${CA[@]}" --body gender=1 --fault top_hold=0.2
render clamshell clamshell_top_hold_large            "${CB[@]}" --body weight=0.7 --fault top_hold=0.0
render clamshell clamshell_slow_return_moderate      "${CA[@]}" --body muscle=0.8 --fault slow_return=0.5
render clamshell clamshell_slow_return_large         "${CB[@]}" --body gender=1 --fault slow_return=0.3
