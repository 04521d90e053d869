"""What the studio benchmark measured about each rule, shipped as package data.

- ``measured/metric_errors.toml``: per exercise and rule, the studio's median |MediaPipe - exact|
  of the rule's value from each camera view the engine saw (design.md §8), which makes a
  verdict within it ``borderline``;
- ``measured/view_envelopes.toml``: per exercise and rule, the largest angle off the rule's own
  view (degrees) at which its precision and recall on the per-angle grid stayed at or above 0.9,
  so the rule is judged up to there, beyond the view names it lists.

Both are written by ``benchmarks/bench_studio_accuracy.py`` (``--write-errors``,
``--write-envelopes``), never by hand, so what the engine trusts follows what was measured.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

MEASURED = Path(str(resources.files("formcheck.exercises"))) / "measured"
ERRORS_PATH = MEASURED / "metric_errors.toml"
ENVELOPES_PATH = MEASURED / "view_envelopes.toml"


def _frozen(value):
    if isinstance(value, dict):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    return float(value)


@cache
def _table(path: Path) -> Mapping:
    if not path.is_file():
        return MappingProxyType({})
    return _frozen(tomllib.loads(path.read_text(encoding="utf-8")))


def metric_errors(exercise: str) -> Mapping[str, Mapping[str, float]]:
    """Rule id -> view -> measured metric error of ``exercise`` (empty where none was measured)."""
    return _table(ERRORS_PATH).get(exercise, MappingProxyType({}))


def view_envelopes(exercise: str) -> Mapping[str, float]:
    """Rule id -> degrees off its own view it holds up to, for ``exercise`` (empty where unmeasured)."""
    return _table(ENVELOPES_PATH).get(exercise, MappingProxyType({}))
