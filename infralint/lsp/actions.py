"""Code actions: apply one finding's fix, fix everything safe in the file,
suppress a finding on its line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence

from lsprotocol import types

from infralint.findings import Applicability, Edit, Finding
from infralint.fixes import apply_edits, in_newline_style, parses
from infralint.lsp.capabilities import FIX_ALL_KIND
from infralint.lsp.diagnostics import SOURCE, edit_range, finding_range
from infralint.lsp.positions import split_lines
from infralint.source import newline_of
from infralint.suppressions import suppression_edit

FIX_ALL_TITLE = "infralint: fix all safe findings in the file"
FIX_ALL_UNSAFE_TITLE = "infralint: fix all findings in the file (unsafe fixes included)"


@dataclass(frozen=True)
class Buffer:
    """The document a code action edits, as the client knows it."""

    uri: str
    version: Optional[int]
    text: str
    encoding: str
    # Whether the client takes versioned edits (``documentChanges``), which
    # it refuses to apply to a document that changed meanwhile.
    versioned_edits: bool = False

    @property
    def lines(self) -> List[str]:
        return split_lines(self.text)

    def text_edits(self, edits: Sequence[Edit]) -> List[types.TextEdit]:
        lines = self.lines
        return [types.TextEdit(range=edit_range(e, lines, self.encoding), new_text=e.text) for e in edits]

    def edit(self, edits: Sequence[Edit]) -> types.WorkspaceEdit:
        text_edits = self.text_edits(edits)
        if self.versioned_edits:
            document = types.OptionalVersionedTextDocumentIdentifier(uri=self.uri, version=self.version)
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document, edits=text_edits)])
        return types.WorkspaceEdit(changes={self.uri: text_edits})

    def replace_all(self, new_text: str) -> types.WorkspaceEdit:
        return self.edit([self.whole_text(new_text)])

    def whole_text(self, new_text: str) -> Edit:
        lines = self.lines
        return Edit((1, 1), (len(lines), len(lines[-1]) + 1), new_text)


def wants(kind: str, only: Optional[Sequence[str]]) -> bool:
    """Whether a requested ``only`` list admits ``kind``: kinds are
    hierarchical, ``source`` admits ``source.fixAll.infralint``."""
    return only is None or any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def code_actions(
    buffer: Buffer,
    findings: Sequence[Finding],
    requested: types.Range,
    only: Optional[Sequence[str]],
    diagnostics: Sequence[types.Diagnostic],
    fix_all: Callable[[], Optional[str]],
    unsafe: bool = False,
) -> List[types.CodeAction]:
    """The actions for the findings that touch ``requested``, then the
    fix-all ones when some safe fix (or, with ``unsafe``, any fix) exists
    in the file. ``fix_all`` gives the text with those fixes applied (None
    when nothing changes); it is called only when a fix-all action is wanted."""
    lines = buffer.lines
    actions: List[types.CodeAction] = []
    if wants(types.CodeActionKind.QuickFix, only):
        for finding in findings:
            where = finding_range(finding, lines, buffer.encoding)
            if not _touches(where, requested):
                continue
            matching = [d for d in diagnostics if d.code == finding.code and d.range == where]
            fix = fix_action(buffer, finding, matching)
            if fix is not None:
                actions.append(fix)
            suppress = _suppress_action(buffer, finding, matching)
            if suppress is not None:
                actions.append(suppress)
    least = Applicability.UNSAFE if unsafe else Applicability.SAFE
    any_fix = any(f.fix is not None and f.fix.applicability >= least for f in findings)
    # Source actions only when asked for (editors do on save, or in their
    # "Source Action" menu); the quick fix copy is for the light bulb.
    kinds = [FIX_ALL_KIND] if only is not None and wants(FIX_ALL_KIND, only) else []
    kinds += [types.CodeActionKind.QuickFix] if wants(types.CodeActionKind.QuickFix, only) else []
    if any_fix and kinds:
        fixed = fix_all()
        if fixed is not None:
            title = FIX_ALL_UNSAFE_TITLE if unsafe else FIX_ALL_TITLE
            actions.extend(types.CodeAction(title=title, kind=kind, edit=buffer.replace_all(fixed)) for kind in kinds)
    return actions


def _touches(where: types.Range, requested: types.Range) -> bool:
    # Inclusive: a cursor right after the squiggle still offers its fixes.
    return _key(where.start) <= _key(requested.end) and _key(requested.start) <= _key(where.end)


def _key(position: types.Position) -> "tuple[int, int]":
    return (position.line, position.character)


def fix_action(buffer: Buffer, finding: Finding, diagnostics: List[types.Diagnostic]) -> Optional[types.CodeAction]:
    fix = finding.fix
    if fix is None or fix.applicability < Applicability.UNSAFE:
        return None  # display-only fixes are shown, never applied
    if fix.rename is not None:
        return None  # renaming a module rewrites other files: `infralint check --fix`
    edits = in_newline_style(fix.edits, newline_of(buffer.text))
    if not parses(apply_edits(buffer.text, edits)):
        return None  # as `--fix` does, never offer an edit that breaks the file
    safe = fix.applicability == Applicability.SAFE
    return types.CodeAction(
        title=f"infralint: {fix.message} ({finding.code})" + ("" if safe else " (unsafe)"),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=diagnostics or None,
        edit=buffer.edit(edits),
        is_preferred=safe,
    )


def _suppress_action(buffer: Buffer, finding: Finding, diagnostics: List[types.Diagnostic]) -> Optional[types.CodeAction]:
    for line in dict.fromkeys((finding.line, finding.statement_line or finding.line)):
        edit = suppression_edit(buffer.text, line, finding.code)
        if edit is not None:
            return types.CodeAction(
                title=f"infralint: suppress {finding.code} on this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=diagnostics or None,
                edit=buffer.edit([edit]),
            )
    return None
