"""Reporters: exact text output (ruff style) and JSON that parses back."""

from __future__ import annotations

import json
from typing import Optional

import pytest

from infralint.findings import Applicability, Edit, Finding, Fix, ImportLink
from infralint.reporters import REPORTERS, Reporter, Summary, get_reporter


def _finding(
    code: str = "IL101",
    name: str = "layer-violation",
    message: str = "domain module imports infrastructure module shop.infrastructure.db",
    path: str = "src/shop/domain/order.py",
    line: int = 3,
    column: int = 1,
    applicability: Optional[Applicability] = None,
) -> Finding:
    fix = None
    if applicability is not None:
        edit = Edit((line, column + 10), (line, column + 10), ", timeout=10")
        fix = Fix((edit,), applicability, "Add a timeout")
    return Finding(code, name, message, path, line, column, line, column + 20, fix)


LAYER = _finding()
TIMEOUT_UNSAFE = _finding(
    "IL403",
    "request-without-timeout",
    "requests.post() without timeout",
    "src/shop/infrastructure/payments.py",
    12,
    9,
    Applicability.UNSAFE,
)
SUPPRESSION_SAFE = _finding(
    "IL002", "unused-suppression", "unused suppression for IL101", "src/shop/domain/order.py", 1, 12, Applicability.SAFE
)
DISPLAY_ONLY = _finding("IL104", "example-rule", "only shown", "src/shop/x.py", 2, 1, Applicability.DISPLAY_ONLY)


def _text(*findings: Finding, **summary: bool) -> str:
    return get_reporter("text").render(list(findings), Summary(files_checked=3, **summary))


# Text -----------------------------------------------------------------


def test_text_matches_the_design_example() -> None:
    assert _text(LAYER, TIMEOUT_UNSAFE) == (
        "src/shop/domain/order.py:3:1: IL101 domain module imports infrastructure module shop.infrastructure.db\n"
        "src/shop/infrastructure/payments.py:12:9: IL403 requests.post() without timeout\n"
        "Found 2 findings (1 fixable with --unsafe-fixes)."
    )


def test_text_marks_unsafe_fix_when_unsafe_fixes_are_enabled() -> None:
    assert _text(LAYER, TIMEOUT_UNSAFE, unsafe_fixes=True) == (
        "src/shop/domain/order.py:3:1: IL101 domain module imports infrastructure module shop.infrastructure.db\n"
        "src/shop/infrastructure/payments.py:12:9: IL403 [*] requests.post() without timeout\n"
        "Found 2 findings (1 fixable with --fix)."
    )


def test_text_singular_and_safe_fix() -> None:
    assert _text(SUPPRESSION_SAFE) == (
        "src/shop/domain/order.py:1:12: IL002 [*] unused suppression for IL101\n"
        "Found 1 finding (1 fixable with --fix)."
    )


def test_text_counts_safe_and_held_back_unsafe_fixes() -> None:
    assert _text(SUPPRESSION_SAFE, LAYER, TIMEOUT_UNSAFE).splitlines()[-1] == (
        "Found 3 findings (1 fixable with --fix, 1 fixable with --unsafe-fixes)."
    )


def test_text_without_fixes_has_no_parenthesis() -> None:
    assert _text(LAYER).splitlines()[-1] == "Found 1 finding."
    assert _text(LAYER, LAYER).splitlines()[-1] == "Found 2 findings."


def test_text_display_only_fix_is_never_fixable() -> None:
    assert _text(DISPLAY_ONLY, unsafe_fixes=True) == "src/shop/x.py:2:1: IL104 only shown\nFound 1 finding."


def test_text_no_findings() -> None:
    assert _text() == "All checks passed."


def test_text_shows_an_import_chain_one_import_a_line_with_line_numbers() -> None:
    chain = (
        ImportLink("shop.application.reports", "shop.timestamps", 13),
        ImportLink("shop.timestamps", "shop.infrastructure.clock", None),
    )
    message = "application module reaches infrastructure module shop.infrastructure.clock through an import chain"
    via_chain = _finding("IL103", "layer-violation-chain", message, "src/shop/application/reports.py", 13)._replace(
        chain=chain
    )
    assert _text(via_chain, LAYER, quiet=True) == (
        f"src/shop/application/reports.py:13:1: IL103 {message}\n"
        "    shop.application.reports -> shop.timestamps (l.13)\n"
        "    shop.timestamps -> shop.infrastructure.clock\n"
        "src/shop/domain/order.py:3:1: IL101 domain module imports infrastructure module shop.infrastructure.db"
    )


def test_text_quiet_prints_findings_only() -> None:
    assert _text(LAYER, TIMEOUT_UNSAFE, quiet=True) == (
        "src/shop/domain/order.py:3:1: IL101 domain module imports infrastructure module shop.infrastructure.db\n"
        "src/shop/infrastructure/payments.py:12:9: IL403 requests.post() without timeout"
    )
    assert _text(quiet=True) == ""


def test_text_statistics_sorted_by_count_then_code() -> None:
    findings = [LAYER] * 3 + [TIMEOUT_UNSAFE] * 10 + [SUPPRESSION_SAFE] * 3
    assert _text(*findings, statistics=True) == (
        "  10  IL403  [ ] request-without-timeout\n"
        "   3  IL002  [*] unused-suppression\n"
        "   3  IL101  [ ] layer-violation\n"
        "Found 16 findings (3 fixable with --fix, 10 fixable with --unsafe-fixes)."
    )


def test_text_statistics_single_digit_and_unsafe_enabled() -> None:
    assert _text(LAYER, LAYER, LAYER, TIMEOUT_UNSAFE, statistics=True, unsafe_fixes=True) == (
        "  3  IL101  [ ] layer-violation\n"
        "  1  IL403  [*] request-without-timeout\n"
        "Found 4 findings (1 fixable with --fix)."
    )


def test_text_statistics_quiet_and_empty() -> None:
    assert _text(LAYER, statistics=True, quiet=True) == "  1  IL101  [ ] layer-violation"
    assert _text(statistics=True) == "All checks passed."


# JSON -----------------------------------------------------------------


def _json(*findings: Finding, **summary: bool) -> object:
    return json.loads(get_reporter("json").render(list(findings), Summary(**summary)))


def test_json_has_every_field() -> None:
    assert _json(LAYER, TIMEOUT_UNSAFE) == [
        {
            "code": "IL101",
            "name": "layer-violation",
            "message": "domain module imports infrastructure module shop.infrastructure.db",
            "path": "src/shop/domain/order.py",
            "line": 3,
            "column": 1,
            "end_line": 3,
            "end_column": 21,
            "fix": None,
            "url": "https://github.com/infralint/infralint/blob/main/rules/IL101.md",
        },
        {
            "code": "IL403",
            "name": "request-without-timeout",
            "message": "requests.post() without timeout",
            "path": "src/shop/infrastructure/payments.py",
            "line": 12,
            "column": 9,
            "end_line": 12,
            "end_column": 29,
            "fix": {
                "applicability": "unsafe",
                "message": "Add a timeout",
                "edits": [
                    {
                        "start": {"line": 12, "column": 19},
                        "end": {"line": 12, "column": 19},
                        "content": ", timeout=10",
                    }
                ],
            },
            "url": "https://github.com/infralint/infralint/blob/main/rules/IL403.md",
        },
    ]


def test_json_is_indented_and_keeps_non_ascii() -> None:
    finding = _finding(message="domain module imports café")
    output = get_reporter("json").render([finding], Summary())
    assert output.startswith('[\n  {\n    "code": "IL101",')
    assert "café" in output


def test_json_without_findings_is_an_empty_list() -> None:
    assert get_reporter("json").render([], Summary()) == "[]"


def test_json_statistics() -> None:
    assert _json(LAYER, SUPPRESSION_SAFE, LAYER, statistics=True) == [
        {"code": "IL101", "name": "layer-violation", "count": 2, "fixable": False},
        {"code": "IL002", "name": "unused-suppression", "count": 1, "fixable": True},
    ]


# Registry -------------------------------------------------------------


def test_get_reporter_by_format_name() -> None:
    for name, reporter_class in REPORTERS.items():
        reporter = get_reporter(name)
        assert isinstance(reporter, Reporter) and type(reporter) is reporter_class
        assert reporter_class.format_name == name


def test_get_reporter_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'.*full, github, gitlab, json, json-lines, junit, pylint, sarif, text"):
        get_reporter("xml")
