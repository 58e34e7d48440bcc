"""IL601 irreversible-migration: what the VALID / INVALID examples cannot
say — realistic Alembic and Django files, ranges, scope and suppressions."""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

from infralint.findings import Finding
from tests.helpers import lint_example

ALEMBIC_TEMPLATE = '''"""add order notes

Revision ID: 3f2a9c1d
Revises: 1b7e0d2c
Create Date: 2024-05-02 10:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "3f2a9c1d"
down_revision: Union[str, None] = "1b7e0d2c"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
{downgrade}
'''

DJANGO_TEMPLATE = """from django.db import migrations


def forwards(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    Order.objects.update(total=0)


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]
    operations = [
{operations}
    ]
"""

VERSION_PATH = "migrations/versions/3f2a9c1d_add_order_notes.py"
DJANGO_PATH = "src/shop/orders/migrations/0002_reset_totals.py"


def _il601(root: Path, path: str, source: str) -> List[Finding]:
    return [f for f in lint_example(root, path, source) if f.code == "IL601"]


def _ranges(findings: List[Finding]) -> List[Tuple[int, int, int, int]]:
    return [(f.line, f.column, f.end_line, f.end_column) for f in findings]


# Alembic --------------------------------------------------------------------------
def test_alembic_docstring_only_downgrade_is_reported_at_the_name(tmp_path: Path) -> None:
    source = ALEMBIC_TEMPLATE.format(downgrade='    """Irreversible: notes are kept."""')
    findings = _il601(tmp_path, VERSION_PATH, source)
    assert _ranges(findings) == [(23, 5, 23, 14)]
    assert findings[0].message.startswith("downgrade() is empty while upgrade() is not")


def test_alembic_pass_with_comments_only_is_reported(tmp_path: Path) -> None:
    source = ALEMBIC_TEMPLATE.format(downgrade="    # nothing to do\n    pass")
    assert len(_il601(tmp_path, VERSION_PATH, source)) == 1


def test_alembic_real_downgrade_or_raise_is_accepted(tmp_path: Path) -> None:
    for body in (
        '    op.drop_column("orders", "note")',
        '    raise RuntimeError("notes cannot be dropped: data would be lost")',
        '    """Data migration."""\n    if False:\n        raise NotImplementedError',
    ):
        assert _il601(tmp_path, VERSION_PATH, ALEMBIC_TEMPLATE.format(downgrade=body)) == [], body


def test_alembic_revision_recognised_by_its_import_alone(tmp_path: Path) -> None:
    source = "from alembic import op\n\n\ndef upgrade():\n    op.drop_table('t')\n\n\ndef downgrade():\n    ...\n"
    assert _ranges(_il601(tmp_path, "db/versions/0001.py", source)) == [(8, 5, 8, 14)]


def test_alembic_revision_recognised_by_its_revision_alone(tmp_path: Path) -> None:
    source = "revision = 'abc'\n\n\ndef upgrade():\n    run('DROP TABLE t')\n\n\ndef downgrade():\n    pass\n"
    assert len(_il601(tmp_path, "db/versions/0001.py", source)) == 1


def test_modules_that_are_not_revisions_are_left_alone(tmp_path: Path) -> None:
    # upgrade/downgrade without revision or alembic import; nested functions;
    # only one of the two functions.
    sources = [
        "def upgrade():\n    pip_install()\n\n\ndef downgrade():\n    pass\n",
        "import alembic\n\n\nclass Plan:\n    def upgrade(self):\n        go()\n\n"
        "    def downgrade(self):\n        pass\n",
        "revision = 'abc'\n\n\ndef upgrade():\n    go()\n",
        "revision = 1\n\n\ndef upgrade():\n    go()\n\n\ndef downgrade():\n    pass\n",
    ]
    for source in sources:
        assert _il601(tmp_path, "shop/infrastructure/plan.py", source) == [], source


def test_revisions_in_tests_are_not_checked(tmp_path: Path) -> None:
    source = ALEMBIC_TEMPLATE.format(downgrade="    pass")
    assert _il601(tmp_path, "tests/migrations/versions/0001.py", source) == []


def test_suppression_on_the_downgrade_line(tmp_path: Path) -> None:
    source = ALEMBIC_TEMPLATE.format(downgrade="    pass").replace(
        "def downgrade() -> None:", "def downgrade() -> None:  # infralint: ignore[IL601]"
    )
    findings = lint_example(tmp_path, VERSION_PATH, source)
    assert [f.code for f in findings if f.code in ("IL601", "IL002")] == []


# Django ---------------------------------------------------------------------------
def test_django_run_python_noop_is_accepted(tmp_path: Path) -> None:
    operations = (
        "        migrations.RunPython(forwards, migrations.RunPython.noop),\n"
        "        migrations.RunPython(forwards, reverse_code=migrations.RunPython.noop, elidable=True),\n"
        "        migrations.RunSQL('UPDATE orders SET total = 0', migrations.RunSQL.noop),\n"
        "        migrations.RunSQL(sql='CREATE INDEX i ON t (c)', reverse_sql=''),"
    )
    assert _il601(tmp_path, DJANGO_PATH, DJANGO_TEMPLATE.format(operations=operations)) == []


def test_django_operations_without_reverse(tmp_path: Path) -> None:
    operations = (
        "        migrations.RunPython(forwards),\n"
        "        migrations.RunPython(code=forwards, elidable=True),\n"
        "        migrations.RunSQL(\n            'UPDATE orders SET total = 0',\n        ),"
    )
    findings = _il601(tmp_path, DJANGO_PATH, DJANGO_TEMPLATE.format(operations=operations))
    assert _ranges(findings) == [(12, 9, 12, 39), (13, 9, 13, 59), (14, 9, 16, 10)]
    assert "RunPython has no reverse_code" in findings[0].message
    assert "migrations.RunPython.noop" in findings[0].message
    assert "RunSQL has no reverse_sql" in findings[2].message


def test_django_hidden_arguments_are_not_guessed(tmp_path: Path) -> None:
    operations = "        migrations.RunPython(*pair),\n        migrations.RunSQL(**options),"
    assert _il601(tmp_path, DJANGO_PATH, DJANGO_TEMPLATE.format(operations=operations)) == []


def test_django_needs_a_migrations_directory_and_class(tmp_path: Path) -> None:
    operations = "        migrations.RunPython(forwards),"
    source = DJANGO_TEMPLATE.format(operations=operations)
    assert _il601(tmp_path, "src/shop/orders/operations.py", source) == []
    not_a_migration = source.replace("class Migration(migrations.Migration)", "class Migration(Base)")
    assert _il601(tmp_path, DJANGO_PATH, not_a_migration) == []


def test_django_operations_module_import(tmp_path: Path) -> None:
    source = (
        "from django.db.migrations import Migration as DjangoMigration\n"
        "from django.db.migrations.operations import RunPython as Run\n\n\n"
        "class Migration(DjangoMigration):\n    operations = [Run(forwards, reverse_code=None)]\n"
    )
    findings = _il601(tmp_path, "orders/migrations/0005_x.py", source)
    assert _ranges(findings) == [(6, 19, 6, 51)]
    assert "reverse_code is None" in findings[0].message
