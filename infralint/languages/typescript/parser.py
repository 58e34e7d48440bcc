"""tree-sitter, its TypeScript grammars and the project's queries.

The grammars come from the ``tree-sitter-typescript`` wheel (no Node
toolchain): ``typescript`` for ``.ts``/``.mts``/``.cts`` and ``tsx`` for
the rest (TSX is a superset of JavaScript with JSX). Queries live in
``queries/*.scm`` beside this module, like the catalogue beside the rules.

py-tree-sitter changed its query API in 0.25 (matches moved from `Query`
to `QueryCursor`); `matches` hides the difference, so 0.23 (the last line
for Python 3.9) and newer both work.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Dict, List, Tuple

import tree_sitter
import tree_sitter_typescript

Node = tree_sitter.Node
Tree = tree_sitter.Tree
Match = Tuple[int, Dict[str, List[Node]]]

_QUERIES = Path(__file__).with_name("queries")
TYPESCRIPT_GRAMMAR = "typescript"
TSX_GRAMMAR = "tsx"
_TYPESCRIPT_ONLY_SUFFIXES = (".ts", ".mts", ".cts")


def grammar_for(name: str) -> str:
    """``.ts`` files may hold ``<T>value`` casts, which TSX reads as JSX:
    they take the TypeScript grammar; JavaScript and JSX take TSX."""
    return TYPESCRIPT_GRAMMAR if name.endswith(_TYPESCRIPT_ONLY_SUFFIXES) else TSX_GRAMMAR


@functools.lru_cache(maxsize=None)
def language(grammar: str) -> tree_sitter.Language:
    if grammar == TYPESCRIPT_GRAMMAR:
        return tree_sitter.Language(tree_sitter_typescript.language_typescript())
    return tree_sitter.Language(tree_sitter_typescript.language_tsx())


@functools.lru_cache(maxsize=None)
def parser(grammar: str) -> tree_sitter.Parser:
    return tree_sitter.Parser(language(grammar))


@functools.lru_cache(maxsize=None)
def query(grammar: str, name: str) -> tree_sitter.Query:
    source = (_QUERIES / f"{name}.scm").read_text(encoding="utf-8")
    return tree_sitter.Query(language(grammar), source)


def parse(data: bytes, name: str) -> Tuple[Tree, str]:
    """The syntax tree of a file's UTF-8 text, and the grammar used."""
    grammar = grammar_for(name)
    tree = parser(grammar).parse(data)
    if tree.root_node.has_error and _VARIANCE.search(data):
        # tree-sitter-typescript 0.23 does not know variance annotations
        # (`interface Box<in out T>`, TypeScript 4.7): parse again with
        # them blanked (same length: positions stay), keep what parses.
        blanked = parser(grammar).parse(_VARIANCE.sub(_blank_variance, data))
        if not blanked.root_node.has_error:
            return blanked, grammar
    return tree, grammar


_VARIANCE = re.compile(rb"(?<=[<,])(\s*)((?:in\s+)?out|in)(\s+)(?=[A-Za-z_$][\w$]*\s*(?:extends\b|=|,|>))")


def _blank_variance(match: "re.Match[bytes]") -> bytes:
    return match.group(1) + b" " * len(match.group(2)) + match.group(3)


def parses_as(text: str, name: str) -> bool:
    """Whether ``text`` parses without an error as the file ``name``."""
    tree, _ = parse(text.encode("utf-8", errors="surrogatepass"), name)
    return not tree.root_node.has_error


_QueryCursor = getattr(tree_sitter, "QueryCursor", None)


def matches(grammar: str, name: str, node: Node) -> List[Match]:
    """The matches of query ``name`` under ``node``, in document order."""
    compiled = query(grammar, name)
    if _QueryCursor is not None:  # py-tree-sitter >= 0.25
        return _QueryCursor(compiled).matches(node)  # type: ignore[no-any-return]
    return compiled.matches(node)  # type: ignore[no-any-return,attr-defined]


def first_error(tree: Tree) -> Node:
    """The first ERROR or MISSING node of a tree that has one."""
    pending = [tree.root_node]
    while pending:
        node = pending.pop()
        if node.is_error or node.is_missing:
            return node
        pending.extend(child for child in reversed(node.children) if child.has_error or child.is_missing)
    return tree.root_node
