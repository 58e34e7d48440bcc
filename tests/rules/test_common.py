"""Helpers the rules share."""

from __future__ import annotations

import ast

import pytest

from infralint.rules.common import source_text


@pytest.mark.parametrize(
    "expression",
    ["logger", "self.log.error", "a.b.c.d", "get_logger().error", "(1).real", "x[0].y", "f'{a}'.join", "(a or b).c"],
)
def test_source_text_is_what_unparse_writes(expression: str) -> None:
    node = ast.parse(expression, mode="eval").body
    assert source_text(node) == ast.unparse(node)
