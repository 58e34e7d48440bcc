"""The rule registry: unique, well-formed codes and names, sorted by code,
and no rule class left out of it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import List, Type

import pytest

import infralint.rules
from infralint.rules import ALL_CODES, RULES, RULES_BY_CODE, RULES_BY_NAME, find_rule
from infralint.rules.base import Rule

CODE = re.compile(r"^IL\d{3}$")
KEBAB_CASE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def _defined_rule_classes() -> List[Type[Rule]]:
    """Every Rule subclass defined in an ``infralint.rules.*`` module.

    A subclass without a ``code`` is a shared base, not a rule.
    """
    found: List[Type[Rule]] = []
    for module_info in pkgutil.walk_packages(infralint.rules.__path__, prefix="infralint.rules."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, Rule) and cls is not Rule:
                if hasattr(cls, "code"):
                    found.append(cls)
    return found


def test_codes_are_unique_and_well_formed() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes)), f"duplicate codes: {sorted(c for c in codes if codes.count(c) > 1)}"
    assert [code for code in codes if not CODE.match(code)] == []


def test_names_are_unique_kebab_case() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names)), f"duplicate names: {sorted(n for n in names if names.count(n) > 1)}"
    assert [name for name in names if not KEBAB_CASE.match(name)] == []
    # A name reads as "allow <name>": it names the bad pattern (ruff).
    assert [name for name in names if name.startswith("no-")] == []


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_class_name_is_the_camel_case_of_the_name(rule: Type[Rule]) -> None:
    expected = Rule.class_name_for(rule.name)
    # A "Rule" suffix is allowed where the bare name would shadow a builtin
    # (SyntaxErrorRule for syntax-error).
    assert rule.__name__ in (expected, expected + "Rule"), f"{rule.code}: name {rule.name!r} wants class {expected}"


def test_rules_are_sorted_by_code() -> None:
    codes = [rule.code for rule in RULES]
    assert codes == sorted(codes)


def test_every_rule_class_is_registered() -> None:
    unregistered = [
        f"{cls.__module__}.{cls.__name__}" for cls in _defined_rule_classes() if cls not in RULES
    ]
    assert unregistered == [], f"add to RULES in infralint/rules/__init__.py: {unregistered}"


def test_lookup_tables_agree_with_rules() -> None:
    assert list(RULES_BY_CODE.values()) == list(RULES)
    assert ALL_CODES == tuple(rule.code for rule in RULES)
    for rule in RULES:
        assert RULES_BY_NAME[rule.name] is rule
        assert find_rule(rule.code) is rule
        assert find_rule(rule.code.lower()) is rule
        assert find_rule(rule.name) is rule
    assert find_rule("IL000") is None
