"""The module model: what a module imports and which names those imports
bind, with aliases and relative imports resolved.

Built from the statements only (expressions are not walked, except for
``importlib.import_module("literal")`` calls, found by the rules' shared
traversal), so it costs a fraction of a full traversal.
"""

from __future__ import annotations

import ast
import builtins
from typing import Dict, Iterator, List, Optional, Tuple

from infralint.nodes import FieldSelection
from infralint.records import FrozenRecord, Record

_block_fields = FieldSelection(("body", "orelse", "handlers", "finalbody", "cases"))
_BUILTINS = frozenset(dir(builtins))


class ImportedName(FrozenRecord):
    """``from module import name [as alias]`` — ``name`` may be a module."""

    __slots__ = ("name", "alias")

    name: str
    alias: Optional[str]

    def __init__(self, name: str, alias: Optional[str]) -> None:
        self._assign(name, alias)


class Import(FrozenRecord):
    """One imported module of one import statement.

    ``module`` is absolute (relative imports resolved). For ``from m import
    a, b`` there is one `Import` with ``names`` (a, b); whether ``m.a`` is a
    module is for the project to say (`Project.is_module`).
    """

    __slots__ = ("module", "node", "names", "relative", "type_checking")

    module: str
    node: ast.stmt
    names: Tuple[ImportedName, ...]
    relative: bool
    type_checking: bool

    def __init__(
        self,
        module: str,
        node: ast.stmt,
        names: Tuple[ImportedName, ...] = (),
        relative: bool = False,
        type_checking: bool = False,
    ) -> None:
        self._assign(module, node, names, relative, type_checking)

    @property
    def top_level(self) -> str:
        return self.module.split(".", 1)[0]

    def candidate_modules(self) -> Iterator[str]:
        """``module`` and, for from-imports, ``module.name`` per name."""
        yield self.module
        for imported in self.names:
            if imported.name != "*":
                yield f"{self.module}.{imported.name}"


class ModuleModel(Record):
    __slots__ = ("imports", "bindings", "_resolved")

    def __init__(self, imports: Optional[List[Import]] = None, bindings: Optional[Dict[str, str]] = None) -> None:
        self.imports: List[Import] = [] if imports is None else imports
        # Local name -> fully qualified name it refers to.
        self.bindings: Dict[str, str] = {} if bindings is None else bindings
        # id(expression) -> (expression, what it resolves to): the rules ask
        # about the same call's callee several times each (~5 times per
        # node). The node is kept so that its id is not reused while the
        # model lives.
        self._resolved: Dict[int, Tuple[ast.AST, Optional[str]]] = {}

    def resolve(self, expression: ast.AST) -> Optional[str]:
        """The qualified name an expression like ``np.linalg.norm`` refers to
        through the module's imports, or None for anything else."""
        known = self._resolved.get(id(expression))
        if known is None:
            known = self._resolved[id(expression)] = (expression, self._resolve(expression))
        return known[1]

    def _resolve(self, expression: ast.AST) -> Optional[str]:
        attributes: List[str] = []
        while isinstance(expression, ast.Attribute):
            attributes.append(expression.attr)
            expression = expression.value
        if not isinstance(expression, ast.Name):
            return None
        base = self.bindings.get(expression.id)
        if base is None:
            if expression.id not in _BUILTINS:
                return None
            base = f"builtins.{expression.id}"
        return ".".join([base, *reversed(attributes)])

    def may_resolve_to(self, qualified: str) -> bool:
        """Whether `resolve` may give ``qualified`` (not a builtin) for some
        expression of the module: an import binds it or a module above it."""
        targets = set(self.bindings.values())
        parts = qualified.split(".")
        return any(".".join(parts[:end]) in targets for end in range(1, len(parts) + 1))

    def imports_any(self, prefixes: Tuple[str, ...]) -> bool:
        return any(matches_prefix(c, prefixes) for i in self.imports for c in i.candidate_modules())


def matches_prefix(module: str, prefixes: Tuple[str, ...]) -> bool:
    """True when ``module`` is one of ``prefixes`` or inside one of them."""
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def resolve_relative(package: Optional[str], level: int, module: Optional[str]) -> Optional[str]:
    """Absolute name of ``from <level dots><module> import``, or None when
    it climbs above the top-level package."""
    if level == 0:
        return module
    if not package:
        return None
    parts = package.split(".")
    if level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base)


def _is_type_checking_test(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def build_model(tree: ast.Module, package: Optional[str]) -> ModuleModel:
    """``package`` is the package relative imports resolve against: the
    module's parent, or the module itself for an ``__init__``."""
    model = ModuleModel()
    # (statements, inside `if TYPE_CHECKING:`)
    pending: List[Tuple[List[ast.stmt], bool]] = [(tree.body, False)]
    while pending:
        statements, type_checking = pending.pop()
        for statement in statements:
            if isinstance(statement, ast.Import):
                _add_import(model, statement, type_checking)
            elif isinstance(statement, ast.ImportFrom):
                _add_import_from(model, statement, package, type_checking)
            elif isinstance(statement, ast.If) and _is_type_checking_test(statement.test):
                pending.append((statement.body, True))
                pending.append((statement.orelse, type_checking))
            else:
                for name in _block_fields(statement.__class__):
                    block = getattr(statement, name)
                    if block:
                        # Handlers and match cases hold statements in .body.
                        for item in block:
                            if isinstance(item, ast.stmt):
                                pending.append(([item], type_checking))
                            else:
                                pending.append((item.body, type_checking))
    model.imports.sort(key=lambda i: (i.node.lineno, i.node.col_offset))
    return model


def _add_import(model: ModuleModel, statement: ast.Import, type_checking: bool) -> None:
    for alias in statement.names:
        model.imports.append(Import(alias.name, statement, type_checking=type_checking))
        if alias.asname:
            model.bindings[alias.asname] = alias.name
        else:
            top = alias.name.split(".", 1)[0]
            model.bindings[top] = top


def _add_import_from(
    model: ModuleModel, statement: ast.ImportFrom, package: Optional[str], type_checking: bool
) -> None:
    module = resolve_relative(package, statement.level or 0, statement.module)
    if module is None:
        return
    names = tuple(ImportedName(a.name, a.asname) for a in statement.names)
    model.imports.append(
        Import(module, statement, names, relative=bool(statement.level), type_checking=type_checking)
    )
    for imported in names:
        if imported.name != "*":
            model.bindings[imported.alias or imported.name] = f"{module}.{imported.name}"
