"""Synthetic people: exercise motion as joint-angle curves, a stick-figure skeleton, a camera.

Pure numpy. The exercise engine's tests turn motions into pose tracks with the stick skeleton;
the sample studio (an optional extra) drives a rendered body with the same motions.
"""
