"""IL604 rename-in-one-step."""

from __future__ import annotations

from typing import Optional

from infralint.rules.base import ALL_CODE, Invalid, Rule, Valid
from infralint.rules.migrations.examples import ALEMBIC, DJANGO_MIGRATION, DJANGO_PATH, DOWNGRADE, VERSION_PATH
from infralint.rules.migrations.files import Operation, is_constant, keyword_value, migration_file, string_value

# Operations that rename a column -> where the old name is (position, keyword).
_COLUMN_RENAMES = {"alter_column": (1, "column_name"), "RenameField": (1, "old_name")}


class RenameInOneStep(Rule):
    """## What it does
    Reports a column or table renamed in one migration:

    - Alembic, in `upgrade()`: `op.alter_column(table, column,
      new_column_name=...)` (and `batch_op.alter_column(column,
      new_column_name=...)`), `op.rename_table(old, new)`;
    - Django: `RenameField` and `RenameModel` operations.

    Renaming a table or column created by the same migration is not
    reported (the add-copy-drop-rename of a column rewritten in place:
    no running code knows the new column). Django's `RenameField` of a field with an explicit
    `db_column`, and `RenameModel` of a model with an explicit `db_table`,
    change no name in the database; the migration alone does not say so:
    suppress those lines. Reported at the operation call.

    ## Why is this bad?
    The database is migrated before the new code is deployed, while the
    old code still runs — and the old code still uses the old name: every
    query it makes fails until the deployment finishes, and rolling the
    code back breaks it again. Rename in steps: add the new column (or
    table), write to both and copy the data, switch the reads, and drop
    the old one in a later release.

    ## References
    - [squawk: renaming-column](https://squawkhq.com/docs/renaming-column)
    - [django-migration-linter: RENAME_COLUMN / RENAME_TABLE](https://github.com/3YOURMIND/django-migration-linter)
    """

    code = "IL604"
    name = "rename-in-one-step"
    message = "{what} renamed in one step: the running code still uses the old name; {advice}"
    applies_to = ALL_CODE
    VALID = [
        Valid(
            ALEMBIC + "def upgrade():\n    op.add_column('orders', sa.Column('customer_ref', sa.Integer()))\n"
            "    op.alter_column('orders', 'total', nullable=True)\n"
            "    op.alter_column('orders', 'note', new_column_name=None)\n"
            "    op.create_table('refund', sa.Column('id', sa.Integer()))\n"
            "    op.rename_table('refund', 'refunds')\n" + DOWNGRADE,
            path=VERSION_PATH,
        ),
        # Alembic renames in downgrade() undo the upgrade.
        Valid(
            ALEMBIC + "def upgrade():\n    op.add_column('orders', sa.Column('ref', sa.Integer()))\n\n\n"
            "def downgrade():\n    op.rename_table('orders_v2', 'orders')\n",
            path=VERSION_PATH,
        ),
        Valid(
            DJANGO_MIGRATION + "        migrations.CreateModel('Refund', fields=[('id', models.AutoField(primary_key=True))]),\n"
            "        migrations.RenameField('refund', 'id', 'refund_id'),\n"
            "        migrations.RenameIndex('order', new_name='order_day', old_name='order_day_idx'),\n    ]\n",
            path=DJANGO_PATH,
        ),
    ]
    INVALID = [
        Invalid(
            ALEMBIC + "def upgrade():\n    op.alter_column('orders', 'customer', new_column_name='customer_id')\n"
            "    op.rename_table('order_lines', 'order_items')\n" + DOWNGRADE,
            at=[(9, 5), (10, 5)],
            path=VERSION_PATH,
            message="renamed in one step: the running code still uses the old name",
        ),
        Invalid(
            ALEMBIC + "def upgrade():\n    with op.batch_alter_table('orders') as batch_op:\n"
            "        batch_op.alter_column(\n            'customer',\n            existing_type=sa.Integer(),\n"
            "            new_column_name='customer_id',\n        )\n" + DOWNGRADE,
            at=[(10, 9)],
            path=VERSION_PATH,
        ),
        Invalid(
            "from django.db import migrations as m\nfrom django.db.migrations.operations import RenameModel\n\n\n"
            "class Migration(m.Migration):\n    operations = [\n"
            "        m.RenameField(model_name='order', old_name='customer', new_name='buyer'),\n"
            "        RenameModel('OrderLine', 'OrderItem'),\n    ]\n",
            at=[(7, 9), (8, 9)],
            path="shop/migrations/0009_renames.py",
        ),
    ]

    def begin(self) -> None:
        migration = migration_file(self.ctx)
        if migration is None:
            return
        added = migration.added_columns()
        for operation in migration.on_existing_table():
            if operation.table and operation.name in _COLUMN_RENAMES:
                old_name = string_value(operation.argument(*_COLUMN_RENAMES[operation.name]))
                if old_name and (operation.table.lower(), old_name.lower()) in added:
                    continue  # a column this migration adds: no running code uses it
            what = self._renamed(operation)
            if what is not None:
                self.report(operation.call, what=what, advice=_advice(operation))

    def _renamed(self, operation: Operation) -> Optional[str]:
        name = operation.name
        if name == "alter_column":
            passed, new_name = keyword_value(operation.call, "new_column_name")
            if not passed or is_constant(new_name, None):
                return None
        if name in _COLUMN_RENAMES:
            return _column(operation.table, string_value(operation.argument(*_COLUMN_RENAMES[name])))
        if name == "rename_table":
            return f"table {operation.table}" if operation.table else "a table"
        if name == "RenameModel":
            return f"model {operation.table}" if operation.table else "a model"
        return None


def _column(table: Optional[str], column: Optional[str]) -> str:
    if table and column:
        return f"column {table}.{column}"
    return f"column {column}" if column else "a column"


def _advice(operation: Operation) -> str:
    what = "column" if operation.name in ("alter_column", "RenameField") else "table"
    return f"add the new {what}, copy the data, switch the code, and drop the old {what} in a later migration"
