"""IL601 irreversible-migration: every schema or data change can be rolled back."""

from __future__ import annotations

import ast
from typing import List, Optional

from infralint import catalog
from infralint.rules.base import ALL_CODE, Invalid, Rule, Valid
from infralint.rules.migrations.examples import ALEMBIC as _ALEMBIC
from infralint.rules.migrations.examples import DJANGO as _DJANGO
from infralint.rules.migrations.examples import DJANGO_PATH as _MIGRATION_PATH
from infralint.rules.migrations.examples import VERSION_PATH as _VERSION_PATH
from infralint.rules.migrations.files import DJANGO, migration_file
from infralint.filetypes import PYTHON_AND_TYPESCRIPT

_ALEMBIC_ADVICE = "write the reverse steps, or raise an exception that says why it cannot be undone"


class IrreversibleMigration(Rule):
    """## What it does
    Reports a migration that cannot be rolled back:

    - an Alembic revision whose `downgrade()` body is empty — only `pass`,
      `...` and/or a docstring — while its `upgrade()` body is not. Reported
      at the `downgrade` name;
    - a Django `RunPython(code)` operation without `reverse_code`, or a
      `RunSQL(sql)` operation without `reverse_sql` (as the second
      positional argument or as a keyword). An explicit `None` counts as
      missing: it is Django's own marker of an irreversible operation.
      `elidable=True` changes nothing. Reported at the operation call.

    A downgrade that does something — including one that raises an
    exception saying why the revision cannot be undone — is a decision, not
    an omission, and is not reported. So are `reverse_code=
    migrations.RunPython.noop` and `reverse_sql=migrations.RunSQL.noop`.
    Calls that pass `*args` or `**kwargs` are not reported: what they pass
    cannot be seen.

    Which files are migrations:

    - an Alembic revision is a module that defines both `upgrade()` and
      `downgrade()` at module level (top-level statements, not under `if`)
      and either assigns a string to `revision` at module level or imports
      `alembic` (`from alembic import op`);
    - a Django migration is a module in a directory named `migrations`
      (anywhere in its path) that defines `class Migration` with
      `django.db.migrations.Migration` as a base (imports and aliases are
      resolved: `from django.db import migrations` and
      `from django.db.migrations import Migration, RunPython` both work).

    The rule runs on all code outside tests and decides by itself whether a
    module is a migration.

    ## Why is this bad?
    A migration that cannot be reversed turns a bad deployment into an
    outage: the release cannot be rolled back without restoring a backup or
    writing the reverse migration under pressure. A downgrade written with
    the upgrade is cheap; one written during an incident is not.
    """

    code = "IL601"
    languages = PYTHON_AND_TYPESCRIPT
    name = "irreversible-migration"
    message = "{what}, so the migration cannot be rolled back; {advice}"
    applies_to = ALL_CODE
    # Only the Django checks run in the traversal; Alembic is checked in
    # `begin` from the module's top-level statements.
    visit_triggers = ("RunPython", "RunSQL")
    VALID = [
        Valid(
            _ALEMBIC + "def upgrade():\n    op.add_column('orders', sa.Column('note', sa.Text()))\n\n\n"
            "def downgrade():\n    op.drop_column('orders', 'note')\n",
            path=_VERSION_PATH,
        ),
        Valid(
            _ALEMBIC + "def upgrade():\n    op.execute('UPDATE orders SET total = total * 100')\n\n\n"
            "def downgrade():\n    raise NotImplementedError('cents cannot be turned back into euros')\n",
            path=_VERSION_PATH,
        ),
        # A merge revision: nothing to do either way.
        Valid(_ALEMBIC + "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n", path=_VERSION_PATH),
        # Not a revision: no `revision` and no alembic import.
        Valid(
            "def upgrade():\n    install()\n\n\ndef downgrade():\n    pass\n",
            path="shop/infrastructure/packages.py",
        ),
        Valid(
            _DJANGO + "class Migration(migrations.Migration):\n    operations = [\n"
            "        migrations.RunPython(forwards, migrations.RunPython.noop),\n"
            "        migrations.RunSQL('CREATE INDEX i ON t (c)', reverse_sql='DROP INDEX i'),\n    ]\n",
            path=_MIGRATION_PATH,
        ),
        Valid(
            "from django.db.migrations import Migration, RunPython\n\n\nclass Migration(Migration):\n"
            "    operations = [RunPython(code=forwards, reverse_code=backwards)]\n",
            path="orders/migrations/0003_fill.py",
        ),
        # Not under a migrations/ directory: a helper that builds operations.
        Valid(
            _DJANGO + "def backfill(code):\n    return migrations.RunPython(code)\n",
            path="shop/infrastructure/ops.py",
        ),
        # A RunPython of another library.
        Valid(
            "from shop.tasks import RunPython\nfrom django.db import migrations\n\n\n"
            "class Migration(migrations.Migration):\n    operations = [RunPython(forwards)]\n",
            path=_MIGRATION_PATH,
        ),
    ]
    INVALID = [
        Invalid(
            _ALEMBIC + "def upgrade():\n    op.drop_column('orders', 'note')\n\n\ndef downgrade():\n    pass\n",
            at=[(12, 5)],
            path=_VERSION_PATH,
            message="downgrade() is empty while upgrade() is not, so the migration cannot be rolled back",
        ),
        Invalid(
            '"""Add orders.note."""\nimport alembic\nimport sqlalchemy as sa\n\n\n'
            "def upgrade() -> None:\n    alembic.op.add_column('orders', sa.Column('note', sa.Text()))\n\n\n"
            'def downgrade() -> None:\n    """Nothing to undo."""\n    ...\n',
            at=[(10, 5)],
            path="alembic/versions/3f2a_add_note.py",
        ),
        Invalid(
            _DJANGO + "class Migration(migrations.Migration):\n    operations = [\n"
            "        migrations.RunPython(forwards),\n    ]\n",
            at=[(6, 9)],
            path=_MIGRATION_PATH,
            message="RunPython has no reverse_code, so the migration cannot be rolled back",
        ),
        Invalid(
            "from django.db.migrations import Migration as Base, RunSQL\n\n\nclass Migration(Base):\n"
            "    operations = [\n        RunSQL(\n            'UPDATE orders SET total = 0',\n"
            "            elidable=True,\n        ),\n    ]\n",
            at=[(6, 9)],
            path="orders/migrations/0004_reset.py",
            message="RunSQL has no reverse_sql",
        ),
        Invalid(
            "from django.db import migrations as m\nfrom django.db.migrations import operations\n\n\n"
            "class Migration(m.Migration):\n    operations = [\n"
            "        operations.RunPython(forwards, None),\n"
            "        m.RunSQL(sql='DROP TABLE t', reverse_sql=None),\n    ]\n",
            at=[(7, 9), (8, 9)],
            path=_MIGRATION_PATH,
            message="is None",
        ),
    ]

    def begin(self) -> None:
        migration = migration_file(self.ctx)
        self._django = migration is not None and migration.framework == DJANGO
        if migration is not None and migration.upgrade is not None and migration.downgrade is not None:
            upgrade, downgrade = migration.upgrade, migration.downgrade
            if _is_empty(downgrade.body) and not _is_empty(upgrade.body):
                self.report(
                    downgrade,
                    position=self.ctx.name_range(downgrade),
                    what="downgrade() is empty while upgrade() is not",
                    advice=_ALEMBIC_ADVICE,
                )

    def visit_Call(self, node: ast.Call) -> None:
        if not self._django:
            return
        qualified = self.ctx.model.resolve(node.func)
        if qualified in catalog.DJANGO_RUN_PYTHON:
            operation, reverse = "RunPython", "reverse_code"
        elif qualified in catalog.DJANGO_RUN_SQL:
            operation, reverse = "RunSQL", "reverse_sql"
        else:
            return
        problem = _missing_reverse(node, reverse)
        if problem is not None:
            self.report(
                node,
                what=f"{operation} {problem}",
                advice=f"pass {reverse} (migrations.{operation}.noop when there is nothing to undo)",
            )


def _is_empty(body: List[ast.stmt]) -> bool:
    """Only ``pass``, ``...`` and string expressions (docstrings)."""
    for statement in body:
        if isinstance(statement, ast.Pass):
            continue
        if (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and (statement.value.value is Ellipsis or isinstance(statement.value.value, str))
        ):
            continue
        return False
    return True


def _missing_reverse(call: ast.Call, keyword: str) -> Optional[str]:
    """What is wrong with an operation's reverse argument (the second
    positional one or ``keyword``), or None when it has one or when
    ``*args`` / ``**kwargs`` hide it."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    reverse: Optional[ast.expr] = call.args[1] if len(call.args) > 1 else None
    for item in call.keywords:
        if item.arg == keyword:
            reverse = item.value
    if reverse is None:
        return f"has no {keyword}"
    if isinstance(reverse, ast.Constant) and reverse.value is None:
        return f"{keyword} is None"
    return None
