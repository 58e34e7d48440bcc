"""IL603 blocking-index-operation."""

from __future__ import annotations

from typing import Optional

from infralint import catalog
from infralint.databases import postgresql_evidence
from infralint.rules.base import ALL_CODE, Invalid, Rule, Valid
from infralint.rules.migrations.examples import ALEMBIC, DJANGO_MIGRATION, DJANGO_PATH, DOWNGRADE, VERSION_PATH
from infralint.rules.migrations.files import (
    ALEMBIC as ALEMBIC_FRAMEWORK,
    ANY_DIALECT,
    POSTGRESQL,
    Operation,
    is_constant,
    keyword_value,
    migration_file,
)

_ALEMBIC_INDEX_OPERATIONS = ("create_index", "drop_index")
_DJANGO_INDEX_OPERATIONS = ("AddIndex", "RemoveIndex")
_REQUIREMENTS = {"requirements.txt": "psycopg2-binary==2.9.9\n"}


class BlockingIndexOperation(Rule):
    """## What it does
    When the project runs on PostgreSQL, reports an index created or
    dropped without `CONCURRENTLY`:

    - Alembic: `op.create_index(...)` / `op.drop_index(...)` in
      `upgrade()` (and `batch_op.create_index` / `batch_op.drop_index` in
      `with op.batch_alter_table(...) as batch_op:`) without
      `postgresql_concurrently=True`;
    - Django: `AddIndex` / `RemoveIndex` instead of
      `AddIndexConcurrently` / `RemoveIndexConcurrently`
      (`django.contrib.postgres.operations`).

    Whether the project runs on PostgreSQL is read, in this order, from:

    1. the `dialect` option (see Options);
    2. the operation itself: a `postgresql_*` keyword on an Alembic
       operation, a Django migration importing `django.contrib.postgres`
       (a `GinIndex`, an `ArrayField`), an Alembic operation inside `if
       ... == "postgresql":` (or `isinstance(bind.dialect, PGDialect)`) or
       in a revision folder named `postgresql`, a Django operation listed
       under `if connection.vendor == "postgresql":` in the Migration's
       body. One that runs on another
       dialect — inside `== "sqlite"`, `isinstance(..., MySQLDialect)`,
       the `else` of a postgresql test, a `versions/sqlite/` folder — is
       never reported;
    3. the project, once per run: a dependency on `psycopg`, `psycopg2`,
       `psycopg2-binary` or `asyncpg` in `pyproject.toml` (dependencies,
       optional dependencies, dependency groups, Poetry's tables) or in a
       requirements file (`requirements*.txt` / `requirements*.in` at the
       root or in `requirements/`); a `sqlalchemy.url` naming postgresql
       in an `alembic.ini` at the root or in a directory right below it;
       a Django settings module (the one `manage.py` names in
       `DJANGO_SETTINGS_MODULE`, and `settings.py` / `settings/*.py` at
       the root and in each top-level package) whose `ENGINE` names
       postgresql or PostGIS or that holds a `postgres://` URL.

    The message names what was found. With none of these, nothing is
    reported: other databases lock differently.

    An index on a table the same migration creates, or empties first
    (a literal `DELETE FROM t` without `WHERE`, `TRUNCATE t`, followed
    through renames), is not reported: the table has no rows. The language server reads the project's files when it
    first checks it; restart it after adding a PostgreSQL driver.

    ## Why is this bad?
    `CREATE INDEX` takes a lock that blocks every write to the table until
    the index is built — minutes on a large table, while the application
    keeps trying to write. `DROP INDEX` takes an exclusive lock that
    blocks reads too, and waits behind any running query. `CONCURRENTLY`
    builds and drops without blocking writes (it cannot run inside a
    transaction: Alembic's `op.get_context().autocommit_block()`, Django's
    `atomic = False`).

    ## Options
    - `dialect` (default `"auto"`): `"auto"` reads the project as above;
      `"postgresql"` treats every migration as PostgreSQL's; any other
      name (`"sqlite"`, `"mysql"`) turns the rule off.

    ## References
    - [squawk: require-concurrent-index-creation](https://squawkhq.com/docs/require-concurrent-index-creation)
    - [PostgreSQL: building indexes concurrently](https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY)
    """

    code = "IL603"
    name = "blocking-index-operation"
    message = "{operation} without CONCURRENTLY on PostgreSQL ({evidence}): {why}; {advice}"
    applies_to = ALL_CODE
    options = {"dialect": "auto"}
    VALID = [
        Valid(
            ALEMBIC + "def upgrade():\n    with op.get_context().autocommit_block():\n"
            "        op.create_index('ix_orders_customer', 'orders', ['customer_id'], postgresql_concurrently=True)\n"
            + DOWNGRADE,
            path=VERSION_PATH,
            files=_REQUIREMENTS,
        ),
        # No sign of PostgreSQL anywhere: other databases lock differently.
        Valid(
            ALEMBIC + "def upgrade():\n    op.create_index('ix_orders_customer', 'orders', ['customer_id'])\n" + DOWNGRADE,
            path=VERSION_PATH,
        ),
        # The index of a table created in the same migration; another dialect's branch.
        Valid(
            ALEMBIC + "def upgrade():\n    op.create_table('refunds', sa.Column('id', sa.Integer()))\n"
            "    op.create_index('ix_refunds_id', 'refunds', ['id'])\n"
            "    if op.get_bind().dialect.name == 'sqlite':\n"
            "        op.create_index('ix_orders_day', 'orders', ['day'])\n" + DOWNGRADE,
            path=VERSION_PATH,
            files=_REQUIREMENTS,
        ),
        Valid(
            "from django.contrib.postgres.operations import AddIndexConcurrently\nfrom django.db import migrations, models\n"
            "\n\nclass Migration(migrations.Migration):\n    atomic = False\n    operations = [\n"
            "        AddIndexConcurrently('order', models.Index(fields=['day'], name='order_day')),\n    ]\n",
            path=DJANGO_PATH,
        ),
    ]
    INVALID = [
        Invalid(
            ALEMBIC + "def upgrade():\n"
            "    op.create_index(op.f('ix_orders_customer'), 'orders', ['customer_id'], unique=False)\n" + DOWNGRADE,
            at=[(9, 5)],
            path=VERSION_PATH,
            files=_REQUIREMENTS,
            message="create_index without CONCURRENTLY on PostgreSQL (psycopg2-binary in requirements.txt)",
        ),
        Invalid(
            ALEMBIC + "def upgrade():\n    with op.batch_alter_table('orders') as batch_op:\n"
            "        batch_op.drop_index('ix_orders_day', postgresql_where=sa.text('day > 0'))\n" + DOWNGRADE,
            at=[(10, 9)],
            path=VERSION_PATH,
            message="a postgresql_* option on the operation",
        ),
        Invalid(
            DJANGO_MIGRATION + "        migrations.AddIndex(\n            model_name='order',\n"
            "            index=models.Index(fields=['day'], name='order_day'),\n        ),\n"
            "        migrations.RemoveIndex('order', 'order_old'),\n    ]\n",
            at=[(6, 9), (10, 9)],
            path="shop/migrations/0008_order_day.py",
            files={"pyproject.toml": "[project]\nname = 'shop'\ndependencies = ['Django>=5', 'psycopg[binary]>=3.1']\n"},
            message="psycopg in pyproject.toml",
        ),
    ]

    def begin(self) -> None:
        migration = migration_file(self.ctx)
        if migration is None:
            return
        dialect = str(self.option("dialect")).strip().lower()
        if dialect not in ("auto", "") and not dialect.startswith("postgres"):
            return
        for operation in migration.on_table_with_rows():
            if operation.name in _ALEMBIC_INDEX_OPERATIONS:
                passed, concurrently = keyword_value(operation.call, "postgresql_concurrently")
                if not is_constant(concurrently, True):
                    self._check(operation, dialect)
            elif operation.name in _DJANGO_INDEX_OPERATIONS:
                self._check(operation, dialect)

    def _check(self, operation: Operation, dialect: str) -> None:
        if operation.dialect not in (ANY_DIALECT, POSTGRESQL):
            return
        evidence = "the rule's dialect option" if dialect.startswith("postgres") else self._evidence(operation)
        if evidence is None:
            return
        if operation.framework == ALEMBIC_FRAMEWORK:
            creates = operation.name == "create_index"
            advice = "pass postgresql_concurrently=True inside `with op.get_context().autocommit_block():`"
        else:
            creates = operation.name == "AddIndex"
            advice = f"use {operation.name}Concurrently (django.contrib.postgres.operations) with atomic = False"
        table = f" to {operation.table}" if operation.table else ""
        why = (
            f"writes{table} are blocked while the index builds"
            if creates
            else f"reads and writes{table} wait while the index is dropped"
        )
        self.report(operation.call, operation=operation.name, evidence=evidence, why=why, advice=advice)

    def _evidence(self, operation: Operation) -> Optional[str]:
        call = operation.call
        if operation.framework == ALEMBIC_FRAMEWORK:
            if any(k.arg and k.arg.startswith("postgresql_") for k in call.keywords):
                return "a postgresql_* option on the operation"
            if operation.dialect == POSTGRESQL:
                return "the revision's folder or an if on the dialect"
        elif operation.dialect == POSTGRESQL:
            return "an if on the database vendor"
        elif self.ctx.model.imports_any(catalog.POSTGRESQL_INDEX_MODULES):
            # `GinIndex`, `ArrayField`, `AddIndexConcurrently`: PostgreSQL only.
            return "the migration imports django.contrib.postgres"
        return postgresql_evidence(self.ctx.project)
