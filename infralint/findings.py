"""The data a check produces: findings, fixes and text edits.

Findings hold data only; reporters decide how to show them.
"""

from __future__ import annotations

import enum
from typing import Optional, Tuple

from infralint.records import FrozenRecord

DOCS_URL = "https://github.com/infralint/infralint/blob/main/rules/{code}.md"


class Applicability(enum.IntEnum):
    """How trustworthy a fix is, ordered like ruff's: higher is safer."""

    DISPLAY_ONLY = 0
    UNSAFE = 1
    SAFE = 2

    @classmethod
    def minimum(cls, unsafe_fixes: bool) -> "Applicability":
        """The least safe fix that --fix applies (with or without --unsafe-fixes)."""
        return cls.UNSAFE if unsafe_fixes else cls.SAFE

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")


class Edit(FrozenRecord):
    """Replace the text between two 1-based (line, column) positions.

    Columns count characters, like the positions of findings; ``end`` is
    exclusive.
    """

    __slots__ = ("start", "end", "text")

    start: Tuple[int, int]
    end: Tuple[int, int]
    text: str

    def __init__(self, start: Tuple[int, int], end: Tuple[int, int], text: str) -> None:
        self._assign(start, end, text)

    def to_dict(self) -> dict:
        return {
            "start": {"line": self.start[0], "column": self.start[1]},
            "end": {"line": self.end[0], "column": self.end[1]},
            "content": self.text,
        }


class Fix(FrozenRecord):
    """Text edits in the finding's file and, for a fix that renames the
    module, its new file name (same directory): applying it also rewrites
    the project's imports of the module (`infralint.fix_run`)."""

    __slots__ = ("edits", "applicability", "message", "rename")

    edits: Tuple[Edit, ...]
    applicability: Applicability
    message: str
    rename: Optional[str]

    def __init__(
        self,
        edits: Tuple[Edit, ...],
        applicability: Applicability,
        message: str,
        rename: Optional[str] = None,
    ) -> None:
        self._assign(edits, applicability, message, rename)

    def to_dict(self) -> dict:
        fields = {
            "applicability": self.applicability.label,
            "message": self.message,
            "edits": [edit.to_dict() for edit in self.edits],
        }
        if self.rename is not None:
            fields["rename"] = self.rename
        return fields


class ImportLink(FrozenRecord):
    """One import of a chain (IL103); ``line`` is None when unknown."""

    __slots__ = ("importer", "imported", "line")

    importer: str
    imported: str
    line: Optional[int]

    def __init__(self, importer: str, imported: str, line: Optional[int]) -> None:
        self._assign(importer, imported, line)

    def to_dict(self) -> dict:
        return {"importer": self.importer, "imported": self.imported, "line": self.line}


class Finding(FrozenRecord):
    """One violation of one rule at one place in one file.

    ``path`` is relative to the working directory with ``/`` separators;
    lines and columns are 1-based, columns count characters.
    """

    __slots__ = (
        "code",
        "name",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "fix",
        # The first line of the statement holding the finding: a suppression
        # comment there covers the whole statement. Not part of the report.
        "statement_line",
        # The imports that make up the violation, for IL103; the message shows
        # them too. In JSON output as "chain".
        "chain",
    )
    # Neither compared nor shown: statement_line and chain.
    _fields = __slots__[:9]

    code: str
    name: str
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    fix: Optional[Fix]
    statement_line: int
    chain: Tuple[ImportLink, ...]

    def __init__(
        self,
        code: str,
        name: str,
        message: str,
        path: str,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        fix: Optional[Fix] = None,
        statement_line: int = 0,
        chain: Tuple[ImportLink, ...] = (),
    ) -> None:
        self._assign(code, name, message, path, line, column, end_line, end_column, fix, statement_line, chain)

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict:
        data = {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "fix": self.fix.to_dict() if self.fix else None,
            "url": self.url,
        }
        if self.chain:
            data["chain"] = [link.to_dict() for link in self.chain]
        return data
