"""Applying a server's text edits as an editor would."""

from __future__ import annotations

from typing import Sequence

from lsprotocol import types


def apply_text_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply non-overlapping edits whose columns count UTF-16 units."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        if position.line >= len(lines):
            return len(text)
        before = sum(len(line) + 1 for line in lines[: position.line])
        line = lines[position.line]
        units = 0
        for index, character in enumerate(line):
            if units >= position.character:
                return before + index
            units += 2 if ord(character) > 0xFFFF else 1
        return before + len(line)

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text
