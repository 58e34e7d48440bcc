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
    from infralint.startup import collector_paused

    with collector_paused():
        from infralint.cli import main as command_line

    command_line()
