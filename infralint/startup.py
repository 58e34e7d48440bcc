"""Start-up without the cyclic garbage collector's overhead.

Importing the command line and the rules builds tens of thousands of
objects that live as long as the process (classes, functions, the rules'
examples). The collector runs every 700 new objects and would traverse them
over and over while they load (~30 collections for a one-file check), and
once more, all of them, when the process exits. The imports therefore run
with the collector paused, and what they built is frozen (``gc.freeze``):
collections afterwards (a long run, the language server, worker processes)
skip it, and so does the collection at exit. Together ~25% of a one-file
check's CPU time in paired runs, though 11% of its instructions: the
traversals wait on memory.
"""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block (imports) without the cyclic garbage collector, then,
    if it imported a module, freeze every object that exists, and resume
    the collector if it ran. A block that imported nothing (the command run
    again in the same process, as tests do) freezes nothing: frozen objects
    are never collected, garbage among them included."""
    was_enabled = gc.isenabled()
    modules_before = len(sys.modules)
    gc.disable()
    try:
        yield
    finally:
        if len(sys.modules) > modules_before:
            gc.freeze()
        if was_enabled:
            gc.enable()
