"""Runs every rule's VALID and INVALID examples (Fixit style): valid ones
are silent, invalid ones report exactly at the given positions, and their
fixes give the expected text, parse, and remove the finding."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import List, Type

import pytest

from infralint.findings import Applicability, Finding
from infralint.fixes import apply_edits, applicable_fixes
from infralint.languages.typescript.checks import CHECKS
from infralint.rules import RULES, RULES_BY_CODE
from infralint.rules.base import Invalid, Rule, Valid
from tests.helpers import lint_example

# Project-level rules (IL501) have examples that are not files; their own
# tests run them.
FILE_RULES = [rule for rule in RULES if not rule.project_level]
VALID_CASES = [(rule, i, case) for rule in FILE_RULES for i, case in enumerate(rule.VALID)]
INVALID_CASES = [(rule, i, case) for rule in FILE_RULES for i, case in enumerate(rule.INVALID)]
# The TypeScript checks' examples (`infralint.languages.typescript.checks`),
# numbered after the rule's own.
for _check in CHECKS.values():
    _rule = RULES_BY_CODE[_check.code]
    VALID_CASES += [(_rule, len(_rule.VALID) + i, case) for i, case in enumerate(_check.valid)]
    INVALID_CASES += [(_rule, len(_rule.INVALID) + i, case) for i, case in enumerate(_check.invalid)]


def _own(rule: Type[Rule], findings: List[Finding]) -> List[Finding]:
    return [f for f in findings if f.code == rule.code]


@pytest.mark.parametrize(
    ("rule", "index", "case"), VALID_CASES, ids=[f"{r.code}-valid-{i}" for r, i, _ in VALID_CASES]
)
def test_valid_example_is_silent(tmp_path: Path, rule: Type[Rule], index: int, case: Valid) -> None:
    findings = _own(rule, lint_example(tmp_path, case.path, case.source, case.files))
    assert findings == [], f"{rule.code} VALID[{index}] reported: {findings}"


@pytest.mark.parametrize(
    ("rule", "index", "case"), INVALID_CASES, ids=[f"{r.code}-invalid-{i}" for r, i, _ in INVALID_CASES]
)
def test_invalid_example_reports(tmp_path: Path, rule: Type[Rule], index: int, case: Invalid) -> None:
    findings = _own(rule, lint_example(tmp_path, case.path, case.source, case.files))
    assert sorted((f.line, f.column) for f in findings) == sorted(case.at), findings
    for finding in findings:
        assert finding.name == rule.name
        if case.message is not None:
            assert case.message in finding.message
    if case.fixed is None:
        return
    minimum = case.applicability or Applicability.SAFE
    fixed = apply_edits(case.source, applicable_fixes(findings, minimum))
    assert fixed == case.fixed
    ast.parse(fixed)
    after = _own(rule, lint_example(tmp_path, case.path, fixed, case.files))
    assert len(after) < len(findings), "the fix did not remove its finding"


def test_every_rule_has_examples() -> None:
    for rule in RULES:
        assert rule.VALID and rule.INVALID, f"{rule.code} needs VALID and INVALID examples"
