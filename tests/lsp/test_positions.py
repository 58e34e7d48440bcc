from __future__ import annotations

import pytest

from infralint.lsp.positions import UTF8, UTF16, UTF32, code_units, from_client, split_lines, to_client

# "é" is one UTF-16 unit and two UTF-8 bytes; "😀" is outside the Basic
# Multilingual Plane: two UTF-16 units, four UTF-8 bytes.
LINE = 'x = "é😀"; call()'
CALL = LINE.index("call") + 1  # 1-based character column


@pytest.mark.parametrize("encoding, expected", [(UTF16, 11), (UTF8, 14), (UTF32, 10)])
def test_a_column_after_non_ascii_text_counts_the_client_units(encoding: str, expected: int):
    assert to_client([LINE], 1, CALL, encoding) == (0, expected)
    assert from_client([LINE], 0, expected, encoding) == (1, CALL)


def test_code_units():
    assert [code_units("😀", e) for e in (UTF8, UTF16, UTF32)] == [4, 2, 1]
    assert code_units("abc", UTF16) == 3


def test_positions_past_the_end_are_the_end():
    lines = ["a = 1", "bé"]
    assert to_client(lines, 3, 1, UTF16) == (1, 2)
    assert from_client(lines, 1, 99, UTF16) == (2, 3)
    assert from_client(lines, 5, 0, UTF16) == (2, 3)


def test_lines_split_only_where_python_and_editors_split_them():
    assert split_lines("a\r\nb\rc\nd\x0ce\u2028f\n") == ["a", "b", "c", "d\x0ce\u2028f", ""]
