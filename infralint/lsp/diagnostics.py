"""Findings as protocol diagnostics."""

from __future__ import annotations

from typing import List, Sequence

from lsprotocol import types

from infralint.findings import Edit, Finding
from infralint.lsp.positions import to_client
from infralint.rules.engine import SyntaxErrorRule, UnusedSuppression

SOURCE = "infralint"


def finding_range(finding: Finding, lines: List[str], encoding: str) -> types.Range:
    return _range(lines, (finding.line, finding.column), (finding.end_line, finding.end_column), encoding)


def edit_range(edit: Edit, lines: List[str], encoding: str) -> types.Range:
    return _range(lines, edit.start, edit.end, encoding)


def _range(lines: List[str], start: "tuple[int, int]", end: "tuple[int, int]", encoding: str) -> types.Range:
    start_line, start_character = to_client(lines, *start, encoding)
    end_line, end_character = to_client(lines, *end, encoding)
    return types.Range(
        start=types.Position(line=start_line, character=start_character),
        end=types.Position(line=end_line, character=end_character),
    )


def to_diagnostic(finding: Finding, lines: List[str], encoding: str) -> types.Diagnostic:
    """Like ruff's server: a file that cannot be read or parsed is an
    error, a rule's finding a warning, an unused suppression is also
    marked unnecessary (editors grey it out)."""
    is_unreadable = finding.code == SyntaxErrorRule.code
    return types.Diagnostic(
        range=finding_range(finding, lines, encoding),
        message=finding.message,
        severity=types.DiagnosticSeverity.Error if is_unreadable else types.DiagnosticSeverity.Warning,
        code=finding.code,
        code_description=types.CodeDescription(href=finding.url),
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if finding.code == UnusedSuppression.code else None,
    )


def to_diagnostics(findings: Sequence[Finding], lines: List[str], encoding: str) -> List[types.Diagnostic]:
    return [to_diagnostic(finding, lines, encoding) for finding in findings]
