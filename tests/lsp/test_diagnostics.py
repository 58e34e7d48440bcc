from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from infralint.findings import Finding, ImportLink
from infralint.lsp.diagnostics import DiagnosticCache, to_diagnostic, with_chain
from infralint.lsp.positions import UTF16, split_lines


def finding(code: str, line: int, column: int, end_line: int, end_column: int) -> Finding:
    return Finding(code, "name", "message", "shop/x.py", line, column, end_line, end_column)


def test_a_finding_becomes_a_warning_with_a_link_to_its_rule():
    lines = split_lines('label = "😀"; f(\n  x)\n')
    diagnostic = to_diagnostic(finding("IL403", 1, 14, 2, 5), lines, UTF16)
    assert diagnostic.range == types.Range(start=types.Position(0, 14), end=types.Position(1, 4))
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    assert (diagnostic.code, diagnostic.source) == ("IL403", "infralint")
    assert diagnostic.code_description.href.endswith("/rules/IL403.md")
    assert diagnostic.tags is None


def test_an_unreadable_file_is_an_error_and_an_unused_suppression_is_unnecessary():
    lines = ["x"]
    assert to_diagnostic(finding("IL001", 1, 1, 1, 1), lines, UTF16).severity == types.DiagnosticSeverity.Error
    assert to_diagnostic(finding("IL002", 1, 1, 1, 2), lines, UTF16).tags == [types.DiagnosticTag.Unnecessary]


def test_the_cache_reuses_the_diagnostics_of_unchanged_findings_only():
    cache = DiagnosticCache()
    kept, moved = finding("IL403", 1, 5, 1, 6), finding("IL302", 2, 3, 2, 4)
    first = cache.to_diagnostics([kept, moved], split_lines("f(x, y)\nab  c\n"), UTF16)
    # The second line gains a character outside the BMP before the column:
    # same finding, two more UTF-16 units before it.
    lines = split_lines("f(x, y)\n😀b  c\n")
    second = cache.to_diagnostics([kept, moved], lines, UTF16)
    assert second[0] is first[0]
    assert second[1] == to_diagnostic(moved, lines, UTF16) != first[1]
    assert second[1].range.start == types.Position(1, 3)


def test_a_chain_becomes_related_information_where_its_modules_have_files(tmp_path: Path):
    lines = ["from shop.utils import money"]
    plain = finding("IL103", 1, 1, 1, 29)
    links = (ImportLink("shop.domain.order", "shop.utils.money", 1), ImportLink("shop.utils.money", "shop.db", None))
    chained = plain._replace(chain=links)
    diagnostic = to_diagnostic(chained, lines, UTF16)
    money = tmp_path / "shop/utils/money.py"
    related = with_chain(diagnostic, chained, {"shop.utils.money": money}).related_information
    # The line of an import the graph does not know: the start of the file.
    assert [(info.location.uri, info.location.range.start, info.message) for info in related] == [
        (money.as_uri(), types.Position(0, 0), "shop.utils.money -> shop.db")
    ]
    assert diagnostic.related_information is None  # shared by the cache: copied, not changed
    assert with_chain(diagnostic, chained, {}) is diagnostic
    assert with_chain(to_diagnostic(plain, lines, UTF16), plain, {"shop.domain.order": money}).related_information is None
