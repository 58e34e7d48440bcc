"""Findings as protocol diagnostics."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Hashable, List, Mapping, Sequence

import attrs
from lsprotocol import types
from pygls.uris import from_fs_path

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


def with_chain(diagnostic: types.Diagnostic, finding: Finding, importer_files: Mapping[str, Path]) -> types.Diagnostic:
    """``diagnostic`` with its finding's import chain (IL103) as related
    information, one per import: where the importing module imports the
    next one (its whole line, or the start of the file when the line is
    unknown), ``a -> b``, as the text output lists them. An import whose
    module has no file found is left out; a finding without a chain is
    returned as it is."""
    related = []
    for link in finding.chain:
        path = importer_files.get(link.importer)
        if path is None:
            continue
        line = link.line - 1 if link.line else 0
        where = types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line + 1, character=0))
        related.append(
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=from_fs_path(str(path)) or path.as_uri(), range=where),
                message=f"{link.importer} -> {link.imported}",
            )
        )
    # Diagnostics are shared by DiagnosticCache: a copy, not a change.
    return attrs.evolve(diagnostic, related_information=related) if related else diagnostic


class DiagnosticCache:
    """The diagnostics of one document's last publish, reused for the same
    findings on the same lines: a keystroke changes few of them, and
    building one (lsprotocol validates every field) costs ~8 us, 1 ms for
    140. Diagnostics are never mutated once built, so sharing is safe."""

    def __init__(self) -> None:
        self._last: Dict[Hashable, types.Diagnostic] = {}

    def to_diagnostics(self, findings: Sequence[Finding], lines: List[str], encoding: str) -> List[types.Diagnostic]:
        built: Dict[Hashable, types.Diagnostic] = {}
        diagnostics = []
        for finding in findings:
            # Everything a diagnostic is made of: the range depends on the
            # text of its lines before the columns (code units).
            key = (
                finding.code,
                finding.message,
                finding.line,
                finding.column,
                finding.end_line,
                finding.end_column,
                _line_text(lines, finding.line),
                _line_text(lines, finding.end_line),
                encoding,
            )
            diagnostic = built.get(key) or self._last.get(key) or to_diagnostic(finding, lines, encoding)
            built[key] = diagnostic
            diagnostics.append(diagnostic)
        self._last = built
        return diagnostics


def _line_text(lines: List[str], line: int) -> Hashable:
    """What `to_client` reads of line ``line`` (1-based): its text, or past
    the end of the text, the last line's (positions clamp to its end)."""
    return lines[line - 1] if line <= len(lines) else (len(lines), lines[-1])
