"""Lines as Python counts them."""

from __future__ import annotations

import pytest

from infralint.source import split_lines

# str.splitlines() breaks at each of these; Python's tokenizer does not.
NOT_LINE_BREAKS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("character", NOT_LINE_BREAKS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("rest", ["ascii", "non-ascii é"])
def test_only_python_line_breaks_end_a_line(character: str, rest: str) -> None:
    text = f"a = 1\r\nb{character}c = 2  # {rest}\rd\n"
    assert split_lines(text) == ["a = 1", f"b{character}c = 2  # {rest}", "d"]
    assert split_lines(text, keepends=True) == ["a = 1\r\n", f"b{character}c = 2  # {rest}\r", "d\n"]
