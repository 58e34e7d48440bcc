"""Positions between the engine and the client.

The engine counts 1-based lines and 1-based character (code point)
columns; the protocol counts 0-based lines and columns in the code units
of the negotiated position encoding: UTF-16 unless the client offered
UTF-8 or UTF-32. Lines are split only at ``\\n``, ``\\r\\n`` and ``\\r``,
as both Python and the protocol do.
"""

from __future__ import annotations

from typing import List, Tuple

from infralint import source

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def split_lines(text: str) -> List[str]:
    """The lines of ``text`` as an editor counts them: as Python does, and
    a final line break starts an empty last line (where an edit that ends
    at the end of the text ends)."""
    lines = source.split_lines(text)
    if not text or text.endswith(("\n", "\r")):
        lines.append("")
    return lines


def code_units(text: str, encoding: str) -> int:
    """The length of ``text`` in the code units of ``encoding``."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8"))
    # Characters outside the Basic Multilingual Plane take two UTF-16 units.
    return len(text) + sum(1 for character in text if ord(character) > 0xFFFF)


def to_client(lines: List[str], line: int, column: int, encoding: str) -> Tuple[int, int]:
    """An engine position (1-based line, 1-based character column) as a
    protocol one (0-based line, 0-based code units). A position past the
    end of the text is the end of the text."""
    if line > len(lines):
        last = len(lines) - 1
        return last, code_units(lines[last], encoding)
    text = lines[line - 1]
    return line - 1, code_units(text[: max(column - 1, 0)], encoding)


def from_client(lines: List[str], line: int, units: int, encoding: str) -> Tuple[int, int]:
    """A protocol position as an engine one; a column past the end of its
    line is the end of the line, a line past the end is the end of the text
    (as the protocol asks)."""
    if line >= len(lines):
        last = len(lines) - 1
        return last + 1, len(lines[last]) + 1
    text = lines[line]
    if encoding == UTF32 or text.isascii():
        return line + 1, min(units, len(text)) + 1
    counted = 0
    for index, character in enumerate(text):
        if counted >= units:
            return line + 1, index + 1
        counted += code_units(character, encoding)
    return line + 1, len(text) + 1
