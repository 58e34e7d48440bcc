from __future__ import annotations

from lsprotocol import types

from infralint.findings import Finding
from infralint.lsp.hover import hover
from infralint.lsp.positions import UTF16

LINES = ["try:", "    f()", "except:", "    pass", ""]


def finding(code: str) -> Finding:
    return Finding(code, "name", "message", "x.py", 3, 1, 3, 7)


def test_each_rule_under_the_cursor_once():
    shown = hover([finding("IL302"), finding("IL303"), finding("IL302")], LINES, types.Position(2, 6), UTF16)
    assert shown is not None
    pages = shown.contents.value.split("\n\n---\n\n")
    assert [page.splitlines()[0] for page in pages] == ["# bare-except (IL302)", "# swallowed-exception (IL303)"]


def test_nothing_away_from_the_findings():
    assert hover([finding("IL302")], LINES, types.Position(2, 7), UTF16) is None
