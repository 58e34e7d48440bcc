"""Suppression comments: ``# infralint: ignore[CODE, ...]``,
``# infralint: ignore-file[CODE]`` and the IL codes of ``# noqa: ...``.

Comments are not in the ast, so they are read with `tokenize` — but only
for files whose text contains a marker at all (a cheap ``in`` test first).
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Set, Tuple

MARKERS = ("infralint", "noqa", "NOQA")

_DIRECTIVE = re.compile(r"#\s*infralint\s*:\s*(?P<kind>ignore-file|ignore)\b(?:\[(?P<codes>[^\]]*)\])?")
_NOQA = re.compile(r"#\s*noqa\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:[,\s]+[A-Za-z]+[0-9]+)*)", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")
_IL_CODE = re.compile(r"^IL[0-9]+$")


@dataclass
class SuppressedCode:
    code: str
    # Character span (0-based, in the line) of the code inside the comment.
    start: int
    end: int
    used: bool = False


@dataclass
class Suppression:
    line: int
    kind: str  # "ignore", "ignore-file" or "noqa"
    # Character span (0-based) of the directive within the line.
    start: int
    end: int
    codes: List[SuppressedCode] = field(default_factory=list)
    # Every code written in the directive, other tools' `noqa` codes too.
    written: List[SuppressedCode] = field(default_factory=list)

    def covers(self, code: str) -> Optional[SuppressedCode]:
        return next((c for c in self.codes if c.code == code), None)


def find_suppressions(source: str) -> List[Suppression]:
    if not any(marker in source for marker in MARKERS):
        return []
    found: List[Suppression] = []
    # Columns from tokenize are characters of the decoded line.
    for line, column, comment, in_header in _comments(source):
        for match in _DIRECTIVE.finditer(comment):
            kind = match.group("kind")
            if kind == "ignore-file" and not in_header:
                kind = "ignore"  # only the leading comment block covers the file
            codes = _codes(match, "codes", column)
            found.append(Suppression(line, kind, column + match.start(), column + match.end(), codes, codes))
        for match in _NOQA.finditer(comment):
            written = _codes(match, "codes", column)
            codes = [c for c in written if c.code.startswith("IL")]
            if codes:
                start, end = column + match.start(), column + match.end()
                found.append(Suppression(line, "noqa", start, end, codes, written))
    return found


_NON_CODE_TOKENS = {tokenize.NL, tokenize.NEWLINE, tokenize.ENCODING, tokenize.COMMENT}


def _comments(source: str) -> Iterable[Tuple[int, int, str, bool]]:
    """(line, column, text, before any code) for each comment."""
    reader = io.StringIO(source).readline
    in_header = True
    try:
        for token in tokenize.generate_tokens(reader):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.start[1], token.string, in_header
            elif token.type not in _NON_CODE_TOKENS:
                in_header = False
    except (tokenize.TokenError, SyntaxError):
        return


def _codes(match: "re.Match[str]", group: str, column: int) -> List[SuppressedCode]:
    text = match.group(group)
    if text is None:
        return []
    offset = column + match.start(group)
    return [SuppressedCode(m.group(0).upper(), offset + m.start(), offset + m.end()) for m in _CODE.finditer(text)]


def is_infralint_code(code: str) -> bool:
    return bool(_IL_CODE.match(code))


def unused_codes(suppressions: Iterable[Suppression], ran: Set[str]) -> Iterable[Tuple[Suppression, SuppressedCode]]:
    """Codes that suppressed nothing although their rule ran on the file."""
    for suppression in suppressions:
        for code in suppression.codes:
            if not code.used and code.code in ran:
                yield suppression, code
