"""Thresholds: the defaults shipped with each exercise, overridden by a user's TOML file.

Each exercise has ``formcheck/exercises/<name>.toml`` holding one section ``[<name>]`` with its
counting keys and one sub-table per rule (``[<name>.<rule id>]``), every key documented there.
A user file uses the same layout and may set any subset. The defaults define what is valid:
an unknown exercise, rule or key, or a value of the wrong type, is a `FormcheckError` that
lists the valid names — a typo must never silently fall back to a default.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from formcheck.analysis.exercise import ExerciseThresholds, Value
from formcheck.errors import FormcheckError
from formcheck.exercises.measured import metric_errors, view_envelopes


def _read_toml(text: str, origin: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FormcheckError(
            f"{origin}: not valid TOML ({error}); fix the file or start from the defaults"
        ) from error


def _split(table: Mapping) -> tuple[dict, dict]:
    values = {k: v for k, v in table.items() if not isinstance(v, Mapping)}
    rules = {k: dict(v) for k, v in table.items() if isinstance(v, Mapping)}
    return values, rules


def _check_value(where: str, value: object, default: Value, origin: str) -> Value:
    # bool is an int in Python; keep them apart so `true` cannot stand in for a number.
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) and isinstance(default, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise FormcheckError(
            f"{origin}: {where} must be a {type(default).__name__} like the default {default!r}, "
            f"got {value!r}"
        )
    return float(value) if isinstance(default, float) else value


def _merge(defaults: dict, overrides: dict, exercise: str, origin: str) -> tuple[dict, dict]:
    default_values, default_rules = _split(defaults)
    values, rules = dict(default_values), {k: dict(v) for k, v in default_rules.items()}
    for key, value in overrides.items():
        if isinstance(value, Mapping):
            if key not in default_rules:
                raise FormcheckError(
                    f"{origin}: [{exercise}.{key}] is not a rule of {exercise}; "
                    f"valid rules: {', '.join(sorted(default_rules))}"
                )
            for rule_key, rule_value in value.items():
                if rule_key not in default_rules[key]:
                    raise FormcheckError(
                        f"{origin}: unknown key {rule_key!r} in [{exercise}.{key}]; "
                        f"valid keys: {', '.join(sorted(default_rules[key]))}"
                    )
                where = f"{exercise}.{key}.{rule_key}"
                rules[key][rule_key] = _check_value(where, rule_value, default_rules[key][rule_key], origin)
        else:
            if key not in default_values:
                valid = sorted(default_values) + [f"[{exercise}.{rule}]" for rule in sorted(default_rules)]
                raise FormcheckError(
                    f"{origin}: unknown key {key!r} in [{exercise}]; valid keys: {', '.join(valid)}"
                )
            values[key] = _check_value(f"{exercise}.{key}", value, default_values[key], origin)
    return values, rules


@dataclass(frozen=True)
class Thresholds:
    """The thresholds of every exercise: the shipped defaults plus any overrides."""

    exercises: Mapping[str, ExerciseThresholds]

    @classmethod
    def defaults(cls) -> Thresholds:
        return _defaults()

    @classmethod
    def load(cls, path: Path) -> Thresholds:
        """Defaults overridden by the TOML file at ``path``."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise FormcheckError(
                f"{path}: cannot read the config ({error}); check the --config path"
            ) from error
        return cls.from_mapping(_read_toml(text, str(path)), origin=str(path))

    @classmethod
    def from_mapping(cls, overrides: Mapping, *, origin: str = "config") -> Thresholds:
        defaults = default_tables()
        unknown = sorted(set(overrides) - set(defaults))
        if unknown:
            raise FormcheckError(
                f"{origin}: unknown exercise(s) {', '.join(unknown)}; "
                f"valid exercises: {', '.join(sorted(defaults))}"
            )
        sections = {}
        for exercise, table in defaults.items():
            override = overrides.get(exercise, {})
            if not isinstance(override, Mapping):
                raise FormcheckError(f"{origin}: {exercise} must be a table [{exercise}], got {override!r}")
            values, rules = _merge(table, override, exercise, origin)
            sections[exercise] = ExerciseThresholds(
                exercise=exercise,
                values=MappingProxyType(values),
                rules=MappingProxyType({k: MappingProxyType(v) for k, v in rules.items()}),
                metric_errors=metric_errors(exercise),
                view_envelopes=view_envelopes(exercise),
            )
        return cls(exercises=MappingProxyType(sections))

    def for_exercise(self, exercise: str) -> ExerciseThresholds:
        try:
            return self.exercises[exercise]
        except KeyError:
            raise FormcheckError(
                f"no thresholds for exercise {exercise!r}; "
                f"valid exercises: {', '.join(sorted(self.exercises))}"
            ) from None


def default_tables() -> dict[str, dict]:
    """Exercise id -> its default table, read from the TOML files shipped in this package."""
    tables: dict[str, dict] = {}
    for entry in sorted(resources.files("formcheck.exercises").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            document = _read_toml(entry.read_text(encoding="utf-8"), f"formcheck/exercises/{entry.name}")
            tables.update(document)
    return tables


@cache
def _defaults() -> Thresholds:
    # Read once: the tables are immutable and every session without a --config needs them.
    return Thresholds.from_mapping({}, origin="defaults")
