"""Questions several rules ask about a module: what it imports (with the
layer of each first-party target), whether a class is abstract, which role
suffix a class name carries."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator, List, Optional, Sequence, Tuple

from infralint import catalog
from infralint.layers import Layer
from infralint.model import Import, ModuleModel, matches_prefix
from infralint.records import FrozenRecord

if TYPE_CHECKING:
    from infralint.bindings import BindingTracker
    from infralint.context import FileContext


class ImportTarget(FrozenRecord):
    """One module an import statement (or ``import_module`` call) names."""

    __slots__ = ("module", "node", "first_party", "layer", "type_checking")

    module: str
    node: ast.AST
    first_party: bool
    layer: Optional[Layer]
    type_checking: bool

    def __init__(
        self,
        module: str,
        node: ast.AST,
        first_party: bool,
        layer: Optional[Layer],
        type_checking: bool = False,
    ) -> None:
        self._assign(module, node, first_party, layer, type_checking)


def import_targets(ctx: "FileContext", imported: Import) -> Iterator[ImportTarget]:
    """The distinct modules an import statement names: ``from pkg import
    name`` names ``pkg.name`` when that is a module of the project."""
    project = ctx.project
    first_party = imported.relative or project.is_first_party(imported.module)
    modules = []
    if imported.names and first_party:
        for name in imported.names:
            submodule = f"{imported.module}.{name.name}"
            is_submodule = name.name != "*" and project.is_module(submodule)
            modules.append(submodule if is_submodule else imported.module)
    else:
        modules.append(imported.module)
    for module in dict.fromkeys(modules):
        layer = ctx.project.layer_of_module(module) if first_party else None
        yield ImportTarget(module, imported.node, first_party, layer, imported.type_checking)


def dynamic_import_target(ctx: "FileContext", call: ast.Call) -> Optional[ImportTarget]:
    """``importlib.import_module("a.b")`` / ``__import__("a.b")`` with a
    literal, absolute module name."""
    if not call.args or ctx.model.resolve(call.func) not in catalog.IMPORT_FUNCTIONS:
        return None
    argument = call.args[0]
    if not isinstance(argument, ast.Constant) or not isinstance(argument.value, str):
        return None
    module = argument.value
    if not module or module.startswith(".") or not all(p.isidentifier() for p in module.split(".")):
        return None
    first_party = ctx.project.is_first_party(module)
    layer = ctx.project.layer_of_module(module) if first_party else None
    return ImportTarget(module, call, first_party, layer)


def third_party_imports(ctx: "FileContext", packages: Sequence[str]) -> Iterator[Tuple[Import, str]]:
    """(import, matched package) for each non-first-party import that names
    one of ``packages`` (a name or a dotted prefix)."""
    prefixes = tuple(packages)
    for imported in ctx.model.imports:
        if imported.relative or ctx.project.is_first_party(imported.module):
            continue
        for candidate in imported.candidate_modules():
            match = next((p for p in prefixes if matches_prefix(candidate, (p,))), None)
            if match:
                yield imported, match
                break


def role_suffix(class_name: str, suffixes: Sequence[str]) -> Optional[str]:
    """The suffix a class name ends with, when it is not the whole name."""
    for suffix in suffixes:
        if class_name.endswith(suffix) and class_name != suffix:
            return suffix
    return None


def base_expression(base: ast.expr) -> ast.expr:
    """``Repository[Order]`` -> ``Repository``."""
    return base.value if isinstance(base, ast.Subscript) else base


def is_abstract(node: ast.ClassDef, model: ModuleModel) -> bool:
    """ABC / Protocol bases, an ABCMeta metaclass, or any abstract method."""
    for base in node.bases:
        if model.resolve(base_expression(base)) in catalog.ABSTRACT_BASES:
            return True
    for keyword in node.keywords:
        if keyword.arg == "metaclass" and model.resolve(keyword.value) in catalog.ABSTRACT_METACLASSES:
            return True
    for statement in node.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in statement.decorator_list:
                if model.resolve(decorator) in catalog.ABSTRACT_DECORATORS:
                    return True
    return False


def module_classes(tree: ast.Module) -> Iterator[ast.ClassDef]:
    """Classes defined at module level (including under if/try blocks)."""
    pending = list(tree.body)
    while pending:
        statement = pending.pop(0)
        if isinstance(statement, ast.ClassDef):
            yield statement
        elif isinstance(statement, (ast.If, ast.Try)):
            pending.extend(statement.body)
            pending.extend(statement.orelse)
            if isinstance(statement, ast.Try):
                pending.extend(statement.finalbody)
                for handler in statement.handlers:
                    pending.extend(handler.body)


# Logging ---------------------------------------------------------------------
STDLIB = "stdlib"
STRUCTLOG = "structlog"
LOGURU = "loguru"
UNKNOWN_LOGGER = "unknown"


WRAPPER = "wrapper"
_MODULE_LOGGERS = {"logging": STDLIB, "loguru.logger": LOGURU, "structlog": STRUCTLOG}


def logger_kind(ctx: "FileContext", receiver: ast.AST) -> Optional[str]:
    """What kind of logger an expression is, from what it is bound to
    (STANDARD.md, "Loggers"): STDLIB (the `logging` module, a logger from
    `logging.getLogger(...)` or annotated `logging.Logger`, here or in the
    first-party module it is imported from), STRUCTLOG, LOGURU, WRAPPER (an
    instance of a first-party class that is not a `logging.Logger` subclass,
    named like a logger or of a class named for logging: its API is its
    own), UNKNOWN_LOGGER (a name such as `logger`, `log`, `self.logger`
    whose origin is not visible, or a first-party `Logger` subclass), or
    None when it is not a logger."""
    qualified = ctx.model.resolve(receiver)
    if qualified in _MODULE_LOGGERS:
        return _MODULE_LOGGERS[qualified]
    producer = ctx.producer(receiver)
    if producer in _MODULE_LOGGERS:
        return _MODULE_LOGGERS[producer]
    if producer in catalog.STDLIB_LOGGER_FACTORIES:
        return STDLIB
    if producer in catalog.LOGGER_FACTORIES:
        return STRUCTLOG
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", None)
    if producer is not None and ctx.project.is_first_party(producer):
        found = first_party_class(ctx, producer)
        if found is not None:
            if ctx.project.names.is_logger_class(*found):
                return UNKNOWN_LOGGER
            if name in catalog.LOGGER_NAMES or "log" in found[0].name.lower():
                return WRAPPER
            return None
    if name in catalog.LOGGER_NAMES and qualified is None:
        return UNKNOWN_LOGGER
    return None


def first_party_class(ctx: "FileContext", qualified: str) -> Optional[Tuple[ast.ClassDef, "BindingTracker"]]:
    """The definition of the first-party class ``qualified`` and its
    module's tracker: this module's own from its tree, others' through
    the project's index."""
    module, _, name = qualified.rpartition(".")
    if module == ctx.module and ctx.tree is not None:
        definition = ctx.bindings.classes.get(name)
        return (definition, ctx.bindings) if definition is not None else None
    return ctx.project.names.class_definition(qualified)


def logging_call(ctx: "FileContext", call: ast.Call, wrappers: bool = False) -> Optional[Tuple[str, str]]:
    """(method, logger kind) for a call such as ``logger.error(...)``; a
    first-party wrapper's calls only when ``wrappers`` is true."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in catalog.LOG_METHODS:
        return None
    kind = logger_kind(ctx, func.value)
    return (func.attr, kind) if kind and (wrappers or kind != WRAPPER) else None


# Where a node is ---------------------------------------------------------------
def enclosing_handler(ctx: "FileContext") -> Optional[ast.ExceptHandler]:
    """The innermost ``except`` handler around the current node, within the
    current function (a nested function starts afresh)."""
    for ancestor in reversed(ctx.ancestors):
        if isinstance(ancestor, ast.ExceptHandler):
            return ancestor
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return None
    return None


def decorator_names(ctx: "FileContext", function: ast.AST) -> Iterator[str]:
    """Qualified names of a function's decorators (``@retry(...)`` and
    ``@retry`` both give ``tenacity.retry``)."""
    for decorator in getattr(function, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualified = ctx.model.resolve(target)
        if qualified is not None:
            yield qualified


def source_text(expression: ast.AST) -> str:
    """``ast.unparse(expression)``; a dotted name (``self.log.error``), the
    usual subject of a message, is joined directly (unparse costs ~20 us)."""
    names: List[str] = []
    node = expression
    while node.__class__ is ast.Attribute:
        names.append(node.attr)  # type: ignore[attr-defined]
        node = node.value  # type: ignore[attr-defined]
    if node.__class__ is not ast.Name:
        return ast.unparse(expression)
    names.append(node.id)  # type: ignore[attr-defined]
    return ".".join(reversed(names))
