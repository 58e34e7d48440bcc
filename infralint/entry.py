"""The console script. `infralint --version` is answered here, before the
command line's dependencies (click, the rules) are imported: it is what
tools and scripts call most often just to see infralint is there."""

from __future__ import annotations

import sys
from typing import Any

from infralint import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(f"infralint {__version__}")
        return
    if sys.argv[1:2] == ["server"] and all(argument == "--stdio" for argument in sys.argv[2:]):
        # The language server's start is timed by the editor: no click.
        from infralint.lsp.bootstrap import main as serve

        serve()
    from infralint.startup import collector_paused

    try:
        with collector_paused():
            from infralint.cli import main as command_line
    except KeyboardInterrupt:
        print("Aborted!", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(_run(command_line))


# Ctrl-C: the shell's code for SIGINT, not click's 1 (the findings code).
EXIT_INTERRUPTED = 130


def _run(command_line: Any) -> int:
    """The command's exit code. click's own handling (standalone mode)
    turns Ctrl-C and a broken pipe into exit code 1, which means findings;
    here they are 130 and 2, and anything unexpected is `_report_crash`."""
    import click

    try:
        code = command_line(standalone_mode=False)
    except click.exceptions.Abort:
        print("Aborted!", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("Aborted!", file=sys.stderr)
        return EXIT_INTERRUPTED
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except BrokenPipeError:  # `infralint check | head`: the reader left
        _silence_stdout()
        return 2
    except BaseException as error:
        # Rust extensions' panics are BaseExceptions too; signals and exits pass.
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        from infralint.interrupts import interruption_behind

        if isinstance(interruption_behind(error), KeyboardInterrupt):  # Ctrl-C inside a Rust extension
            print("Aborted!", file=sys.stderr)
            return EXIT_INTERRUPTED
        _report_crash(error)
    return code if isinstance(code, int) else 0


def _silence_stdout() -> None:
    """Flushing the broken pipe again at exit would raise once more."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _report_crash(error: BaseException) -> None:
    """An exception nothing else handled: one line, and exit code 2 (that
    of every error) instead of Python's 1, which is the findings code.
    ``--verbose`` adds the traceback."""
    if "--verbose" in sys.argv[1:] or "-v" in sys.argv[1:]:
        import traceback

        traceback.print_exception(type(error), error, error.__traceback__)
    hint = "" if "--verbose" in sys.argv[1:] else "; rerun with --verbose for the traceback"
    message = f"infralint: error: internal error: {error!r} (please report this bug{hint})"
    print(" ".join(message.split()), file=sys.stderr)
    sys.exit(2)
