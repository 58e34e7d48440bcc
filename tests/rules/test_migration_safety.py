"""IL602-IL605 migration safety: the syntactic forms of Alembic revisions and
Django migrations, where PostgreSQL is read from, and whole projects run
through the installed command."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

import pytest

from infralint.databases import postgresql_evidence
from infralint.project import Project
from infralint.settings import Settings
from tests.helpers import lint_example, write_files

VERSION = "migrations/versions/3f2a9c1d_change_orders.py"
DJANGO = "shop/migrations/0002_change_orders.py"
HEADER = "from alembic import op\nimport sqlalchemy as sa\n\nrevision = '3f2a9c1d'\n\n\n"
DOWNGRADE = "\n\n\ndef downgrade():\n    op.execute('SELECT 1')\n"
DJANGO_HEADER = "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    operations = [\n"
REQUIREMENTS = {"requirements.txt": "psycopg2-binary==2.9.9\n"}


def _lines(root: Path, code: str, path: str, source: str, files: Optional[Mapping[str, str]] = None) -> List[int]:
    return [f.line for f in lint_example(root, path, source, files) if f.code == code]


def _revision(body: str, header: str = HEADER) -> str:
    return header + "def upgrade():\n" + body + DOWNGRADE


def _django(operations: str, header: str = DJANGO_HEADER) -> str:
    return header + operations + "    ]\n"


# IL602 ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "column"),
    [
        (HEADER, "sa.Column('total', sa.Integer(), nullable=False)"),
        ("from alembic import op\nfrom sqlalchemy import Column, Integer\n\n\n\n\n", "Column('total', Integer(), nullable=False)"),
        ("import alembic\nimport sqlalchemy as s\n\n\n\n\n", "s.Column('total', s.Integer(), nullable=False)"),
        ("from alembic import op as o\nfrom sqlalchemy.schema import Column as C\n\n\n\n\n", "C('total', nullable=False)"),
        (HEADER, "sa.Column('total', sa.Integer(), nullable=False, server_default=None)"),
        (HEADER, "sa.Column('total', sa.Integer(), nullable=False, default=0)"),
    ],
)
def test_il602_alembic_forms(tmp_path: Path, header: str, column: str) -> None:
    call = "alembic.op.add_column" if header.startswith("import alembic") else (
        "o.add_column" if "op as o" in header else "op.add_column"
    )
    source = header + f"def upgrade():\n    {call}('orders', {column})\n\n\ndef downgrade():\n    pass\n"
    findings = [f for f in lint_example(tmp_path, VERSION, source) if f.code == "IL602"]
    assert [(f.line, f.column) for f in findings] == [(8, 5 + len(call) + 11)]
    assert "column total added as NOT NULL without a server_default to existing table orders" in findings[0].message


def test_il602_alembic_multiline_keyword_and_batch_forms(tmp_path: Path) -> None:
    body = (
        "    op.add_column(\n        table_name='orders',\n        column=sa.Column(\n            'total',\n"
        "            sa.Integer(),\n            nullable=False,\n        ),\n    )\n"
        "    with op.batch_alter_table('lines', schema=None) as batch:\n"
        "        batch.add_column(sa.Column('qty', sa.Integer(), nullable=False), insert_after='id')\n"
    )
    assert _lines(tmp_path, "IL602", VERSION, _revision(body)) == [10, 17]


def test_il602_alembic_near_misses(tmp_path: Path) -> None:
    body = (
        "    op.add_column('orders', sa.Column('a', sa.Integer(), nullable=False, server_default='0'))\n"
        "    op.add_column('orders', sa.Column('b', sa.Integer(), nullable=False, server_default=sa.text('0')))\n"
        "    op.add_column('orders', sa.Column('c', sa.Integer(), sa.Identity(), nullable=False))\n"
        "    op.add_column('orders', sa.Column('d', sa.Integer(), sa.Computed('a + 1'), nullable=False))\n"
        "    op.add_column('orders', sa.Column('e', sa.Integer(), nullable=True))\n"
        "    op.add_column('orders', sa.Column('f', sa.Integer(), **options))\n"
        "    op.add_column('orders', column)\n"
        "    op.create_table('Refunds', sa.Column('id', sa.Integer()))\n"
        "    op.add_column('refunds', sa.Column('g', sa.Integer(), nullable=False))\n"
        "    with op.batch_alter_table('refunds') as batch_op:\n"
        "        batch_op.add_column(sa.Column('h', sa.Integer(), nullable=False))\n"
    )
    assert _lines(tmp_path, "IL602", VERSION, _revision(body)) == []
    # The downgrade re-adds what the upgrade dropped: not read.
    downgrade_only = HEADER + (
        "def upgrade():\n    op.drop_column('orders', 'total')\n\n\n"
        "def downgrade():\n    op.add_column('orders', sa.Column('total', sa.Integer(), nullable=False))\n"
    )
    assert _lines(tmp_path, "IL602", VERSION, downgrade_only) == []


@pytest.mark.parametrize(
    "header",
    [
        DJANGO_HEADER,
        "from django.db import models\nfrom django.db.migrations import AddField, Migration\n\n\n"
        "class Migration(Migration):\n    operations = [\n",
        "from django.db import models\nfrom django.db.migrations.operations import AddField\nfrom django.db import migrations\n\n"
        "class Migration(migrations.Migration):\n    operations = [\n",
    ],
)
def test_il602_django_forms(tmp_path: Path, header: str) -> None:
    add = "migrations.AddField" if header is DJANGO_HEADER else "AddField"
    operations = (
        f"        {add}(\n            model_name='order',\n            name='total',\n"
        "            field=models.IntegerField(),\n        ),\n"
        f"        {add}('order', 'paid', models.BooleanField(default=False)),\n"
        f"        {add}('order', 'note', models.TextField(null=True, blank=True)),\n"
        f"        {add}('order', 'code', models.CharField(max_length=8, db_default='x')),\n"
        f"        {add}('order', 'kind', models.CharField(max_length=8, default=None)),\n"
    )
    offset = header.count("\n") - DJANGO_HEADER.count("\n")
    assert _lines(tmp_path, "IL602", DJANGO, _django(operations, header)) == [9 + offset, 14 + offset]


def test_il602_django_state_operations_and_created_models(tmp_path: Path) -> None:
    operations = (
        "        migrations.SeparateDatabaseAndState(\n"
        "            state_operations=[migrations.AddField('order', 'a', models.IntegerField())],\n"
        "            database_operations=[migrations.AddField('order', 'b', models.IntegerField())],\n        ),\n"
        "        migrations.CreateModel(name='Refund', fields=[('id', models.AutoField(primary_key=True))]),\n"
        "        migrations.AddField(model_name='refund', name='amount', field=models.IntegerField()),\n"
    )
    assert _lines(tmp_path, "IL602", DJANGO, _django(operations)) == [8]
    # Outside a migrations/ directory, the same module is no migration.
    assert _lines(tmp_path, "IL602", "shop/ops.py", _django(operations)) == []


# IL603 ------------------------------------------------------------------------------
INDEXES = (
    "    op.create_index('ix_orders_day', 'orders', ['day'])\n"
    "    op.drop_index('ix_orders_old', table_name='orders')\n"
    "    with op.get_context().autocommit_block():\n"
    "        op.create_index('ix_orders_c', 'orders', ['c'], postgresql_concurrently=True)\n"
    "        op.drop_index('ix_orders_d', table_name='orders', postgresql_concurrently=True)\n"
)


@pytest.mark.parametrize(
    ("files", "evidence"),
    [
        ({"requirements.txt": "# db\npsycopg2-binary==2.9.9  # pinned\n"}, "psycopg2-binary in requirements.txt"),
        ({"requirements/base.in": "-r common.in\nasyncpg>=0.29\n"}, "asyncpg in requirements/base.in"),
        ({"requirements-prod.txt": "Psycopg[binary]>=3\n"}, "psycopg in requirements-prod.txt"),
        ({"pyproject.toml": "[project]\nname = 'x'\ndependencies = ['psycopg2>=2.9; python_version>\"3.8\"']\n"},
         "psycopg2 in pyproject.toml"),
        ({"pyproject.toml": "[project]\nname = 'x'\n[project.optional-dependencies]\npg = ['asyncpg']\n"},
         "asyncpg in pyproject.toml"),
        ({"pyproject.toml": "[tool.poetry.dependencies]\npython = '^3.11'\npsycopg2_binary = '^2.9'\n"},
         "psycopg2-binary in pyproject.toml"),
        ({"alembic.ini": "[alembic]\nscript_location = migrations\nsqlalchemy.url = postgresql+psycopg://u@db/shop\n"},
         "a postgresql sqlalchemy.url in alembic.ini"),
        ({"deploy/alembic.ini": "[alembic]\nsqlalchemy.url = postgres://db/shop\n"},
         "a postgresql sqlalchemy.url in deploy/alembic.ini"),
    ],
)
def test_il603_reads_postgresql_from_the_project(tmp_path: Path, files: Dict[str, str], evidence: str) -> None:
    findings = [f for f in lint_example(tmp_path, VERSION, _revision(INDEXES), files) if f.code == "IL603"]
    assert [f.line for f in findings] == [8, 9]
    assert all(f"on PostgreSQL ({evidence})" in f.message for f in findings)
    assert "writes to orders are blocked while the index builds" in findings[0].message


@pytest.mark.parametrize(
    "files",
    [
        {},
        {"requirements.txt": "mysqlclient\npsycopg2-stubs\n# psycopg2\n"},
        {"pyproject.toml": "[project]\nname = 'x'\ndependencies = ['sqlalchemy[postgresql]']\n"},
        {"alembic.ini": "[alembic]\nsqlalchemy.url = sqlite:///shop.db\n# sqlalchemy.url = postgresql://db\n"},
        {"shop/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\n"},
    ],
)
def test_il603_is_silent_without_postgresql(tmp_path: Path, files: Dict[str, str]) -> None:
    assert _lines(tmp_path, "IL603", VERSION, _revision(INDEXES), files) == []


def test_il603_django_settings(tmp_path: Path) -> None:
    files = {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.prod')\n",
        "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/prod.py": "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n    }\n}\n",
        "shop/__init__.py": "",
    }
    operations = (
        "        migrations.AddIndex(model_name='order', index=models.Index(fields=['day'], name='order_day')),\n"
        "        migrations.RemoveIndex(model_name='order', name='order_old'),\n"
        "        migrations.CreateModel('Refund', fields=[('id', models.AutoField(primary_key=True))]),\n"
        "        migrations.AddIndex('refund', models.Index(fields=['id'], name='refund_id')),\n"
    )
    findings = [f for f in lint_example(tmp_path, DJANGO, _django(operations), files) if f.code == "IL603"]
    assert [f.line for f in findings] == [6, 7]
    assert "a postgresql ENGINE in config/settings/prod.py" in findings[0].message
    assert "use AddIndexConcurrently" in findings[0].message and "RemoveIndexConcurrently" in findings[1].message


def test_il603_settings_package_postgis_and_database_url(tmp_path: Path) -> None:
    for settings in (
        "DATABASES = {'default': {'ENGINE': 'django.contrib.gis.db.backends.postgis'}}\n",
        "import dj_database_url\nDATABASES = {'default': dj_database_url.config(default='postgres://localhost/shop')}\n",
    ):
        root = tmp_path / str(len(settings))
        files = {"shop/__init__.py": "", "shop/settings.py": settings}
        operations = "        migrations.RemoveIndex('order', 'order_old'),\n"
        assert _lines(root, "IL603", DJANGO, _django(operations), files) == [6]


def test_il603_evidence_on_the_operation_and_dialect_branches(tmp_path: Path) -> None:
    body = (
        "    op.create_index('a', 'orders', ['a'], postgresql_using='gin')\n"
        "    bind = op.get_bind()\n"
        "    if bind.dialect.name == 'postgresql':\n"
        "        op.create_index('b', 'orders', ['b'])\n"
        "    else:\n"
        "        op.create_index('c', 'orders', ['c'])\n"
        "    if bind.dialect.name in ('mysql', 'sqlite'):\n"
        "        op.create_index('d', 'orders', ['d'])\n"
        "    if bind.dialect.name != 'postgresql':\n"
        "        op.drop_index('e', 'orders')\n"
    )
    findings = [f for f in lint_example(tmp_path, VERSION, _revision(body)) if f.code == "IL603"]
    assert [f.line for f in findings] == [8, 11]
    assert "(a postgresql_* option on the operation)" in findings[0].message
    assert "(the revision's folder or an if on the dialect)" in findings[1].message


def test_il603_dialect_classes_and_folders(tmp_path: Path) -> None:
    body = (
        "    bind = op.get_bind()\n"
        "    if isinstance(bind.dialect, SQLiteDialect):\n"
        "        op.create_index('a', 'orders', ['a'])\n"
        "    elif isinstance(bind.dialect, PGDialect):\n"
        "        op.create_index('b', 'orders', ['b'])\n"
    )
    assert _lines(tmp_path / "a", "IL603", VERSION, _revision(body)) == [12]
    index = "    op.create_index('c', 'orders', ['c'])\n"
    sqlite = "migrations/versions/sqlite/0002_index.py"
    postgresql = "migrations/versions/postgresql/0002_index.py"
    assert _lines(tmp_path / "b", "IL603", sqlite, _revision(index), REQUIREMENTS) == []
    findings = [f for f in lint_example(tmp_path / "c", postgresql, _revision(index)) if f.code == "IL603"]
    assert [f.line for f in findings] == [8]
    assert "(the revision's folder or an if on the dialect)" in findings[0].message


def test_tables_emptied_first_hold_no_rows(tmp_path: Path) -> None:
    body = (
        "    op.execute('DELETE FROM dag_code;')\n"
        "    op.execute(sa.text('TRUNCATE TABLE \"runs\"'))\n"
        "    op.execute('DELETE FROM jobs WHERE done')\n"
        "    op.execute('DELETE FROM requests')\n"
        "    op.rename_table('requests', 'callbacks')\n"
        "    with op.batch_alter_table('dag_code') as batch_op:\n"
        "        batch_op.add_column(sa.Column('id', sa.Uuid(), nullable=False))\n"
        "        batch_op.create_index('ix_id', ['id'])\n"
        "    op.add_column('runs', sa.Column('id', sa.Uuid(), nullable=False))\n"
        "    op.add_column('callbacks', sa.Column('id', sa.Uuid(), nullable=False))\n"
        "    op.add_column('jobs', sa.Column('id', sa.Uuid(), nullable=False))\n"
        "    op.create_index('ix_jobs', 'jobs', ['id'])\n"
    )
    findings = lint_example(tmp_path, VERSION, _revision(body), REQUIREMENTS)
    assert sorted((f.line, f.code) for f in findings if f.code in ("IL602", "IL603", "IL604")) == [
        (12, "IL604"), (18, "IL602"), (19, "IL603"),
    ]


def test_a_project_helper_named_create_table_creates_the_table(tmp_path: Path) -> None:
    header = HEADER + "from shop.migrations.utils import create_table\n\n\n"
    body = (
        "    create_table('query', sa.Column('id', sa.Integer()))\n"
        "    op.create_index('ix_query_id', 'query', ['id'])\n"
        "    op.create_index('ix_orders_id', 'orders', ['id'])\n"
    )
    assert _lines(tmp_path, "IL603", VERSION, _revision(body, header), REQUIREMENTS) == [13]


def test_tables_named_by_the_same_expression(tmp_path: Path) -> None:
    body = (
        "    op.create_table(Webhook.__tablename__, sa.Column('id', sa.Integer()))\n"
        "    op.create_index('ix_webhook_id', Webhook.__tablename__, ['id'])\n"
        "    op.create_index('ix_event_id', Event.__tablename__, ['id'])\n"
    )
    findings = [f for f in lint_example(tmp_path, VERSION, _revision(body), REQUIREMENTS) if f.code == "IL603"]
    assert [f.line for f in findings] == [10]
    assert "writes to {Event.__tablename__} are blocked" in findings[0].message


def test_il602_mysql_branches_are_silent(tmp_path: Path) -> None:
    body = (
        "    if isinstance(op.get_bind().dialect, MySQLDialect):\n"
        "        op.add_column('orders', sa.Column('a', sa.Integer(), nullable=False))\n"
        "    else:\n"
        "        op.add_column('orders', sa.Column('a', sa.Integer(), nullable=False, server_default='0'))\n"
        "    if op.get_bind().dialect.name == 'sqlite':\n"
        "        op.add_column('orders', sa.Column('b', sa.Integer(), nullable=False))\n"
    )
    assert _lines(tmp_path, "IL602", VERSION, _revision(body)) == [13]


def test_django_operations_under_a_vendor_test(tmp_path: Path) -> None:
    source = (
        "from django.db import connection, migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    if connection.vendor == 'postgresql':\n"
        "        operations = [\n"
        "            migrations.AddIndex('entry', models.Index(fields=['title'], name='t')),\n"
        "            migrations.AddField('entry', 'body', models.TextField()),\n"
        "        ]\n"
        "    elif connection.vendor == 'mysql':\n"
        "        operations = [migrations.AddField('entry', 'body', models.TextField())]\n"
        "    else:\n"
        "        operations = [migrations.AddIndex('entry', models.Index(fields=['title'], name='t'))]\n"
    )
    findings = lint_example(tmp_path, DJANGO, source)
    assert sorted((f.line, f.code) for f in findings if f.code in ("IL602", "IL603")) == [
        (7, "IL603"), (8, "IL602"),
    ]
    assert "(an if on the database vendor)" in next(f.message for f in findings if f.code == "IL603")


def test_il603_django_contrib_postgres_import(tmp_path: Path) -> None:
    header = "import django.contrib.postgres.indexes\n" + DJANGO_HEADER
    operations = (
        "        migrations.AddIndex('order', django.contrib.postgres.indexes.GinIndex(fields=['tags'], name='g')),\n"
    )
    findings = [f for f in lint_example(tmp_path, DJANGO, _django(operations, header)) if f.code == "IL603"]
    assert [f.line for f in findings] == [7]
    assert "the migration imports django.contrib.postgres" in findings[0].message


@pytest.mark.parametrize(("dialect", "expected"), [("postgresql", [8, 9]), ("sqlite", []), ("auto", [])])
def test_il603_dialect_option(tmp_path: Path, dialect: str, expected: List[int]) -> None:
    settings = Settings.default(tmp_path).with_changes(
        layers_configured=True, rule_options={"IL603": {"dialect": dialect}}
    )
    findings = lint_example(tmp_path, VERSION, _revision(INDEXES), settings=settings)
    assert [f.line for f in findings if f.code == "IL603"] == expected


def test_postgresql_evidence_is_read_once_per_project(tmp_path: Path) -> None:
    write_files(tmp_path, REQUIREMENTS)
    project = Project(Settings.default(tmp_path))
    assert postgresql_evidence(project) == "psycopg2-binary in requirements.txt"
    (tmp_path / "requirements.txt").write_text("mysqlclient\n")
    assert postgresql_evidence(project) == "psycopg2-binary in requirements.txt"
    assert postgresql_evidence(Project(Settings.default(tmp_path))) is None


def test_broken_pyproject_gives_no_evidence_and_no_crash(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[project\nname = 'x'\n"})
    assert postgresql_evidence(Project(Settings.default(tmp_path))) is None


# IL604 ------------------------------------------------------------------------------
def test_il604_alembic_forms(tmp_path: Path) -> None:
    body = (
        "    op.alter_column('orders', 'customer', new_column_name='customer_id')\n"
        "    op.alter_column(\n        table_name='orders',\n        column_name='day',\n"
        "        new_column_name='placed_on',\n        existing_type=sa.Date(),\n    )\n"
        "    op.rename_table('lines', 'order_lines')\n"
        "    op.rename_table(old_table_name='carts', new_table_name='baskets')\n"
        "    with op.batch_alter_table('orders') as batch_op:\n"
        "        batch_op.alter_column('note', new_column_name='comment')\n"
        "        batch_op.alter_column('note', nullable=True)\n"
        "    op.alter_column('orders', 'total', server_default='0')\n"
    )
    findings = [f for f in lint_example(tmp_path, VERSION, _revision(body)) if f.code == "IL604"]
    assert [f.line for f in findings] == [8, 9, 15, 16, 18]
    assert findings[1].message.startswith("column orders.day renamed in one step")
    assert findings[3].message.startswith("table carts renamed in one step")


def test_il604_a_column_added_by_the_same_migration(tmp_path: Path) -> None:
    body = (
        "    op.add_column('xcom', sa.Column('value_json', sa.JSON(), nullable=True))\n"
        "    op.execute('UPDATE xcom SET value_json = value')\n"
        "    op.drop_column('xcom', 'value')\n"
        "    op.alter_column('xcom', 'value_json', new_column_name='value')\n"
        "    with op.batch_alter_table('xcom') as batch_op:\n"
        "        batch_op.alter_column('Value', new_column_name='payload')\n"
    )
    assert _lines(tmp_path, "IL604", VERSION, _revision(body)) == [13]


def test_il604_django_forms(tmp_path: Path) -> None:
    header = (
        "from django.db import migrations, models\nfrom django.db.migrations import RenameField, RenameModel\n\n\n"
        "class Migration(migrations.Migration):\n    operations = [\n"
    )
    operations = (
        "        RenameField('order', 'customer', 'buyer'),\n"
        "        RenameModel(old_name='OrderLine', new_name='OrderItem'),\n"
        "        migrations.CreateModel('Refund', fields=[]),\n"
        "        RenameField(model_name='Refund', old_name='id', new_name='refund_id'),\n"
        "        migrations.SeparateDatabaseAndState(state_operations=[RenameModel('Cart', 'Basket')]),\n"
    )
    findings = [f for f in lint_example(tmp_path, DJANGO, _django(operations, header)) if f.code == "IL604"]
    assert [f.line for f in findings] == [7, 8]
    assert findings[1].message.startswith("model OrderLine renamed in one step")


# IL605 ------------------------------------------------------------------------------
DATA_MIGRATION = (
    "\n\nclass Migration(migrations.Migration):\n"
    "    operations = [migrations.RunPython(forwards, reverse_code=migrations.RunPython.noop)]\n"
)


def test_il605_forms(tmp_path: Path) -> None:
    source = (
        "from django.db import migrations\n"
        "from shop.models import Order\n"
        "from shop.models.lines import Line as L\n"
        "import shop.models\n"
        "from django.contrib.auth.models import Group\n"
        "\n\ndef forwards(apps, schema_editor):\n"
        "    Order.objects.update(total=0)\n"
        "    L.objects.all().delete()\n"
        "    shop.models.Cart.objects.all().delete()\n"
        "    Group.objects.create(name='staff')\n"
        "    from shop.models import Refund\n"
        "    Refund.objects.all().delete()\n" + DATA_MIGRATION
    )
    findings = [f for f in lint_example(tmp_path, DJANGO, source) if f.code == "IL605"]
    assert [(f.line, f.column) for f in findings] == [(2, 1), (3, 1), (4, 1), (5, 1), (13, 5)]
    assert "imports Line from shop.models.lines" in findings[1].message


def test_il605_near_misses(tmp_path: Path) -> None:
    source = (
        "from django.db import migrations, models\n"
        "from django.db.models import F\n"
        "import shop.models\n"
        "from shop.models import ORDER_STATES, new_code, Order\n"
        "\n\ndef forwards(apps, schema_editor):\n"
        "    Order = apps.get_model('shop', 'Order')\n"
        "    Order.objects.update(total=F('total') + 1, state=ORDER_STATES[0], code=new_code())\n"
        "\n\nclass Migration(migrations.Migration):\n    operations = [\n"
        "        migrations.AddField('order', 'code', models.CharField(default=shop.models.new_code, max_length=8)),\n"
        "        migrations.RunPython(forwards, migrations.RunPython.noop),\n    ]\n"
    )
    assert _lines(tmp_path, "IL605", DJANGO, source) == []
    # A data helper outside migrations/ is not a migration.
    assert _lines(tmp_path, "IL605", "shop/backfill.py", source.replace("Order = apps", "Other = apps")) == []


# The installed command on whole projects ---------------------------------------------
def _infralint() -> List[str]:
    found = shutil.which("infralint", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "infralint"]


def _check(root: Path, *args: str) -> Tuple[int, List[Dict[str, object]]]:
    result = subprocess.run(
        [*_infralint(), "check", "--format", "json", "--no-cache", "-j", "1", *args, "."],
        cwd=root, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


ALEMBIC_PROJECT = {
    "pyproject.toml": "[project]\nname = 'shop'\ndependencies = ['sqlalchemy', 'alembic', 'asyncpg']\n",
    "alembic.ini": "[alembic]\nscript_location = migrations\n",
    "migrations/env.py": "from alembic import context\n",
    "migrations/versions/0001_orders.py": (
        '"""orders"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = "0001"\ndown_revision = None\n\n\n'
        "def upgrade() -> None:\n"
        "    op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True))\n"
        "    op.add_column('orders', sa.Column('total', sa.Integer(), nullable=False))\n"
        "    op.create_index('ix_orders_total', 'orders', ['total'])\n\n\n"
        "def downgrade() -> None:\n    op.drop_table('orders')\n"
    ),
    "migrations/versions/0002_customer.py": (
        "from alembic import op\nfrom sqlalchemy import Column, Integer, String\n\nrevision = '0002'\n"
        "down_revision = '0001'\n\n\n"
        "def upgrade():\n"
        "    op.add_column('orders', Column('customer_id', Integer(), nullable=False))\n"
        "    op.add_column('orders', Column('channel', String(8), nullable=False, server_default='web'))\n"
        "    op.create_index(\n        'ix_orders_customer',\n        'orders',\n        ['customer_id'],\n    )\n"
        "    with op.get_context().autocommit_block():\n"
        "        op.create_index('ix_orders_channel', 'orders', ['channel'], postgresql_concurrently=True)\n"
        "    with op.batch_alter_table('orders') as batch_op:\n"
        "        batch_op.alter_column('total', new_column_name='amount')\n"
        "    op.rename_table('orders', 'purchases')\n\n\n"
        "def downgrade():\n    op.rename_table('purchases', 'orders')\n"
        "    op.drop_index('ix_orders_customer', table_name='orders')\n"
    ),
    "shop/__init__.py": "",
    "shop/settings.py": (
        "import os\n\nSTRIPE_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'\nDATABASE_URL = os.environ['DATABASE_URL']\n"
        "HEADERS = {'Authorization': f\"Bearer {os.environ['TOKEN']}\"}\n"
    ),
    "shop/clients.py": (
        "AWS_ACCESS_KEY_ID = 'AKIA' 'Z7Q2XK4M9PLR3TVW'\n"
        "HEADERS = {\n    'Authorization': 'Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc',\n}\n"
        "EXAMPLE_KEY = 'AKIAIOSFODNN7EXAMPLE'\n"
    ),
}


def test_alembic_project_through_the_installed_command(tmp_path: Path) -> None:
    write_files(tmp_path, ALEMBIC_PROJECT)
    code, findings = _check(tmp_path, "--select", "IL6,IL701")
    found = sorted((str(f["path"]), int(f["line"]), str(f["code"])) for f in findings)  # type: ignore[call-overload]
    revision = "migrations/versions/0002_customer.py"
    assert code == 1
    assert found == [
        (revision, 9, "IL602"),
        (revision, 11, "IL603"),
        (revision, 19, "IL604"),
        (revision, 20, "IL604"),
        ("shop/clients.py", 1, "IL701"),
        ("shop/clients.py", 3, "IL701"),
    ]
    messages = " ".join(str(f["message"]) for f in findings)
    assert "asyncpg in pyproject.toml" in messages
    assert "sk_live_4eC3" not in messages and "Z7Q2XK4M9" not in messages


DJANGO_PROJECT = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_config.settings')\n",
    "site_config/__init__.py": "",
    "site_config/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop'}}\n",
    "shop/__init__.py": "",
    "shop/models.py": "from django.db import models\n\n\nclass Order(models.Model):\n    total = models.IntegerField()\n",
    "shop/migrations/__init__.py": "",
    "shop/migrations/0001_initial.py": (
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
        "    initial = True\n    operations = [\n"
        "        migrations.CreateModel(\n            name='Order',\n"
        "            fields=[('id', models.AutoField(primary_key=True)), ('total', models.IntegerField())],\n        ),\n"
        "        migrations.AddField('order', 'day', models.DateField()),\n"
        "        migrations.AddIndex('order', models.Index(fields=['day'], name='order_day')),\n    ]\n"
    ),
    "shop/migrations/0002_changes.py": (
        "from django.db import migrations, models\nfrom django.db.migrations import AddField, RenameField\n"
        "from django.contrib.postgres.operations import AddIndexConcurrently\n"
        "from shop.models import Order\n\n\n"
        "def forwards(apps, schema_editor):\n    Order.objects.update(total=0)\n\n\n"
        "class Migration(migrations.Migration):\n    atomic = False\n"
        "    dependencies = [('shop', '0001_initial')]\n    operations = [\n"
        "        AddField(\n            model_name='order',\n            name='customer',\n"
        "            field=models.ForeignKey(on_delete=models.CASCADE, to='auth.user'),\n        ),\n"
        "        AddField('order', 'note', models.TextField(null=True)),\n"
        "        migrations.AddIndex('order', models.Index(fields=['total'], name='order_total')),\n"
        "        AddIndexConcurrently('order', models.Index(fields=['note'], name='order_note')),\n"
        "        RenameField('order', 'total', 'amount'),\n"
        "        migrations.RunPython(forwards, migrations.RunPython.noop),\n    ]\n"
    ),
}


def test_django_project_through_the_installed_command(tmp_path: Path) -> None:
    write_files(tmp_path, DJANGO_PROJECT)
    code, findings = _check(tmp_path, "--select", "IL6")
    found = sorted((str(f["path"]), int(f["line"]), str(f["code"])) for f in findings)  # type: ignore[call-overload]
    migration = "shop/migrations/0002_changes.py"
    assert code == 1
    assert found == [(migration, 4, "IL605"), (migration, 18, "IL602"), (migration, 21, "IL603"), (migration, 23, "IL604")]


def test_findings_follow_the_requirements_through_the_cache(tmp_path: Path) -> None:
    write_files(tmp_path, {**ALEMBIC_PROJECT, "pyproject.toml": "[project]\nname = 'shop'\n"})
    command = [*_infralint(), "check", "--format", "json", "--select", "IL603", "-j", "1", "."]
    first = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert json.loads(first.stdout) == []
    write_files(tmp_path, REQUIREMENTS)
    second = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert [f["line"] for f in json.loads(second.stdout)] == [11]
