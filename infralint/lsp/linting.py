"""Linting one editor buffer into what the server reports, without pygls:
the server's worker thread and the child process that lints large buffers
(`isolated`) both go through `lint_outcome`."""

from __future__ import annotations

import gc
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List, Optional

from infralint.errors import InfralintError
from infralint.findings import Finding
from infralint.lsp.workspace import ProjectError, ProjectRegistry, lint_buffer
from infralint.reparse import IncrementalParser


@dataclass
class LintOutcome:
    """What linting a buffer produced, handed from the worker back to the
    event loop, which alone talks to the client."""

    findings: List[Finding] = field(default_factory=list)
    # One-line messages for the user: invalid configuration, internal errors.
    problems: List[str] = field(default_factory=list)
    # Tracebacks of internal errors, for the client's log.
    details: List[str] = field(default_factory=list)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for one lint: its syntax tree and
    the rules' tables are tens of thousands of objects that would be
    traversed by collection after collection while they are built, only to
    be freed by reference counting when the lint ends (measured: ~4 ms of
    an edit's CPU). Process-wide, so only around a bounded piece of work;
    nested or overlapping pauses leave it enabled at the end (the one that
    found it enabled enables it again)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def lint_outcome(
    registry: ProjectRegistry,
    path: Path,
    text: str,
    folders: List[Path],
    keep: Optional[List[object]] = None,
    parser: Optional[IncrementalParser] = None,
) -> LintOutcome:
    """Lint ``text`` as the file at ``path`` with ``registry``'s project
    for it (``keep`` and ``parser`` as for `lint_buffer`)."""
    outcome = LintOutcome()
    try:
        engine = registry.engine_for(path, folders)
        if isinstance(engine, ProjectError):
            outcome.problems.append(f"infralint: {engine.message}")
            return outcome
        if registry.excludes(engine, path):
            return outcome  # as a directory walk would skip it
        with collector_paused():
            outcome.findings = lint_buffer(engine, path, text, keep, parser, registry.baseline(engine))
    except InfralintError as error:  # an unreadable baseline file
        outcome.problems.append(f"infralint: {error}")
        return outcome
    except Exception as error:  # a bug in infralint must not stop the server
        outcome.problems.append(f"infralint: internal error while linting {path.name}: {error!r} (please report this bug)")
        outcome.details.append(traceback.format_exc())
        return outcome
    for internal in engine.internal_errors:
        outcome.problems.append(f"infralint: {internal} (please report this bug)")
        outcome.details.append("".join(traceback.format_exception(type(internal.error), internal.error, internal.error.__traceback__)))
    engine.internal_errors.clear()
    return outcome
