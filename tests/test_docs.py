"""Rule pages: rendering, the docstring checker, and that the committed
pages in rules/ match the code."""

from __future__ import annotations

from pathlib import Path
from typing import List, Type

import pytest

from infralint import docs
from infralint.docs import check_docstring, render_index, render_rule_page, stale_pages, write_pages
from infralint.findings import Applicability
from infralint.layers import INFRASTRUCTURE
from infralint.rules import RULES
from infralint.rules.base import FixAvailability, Invalid, Rule, Valid

REPO_ROOT = Path(__file__).resolve().parent.parent
REGENERATE = "run `python -m infralint.docs` to regenerate rules/ and commit the result"


class HttpCallWithoutTimeout(Rule):
    """## What it does
    Reports an HTTP call without a `timeout=`.

    ## Why is this bad?
    A call without a timeout can hang a worker forever.

    ## Fix safety
    The fix adds `timeout=10`, which changes behaviour for slow servers.

    ## References
    - [requests: timeouts](https://requests.readthedocs.io/en/latest/user/advanced/#timeouts)
    """

    code = "IL999"
    name = "http-call-without-timeout"
    message = "{function}() without timeout"
    applies_to = frozenset({INFRASTRUCTURE})
    fix_availability = FixAvailability.SOMETIMES
    since = "0.2.0"
    options = {"default-timeout": 10, "clients": ["requests", "httpx"], "strict": False}
    VALID = [Valid("requests.get(url, timeout=5)\n", path="shop/infrastructure/payments_client.py")]
    INVALID = [
        Invalid(
            "requests.get(url)\n",
            at=[(1, 1)],
            path="shop/infrastructure/payments_client.py",
            fixed="requests.get(url, timeout=10)\n",
            applicability=Applicability.UNSAFE,
        )
    ]


EXPECTED_PAGE = '''\
# http-call-without-timeout (IL999)

Applies to: infrastructure. Fix: sometimes available. Added in 0.2.0. Languages: Python.

## What it does

Reports an HTTP call without a `timeout=`.

## Why is this bad?

A call without a timeout can hang a worker forever.

## Example

```python
# shop/infrastructure/payments_client.py
requests.get(url)
```

## Use instead

```python
# shop/infrastructure/payments_client.py
requests.get(url, timeout=10)
```

## Fix safety

The fix adds `timeout=10`, which changes behaviour for slow servers.

## Options

- `default-timeout`
- `clients`
- `strict`

Defaults:

```toml
[tool.infralint.rules.IL999]
default-timeout = 10
clients = ["requests", "httpx"]
strict = false
```

## References

- [requests: timeouts](https://requests.readthedocs.io/en/latest/user/advanced/#timeouts)
'''


def test_render_rule_page_golden() -> None:
    assert render_rule_page(HttpCallWithoutTimeout) == EXPECTED_PAGE
    assert check_docstring(HttpCallWithoutTimeout) == []


class PrintCall(Rule):
    """## What it does
    Reports `print()`.

    ## Why is this bad?
    Output goes nowhere in a service.

    ## Options
    - `allow-in`: modules where `print` is fine.
    """

    code = "IL998"
    name = "print-call"
    message = "print() call"
    options = {"allow-in": {"cli": ["shop.entrypoints.cli"]}}
    VALID = [Valid("logger.info('x')\n", path="shop/application/services.py")]
    INVALID = [Invalid("print('x')\n", at=[(1, 1)], path="shop/application/services.py")]


def test_render_uses_first_valid_example_without_a_fix_and_keeps_documented_options() -> None:
    assert render_rule_page(PrintCall) == '''\
# print-call (IL998)

Applies to: all code. Fix: not available. Added in 0.1.0. Languages: Python.

## What it does

Reports `print()`.

## Why is this bad?

Output goes nowhere in a service.

## Example

```python
# shop/application/services.py
print('x')
```

## Use instead

```python
# shop/application/services.py
logger.info('x')
```

## Options

- `allow-in`: modules where `print` is fine.

Defaults:

```toml
[tool.infralint.rules.IL998]
allow-in = { cli = ["shop.entrypoints.cli"] }
```
'''
    assert check_docstring(PrintCall) == []


def test_render_is_deterministic() -> None:
    assert render_rule_page(HttpCallWithoutTimeout) == render_rule_page(HttpCallWithoutTimeout)
    assert render_index() == render_index()


def test_code_block_for_other_languages_and_empty_sources() -> None:
    assert docs.code_block("web/src/orderService.ts", "export {}\n") == (
        "```typescript\n// web/src/orderService.ts\nexport {}\n```"
    )
    assert docs.code_block("shop/infrastructure/db.py", "") == "```python\n# shop/infrastructure/db.py\n```"


def test_toml_values() -> None:
    assert docs.toml_value(True) == "true"
    assert docs.toml_value(1.5) == "1.5"
    assert docs.toml_value('say "hi"') == '"say \\"hi\\""'
    assert docs.toml_value({"a.b": [1, 2], "c": {}}) == '{ "a.b" = [1, 2], c = {} }'
    assert docs.toml_value(["x" * 40, "y" * 40], wrap=True) == f'[\n    "{"x" * 40}",\n    "{"y" * 40}",\n]'


def test_render_index_links_every_rule() -> None:
    index = render_index([HttpCallWithoutTimeout, PrintCall])
    assert index.endswith(
        "| Code | Name | Applies to | Fix | TS/JS |\n"
        "| ---- | ---- | ---------- | --- | ----- |\n"
        "| [IL999](IL999.md) | http-call-without-timeout | infrastructure | sometimes |  |\n"
        "| [IL998](IL998.md) | print-call | all code | none |  |\n"
    )


# The docstring checker ------------------------------------------------


def _rule(docstring: str, **attributes: object) -> Type[Rule]:
    namespace = {
        "__doc__": docstring,
        "code": "IL997",
        "name": "test-rule",
        "message": "test",
        "VALID": [Valid("x = 1\n")],
        "INVALID": [Invalid("x = 2\n", at=[(1, 1)])],
    }
    namespace.update(attributes)
    return type("TestRule", (Rule,), namespace)


GOOD = """## What it does
Something.

## Why is this bad?
Because.
"""


def _problems(docstring: str, **attributes: object) -> List[str]:
    return check_docstring(_rule(docstring, **attributes))


def test_check_accepts_a_complete_docstring() -> None:
    assert _problems(GOOD) == []


def test_check_missing_required_sections() -> None:
    assert _problems("## Why is this bad?\nBecause.\n") == ["missing section '## What it does'"]
    assert _problems("## What it does\nSomething.\n") == ["missing section '## Why is this bad?'"]
    assert _problems("") == ["missing section '## What it does'", "missing section '## Why is this bad?'"]


def test_check_sections_out_of_order() -> None:
    problems = _problems("## Why is this bad?\nBecause.\n\n## What it does\nSomething.\n")
    assert problems == [
        "sections out of order: Why is this bad? · What it does "
        "(expected What it does · Why is this bad? · Fix safety · Options · References)"
    ]
    later = GOOD + "\n## References\n- x\n\n## Fix safety\nSafe.\n"
    assert len(_problems(later, fix_availability=FixAvailability.ALWAYS)) == 1


def test_check_fix_safety_required_when_the_rule_fixes() -> None:
    expected = ["missing section '## Fix safety' (the rule has fixes)"]
    assert _problems(GOOD, fix_availability=FixAvailability.ALWAYS) == expected
    assert _problems(GOOD, fix_availability=FixAvailability.SOMETIMES) == expected
    assert _problems(GOOD + "\n## Fix safety\nSafe.\n", fix_availability=FixAvailability.ALWAYS) == []


def test_check_examples_required() -> None:
    assert _problems(GOOD, VALID=[]) == ["no VALID examples (needed for '## Use instead')"]
    assert _problems(GOOD, INVALID=[]) == ["no INVALID examples (needed for '## Example')"]


def test_check_unknown_duplicate_and_generated_sections() -> None:
    assert _problems(GOOD + "\n## Example\nx\n") == [
        "section '## Example' is rendered from the examples; remove it from the docstring"
    ]
    assert _problems(GOOD + "\n## Notes\nx\n") == [
        "unknown section '## Notes' (expected one of: What it does, Why is this bad?, Fix safety, Options, References)"
    ]
    assert "section '## What it does' appears more than once" in _problems(GOOD + "\n## What it does\nx\n")
    assert _problems("Intro.\n\n" + GOOD) == ["text before the first section; start with '## What it does'"]


def test_check_headings_inside_code_blocks_are_not_sections() -> None:
    assert _problems(GOOD + "\n```python\n## What it does\n```\n") == []


def test_check_options_section_must_name_every_option() -> None:
    documented = GOOD + "\n## Options\n- `max-depth`: how deep.\n"
    assert _problems(documented, options={"max-depth": 3}) == []
    assert _problems(documented, options={"max-depth": 3, "allow": []}) == [
        "option `allow` is not described under '## Options'"
    ]
    assert _problems(documented) == ["section '## Options' documents options, but the rule has none"]


# Writing pages ----------------------------------------------------------


def test_write_pages_then_nothing_is_stale(tmp_path: Path) -> None:
    directory = tmp_path / "rules"
    assert "README.md" in stale_pages(directory)
    (directory / "nested").mkdir(parents=True)
    (directory / "IL000.md").write_text("an old page\n", encoding="utf-8")
    written = write_pages(directory)
    assert sorted(path.name for path in written) == sorted([f"{rule.code}.md" for rule in RULES] + ["README.md"])
    assert stale_pages(directory) == []
    assert not (directory / "IL000.md").exists()


def test_stale_pages_reports_changed_missing_and_extra(tmp_path: Path) -> None:
    write_pages(tmp_path)
    first = RULES[0].code
    (tmp_path / f"{first}.md").write_text("edited by hand\n", encoding="utf-8")
    (tmp_path / "README.md").unlink()
    (tmp_path / "IL000.md").write_text("not a rule\n", encoding="utf-8")
    assert stale_pages(tmp_path) == sorted([f"{first}.md", "README.md", "IL000.md"])


def test_main_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert docs.main([str(tmp_path), "--check"]) == 1
    assert docs.main([str(tmp_path)]) == 0
    assert docs.main([str(tmp_path), "--check"]) == 0
    assert "stale:" in capsys.readouterr().out


# Every registered rule ------------------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_registered_rule_documents_itself(rule: Type[Rule]) -> None:
    problems = check_docstring(rule)
    assert problems == [], f"{rule.code} ({rule.__name__}) docstring: " + "; ".join(problems)


def test_committed_rule_pages_are_current() -> None:
    stale = stale_pages(REPO_ROOT / "rules")
    assert stale == [], f"stale pages in rules/: {', '.join(stale)}; {REGENERATE}"


def test_readme_rules_table_is_current() -> None:
    from infralint.docs import readme_with_table

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert readme_with_table(readme) == readme, "README's rules table is stale: run `python -m infralint.docs`"
    assert "[IL101](rules/IL101.md)" in readme
