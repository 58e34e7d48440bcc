"""Hover: the documentation of the rules whose findings are under the
cursor, rendered as `infralint rule` renders it."""

from __future__ import annotations

from typing import List, Optional, Sequence

from lsprotocol import types

from infralint.docs import render_rule_page
from infralint.findings import Finding
from infralint.lsp.diagnostics import finding_range
from infralint.rules import find_rule


def hover(findings: Sequence[Finding], lines: List[str], position: types.Position, encoding: str) -> Optional[types.Hover]:
    under = [(f, finding_range(f, lines, encoding)) for f in findings]
    under = [(f, where) for f, where in under if _contains(where, position)]
    codes = list(dict.fromkeys(f.code for f, _ in under))
    pages = [render_rule_page(rule) for rule in map(find_rule, codes) if rule is not None]
    if not pages:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(pages)),
        range=under[0][1],
    )


def _contains(where: types.Range, position: types.Position) -> bool:
    point = (position.line, position.character)
    return (where.start.line, where.start.character) <= point <= (where.end.line, where.end.character)
