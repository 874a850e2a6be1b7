"""The ``pobi`` command line. Only this module turns errors into messages and exit codes.

Stages are imported lazily inside command functions (DESIGN.md §3), so ``pobi --help`` is fast
and the core never depends on a stage at import time.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Annotated

import click
import typer
from rich.markup import escape

from pobi import __version__
from pobi.commands import core
from pobi.commands.common import err_console
from pobi.errors import PobiError

app = typer.Typer(
    name="pobi",
    help=(
        "pobi — audit how Vietnam's provinces answer citizens' budget questions (POBI method).\n\n"
        "Kiểm tra mức độ phản hồi của chính quyền cấp tỉnh với câu hỏi về ngân sách.\n\n"
        "Workspace: $POBI_HOME (default ./pobi-data). Start with: pobi demo"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)

_STATE = {"verbose": False}


def _version(value: bool) -> None:
    if value:
        print(f"pobi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show tracebacks on errors.")
    ] = False,
    home: Annotated[
        str | None, typer.Option("--home", help="Workspace folder (sets POBI_HOME).")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    _STATE["verbose"] = verbose or bool(os.environ.get("POBI_VERBOSE"))
    if home:
        os.environ["POBI_HOME"] = home


core.register(app)

_OPTIONAL_GROUPS = ("crawl", "probe", "score", "dashboard", "demo", "survey", "publish")
for _name in _OPTIONAL_GROUPS:
    try:
        _module = __import__(f"pobi.commands.{_name}", fromlist=["register"])
    except ModuleNotFoundError as _exc:
        if _exc.name != f"pobi.commands.{_name}":
            raise
        continue
    _module.register(app)


# Typer >= 0.2x runs on its own copy of Click (typer._click), so its usage errors, Exit and Abort
# are not Click's classes: catch both (older Typer raises Click's own).
_CLICK_ERRORS = (click.exceptions.ClickException, typer.TyperException)
_EXITS = (click.exceptions.Exit, typer.Exit)
_ABORTS = (click.exceptions.Abort, typer.Abort)


def _show_usage_error(exc: Exception, argv: list[str]) -> None:
    """Click's own message: the command's usage line, "Try '… --help'", the error. Some parser
    errors (an option missing its value) carry no command context: then point at the help of the
    command the user typed."""
    if getattr(exc, "ctx", None) is None and getattr(exc, "exit_code", 1) == 2:
        words = []
        for arg in argv:
            if arg.startswith("-"):
                break
            words.append(arg)
        err_console.print(f"Try '{escape(' '.join(['pobi', *words, '--help']))}' for help.")
    show = getattr(exc, "show", None)
    if show is not None:
        show()
    else:
        err_console.print(f"Error: {escape(str(exc))}", soft_wrap=True)


def main(argv: list[str] | None = None) -> None:
    try:
        code = app(args=argv, standalone_mode=False)
    except PobiError as exc:
        if _STATE["verbose"]:
            traceback.print_exc()
        err_console.print(f"[bold red]Error:[/bold red] {escape(exc.message)}", soft_wrap=True)
        if exc.hint:
            err_console.print(f"Hint: {escape(exc.hint)}", soft_wrap=True)
        sys.exit(exc.exit_code)
    except _ABORTS:
        err_console.print("Aborted.")
        sys.exit(1)
    except _CLICK_ERRORS as exc:  # a usage error (missing value, unknown option…): exit 2
        _show_usage_error(exc, sys.argv[1:] if argv is None else argv)
        sys.exit(getattr(exc, "exit_code", 2))
    except _EXITS as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(130)
    except Exception as exc:  # a bug in pobi: say so plainly, traceback only with --verbose
        if _STATE["verbose"]:
            traceback.print_exc()
        err_console.print(
            f"[bold red]Internal error[/bold red] (a bug in pobi): {exc.__class__.__name__}: {escape(str(exc))}\n"
            "Run the command again with --verbose for the traceback, and please report it.",
            soft_wrap=True,
        )
        sys.exit(70)
    # outside standalone mode a command's `raise typer.Exit(n)` comes back as the return value
    if isinstance(code, int) and not isinstance(code, bool) and code:
        sys.exit(code)


if __name__ == "__main__":
    main()
