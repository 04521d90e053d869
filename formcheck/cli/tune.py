"""`formcheck tune`: thresholds that agree with your labelled samples, with honest accuracy."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import click

from formcheck.cli.batch import default_workers
from formcheck.cli.options import max_fps_option
from formcheck.errors import FormcheckError
from formcheck.exercises import EXERCISES, configured
from formcheck.exercises.thresholds import Thresholds
from formcheck.io.atomic import write_text
from formcheck.io.track_files import load_track
from formcheck.tune.examples import RuleExamples
from formcheck.tune.output import table, tuned_toml, write_plots
from formcheck.tune.run import tune
from formcheck.tune.samples import find_samples, measure_samples, table_examples
from formcheck.tune.search import OBJECTIVES


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, text)
    except OSError as error:
        raise FormcheckError(f"{path}: cannot write ({error.strerror}); choose a writable --out") from error


def _video_loader(max_fps: float | None, workers: int):
    """``path -> (track, from_cache)``: a clip's pose through the cache, every worker on each clip
    in turn (design §8's one budget), at most ``max_fps`` frames a second."""
    # Imported here: loading MediaPipe costs a second, and pose tracks do not need it.
    from formcheck.pose.cache import cached_track

    def note(line: str) -> None:
        click.echo(f"formcheck: {line}", err=True)

    return functools.partial(cached_track, max_fps=max_fps, workers=workers, note=note)


def _tune_tables(samples, spec, start, label_rule, fault_label, objective):
    """Frame tables: every row an example of ``label_rule``; folds of blocks within recordings."""
    examples: dict = {}
    for path in samples:
        if path.suffix.lower() != ".csv" or not path.is_file():
            raise FormcheckError(f"{path}: --label-rule tunes frame tables (.csv files); give only tables")
        track = load_track(path)
        if track.is_sequence:
            raise FormcheckError(
                f"{path}: has a t column (a sequence); label its reps with `formcheck label`"
            )
        found = table_examples(track, spec, start, label_rule, fault_label)[label_rule]
        merged = examples.setdefault(label_rule, RuleExamples())
        merged.values += found.values
        merged.faulty += found.faulty
        merged.sides += found.sides
        # Recording numbers restart in each table: keep them apart.
        merged.groups += [f"{path}:{group}" for group in found.groups]
        merged.not_judged += found.not_judged
    source = f"{len(samples)} frame table(s): {', '.join(map(str, samples))}"
    return source, tune(spec, start, examples, objective=objective, rule_ids=(label_rule,), frame_table=True)


def _tune_clips(samples, spec, start, rules, objective, loader):
    """Labelled clips and tracks: reps matched to the engine's; leave-one-clip-out folds."""
    found = find_samples(list(samples), spec, start)
    if found.other_exercise:
        skipped = ", ".join(f"{n} for {name}" for name, n in sorted(found.other_exercise.items()))
        click.echo(f"formcheck: skipped label files for other exercises: {skipped}", err=True)
    if found.absent:
        click.echo(
            f"formcheck: skipped {len(found.absent)} label file(s) whose clip is not on this machine",
            err=True,
        )
    if not found.samples:
        raise FormcheckError(
            f"no labelled samples for {spec.name} in {', '.join(map(str, samples))}; "
            f"label clips with `formcheck label CLIP --exercise {spec.name}`"
        )
    measured = measure_samples(found.samples, spec, start, loader)
    source = (
        f"{len(found.samples)} labelled clips ({measured.reps_labelled} reps; "
        f"{measured.cached} poses from the cache) in {', '.join(map(str, samples))}"
    )
    tuning = tune(
        spec, start, measured.examples, objective=objective, rule_ids=rules, counting=measured.counting
    )
    return source, tuning


@click.command("tune")
@click.argument("samples", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--exercise", "-e", required=True, help=f"Exercise id: {', '.join(EXERCISES)}.")
@click.option(
    "--rule", "rules", multiple=True, help="Tune only this rule (repeatable; default: every labelled rule)."
)
@click.option(
    "--objective",
    type=click.Choice(OBJECTIVES),
    default="f1",
    show_default=True,
    help="What the tuned threshold maximises on the labelled examples.",
)
@click.option(
    "--config", type=click.Path(path_type=Path), default=None, help="Start from this TOML, not the defaults."
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the tuned TOML (default: tuned-<exercise>.toml).",
)
@click.option(
    "--report", type=click.Path(path_type=Path), default=None, help="Folder for plots and index.html."
)
@click.option("--label-rule", default=None, help="Frame tables: the rule their label column is about.")
@click.option(
    "--fault-label", default=None, help="Frame tables: the label value that means that rule's fault."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Pose models running at once on a clip that is not cached yet [default: the cores this "
    "process may use].",
)
@max_fps_option
def command(
    samples, exercise, rules, objective, config, out, report, label_rule, fault_label, workers, max_fps
) -> None:
    """Tune thresholds on labelled clips, pose tracks, folders of them, or a labelled frame table.

    Labels are NAME.labels.json beside each clip (made with `formcheck label`) or studio
    NAME.truth.json files. Prints, per rule, the tuned threshold and its cross-validated accuracy
    beside the default's, and writes a TOML for `formcheck analyze --config`.
    """
    spec, start = configured(exercise, Thresholds.load(config) if config else None)
    unknown = sorted(set(rules) - {r.id for r in spec.rules})
    if unknown:
        raise FormcheckError(
            f"--rule {', '.join(unknown)}: not a rule of {exercise}; valid rules: "
            + ", ".join(r.id for r in spec.rules)
        )
    if (label_rule is None) != (fault_label is None):
        raise FormcheckError("give --label-rule ID and --fault-label VALUE together (for frame tables)")
    if label_rule is not None:
        source, tuning = _tune_tables(samples, spec, start, label_rule, fault_label, objective)
    else:
        loader = _video_loader(max_fps, workers or default_workers())
        source, tuning = _tune_clips(samples, spec, start, tuple(rules), objective, loader)
    if not tuning.rules and tuning.counting is None:
        raise FormcheckError(f"no rule of {exercise} is labelled in these samples; nothing to tune")
    click.echo(f"{source}")
    for line in table(tuning):
        click.echo(line)
    out = out or Path(f"tuned-{exercise}.toml")
    _write(out, tuned_toml(tuning, source, date.today().isoformat()))
    click.echo(f"wrote {out} (use it with: formcheck analyze CLIP --exercise {exercise} --config {out})")
    if report is not None:
        try:
            written = write_plots(tuning, report)
        except OSError as error:
            raise FormcheckError(
                f"{report}: cannot write the report ({error.strerror}); choose a writable --report"
            ) from error
        click.echo(f"wrote {len(written) - 1} plot(s) and {written[-1]}")
