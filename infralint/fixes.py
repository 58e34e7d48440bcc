"""Applying fixes: text edits on the original source, like ruff's."""

from __future__ import annotations

import ast
import bisect
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, List, Optional, Sequence, Set, Tuple

from infralint.findings import Applicability, Edit, Finding
from infralint.lazyregex import lazy_regex
from infralint.records import Record
from infralint.source import SourceText, UnreadableSource, decode, newline_of, split_lines

if TYPE_CHECKING:
    from infralint.engine import Engine

# Fixes can enable or uncover each other; bounded like ruff's loop.
MAX_ROUNDS = 10


def _offsets(text: str) -> List[int]:
    """Character offset of the start of each line (index 0 = line 1)."""
    starts = [0]
    for line in split_lines(text, keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _offset(starts: List[int], length: int, position: Tuple[int, int]) -> int:
    """Character offset of a 1-based (line, column) in a text of ``length``."""
    line, column = position
    if line > len(starts) - 1:
        return length
    return min(starts[line - 1] + column - 1, length)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply edits that do not overlap; positions are 1-based characters."""
    starts = _offsets(text)
    result = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        start, end = _offset(starts, len(text), edit.start), _offset(starts, len(text), edit.end)
        result = result[:start] + edit.text + result[end:]
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


class FileFix(Record):
    """The outcome of fixing one file."""

    __slots__ = ("path", "source", "fixed_text", "remaining", "applied", "warnings", "data")

    def __init__(
        self,
        path: Path,
        source: Optional[SourceText],
        fixed_text: Optional[str],
        remaining: List[Finding],
        applied: "Optional[Counter[str]]" = None,
        warnings: Optional[List[str]] = None,
    ) -> None:
        self.path = path
        self.source = source
        self.fixed_text = fixed_text
        self.remaining = remaining
        self.applied: "Counter[str]" = Counter() if applied is None else applied
        # One line per fix that was dropped (its result did not parse, or its
        # finding was still there).
        self.warnings: List[str] = [] if warnings is None else warnings
        # The bytes ``source`` was decoded from: the file must still hold
        # them when it is written.
        self.data: Optional[bytes] = None

    @property
    def changed(self) -> bool:
        return self.source is not None and self.fixed_text is not None and self.fixed_text != self.source.text


def fix_file(
    engine: "Engine",
    path: Path,
    minimum: Applicability,
    data: Optional[bytes] = None,
    findings: Optional[List[Finding]] = None,
) -> FileFix:
    """Apply every fix at ``minimum`` or safer, in rounds: each round takes
    the non-overlapping fixes, re-parses, and re-lints. A fix whose result
    does not parse, or that leaves its finding in place, is dropped with a
    warning naming its rule and the round is redone without it. Renames are
    left to `infralint.fix_run`. ``findings`` are the file's, when the
    caller has just linted it. Nothing is written here."""
    if data is None:
        try:
            data = engine.read(path)
        except OSError:
            return FileFix(path, None, None, engine.lint_file(path))
    try:
        source = decode(data)
    except UnreadableSource:
        return FileFix(path, None, None, engine.lint_file(path, data))
    outcome = FileFix(path, source, source.text, [])
    outcome.data = data
    rejected: Set[_Key] = set()
    text = source.text
    if findings is None:
        findings = engine.lint_file(path, encode(text, source))
    newline = newline_of(text)
    rounds = 0
    while rounds < MAX_ROUNDS:
        candidates = [f for f in findings if _key(f) not in rejected and not _renames(f)]
        good = compatible_fixes(candidates, minimum)
        if not good:
            break
        new_text = apply_edits(text, _edits(good, newline))
        if not engine.parses(path, new_text):  # find the culprits: one parse per fix
            chosen, good = good, [f for f in good if engine.parses(path, apply_edits(text, _edits([f], newline)))]
            _reject(outcome, rejected, [f for f in chosen if f not in good], "its result does not parse")
            if not good:
                continue
            new_text = apply_edits(text, _edits(good, newline))
            if not engine.parses(path, new_text):  # each parses alone, not together: one at a time
                good = good[:1]
                new_text = apply_edits(text, _edits(good, newline))
        new_findings = engine.lint_file(path, encode(new_text, source))
        move = _mover(text, new_text, _edits(good, newline))
        left = {_key(f) for f in new_findings}
        kept = [f for f in good if move(_key(f)) in left]
        if kept:
            # Redo the round without them: the file stays as before those fixes.
            _reject(outcome, rejected, kept, "it does not remove its finding")
            continue
        rounds += 1
        outcome.applied.update(f.code for f in good)
        rejected = {move(key) for key in rejected}
        text, findings = new_text, new_findings
    outcome.fixed_text = text
    outcome.remaining = findings
    return outcome


# (code, line, column, message): a finding's identity within one text.
_Key = Tuple[str, int, int, str]


def _key(finding: Finding) -> _Key:
    return (finding.code, finding.line, finding.column, finding.message)


def _edits(findings: Sequence[Finding], newline: str) -> List[Edit]:
    """The findings' edits, in the file's newline style."""
    return in_newline_style([edit for finding in findings for edit in finding.fix.edits], newline)  # type: ignore[union-attr]


def in_newline_style(edits: Sequence[Edit], newline: str) -> List[Edit]:
    """``edits`` with the line breaks they insert written as ``newline``, the
    file's own style (rules write ``\\n``)."""
    if newline == "\n":
        return list(edits)
    return [Edit(e.start, e.end, _LONE_LF.sub(newline, e.text)) if "\n" in e.text else e for e in edits]


_LONE_LF = lazy_regex(r"(?<!\r)\n")


def _renames(finding: Finding) -> bool:
    return finding.fix is not None and finding.fix.rename is not None


def _reject(outcome: FileFix, rejected: Set[_Key], findings: Sequence[Finding], reason: str) -> None:
    for finding in findings:
        rejected.add(_key(finding))
        outcome.warnings.append(
            f"{finding.path}:{finding.line}:{finding.column}: {finding.code} fix dropped: "
            f"{reason} (please report this bug)"
        )


def _mover(text: str, new_text: str, edits: Sequence[Edit]) -> Callable[[_Key], _Key]:
    """Maps a finding's key in ``text`` to where it is once ``edits`` made
    ``new_text``: shifted by the edits that end before it (a position inside
    an edit goes to the edit's start)."""
    old_starts, new_starts = _offsets(text), _offsets(new_text)
    spans = [
        (_offset(old_starts, len(text), e.start), _offset(old_starts, len(text), e.end), len(e.text)) for e in edits
    ]

    def move(key: _Key) -> _Key:
        code, line, column, message = key
        position = _offset(old_starts, len(text), (line, column))
        shift = 0
        for start, end, length in spans:
            if end <= position:
                shift += length - (end - start)
            elif start < position:
                shift += start - position
        return (code, *_position(new_starts, position + shift), message)

    return move


def _position(starts: List[int], offset: int) -> Tuple[int, int]:
    """The 1-based (line, column) of a character offset."""
    line = bisect.bisect_right(starts, offset) - 1
    line = max(0, min(line, len(starts) - 1))
    return line + 1, offset - starts[line] + 1


def encode(text: str, source: SourceText) -> bytes:
    """``text`` in the encoding it was read in (utf-8-sig re-adds the BOM
    that decoding removed; newlines are part of the text)."""
    return text.encode(source.encoding)


def parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
