"""`formcheck schema`: print the JSON Schema of the report that `formcheck analyze` writes."""

from __future__ import annotations

import click

from formcheck.render.schema import schema_text


@click.command("schema")
def command() -> None:
    """Print the JSON Schema of the JSON report (open to added fields)."""
    click.echo(schema_text(), nl=False)
