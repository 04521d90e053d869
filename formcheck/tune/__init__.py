"""The numerical core of threshold tuning: pure numpy, no I/O, no pose model.

- `metrics`: confusion counts and the figures derived from them.
- `search`: the threshold of one rule that best agrees with labels.
- `crossval`: honest estimates of how a tuned threshold holds on data it was not tuned on.
"""
