"""Which fields of an ``ast`` node class can hold other nodes.

The hot traversals (the engine's walk, a function's value flow) read only
these fields: expression contexts and operators (singleton nodes, a third
of what `ast.iter_child_nodes` yields) and the grammar's plain strings and
numbers are skipped, and no generator runs per node.
"""

from __future__ import annotations

import ast
from typing import Dict, Tuple

# Fields that never hold a node a rule wants: expression contexts, operator
# singletons, and the plain strings and numbers of the grammar.
SKIPPED_FIELDS = frozenset(
    ("ctx", "op", "ops", "type_comment", "type_ignores")
    + ("id", "attr", "arg", "module", "level", "asname", "conversion", "is_async", "simple", "kind", "tag")
)

_CHILD_FIELDS: Dict[type, Tuple[str, ...]] = {}


def child_fields(cls: type) -> Tuple[str, ...]:
    """The fields of node class ``cls`` that may hold nodes, in ``_fields``
    order; () for a class without any (and for the strings and ``None``
    that stand in some lists, such as ``Dict`` keys and ``Global`` names)."""
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        names = [name for name in getattr(cls, "_fields", ()) if name not in SKIPPED_FIELDS]
        if cls is ast.Constant:
            names.remove("value")  # any Python constant, even a tuple
        fields = _CHILD_FIELDS[cls] = tuple(names)
    return fields


class FieldSelection:
    """Which of ``names`` a node class has, in the order of ``names``;
    cached per class. Asking `getattr(node, name, None)` for each name
    instead raises and catches an AttributeError per missing field."""

    def __init__(self, names: Tuple[str, ...]) -> None:
        self.names = names
        self._of: Dict[type, Tuple[str, ...]] = {}

    def __call__(self, cls: type) -> Tuple[str, ...]:
        fields = self._of.get(cls)
        if fields is None:
            present = getattr(cls, "_fields", ())
            fields = self._of[cls] = tuple(name for name in self.names if name in present)
        return fields
