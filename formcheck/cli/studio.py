"""`formcheck studio`: render a person doing an exercise, with chosen faults and exact ground truth."""

from __future__ import annotations

from pathlib import Path

import click
from tqdm import tqdm

from formcheck.errors import FormcheckError
from formcheck.studio.description import PHENOTYPES, VIEWS, ClipDescription
from formcheck.synth.motions import MOTIONS, motion_module

# The README's "Sample studio" install, command for command (a test holds them together).
INSTALL_HINT = (
    "apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri, then pip install torch==2.13.0, "
    "then pip install -e '.[studio]' in the formcheck checkout (README: Sample studio)"
)


def _pairs(values: tuple[str, ...], what: str) -> dict[str, float]:
    pairs = {}
    for item in values:
        name, sep, number = item.partition("=")
        try:
            if not sep:
                raise ValueError
            pairs[name.strip()] = float(number)
        except ValueError:
            raise FormcheckError(f"--{what} takes NAME=NUMBER, got {item!r}") from None
    return pairs


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise FormcheckError(f"--size takes WIDTHxHEIGHT in pixels, e.g. 640x480, got {text!r}")
    return int(width), int(height)


def _list_catalogue() -> None:
    for exercise in MOTIONS:
        module = motion_module(exercise)
        click.echo(f"{exercise} (view: {module.VIEW})")
        for fault, meaning in module.FAULTS.items():
            click.echo(f"  {fault}: {meaning}")
    click.echo("body parameters (0..1): " + ", ".join(f"{name} ({m})" for name, m in PHENOTYPES.items()))


def description_from(description_file: Path | None, *, size: str | None, **options) -> ClipDescription:
    """The clip asked for: the TOML file's settings, overridden by the options given."""
    values = ClipDescription.from_toml(description_file).to_dict() if description_file else {}
    if size is not None:
        values["width"], values["image_height"] = _size(size)
    given = {name: value for name, value in options.items() if value not in (None, ())}
    if "faults" in given:
        values["faults"] = {**values.get("faults", {}), **_pairs(given.pop("faults"), "fault")}
    if "body" in given:
        values["body"] = {**values.get("body", {}), **_pairs(given.pop("body"), "body")}
    values.update(given)
    if "exercise" not in values:
        raise FormcheckError(f"give --exercise (one of {', '.join(MOTIONS)}) or --description FILE")
    return ClipDescription.from_dict(values)


@click.command("studio")
@click.option("--exercise", help=f"Exercise to render: {', '.join(MOTIONS)}.")
@click.option(
    "--description", "description_file", type=click.Path(path_type=Path), help="A TOML file of settings."
)
@click.option("--reps", type=int, help="Reps (per leg for alternating exercises); default 3.")
@click.option("--side", help="Working side: left, right or both; default left.")
@click.option(
    "--fault", "faults", multiple=True, help="NAME=SIZE, repeatable; see --list for names and units."
)
@click.option("--view", type=str, help=f"Camera view: {', '.join(VIEWS)}; default the exercise's own.")
@click.option("--distance", type=float, help="Camera distance from the body, metres; default 3.2.")
@click.option("--height", type=float, help="Camera height above the floor, metres; default 1.0.")
@click.option("--fov", type=float, help="Vertical field of view, degrees; default 55.")
@click.option("--size", help="WIDTHxHEIGHT in pixels; default 640x480.")
@click.option("--fps", type=float, help="Frames per second; default 15.")
@click.option("--seed", type=int, help="Seed of the rep-to-rep variation; default 0.")
@click.option("--tempo", type=float, help="1.0 a controlled pace, 2.0 twice as fast.")
@click.option("--body", "body", multiple=True, help="PHENOTYPE=VALUE (0..1), repeatable, e.g. gender=1.")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Output mp4; default studio/<exercise>.mp4."
)
@click.option(
    "--list", "list_only", is_flag=True, help="List exercises, faults and body parameters, and exit."
)
def command(description_file, output, list_only, **options) -> None:
    """Render a person doing an exercise with chosen faults, plus its ground truth.

    Writes OUT.mp4, OUT.truth.json (reps, faults, true rule values, settings) and
    OUT.truth.npz (the exact landmarks, a pose track). Options override the TOML file.
    """
    if list_only:
        _list_catalogue()
        return
    description = description_from(description_file, **options)
    try:
        from formcheck.studio.clip import render_clip
    except ImportError as error:
        raise FormcheckError(
            f"the studio needs its extra ({error.name} is missing): {INSTALL_HINT}"
        ) from None
    output = output or Path("studio") / f"{description.exercise}.mp4"
    # Checked before the minutes of rendering, not after them (and only once the extra is known
    # to be there, so that a failed start leaves no empty folder).
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FormcheckError(
            f"cannot create the folder of {output} ({error.strerror}); pass another -o"
        ) from error
    with tqdm(desc=output.name, unit="frame", leave=False) as bar:

        def advance(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        result = render_clip(description, output, advance)
    click.echo(f"{result.video} ({result.frames_done} frames), {result.truth_json}, {result.truth_track}")
