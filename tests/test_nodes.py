"""`child_fields`: the fields the hot traversals read reach every node but
expression contexts and operators."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

import infralint
from infralint.nodes import child_fields

# Syntax the package's own sources may not use (it supports Python 3.9).
NEWER_SYNTAX = {
    (3, 10): (
        "match command:\n    case {'go': [x, *rest], **other} if x:\n        pass\n"
        "    case Point(x=0) | None:\n        pass\n"
    ),
    (3, 11): "try:\n    run()\nexcept* (ValueError, TypeError) as group:\n    raise\n",
    (3, 12): "type Pair[T] = tuple[T, T]\ndef first[T: int, *Ts, **P](x: T) -> T:\n    return x\n",
}
SYNTAX = (
    "@decorate(arg)\nasync def f(a, /, b: int = 1, *args, c, d=2, **kwargs) -> None:\n"
    "    global g\n    x = {**a, 'k': [i async for i in b if i]}\n    del x[1:2:3]\n"
    "    y: 'int' = lambda q=1: (yield q) if q else not -q\n    print(f'{a!r:>{b}}', *args, k=(n := 1))\n"
    "    async with a as (b, c), d:\n        await e\n    assert a < b <= c, 'm'\n"
    "class C(B, metaclass=M):\n    x += 1\n    import os.path as p\n    from . import z\n"
)


def _sources() -> List[Tuple[str, str]]:
    """(name, source): the package's modules and the syntax they lack."""
    package = Path(infralint.__file__).parent
    sources = [
        (path.relative_to(package).as_posix(), path.read_text(encoding="utf-8")) for path in sorted(package.rglob("*.py"))
    ]
    sources.append(("syntax", SYNTAX))
    for (major, minor), source in NEWER_SYNTAX.items():
        if sys.version_info >= (major, minor):
            sources.append((f"syntax-{major}.{minor}", source))
    return sources


def _nodes_through_child_fields(tree: ast.AST) -> List[ast.AST]:
    found, pending = [], [tree]
    while pending:
        node = pending.pop()
        found.append(node)
        for name in child_fields(node.__class__):
            value = getattr(node, name, None)
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST):
                    pending.append(child)
    return found


@pytest.mark.parametrize("source", [source for _, source in _sources()], ids=[name for name, _ in _sources()])
def test_child_fields_reach_every_node_but_contexts_and_operators(source: str) -> None:
    tree = ast.parse(source)
    singletons = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.TypeIgnore)
    expected = {id(node) for node in ast.walk(tree) if not isinstance(node, singletons)}
    reached = [id(node) for node in _nodes_through_child_fields(tree)]
    assert len(reached) == len(set(reached)) and set(reached) == expected
