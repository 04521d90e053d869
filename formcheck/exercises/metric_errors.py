"""The measured error of every rule's metric, per view: package data made by the studio benchmark.

``measured/metric_errors.toml`` holds, per exercise and rule, the studio's median
|MediaPipe - exact| of the rule's value from each camera view the engine saw (design.md §8). It is
written by ``benchmarks/bench_studio_accuracy.py --write-errors``, never by hand, so the
``borderline`` band of a verdict follows what was measured rather than constants in the rules.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

ERRORS_PATH = Path(str(resources.files("formcheck.exercises"))) / "measured" / "metric_errors.toml"


@cache
def _table() -> Mapping[str, Mapping[str, Mapping[str, float]]]:
    if not ERRORS_PATH.is_file():
        return MappingProxyType({})
    document = tomllib.loads(ERRORS_PATH.read_text(encoding="utf-8"))
    return MappingProxyType(
        {
            exercise: MappingProxyType(
                {
                    rule: MappingProxyType({v: float(e) for v, e in views.items()})
                    for rule, views in rules.items()
                }
            )
            for exercise, rules in document.items()
        }
    )


def metric_errors(exercise: str) -> Mapping[str, Mapping[str, float]]:
    """Rule id -> view -> measured metric error of ``exercise`` (empty where none was measured)."""
    return _table().get(exercise, MappingProxyType({}))
