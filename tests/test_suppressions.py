from __future__ import annotations

from typing import Optional

import pytest

from infralint.fixes import apply_edits
from infralint.suppressions import suppression_edit


def suppressed(source: str, line: int, code: str = "IL302") -> Optional[str]:
    edit = suppression_edit(source, line, code)
    return None if edit is None else apply_edits(source, [edit]).splitlines()[line - 1]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("except:", "except:  # infralint: ignore[IL302]"),
        ("except:   ", "except:  # infralint: ignore[IL302]"),
        ("except:  # infralint: ignore[IL101]", "except:  # infralint: ignore[IL101, IL302]"),
        ("except:  # infralint: ignore", "except:  # infralint: ignore[IL302]"),
        ("except:  # noqa: E722", "except:  # noqa: E722  # infralint: ignore[IL302]"),
    ],
)
def test_the_directive_is_added_or_merged(line: str, expected: str):
    assert suppressed(f"try:\n    f()\n{line}\n    pass\n", 3) == expected


def test_nothing_when_the_code_is_already_suppressed():
    assert suppressed("x = 1  # infralint: ignore[IL302]\n", 1) is None


@pytest.mark.parametrize(
    "source, line",
    [
        ('text = """first\nsecond"""\n', 1),  # the line ends inside a string
        ("total = 1 + \\\n    2\n", 1),  # a comment cannot follow a continuation
        ("x = 1\n", 2),  # no such line
    ],
)
def test_nothing_where_no_comment_can_go(source: str, line: int):
    assert suppressed(source, line) is None


def test_a_lone_carriage_return_ends_a_line_for_comments_too(tmp_path):
    # Python ends a line at a lone "\r": a comment after one is on the next
    # line, where the finding and the fix must point (found by the fix
    # property test).
    from infralint.findings import Applicability
    from infralint.fixes import applicable_fixes
    from tests.helpers import lint_example

    source = "x = 1\n#\rimport os  # infralint: ignore[IL302]\n"
    findings = [f for f in lint_example(tmp_path, "shop/app.py", source) if f.code == "IL002"]
    assert [(f.line, f.column) for f in findings] == [(3, 32)]
    assert apply_edits(source, applicable_fixes(findings, Applicability.SAFE)) == "x = 1\n#\rimport os\n"
