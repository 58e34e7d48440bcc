"""Reading and decoding source files, and converting positions.

Decoding follows Python's own rules (PEP 263 coding cookie, UTF-8 BOM,
UTF-8 default) so a file is read exactly as the interpreter would read it.
"""

from __future__ import annotations

import codecs
import io
import tokenize
from typing import List

from infralint.lazyregex import lazy_regex
from infralint.records import Record


# Characters str.splitlines() breaks at but Python's tokenizer does not
# (form feed, vertical tab, file/group/record separators, NEL, U+2028/9).
_NOT_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK = lazy_regex("\r\n|\r|\n")


def split_lines(text: str, keepends: bool = False) -> List[str]:
    """The lines of ``text`` as Python numbers them: only ``\\n``, ``\\r\\n``
    and ``\\r`` end a line."""
    # Eight substring searches: ~3 us for a 40 KB module, where a regex
    # character class took ~300 us (every lint splits its file twice).
    if not any(character in text for character in _NOT_LINE_BREAKS):
        return text.splitlines(keepends)
    lines: List[str] = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        lines.append(text[start : match.end() if keepends else match.start()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def newline_of(text: str) -> str:
    """The line break a text uses (its first one), ``\\n`` if it has none."""
    match = _LINE_BREAK.search(text)
    return match.group() if match else "\n"


class UnreadableSource(Exception):
    """The file cannot be turned into text; the message says why."""


class SourceText(Record):
    __slots__ = ("text", "encoding", "has_bom", "_lines")

    def __init__(self, text: str, encoding: str = "utf-8", has_bom: bool = False) -> None:
        self.text = text
        self.encoding = encoding
        self.has_bom = has_bom
        self._lines: List[str] = []  # split on first use

    @property
    def lines(self) -> List[str]:
        """The lines without their line endings (index 0 is line 1)."""
        if not self._lines:
            self._lines = split_lines(self.text)
        return self._lines

    def line(self, number: int) -> str:
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def char_column(self, line: int, byte_offset: int) -> int:
        """1-based character column of a UTF-8 byte offset on a line."""
        text = self.line(line)
        if text.isascii():
            return byte_offset + 1
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")) + 1

    def byte_offset(self, line: int, char_column: int) -> int:
        """The inverse of `char_column`."""
        return len(self.line(line)[: char_column - 1].encode("utf-8"))


# Byte order marks of encodings Python cannot read source in (the UTF-32
# ones first: UTF-32-LE's starts with UTF-16-LE's).
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def wide_encoding(data: bytes) -> str:
    """"UTF-16"/"UTF-32" when ``data`` looks encoded so (a byte order mark,
    or ASCII text with a NUL byte beside every character), else ""."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    sample = data[:200]
    if len(sample) >= 4 and (not any(sample[0::2]) or not any(sample[1::2])) and any(sample):
        return "UTF-16"
    return ""


def decode(data: bytes) -> SourceText:
    if b"\x00" in data:
        wide = wide_encoding(data)
        if wide:
            raise UnreadableSource(f"the file is {wide}-encoded; Python reads source as UTF-8: re-encode it as UTF-8")
        raise UnreadableSource("binary file (contains NUL bytes), not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        if error.msg.startswith("invalid or missing encoding declaration"):
            # tokenize's words for a first line that is not UTF-8 and has no
            # cookie: say where the bytes are wrong instead.
            _check_decodes(data, "utf-8")
        raise UnreadableSource(f"cannot detect the encoding: {error.msg}") from error
    has_bom = data.startswith(codecs.BOM_UTF8)
    text = _check_decodes(data, encoding)
    if has_bom:
        text = text[1:] if text.startswith("\ufeff") else text
    return SourceText(text, encoding, has_bom)


def _check_decodes(data: bytes, encoding: str) -> str:
    """``data`` decoded, or the reason it cannot be, with its line."""
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        reason = error.reason if isinstance(error, UnicodeDecodeError) else str(error)
        where = ""
        if isinstance(error, UnicodeDecodeError):
            line = data.count(b"\n", 0, error.start) + 1
            where = f" at line {line}"
        raise UnreadableSource(
            f"not valid {encoding}{where} ({reason}); add a coding cookie or re-encode the file as UTF-8"
        ) from error
