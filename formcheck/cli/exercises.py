"""`formcheck exercises`: the catalogue — exercises, views, rules and their default thresholds."""

from __future__ import annotations

import click

from formcheck.exercises import EXERCISES
from formcheck.exercises.thresholds import Thresholds


@click.command("exercises")
def command() -> None:
    """List the exercises with their camera views, rules and default thresholds."""
    defaults = Thresholds.defaults()
    for exercise in EXERCISES.values():
        values = defaults.for_exercise(exercise.name)
        click.echo(f"{exercise.name}: {exercise.title}")
        click.echo(f"  view: {' or '.join(exercise.views)}; {exercise.description}")
        click.echo(
            f"  reps on {exercise.primary} ({exercise.primary_unit}): start {values['start']}, "
            f"complete past {values['end']}"
            + (" (measured from the rest level before each rep)" if exercise.counted_from_rest else "")
        )
        for rule in exercise.rules:
            limit = "at most" if rule.limit == "max" else "at least"
            click.echo(
                f"  - {rule.id} [{'/'.join(rule.views)}]: {rule.description}; "
                f'{limit} {values.threshold(rule.id)} {rule.unit}. Cue: "{rule.cue}"'
            )
        click.echo("")
