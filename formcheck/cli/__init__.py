"""The composition root: the `formcheck` command and its subcommands.

Each subcommand lives in its own module here and only wires library parts together;
this module turns every `FormcheckError` into a one-line message and exit code 1.
"""

from __future__ import annotations

import importlib
import sys

import click

from formcheck import __version__
from formcheck.errors import FormcheckError

# Each subcommand is the `command` of the module of its name, imported only when it runs (or when
# `--help` lists them all): importing all nine costs a running command 0.2 s (analyze's plotting
# library, live mode's window) before it starts its own work.
_SUBCOMMANDS = ("analyze", "exercises", "extract", "label", "live", "report", "schema", "studio", "tune")


class _SubcommandModules(click.Group):
    """A click group whose subcommands live in the modules of this package named after them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _SUBCOMMANDS:
            return None
        return importlib.import_module(f"{__name__}.{cmd_name}").command


@click.group(cls=_SubcommandModules, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="formcheck")
def cli() -> None:
    """Rep-by-rep form feedback for hip-strengthening exercises.

    Stop if an exercise causes pain. formcheck is not a replacement for an
    individual assessment by a physiotherapist.
    """


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
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
