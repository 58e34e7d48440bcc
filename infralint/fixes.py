"""Applying fixes: text edits on the original source, like ruff's."""

from __future__ import annotations

from typing import Iterable, List, Sequence, Tuple

from infralint.findings import Applicability, Edit, Finding


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
    taken: List[Edit] = []
    for finding in findings:
        fix = finding.fix
        if fix is None or fix.applicability < minimum:
            continue
        if any(_overlaps(edit, other) for edit in fix.edits for other in taken):
            continue
        taken.extend(fix.edits)
    return taken


def _overlaps(a: Edit, b: Edit) -> bool:
    # Edits starting at the same spot conflict too: two insertions there
    # (even identical ones, such as IL304's `as err`) have no defined order.
    return (a.start < b.end and b.start < a.end) or a.start == b.start
