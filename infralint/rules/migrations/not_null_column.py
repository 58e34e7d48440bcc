"""IL602 not-null-column-without-default."""

from __future__ import annotations

import ast
from typing import Optional

from infralint import catalog
from infralint.rules.base import ALL_CODE, Invalid, Rule, Valid
from infralint.rules.migrations.examples import ALEMBIC, DJANGO_MIGRATION, DJANGO_PATH, DOWNGRADE, VERSION_PATH
from infralint.rules.migrations.files import (
    ALEMBIC as ALEMBIC_FRAMEWORK,
    Operation,
    callee_name,
    hides_arguments,
    is_constant,
    keyword_value,
    migration_file,
    string_value,
)

# MySQL fills a new NOT NULL column of existing rows with its type's
# implicit default (0, "", ...).
_FILLED_BY_THE_DATABASE = ("mysql",)


class NotNullColumnWithoutDefault(Rule):
    """## What it does
    Reports a column added as NOT NULL, with nothing to fill the rows the
    table already has:

    - Alembic: `op.add_column(table, Column(..., nullable=False))` (and
      `batch_op.add_column(Column(...))` in `with
      op.batch_alter_table(table) as batch_op:`) in `upgrade()`, whose
      column has no `server_default=` (or `server_default=None`) and no
      `Computed(...)` / `Identity(...)` argument. `Column` is SQLAlchemy's,
      however imported (`sa.Column`, `from sqlalchemy import Column`,
      aliases). A `default=` does not count: it is applied by SQLAlchemy
      to new rows, not by the database to existing ones;
    - Django: an `AddField` operation (`migrations.AddField`, or imported
      from `django.db.migrations`) whose field call has neither
      `null=True` nor a `default` (other than `None`) nor a `db_default`.
      A `ManyToManyField` adds no column and a `GeneratedField` fills its
      own: neither is reported. Django itself fills existing rows — and
      `makemigrations` asks for no default — for a `blank=True` field that
      stores strings (`CharField`, `TextField`, `FileField`, custom fields;
      any class but the numeric, boolean, date, UUID, JSON, IP and
      relation fields of `catalog.DJANGO_NON_STRING_FIELDS`, which get no
      value from `blank`) and for `auto_now` / `auto_now_add` date fields:
      not reported. `makemigrations` writes the one-off default it asked
      for with `preserve_default=False`: that is a default, and is not
      reported.

    A column added to a table that the same migration creates
    (`op.create_table`, `CreateModel`) or empties first (a literal `DELETE
    FROM t` without `WHERE`, `TRUNCATE t`, followed through renames) is
    not reported: it has no rows. Neither is an Alembic operation that
    runs only on MySQL (inside `if ... == "mysql":` or `isinstance(bind.dialect,
    MySQLDialect)`, or in a `versions/mysql/` folder): MySQL fills existing
    rows with the type's implicit default.
    Columns passed as variables, or calls with `*args` / `**kwargs`, are
    not reported: what they hold cannot be seen. Reported at the column
    (Alembic) or field (Django) call.

    ## Why is this bad?
    The database runs the migration against a table full of rows. Adding a
    NOT NULL column without a default fails on the first existing row
    (`column "..." contains null values`), or — where the database fills a
    default in — rewrites the whole table under a lock while the old code
    is still serving. Add the column with a server-side default, or add it
    nullable, backfill it, and set NOT NULL in a later migration.

    ## References
    - [squawk: adding-required-field](https://squawkhq.com/docs/adding-required-field)
    - [django-migration-linter: NOT NULL constraint](https://github.com/3YOURMIND/django-migration-linter)
    """

    code = "IL602"
    name = "not-null-column-without-default"
    message = "{what} added as NOT NULL without a {default} to existing {table}: {why}"
    applies_to = ALL_CODE
    VALID = [
        Valid(
            ALEMBIC + "def upgrade():\n"
            "    op.add_column('orders', sa.Column('status', sa.String(20), nullable=False, server_default='new'))\n"
            "    op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))\n"
            "    op.add_column('orders', sa.Column('note2', sa.Text()))\n" + DOWNGRADE,
            path=VERSION_PATH,
        ),
        # A table created in the same migration has no rows yet.
        Valid(
            ALEMBIC + "def upgrade():\n    op.create_table('refunds', sa.Column('id', sa.Integer(), primary_key=True))\n"
            "    op.add_column('refunds', sa.Column('amount', sa.Integer(), nullable=False))\n" + DOWNGRADE,
            path=VERSION_PATH,
        ),
        Valid(
            DJANGO_MIGRATION + "        migrations.AddField('order', 'note', models.TextField(null=True)),\n"
            "        migrations.AddField(model_name='order', name='status', field=models.CharField(max_length=20, "
            "default='new')),\n"
            "        migrations.AddField('order', 'tags', models.ManyToManyField(to='shop.tag')),\n"
            "        migrations.AddField('order', 'code', models.IntegerField(default=0), preserve_default=False),\n"
            "        migrations.CreateModel('Refund', fields=[('id', models.AutoField(primary_key=True))]),\n"
            "        migrations.AddField('refund', 'amount', models.IntegerField()),\n    ]\n",
            path=DJANGO_PATH,
        ),
        Valid(
            DJANGO_MIGRATION + "        migrations.AddField('order', 'ref', models.CharField(blank=True, max_length=8)),\n"
            "        migrations.AddField('order', 'placed', models.DateTimeField(auto_now_add=True)),\n    ]\n",
            path=DJANGO_PATH,
        ),
        # Not a migration: a helper that builds columns.
        Valid("import sqlalchemy as sa\nfrom alembic import op\n\n\ndef add(t):\n"
              "    op.add_column(t, sa.Column('x', sa.Integer(), nullable=False))\n"),
    ]
    INVALID = [
        Invalid(
            ALEMBIC + "def upgrade():\n"
            "    op.add_column('orders', sa.Column('status', sa.String(20), nullable=False, default='new'))\n" + DOWNGRADE,
            at=[(9, 29)],
            path=VERSION_PATH,
            message="column status added as NOT NULL without a server_default to existing table orders",
        ),
        Invalid(
            "from alembic import op\nfrom sqlalchemy import Column as C, Integer\n\nrevision = 'a1'\n\n\n"
            "def upgrade() -> None:\n    with op.batch_alter_table('orders', schema=None) as batch_op:\n"
            "        batch_op.add_column(\n            C(\n                'total',\n                Integer(),\n"
            "                nullable=False,\n            )\n        )\n" + DOWNGRADE,
            at=[(10, 13)],
            path=VERSION_PATH,
        ),
        Invalid(
            "from django.db import models\nfrom django.db.migrations import AddField, Migration as Base\n\n\n"
            "class Migration(Base):\n    operations = [\n"
            "        AddField(\n            model_name='order',\n            name='customer',\n"
            "            field=models.ForeignKey(on_delete=models.CASCADE, to='shop.customer'),\n        ),\n"
            "        AddField('order', 'paid', models.BooleanField(null=False, blank=True, default=None)),\n    ]\n",
            at=[(10, 19), (12, 35)],
            path="shop/migrations/0007_order_customer.py",
            message="added as NOT NULL without a default to existing model order",
        ),
    ]

    def begin(self) -> None:
        migration = migration_file(self.ctx)
        if migration is None:
            return
        for operation in migration.on_table_with_rows():
            if operation.dialect in _FILLED_BY_THE_DATABASE:
                continue
            if operation.name == "add_column":
                self._check_column(operation)
            elif operation.name == "AddField":
                self._check_field(operation)

    def _check_column(self, operation: Operation) -> None:
        column = operation.argument(1, "column")
        if not isinstance(column, ast.Call) or self.ctx.model.resolve(column.func) not in catalog.SQLALCHEMY_COLUMNS:
            return
        if hides_arguments(column) or not is_constant(keyword_value(column, "nullable")[1], False):
            return
        passed, server_default = keyword_value(column, "server_default")
        if passed and not is_constant(server_default, None):
            return
        if any(_generated(argument) for argument in column.args):
            return
        name = string_value(column.args[0]) if column.args else string_value(keyword_value(column, "name")[1])
        self._report(column, operation, f"column {name}" if name else "a column", "server_default")

    def _check_field(self, operation: Operation) -> None:
        field = operation.argument(2, "field")
        if not isinstance(field, ast.Call) or hides_arguments(field):
            return
        field_class = callee_name(field.func)
        if field_class in catalog.DJANGO_FIELDS_WITHOUT_DEFAULT_PROBLEM:
            return
        if is_constant(keyword_value(field, "null")[1], True) or keyword_value(field, "db_default")[0]:
            return
        if _filled_by_django(field, field_class):
            return
        passed, default = keyword_value(field, "default")
        if passed and not is_constant(default, None):
            return
        name = string_value(operation.argument(1, "name"))
        self._report(field, operation, f"field {name}" if name else "a field", "default")

    def _report(self, node: ast.AST, operation: Operation, what: str, default: str) -> None:
        alembic = operation.framework == ALEMBIC_FRAMEWORK
        why = (
            "existing rows make it fail, or the table is rewritten under a lock; "
            + ("add a server_default, or add it nullable, backfill, then set NOT NULL"
               if alembic else "pass a default or db_default, or add it with null=True, backfill, then make it NOT NULL")
        )
        kind = "table" if alembic else "model"
        table = f"{kind} {operation.table}" if operation.table else f"a {kind}"
        self.report(node, what=what, default=default, table=table, why=why)


def _filled_by_django(field: ast.Call, field_class: Optional[str]) -> bool:
    """Django fills existing rows itself: with "" for a `blank=True` field
    that stores strings, with the current time for `auto_now` /
    `auto_now_add` date fields."""
    if any(is_constant(keyword_value(field, flag)[1], True) for flag in ("auto_now", "auto_now_add")):
        return True
    return is_constant(keyword_value(field, "blank")[1], True) and field_class not in catalog.DJANGO_NON_STRING_FIELDS


def _generated(argument: ast.AST) -> bool:
    return isinstance(argument, ast.Call) and callee_name(argument.func) in catalog.SQLALCHEMY_GENERATED
