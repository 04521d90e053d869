"""The composition root: the `formcheck` command and its subcommands.

Each subcommand lives in its own module here and only wires library parts together;
this module turns every `FormcheckError` into a one-line message and exit code 1.
"""

from __future__ import annotations

import sys

import click

from formcheck import __version__
from formcheck.errors import FormcheckError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="formcheck")
def cli() -> None:
    """Rep-by-rep form feedback for hip-strengthening exercises.

    Stop if an exercise causes pain. formcheck is not a replacement for an
    individual assessment by a physiotherapist.
    """


def _register_commands() -> None:
    # Imported here so that each module can import `cli` without a cycle.
    from formcheck.cli import analyze, exercises, extract, label, live, studio, tune

    modules: tuple = (analyze, exercises, extract, label, live, studio, tune)
    for module in modules:
        cli.add_command(module.command)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    _register_commands()
    try:
        # Without standalone mode, click returns the code a command returned or passed to
        # ctx.exit() (e.g. live's 143 after a clean stop on SIGTERM).
        exit_code = cli.main(args=argv, prog_name="formcheck", standalone_mode=False)
    except FormcheckError as error:
        click.echo(f"formcheck: error: {error}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("formcheck: interrupted", err=True)
        return 130
    except click.ClickException as error:
        # Unknown options, missing arguments: one line, not click's usage block.
        click.echo(f"formcheck: error: {error.format_message()} (see `formcheck --help`)", err=True)
        return error.exit_code
    return exit_code if isinstance(exit_code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
