"""`formcheck report`: rebuild the HTML page of a saved analysis from its JSON (and frames CSV)."""

from __future__ import annotations

from pathlib import Path

import click

from formcheck.render.page import write_report_page


@click.command("report")
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path))
def command(reports: tuple[Path, ...]) -> None:
    """Write OUT/NAME.html from OUT/NAME.json (and OUT/NAME.frames.csv beside it, when there)."""
    for path in reports:
        click.echo(write_report_page(path))
