"""Parsing successive versions of one buffer: an edit re-parses only the
top-level statements around it and keeps the others' nodes.

`ast.parse` is ~40% of a lint; an editor's keystroke changes one line of a
module of hundreds. The lines around an edit are parsed alone and their
statements replace the old ones; the result equals `ast.parse` of the whole
text (the tests compare both after random edits) because a top-level
statement boundary resets everything the parser carries over from the
lines before (no open bracket, string, continuation or indentation), the
text on either side is unchanged, and the new lines parse on their own
only if they end in that same state. The statements after the edit move
by the lines it added or removed. Whatever else (the edit touches the
lines before the first statement, the new lines do not parse alone) parses
the whole text.
"""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Tuple

from infralint.nodes import child_fields
from infralint.source import split_lines


class IncrementalParser:
    """The parser of one buffer (not thread-safe: one lint at a time).
    Keeps the last text that parsed and its tree, which it shares with the
    trees it returns next: rules must not change nodes, and a tree it
    returned is only good until the next call (whose edit may move its
    later statements' line numbers in place)."""

    def __init__(self) -> None:
        self._lines: List[str] = []
        self._tree: Optional[ast.Module] = None

    def parse(self, text: str, filename: str) -> ast.Module:
        """What ``ast.parse(text, filename)`` returns, or raises."""
        lines = split_lines(text, keepends=True)
        tree = self._reparse(lines, filename) if self._tree is not None else None
        if tree is None:
            tree = ast.parse(text, filename=filename)
        self._lines, self._tree = lines, tree
        return tree

    def _reparse(self, lines: List[str], filename: str) -> Optional[ast.Module]:
        """The new tree from the old one, or None to parse the whole text."""
        old_lines, old_tree = self._lines, self._tree
        assert old_tree is not None
        if lines == old_lines:
            return old_tree
        changed = _changed_lines(old_lines, lines)
        blocks = _blocks(old_tree.body, len(old_lines))
        span = _span(blocks, *changed)
        if span is None:
            return None
        (first, first_line), (end, end_line) = span
        # Old lines first_line..end_line - 1 (1-based) held statements
        # first..end - 1; the lines from end_line on are unchanged.
        delta = len(lines) - len(old_lines)
        segment = "".join(lines[first_line - 1 : end_line - 1 + delta])
        try:
            parsed = ast.parse(segment, filename=filename)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None  # the whole text's parse says what is wrong, or finds it is fine after all
        _move_lines(parsed.body, first_line - 1)
        if delta:
            # The old tree is done with (the last lint's findings hold no
            # nodes): its statements after the edit move in place.
            _move_lines(old_tree.body[end:], delta)
        body = old_tree.body[:first] + parsed.body + old_tree.body[end:]
        return ast.Module(body=body, type_ignores=[])


# (index of a top-level statement in the module's body, its first line):
# the statements of one block share no line with the next block's.
_Block = Tuple[int, int]


def _blocks(body: List[ast.stmt], line_count: int) -> List[_Block]:
    """The blocks of top-level statements, then (len(body), one past the
    last line) as an end marker."""
    blocks: List[_Block] = []
    last_end = 0
    for index, statement in enumerate(body):
        start = min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list", ())])
        if start > last_end or not blocks:
            blocks.append((index, start))
        last_end = max(last_end, statement.end_lineno or statement.lineno)
    blocks.append((len(body), line_count + 1))
    return blocks


def _changed_lines(old: List[str], new: List[str]) -> Tuple[int, int]:
    """(first, last) old lines (1-based) the edit replaced; last < first for
    lines only inserted after line ``last``."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix + 1, len(old) - suffix


def _span(blocks: List[_Block], first: int, last: int) -> Optional[Tuple[_Block, _Block]]:
    """The blocks to parse again: from the one holding line ``first`` (for
    an insertion, the line before it, whose statement the new lines may
    continue) to the next one starting after line ``last``. None when the
    edit touches the lines before the first statement."""
    anchor = first if last >= first else last
    if len(blocks) < 2 or anchor < blocks[0][1]:
        return None
    start = max(index for index in range(len(blocks) - 1) if blocks[index][1] <= anchor)
    end = next(index for index in range(start + 1, len(blocks)) if blocks[index][1] > last)
    return blocks[start], blocks[end]


def _move_lines(statements: List[ast.stmt], delta: int) -> None:
    """``ast.increment_lineno`` for ``statements``, reading only the fields
    that can hold nodes (`child_fields`) and with no generator: ~5x faster
    on a large module, and cheaper than parsing the lines again."""
    pending: List[object] = list(statements)
    extend, append = pending.extend, pending.append
    node_class = ast.AST
    for node in pending:  # a list read while it grows
        plan = _PLANS.get(node.__class__)
        if plan is None:
            plan = _plan(node.__class__)
        positioned, fields = plan
        if positioned:
            node.lineno += delta  # type: ignore[attr-defined]
            if node.end_lineno is not None:  # type: ignore[attr-defined]
                node.end_lineno += delta  # type: ignore[attr-defined]
        for name in fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                extend(value)  # the odd None or string in it has no fields
            elif isinstance(value, node_class):
                append(value)


# Node class -> (whether it has a position, `child_fields`); strings and
# None (in some lists) have neither.
_PLANS: Dict[type, Tuple[bool, Tuple[str, ...]]] = {}


def _plan(cls: type) -> Tuple[bool, Tuple[str, ...]]:
    plan = _PLANS[cls] = ("lineno" in getattr(cls, "_attributes", ()), child_fields(cls))
    return plan
