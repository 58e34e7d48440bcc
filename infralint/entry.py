"""The console script. `infralint --version` is answered here, before the
command line's dependencies (click, the rules) are imported: it is what
tools and scripts call most often just to see infralint is there."""

from __future__ import annotations

import sys

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

    with collector_paused():
        from infralint.cli import main as command_line

    try:
        command_line()
    except (SystemExit, KeyboardInterrupt, GeneratorExit):
        raise
    except BaseException as error:  # a bug, shown as one; Rust extensions' panics are BaseExceptions
        _report_crash(error)


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
