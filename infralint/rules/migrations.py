"""IL6: migrations. PLACEHOLDER: being written."""

from __future__ import annotations

from infralint.rules.base import Rule


class IrreversibleMigration(Rule):
    code = "IL601"
    name = "irreversible-migration"
    message = "{text}"
