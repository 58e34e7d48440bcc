"""Suppression comments: ``# infralint: ignore[CODE, ...]``,
``# infralint: ignore-file[CODE]`` and the IL codes of ``# noqa: ...``.

Comments are not in the ast, so they are read with `tokenize` — but only
for files whose text contains a marker at all (a cheap ``in`` test first).
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import Iterable, List, Optional, Set, Tuple

from infralint.findings import Edit, Finding
from infralint.fixes import apply_edits
from infralint.lazyregex import lazy_regex
from infralint.records import Record
from infralint.source import split_lines

MARKERS = ("infralint", "noqa", "NOQA")

_DIRECTIVE = lazy_regex(r"#\s*infralint\s*:\s*(?P<kind>ignore-file|ignore)\b(?:\[(?P<codes>[^\]]*)\])?")
_NOQA = lazy_regex(r"#\s*noqa\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:[,\s]+[A-Za-z]+[0-9]+)*)", re.IGNORECASE)
_CODE = lazy_regex(r"[A-Za-z]+[0-9]+")
_IL_CODE = lazy_regex(r"^IL[0-9]+$")


class SuppressedCode(Record):
    __slots__ = ("code", "start", "end", "used")

    def __init__(self, code: str, start: int, end: int, used: bool = False) -> None:
        self.code = code
        # Character span (0-based, in the line) of the code inside the comment.
        self.start = start
        self.end = end
        self.used = used


class Suppression(Record):
    __slots__ = ("line", "kind", "start", "end", "codes", "written")

    def __init__(
        self,
        line: int,
        kind: str,
        start: int,
        end: int,
        codes: Optional[List[SuppressedCode]] = None,
        written: Optional[List[SuppressedCode]] = None,
    ) -> None:
        self.line = line
        self.kind = kind  # "ignore", "ignore-file" or "noqa"
        # Character span (0-based) of the directive within the line.
        self.start = start
        self.end = end
        self.codes: List[SuppressedCode] = [] if codes is None else codes
        # Every code written in the directive, other tools' `noqa` codes too.
        self.written: List[SuppressedCode] = [] if written is None else written

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
            codes = codes_of(match, "codes", column)
            found.append(Suppression(line, kind, column + match.start(), column + match.end(), codes, codes))
        for match in _NOQA.finditer(comment):
            written = codes_of(match, "codes", column)
            codes = [c for c in written if c.code.startswith("IL")]
            if codes:
                start, end = column + match.start(), column + match.end()
                found.append(Suppression(line, "noqa", start, end, codes, written))
    return found


_NON_CODE_TOKENS = {tokenize.NL, tokenize.NEWLINE, tokenize.ENCODING, tokenize.COMMENT}


def _comments(source: str) -> Iterable[Tuple[int, int, str, bool]]:
    """(line, column, text, before any code) for each comment."""
    # Universal newlines: a lone "\r" ends a line, as Python and
    # SourceText count them (the columns do not change).
    reader = io.StringIO(source, newline=None).readline
    in_header = True
    try:
        for token in tokenize.generate_tokens(reader):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.start[1], token.string, in_header
            elif token.type not in _NON_CODE_TOKENS:
                in_header = False
    except (tokenize.TokenError, SyntaxError):
        return


def codes_of(match: "re.Match[str]", group: str, column: int) -> List[SuppressedCode]:
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


def suppression_edit(source: str, line: int, code: str) -> Optional[Edit]:
    """The edit that suppresses ``code`` on ``line``: the code added to the
    line's ``# infralint: ignore[...]`` directive, else a new directive at
    the end of the line. None when no comment can go there (the line ends
    inside a string or continues with a backslash) or ``code`` is already
    suppressed there."""
    lines = split_lines(source)
    if not 0 < line <= len(lines):
        return None
    existing = [s for s in find_suppressions(source) if s.line == line and s.kind == "ignore"]
    if any(s.covers(code) for s in existing):
        return None
    if existing and existing[0].codes:
        # `ignore[IL101]` -> `ignore[IL101, IL302]`: insert before the `]`.
        end = existing[0].end
        edit = Edit((line, end), (line, end), f", {code}")
    elif existing:  # a bare `ignore` (never honoured): give it the code
        directive = existing[0]
        edit = Edit((line, directive.start + 1), (line, directive.end + 1), f"# infralint: ignore[{code}]")
    else:
        content = lines[line - 1].rstrip()
        if content.endswith("\\"):  # a comment cannot follow a line continuation
            return None
        edit = Edit((line, len(content) + 1), (line, len(lines[line - 1]) + 1), f"  # infralint: ignore[{code}]")
    # The directive must be a comment on that line, not text in a string.
    fixed = find_suppressions(apply_edits(source, [edit]))
    if not any(s.line == line and s.kind == "ignore" and s.covers(code) for s in fixed):
        return None
    return edit


def is_suppressed(finding: Finding, suppressions: List[Suppression]) -> bool:
    """Whether a comment of ``suppressions`` covers ``finding`` (on its line,
    the first line of its statement, or the whole file); marks the codes
    that did as used, for IL002."""
    lines = {finding.line, finding.statement_line}
    suppressed = False
    for suppression in suppressions:
        if suppression.kind != "ignore-file" and suppression.line not in lines:
            continue
        code = suppression.covers(finding.code)
        if code is not None:
            code.used = True
            suppressed = True
    return suppressed
