"""From pose tracks to reps and verdicts: body view, signals, smoothing, rep segmentation, scoring."""
