"""Command-line options several commands share, declared once so that they read and check alike."""

from __future__ import annotations

import click

max_fps_option = click.option(
    "--max-fps",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Extract at most this many frames a second from a video (every k-th frame; times stay true) "
    "[default: all].",
)
"""``--max-fps F`` of every command that extracts poses (design.md §8: part of the pose cache key)."""
