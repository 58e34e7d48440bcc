"""Applying a client's text changes to an open document.

pygls splits the whole buffer into lines and copies it line by line in
Python for every incremental change (~40 ms per keystroke in a 5 MB
buffer, on the event loop); here the change's start and end become
offsets (the lines before them are found by C-level splitting) and the
text is joined once. Lines end at ``\\n``, ``\\r\\n`` and ``\\r`` only, as
the protocol says (pygls also split at form feeds and other Unicode line
separators, so its positions disagreed with the client's there).
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from pygls.workspace import TextDocument

from infralint import source
from infralint.lsp.positions import UTF16, from_client


def line_start(text: str, line: int) -> int:
    """The offset where 0-based ``line`` starts; len(text) past the end."""
    if line <= 0:
        return 0
    if "\r" not in text:
        parts = text.split("\n", line)
        return len(text) - len(parts[-1]) if len(parts) > line else len(text)
    lines = source.split_lines(text, keepends=True)
    return sum(len(part) for part in lines[:line]) if line < len(lines) else len(text)


def offset_at(text: str, position: types.Position, encoding: str) -> int:
    """The offset of a client position: a column past its line's end is the
    line's end, a line past the text's end is the text's end."""
    start = line_start(text, position.line)
    if start >= len(text):
        return len(text)
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    carriage_return = text.find("\r", start, end)
    end = end if carriage_return < 0 else carriage_return
    _, column = from_client([text[start:end]], 0, position.character, encoding)
    return start + column - 1


def apply_change(document: TextDocument, change: Any) -> None:
    """Apply one content change (a range and its new text, or the whole text)."""
    text = document.source
    if isinstance(change, types.TextDocumentContentChangePartial):
        encoding = str(getattr(document.position_codec, "encoding", None) or UTF16)
        encoding = str(getattr(encoding, "value", encoding))
        start = offset_at(text, change.range.start, encoding)
        end = max(start, offset_at(text, change.range.end, encoding))
        # pygls keeps the text in this attribute; its setter does the same.
        document._source = text[:start] + change.text + text[end:]
    else:
        document._source = change.text
