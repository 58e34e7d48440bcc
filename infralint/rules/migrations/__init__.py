"""IL6: migrations — every change can be rolled back and is safe to deploy
while the old code runs. One module per rule; `files` reads what a
migration file is and does, once per file, for all of them."""

from __future__ import annotations

from infralint.rules.migrations.blocking_index import BlockingIndexOperation
from infralint.rules.migrations.irreversible import IrreversibleMigration
from infralint.rules.migrations.model_import import ModelImportInDataMigration
from infralint.rules.migrations.not_null_column import NotNullColumnWithoutDefault
from infralint.rules.migrations.rename import RenameInOneStep

__all__ = [
    "BlockingIndexOperation",
    "IrreversibleMigration",
    "ModelImportInDataMigration",
    "NotNullColumnWithoutDefault",
    "RenameInOneStep",
]
