"""The language seam's bookkeeping: every rule that says it checks
TypeScript has a check with examples, and back. The examples themselves
run with the rules' own (tests/rules/test_examples.py)."""

from __future__ import annotations

from infralint.filetypes import TYPESCRIPT
from infralint.languages.typescript.checks import CHECKS
from infralint.rules import RULES


def test_rules_declaring_typescript_have_a_check() -> None:
    declared = {
        rule.code for rule in RULES if TYPESCRIPT in rule.languages and not (rule.runs_on_unparsable or rule.project_level)
    }
    # IL002 works on any language's suppressions in the engine itself.
    assert declared - {"IL002"} == set(CHECKS)


def test_every_check_has_examples() -> None:
    for check in CHECKS.values():
        assert check.valid and check.invalid, f"{check.code} needs TypeScript VALID and INVALID examples"
