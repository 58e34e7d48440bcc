"""Applying fixes: text edits on the original source, like ruff's."""

from __future__ import annotations

import ast
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, List, Optional, Sequence, Set, Tuple

from infralint.errors import InfralintError
from infralint.findings import Applicability, Edit, Finding
from infralint.source import SourceText, UnreadableSource, decode

if TYPE_CHECKING:
    from infralint.engine import Engine

# Fixes can enable or uncover each other; bounded like ruff's loop.
MAX_ROUNDS = 10


def _offsets(text: str) -> List[int]:
    """Character offset of the start of each line (index 0 = line 1)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply edits that do not overlap; positions are 1-based characters."""
    starts = _offsets(text)

    def offset(position: Tuple[int, int]) -> int:
        line, column = position
        if line > len(starts) - 1:
            return len(text)
        return min(starts[line - 1] + column - 1, len(text))

    result = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        result = result[: offset(edit.start)] + edit.text + result[offset(edit.end) :]
    return result


def applicable_fixes(findings: Sequence[Finding], minimum: Applicability) -> List[Edit]:
    """The edits of the fixes at ``minimum`` or safer, skipping any that
    overlap an edit already taken (a later round picks them up)."""
    return [edit for finding in compatible_fixes(findings, minimum) for edit in finding.fix.edits]  # type: ignore[union-attr]


def compatible_fixes(findings: Sequence[Finding], minimum: Applicability) -> List[Finding]:
    """The findings whose fixes (at ``minimum`` or safer) can be applied
    together: the first of any overlapping pair wins."""
    taken: List[Finding] = []
    edits: List[Edit] = []
    for finding in findings:
        fix = finding.fix
        if fix is None or fix.applicability < minimum:
            continue
        if any(_overlaps(edit, other) for edit in fix.edits for other in edits):
            continue
        taken.append(finding)
        edits.extend(fix.edits)
    return taken


def _overlaps(a: Edit, b: Edit) -> bool:
    # Edits starting at the same spot conflict too: two insertions there
    # (even identical ones, such as IL304's `as err`) have no defined order.
    return (a.start < b.end and b.start < a.end) or a.start == b.start


class FixWriteError(InfralintError):
    """A fixed file could not be written (read-only, vanished...)."""


@dataclass
class FileFix:
    """The outcome of fixing one file."""

    path: Path
    source: Optional[SourceText]
    fixed_text: Optional[str]
    remaining: List[Finding]
    applied: "Counter[str]" = field(default_factory=Counter)
    # One line per fix that was dropped because its result did not parse.
    warnings: List[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.source is not None and self.fixed_text is not None and self.fixed_text != self.source.text


def fix_file(engine: "Engine", path: Path, minimum: Applicability, data: Optional[bytes] = None) -> FileFix:
    """Apply every fix at ``minimum`` or safer, in rounds: each round takes
    the non-overlapping fixes, re-parses, and re-lints. A fix whose result
    does not parse is dropped with a warning naming its rule. Nothing is
    written here."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError:
            return FileFix(path, None, None, engine.lint_file(path))
    try:
        source = decode(data)
    except UnreadableSource:
        return FileFix(path, None, None, engine.lint_file(path, data))
    outcome = FileFix(path, source, source.text, [])
    rejected: Set[Tuple[str, int, int, str]] = set()
    text = source.text
    findings = engine.lint_file(path, _encode(text, source))
    for _ in range(MAX_ROUNDS):
        candidates = [f for f in findings if _key(f) not in rejected]
        chosen = compatible_fixes(candidates, minimum)
        if not chosen:
            break
        good = [f for f in chosen if _parses(apply_edits(text, f.fix.edits))]  # type: ignore[union-attr]
        for finding in chosen:
            if finding not in good:
                rejected.add(_key(finding))
                outcome.warnings.append(
                    f"{finding.path}:{finding.line}:{finding.column}: {finding.code} fix dropped: "
                    "its result does not parse (please report this bug)"
                )
        new_text = apply_edits(text, [e for f in good for e in f.fix.edits])  # type: ignore[union-attr]
        if not good or new_text == text or not _parses(new_text):
            break
        outcome.applied.update(f.code for f in good)
        text = new_text
        findings = engine.lint_file(path, _encode(text, source))
    outcome.fixed_text = text
    outcome.remaining = findings
    return outcome


def write_atomically(path: Path, text: str, source: SourceText) -> None:
    """Replace ``path`` with ``text`` in the file's own encoding (BOM and
    newlines are part of the text), keeping its mode; a reader never sees
    a half-written file."""
    if not os.access(path, os.W_OK):
        reason = "no such file" if not path.exists() else "the file is read-only"
        raise FixWriteError(f"{path}: cannot write the fixes: {reason}")
    mode = path.stat().st_mode
    handle, temporary = tempfile.mkstemp(dir=str(path.parent), prefix=f".{path.name}.", suffix=".infralint")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(_encode(text, source))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, path)
    except OSError as error:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise FixWriteError(f"{path}: cannot write the fixes: {error.strerror or error}") from error


def _encode(text: str, source: SourceText) -> bytes:
    # utf-8-sig re-adds the BOM that decoding removed.
    return text.encode(source.encoding)


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _key(finding: Finding) -> Tuple[str, int, int, str]:
    return (finding.code, finding.line, finding.column, finding.message)
