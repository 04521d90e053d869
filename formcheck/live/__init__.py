"""Live mode: the parts between the frame source and the window (loop, log, keys, sound)."""
