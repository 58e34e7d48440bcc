"""Headers and paths the IL6 rules' examples share."""

from __future__ import annotations

ALEMBIC = "revision = '3f2a9c1d'\ndown_revision = None\n\nfrom alembic import op\nimport sqlalchemy as sa\n\n\n"
DJANGO = "from django.db import migrations, models\n\n\n"
DJANGO_PATH = "shop/infrastructure/migrations/0002_backfill.py"
VERSION_PATH = "migrations/versions/3f2a9c1d_add_orders.py"
# An Alembic revision's downgrade that undoes nothing in particular.
DOWNGRADE = "\n\n\ndef downgrade():\n    op.drop_column('orders', 'note')\n"
# A Django migration up to its first operation.
DJANGO_MIGRATION = DJANGO + "class Migration(migrations.Migration):\n    operations = [\n"
