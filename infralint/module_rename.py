"""Rewriting the imports of a renamed module (libcst keeps everything else
of the file byte for byte).

The module keeps its package: only its last name changes, so every import
that names it ends up naming ``new`` instead, and the names the importing
file binds stay the same (``from pkg import old`` becomes
``from pkg import new as old``)."""

from __future__ import annotations

import ast
from typing import FrozenSet, Iterator, List, Optional, Set, Union

import libcst
from libcst.helpers import get_full_name_for_node

DottedName = Union[libcst.Attribute, libcst.Name]


def resolve_relative(package: Optional[str], level: int, module: str) -> Optional[str]:
    """The absolute name of ``from <level dots><module> import ...`` in a
    file of ``package``; None when it reaches above the top package."""
    if level == 0:
        return module or None
    parts = package.split(".") if package else []
    if level > len(parts):  # Python's "beyond top-level package"
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join(base + ([module] if module else [])) or None


def imported_names(text: str, package: Optional[str]) -> FrozenSet[str]:
    """The absolute dotted names ``text``'s imports name (``from a import b``
    names ``a`` and ``a.b``); empty when it does not parse. Read with
    ``ast``: libcst is ten times slower, kept for the files to rewrite."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    names: Set[str] = set()
    for node in _statements(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            absolute = resolve_relative(package, node.level, node.module or "")
            if absolute is not None:
                names.add(absolute)
                names.update(f"{absolute}.{alias.name}" for alias in node.names if alias.name != "*")
    return frozenset(names)


def _statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Every statement, at any depth: imports are statements, so the
    expressions (most of a tree) need no visit."""
    stack: List[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        for field in _BODIES:
            block = getattr(node, field, None)
            if block:
                stack.extend(block)
        for handler in getattr(node, "handlers", ()):
            stack.extend(handler.body)
        for case in getattr(node, "cases", ()):
            stack.extend(case.body)


_BODIES = ("body", "orelse", "finalbody")


def imports_module(names: FrozenSet[str], module: str) -> bool:
    """Whether ``names`` (`imported_names`) name ``module`` or a submodule."""
    return any(_within(name, module) for name in names)


def _within(name: str, module: str) -> bool:
    """``name`` is ``module`` or one of its submodules."""
    return name == module or name.startswith(module + ".")


def rewrite_imports(text: str, package: Optional[str], old: str, new: str) -> Optional[str]:
    """``text`` with every import of the module ``old`` naming ``new`` (both
    dotted, in the same package); ``package`` is what relative imports in
    ``text`` resolve against. None when nothing changes or ``text`` does not
    parse."""
    if not imports_module(imported_names(text, package), old):
        return None
    rewriter = _ImportRewriter(package, old, new)
    try:
        rewritten = libcst.parse_module(text).visit(rewriter)
    except (libcst.ParserSyntaxError, RecursionError, MemoryError, ValueError) as error:
        # It imports the module (ast read it) and libcst cannot rewrite it
        # (syntax it does not know, nesting deeper than its recursion):
        # renaming without it would break its import.
        raise UnrewritableImports(f"{type(error).__name__}") from error
    return rewritten.code if rewriter.changed else None


class UnrewritableImports(Exception):
    """A file imports the renamed module and its imports cannot be rewritten."""


class _ImportRewriter(libcst.CSTTransformer):
    def __init__(self, package: Optional[str], old: str, new: str) -> None:
        super().__init__()
        self.package = package
        self.old, self.new = old, new
        self.old_parent, _, self.old_name = old.rpartition(".")
        self.new_name = new.rpartition(".")[2]
        self.changed = False
        # ``import a.b.old`` binds ``a``: the code then says ``a.b.old.X``.
        self.dotted_uses = False

    # Imports: handled whole, their names are not uses. ---------------------
    def visit_Import(self, node: libcst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: libcst.ImportFrom) -> bool:
        return False

    def leave_Import(self, original: libcst.Import, updated: libcst.Import) -> libcst.Import:
        names: List[libcst.ImportAlias] = []
        for alias in updated.names:
            full = get_full_name_for_node(alias.name) or ""
            if not _within(full, self.old):
                names.append(alias)
                continue
            renamed = alias.with_changes(name=_dotted(self.new + full[len(self.old) :]))
            if alias.asname is None:
                if "." in full:
                    self.dotted_uses = True
                else:  # ``import old`` binds ``old``: keep that name
                    renamed = renamed.with_changes(asname=_as(self.old_name))
            names.append(renamed)
            self.changed = True
        return updated.with_changes(names=names)

    def leave_ImportFrom(self, original: libcst.ImportFrom, updated: libcst.ImportFrom) -> libcst.ImportFrom:
        written = get_full_name_for_node(updated.module) if updated.module is not None else ""
        absolute = resolve_relative(self.package, len(updated.relative), written or "")
        if absolute is None:
            return updated
        if _within(absolute, self.old):
            return self._rename_module(updated, written or "", absolute)
        if absolute == self.old_parent and not isinstance(updated.names, libcst.ImportStar):
            return self._rename_name(updated)
        return updated

    def _rename_module(self, node: libcst.ImportFrom, written: str, absolute: str) -> libcst.ImportFrom:
        """``from pkg.old import X`` / ``from .old import X``: the written
        module ends with the resolved parts; the old name is one of them."""
        parts = written.split(".")
        index = len(parts) - (len(absolute.split(".")) - len(self.old.split("."))) - 1
        if index < 0 or parts[index] != self.old_name:
            return node
        parts[index] = self.new_name
        self.changed = True
        return node.with_changes(module=_dotted(".".join(parts)))

    def _rename_name(self, node: libcst.ImportFrom) -> libcst.ImportFrom:
        """``from pkg import old`` -> ``from pkg import new as old``."""
        names: List[libcst.ImportAlias] = []
        for alias in node.names:  # type: ignore[union-attr]
            if isinstance(alias.name, libcst.Name) and alias.name.value == self.old_name:
                asname = alias.asname or _as(self.old_name)
                alias = alias.with_changes(name=libcst.Name(self.new_name), asname=asname)
                self.changed = True
            names.append(alias)
        return node.with_changes(names=names)

    # Uses of ``import a.b.old``: ``a.b.old.X`` -> ``a.b.new.X``. ------------
    def leave_Module(self, original: libcst.Module, updated: libcst.Module) -> libcst.Module:
        if not self.dotted_uses:
            return updated
        return updated.visit(_DottedUseRewriter(self.old, self.new))


class _DottedUseRewriter(libcst.CSTTransformer):
    def __init__(self, old: str, new: str) -> None:
        super().__init__()
        self.old, self.new = old, new

    def visit_Import(self, node: libcst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: libcst.ImportFrom) -> bool:
        return False

    def leave_Attribute(self, original: libcst.Attribute, updated: libcst.Attribute) -> libcst.BaseExpression:
        if get_full_name_for_node(updated) != self.old:
            return updated
        return _dotted(self.new).with_changes(lpar=updated.lpar, rpar=updated.rpar)


def _dotted(name: str) -> DottedName:
    expression = libcst.parse_expression(name)
    assert isinstance(expression, (libcst.Attribute, libcst.Name)), name
    return expression


def _as(name: str) -> libcst.AsName:
    return libcst.AsName(name=libcst.Name(name))


__all__ = ["UnrewritableImports", "imported_names", "imports_module", "resolve_relative", "rewrite_imports"]
