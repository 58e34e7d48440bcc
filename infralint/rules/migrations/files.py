"""What a migration file is and which schema operations it runs, read once
per file and shared by the IL6 rules.

- An Alembic revision defines ``upgrade()`` and ``downgrade()`` at module
  level and assigns ``revision`` or imports alembic. Its operations are the
  ``op.*`` calls in ``upgrade()`` (``alembic.op`` resolved through the
  imports) and the calls on the names ``with op.batch_alter_table(t) as
  batch_op`` binds, whose table is ``t``.
- A Django migration sits under a ``migrations`` directory and defines
  ``class Migration(django.db.migrations.Migration)``. Its operations are
  the calls listed in ``operations = [...]`` (the database operations of
  ``SeparateDatabaseAndState``, never its state operations).

Tables (and Django models) that the same migration creates are collected
too — with ``op.create_table`` or a project's own function named like it
(`catalog.TABLE_CREATING_HELPERS`: Superset wraps Alembic's) —: the rules
never report an operation on them.
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Callable, Dict, FrozenSet, Iterator, List, Optional, Set, Tuple, Union

from infralint import catalog
from infralint.lazyregex import lazy_regex
from infralint.records import FrozenRecord
from infralint.rules.common import module_classes

if TYPE_CHECKING:
    from infralint.context import FileContext

ALEMBIC = "alembic"
_EMPTYING = lazy_regex(r"\s*(?:DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+[\"`]?(\w+)[\"`]?\s*;?\s*", re.IGNORECASE)
DJANGO = "django"
FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]

# The dialect an operation runs on, when its place says: inside `if
# conn.dialect.name == "sqlite":` or in a `versions/sqlite/` folder it runs
# on "sqlite"; in the `else` of a postgresql test, on NOT_POSTGRESQL; else
# on ANY_DIALECT.
ANY_DIALECT = ""
NOT_POSTGRESQL = "other"
POSTGRESQL = "postgresql"


class Operation(FrozenRecord):
    """One schema operation of a migration.

    ``name`` is Alembic's method name (``add_column``) or Django's class
    name (``AddField``); ``table`` the table or model name it applies to
    when written as a literal or a dotted name (for ``execute``, the table a ``DELETE FROM
    t`` / ``TRUNCATE t`` empties); ``batch`` whether it is a call on a batch
    operations object (whose arguments have no table in front);
    ``dialect`` the database it runs on when its place says so.
    """

    __slots__ = ("framework", "name", "call", "table", "batch", "dialect")

    framework: str
    name: str
    call: ast.Call
    table: Optional[str]
    batch: bool
    dialect: str

    def __init__(
        self, framework: str, name: str, call: ast.Call, table: Optional[str], batch: bool, dialect: str
    ) -> None:
        self._assign(framework, name, call, table, batch, dialect)

    def argument(self, position: int, keyword: str) -> Optional[ast.expr]:
        """The argument at ``position`` (counted as for ``op.*``, where the
        table comes first: one less on a batch object) or ``keyword``."""
        return argument(self.call, position - 1 if self.batch else position, keyword)


class MigrationFile(FrozenRecord):
    __slots__ = ("framework", "operations", "created", "emptied", "upgrade", "downgrade", "migration_class")

    framework: str
    operations: Tuple[Operation, ...]
    # Lower-cased names of the tables / models this migration creates (and
    # the names it renames them to).
    created: FrozenSet[str]
    # Lower-cased names of the tables it empties (a literal `DELETE FROM t`
    # without WHERE, `TRUNCATE t`), and the names it renames them to.
    emptied: FrozenSet[str]
    upgrade: Optional[FunctionNode]
    downgrade: Optional[FunctionNode]
    migration_class: Optional[ast.ClassDef]

    def __init__(
        self,
        framework: str,
        operations: Tuple[Operation, ...],
        created: FrozenSet[str],
        emptied: FrozenSet[str],
        upgrade: Optional[FunctionNode] = None,
        downgrade: Optional[FunctionNode] = None,
        migration_class: Optional[ast.ClassDef] = None,
    ) -> None:
        self._assign(framework, operations, created, emptied, upgrade, downgrade, migration_class)

    def on_existing_table(self) -> Iterator[Operation]:
        """The operations on a table the migration does not create."""
        return (o for o in self.operations if o.table is None or o.table.lower() not in self.created)

    def added_columns(self) -> FrozenSet[Tuple[str, str]]:
        """(table, column), lower-cased, of the columns the migration adds."""
        added: Set[Tuple[str, str]] = set()
        for operation in self.operations:
            if operation.table is None:
                continue
            if operation.name == "add_column":
                column = operation.argument(1, "column")
                name = string_value(column.args[0]) if isinstance(column, ast.Call) and column.args else None
            elif operation.name == "AddField":
                name = string_value(operation.argument(1, "name"))
            else:
                continue
            if name:
                added.add((operation.table.lower(), name.lower()))
        return frozenset(added)

    def on_table_with_rows(self) -> Iterator[Operation]:
        """The operations on a table that may hold rows: not created, not
        emptied by the migration."""
        return (o for o in self.on_existing_table() if o.table is None or o.table.lower() not in self.emptied)


def migration_file(ctx: "FileContext") -> Optional[MigrationFile]:
    """The file's migration facts (None when it is no migration), built
    once per file for all the rules that ask."""
    return ctx.shared("migration-file", lambda: _read(ctx))


def argument(call: ast.Call, position: int, keyword: str) -> Optional[ast.expr]:
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    if 0 <= position < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


def string_value(node: Optional[ast.AST]) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def keyword_value(call: ast.Call, name: str) -> Tuple[bool, Optional[ast.expr]]:
    """(whether ``name=`` is passed, its value)."""
    for item in call.keywords:
        if item.arg == name:
            return True, item.value
    return False, None


def is_constant(node: Optional[ast.AST], value: object) -> bool:
    return isinstance(node, ast.Constant) and node.value is value


def hides_arguments(call: ast.Call) -> bool:
    """``*args`` / ``**kwargs``: what the call passes cannot be seen."""
    return any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)


def _read(ctx: "FileContext") -> Optional[MigrationFile]:
    tree = ctx.tree
    if tree is None:
        return None
    revision = _alembic_functions(ctx, tree)
    if revision is not None:
        upgrade, downgrade = revision
        operations = tuple(_AlembicReader(ctx).read(upgrade.body, _folder_dialect(ctx.info.relative)))
        created = _tables_without_rows(operations, lambda o: o.name == "create_table", "rename_table")
        emptied = _tables_without_rows(operations, _empties_table, "rename_table")
        return MigrationFile(ALEMBIC, operations, created, emptied, upgrade=upgrade, downgrade=downgrade)
    migration = _django_migration_class(ctx, tree)
    if migration is not None:
        operations = tuple(_django_operations(ctx, migration.body))
        created = _tables_without_rows(operations, lambda o: o.name == "CreateModel", "RenameModel")
        return MigrationFile(DJANGO, operations, created, frozenset(), migration_class=migration)
    return None


def _tables_without_rows(
    operations: Tuple[Operation, ...], empties: Callable[[Operation], bool], rename: str
) -> FrozenSet[str]:
    """The lower-cased tables that ``empties`` says an operation leaves
    without rows, followed through later renames."""
    found: Set[str] = set()
    for operation in operations:
        if operation.name == rename and operation.table and operation.table.lower() in found:
            new_name = _table_name(operation.argument(1, "new_table_name" if rename == "rename_table" else "new_name"))
            if new_name:
                found.add(new_name.lower())
        elif operation.table and empties(operation):
            found.add(operation.table.lower())
    return frozenset(found)


def _empties_table(operation: Operation) -> bool:
    return operation.name == "execute" and operation.table is not None


def _folder_dialect(relative: str) -> str:
    """`postgresql` for a revision in `versions/postgresql/` (projects that
    keep one history per database)."""
    for part in PurePosixPath(relative).parts[:-1]:
        if part in catalog.DATABASE_DIALECT_NAMES:
            return catalog.DATABASE_DIALECT_NAMES[part]
    return ANY_DIALECT


# Alembic ---------------------------------------------------------------------
def _alembic_functions(ctx: "FileContext", tree: ast.Module) -> Optional[Tuple[FunctionNode, FunctionNode]]:
    functions: Dict[str, FunctionNode] = {}
    has_revision = False
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions[statement.name] = statement
        elif _assigns_string(statement, "revision"):
            has_revision = True
    upgrade, downgrade = functions.get("upgrade"), functions.get("downgrade")
    if upgrade is None or downgrade is None:
        return None
    if not (has_revision or ctx.model.imports_any(catalog.ALEMBIC_PACKAGES)):
        return None
    return upgrade, downgrade


def _assigns_string(statement: ast.stmt, name: str) -> bool:
    """``name = "..."`` or ``name: str = "..."``."""
    if isinstance(statement, ast.Assign):
        targets: List[ast.expr] = statement.targets
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        targets = [statement.target]
    else:
        return False
    return any(isinstance(t, ast.Name) and t.id == name for t in targets) and string_value(statement.value) is not None


class _AlembicReader:
    """The operations of ``upgrade()``'s body, in order, each with the
    dialect its place says it runs on."""

    def __init__(self, ctx: "FileContext") -> None:
        self._resolve = ctx.model.resolve
        # Name bound by `with op.batch_alter_table(t) as name` -> t.
        self._batches: Dict[str, Optional[str]] = {}

    def read(self, body: List[ast.stmt], dialect: str = ANY_DIALECT) -> Iterator[Operation]:
        for statement in body:
            if isinstance(statement, ast.If):
                inside, otherwise = _dialect_branches(statement.test)
                yield from self._expressions(statement.test, dialect)
                yield from self.read(statement.body, inside or dialect)
                yield from self.read(statement.orelse, otherwise or dialect)
                continue
            if isinstance(statement, (ast.With, ast.AsyncWith)):
                for item in statement.items:
                    self._note_batch(item)
            for child in ast.iter_child_nodes(statement):
                if isinstance(child, ast.stmt):
                    continue
                yield from self._expressions(child, dialect)
            for field in ("body", "orelse", "finalbody"):
                yield from self.read([s for s in getattr(statement, field, []) if isinstance(s, ast.stmt)], dialect)
            for handler in getattr(statement, "handlers", []):
                yield from self.read(handler.body, dialect)

    def _note_batch(self, item: ast.withitem) -> None:
        call = item.context_expr
        if (
            isinstance(call, ast.Call)
            and isinstance(item.optional_vars, ast.Name)
            and _alembic_operation(self._resolve(call.func)) == "batch_alter_table"
        ):
            self._batches[item.optional_vars.id] = _table_name(argument(call, 0, "table_name"))

    def _expressions(self, expression: ast.AST, dialect: str) -> Iterator[Operation]:
        for node in ast.walk(expression):
            if isinstance(node, ast.Call):
                operation = self._operation(node, dialect)
                if operation is not None:
                    yield operation

    def _operation(self, call: ast.Call, dialect: str) -> Optional[Operation]:
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in self._batches:
            return Operation(ALEMBIC, func.attr, call, self._batches[func.value.id], True, dialect)
        name = _alembic_operation(self._resolve(func))
        if name is None and callee_name(func) in catalog.TABLE_CREATING_HELPERS:
            name = "create_table"  # a project's wrapper of op.create_table
        if name is None:
            return None
        return Operation(ALEMBIC, name, call, _alembic_table(name, call), False, dialect)


def callee_name(func: ast.AST) -> Optional[str]:
    """``Column`` for ``sa.Column`` or ``Column``."""
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _alembic_operation(qualified: Optional[str]) -> Optional[str]:
    """``add_column`` for ``alembic.op.add_column``."""
    for prefix in catalog.ALEMBIC_OPERATION_MODULES:
        if qualified is not None and qualified.startswith(prefix + "."):
            rest = qualified[len(prefix) + 1 :]
            return rest if "." not in rest else None
    return None


def _alembic_table(name: str, call: ast.Call) -> Optional[str]:
    """The table an ``op.*`` operation applies to (the old name for
    ``rename_table``; the second argument of index operations)."""
    if name in ("create_index", "drop_index"):
        return _table_name(argument(call, 1, "table_name"))
    if name == "execute":
        return _emptied_table(argument(call, 0, "sqltext"))
    if name == "rename_table":
        return _table_name(argument(call, 0, "old_table_name"))
    return _table_name(argument(call, 0, "table_name"))


def _emptied_table(sql: Optional[ast.AST]) -> Optional[str]:
    """``t`` for ``"DELETE FROM t"`` / ``"TRUNCATE TABLE t"`` (also in
    ``sa.text(...)``), a statement that leaves no row behind."""
    if isinstance(sql, ast.Call) and sql.args:
        sql = sql.args[0]
    text = string_value(sql)
    match = _EMPTYING.fullmatch(text) if text else None
    return match.group(1) if match else None


def _table_name(node: Optional[ast.AST]) -> Optional[str]:
    """A literal table name, or the dotted name of the expression holding
    it in braces (``{SqlWebhook.__tablename__}``): the same expression
    names the same table within a migration."""
    literal = string_value(node)
    if literal is not None or node is None:
        return literal or None
    parts: List[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return "{" + ".".join([node.id, *reversed(parts)]) + "}"


def _dialect_branches(test: ast.expr) -> Tuple[Optional[str], Optional[str]]:
    """The dialects of the branches (body, else) of an ``if`` that tests
    the dialect (None: as outside the ``if``). ``== "sqlite"`` makes the
    body SQLite's and says nothing of the else; ``== "postgresql"`` makes
    the else NOT_POSTGRESQL; ``!=`` / ``not in`` swap them."""
    names: Set[str] = set()
    for node in ast.walk(test):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            word = node.value
        elif isinstance(node, ast.Name):
            word = node.id
        elif isinstance(node, ast.Attribute):
            word = node.attr
        else:
            continue
        if word in catalog.DATABASE_DIALECT_NAMES:
            names.add(catalog.DATABASE_DIALECT_NAMES[word])
    if not names:
        return None, None
    negated = any(
        isinstance(o, (ast.NotEq, ast.NotIn, ast.IsNot)) for n in ast.walk(test) if isinstance(n, ast.Compare) for o in n.ops
    ) or any(isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not) for n in ast.walk(test))
    if len(names) == 1:
        matching: Optional[str] = next(iter(names))
    else:
        matching = None if POSTGRESQL in names else NOT_POSTGRESQL
    other = NOT_POSTGRESQL if names == {POSTGRESQL} else None
    return (other, matching) if negated else (matching, other)


# Django ----------------------------------------------------------------------
def _django_migration_class(ctx: "FileContext", tree: ast.Module) -> Optional[ast.ClassDef]:
    if "migrations" not in PurePosixPath(ctx.info.relative).parts[:-1]:
        return None
    for node in module_classes(tree):
        if node.name == "Migration" and any(
            ctx.model.resolve(base) in catalog.DJANGO_MIGRATION_BASES for base in node.bases
        ):
            return node
    return None


def django_operation(ctx: "FileContext", call: ast.Call) -> Optional[str]:
    """``AddField`` for a call of ``django.db.migrations.AddField`` (any of
    its import paths) or of a ``django.contrib.postgres`` operation."""
    qualified = ctx.model.resolve(call.func)
    if qualified is None:
        return None
    for prefix in catalog.DJANGO_OPERATION_MODULES:
        if qualified.startswith(prefix + "."):
            return qualified.rsplit(".", 1)[1]
    return None


def _django_operations(
    ctx: "FileContext", body: List[ast.stmt], dialect: str = ANY_DIALECT
) -> Iterator[Operation]:
    """The operations listed in ``operations = [...]`` in a Migration's
    body, also under an ``if`` of the class body (``if connection.vendor
    == "postgresql":``, whose dialect the operations take) or a ``try``."""
    for statement in body:
        if isinstance(statement, ast.If):
            inside, otherwise = _dialect_branches(statement.test)
            yield from _django_operations(ctx, statement.body, inside or dialect)
            yield from _django_operations(ctx, statement.orelse, otherwise or dialect)
            continue
        if isinstance(statement, ast.Try):
            for block in (statement.body, statement.orelse, statement.finalbody, *(h.body for h in statement.handlers)):
                yield from _django_operations(ctx, block, dialect)
            continue
        value: Optional[ast.expr] = None
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "operations" for t in statement.targets
        ):
            value = statement.value
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)) and isinstance(statement.target, ast.Name):
            value = statement.value if statement.target.id == "operations" else None
        if value is not None:
            yield from _listed_operations(ctx, value, dialect)


def _listed_operations(ctx: "FileContext", listed: ast.expr, dialect: str) -> Iterator[Operation]:
    if not isinstance(listed, (ast.List, ast.Tuple)):
        return
    for element in listed.elts:
        if not isinstance(element, ast.Call):
            continue
        name = django_operation(ctx, element)
        if name is None:
            continue
        if name == "SeparateDatabaseAndState":
            database = argument(element, 0, "database_operations")
            if database is not None:
                yield from _listed_operations(ctx, database, dialect)
            continue
        model = argument(element, 0, "name" if name == "CreateModel" else "model_name")
        if name == "RenameModel":
            model = argument(element, 0, "old_name")
        yield Operation(DJANGO, name, element, _table_name(model), False, dialect)
