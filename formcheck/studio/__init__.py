"""The sample studio: rendered people doing the exercises with known faults, and exact ground truth.

An optional extra (``pip install formcheck[studio]``): only modules in this package import
torch, anny and pyrender, and only `formcheck.studio.clip` and what it imports need them.
"""
