"""An invoice for a paid order."""

from __future__ import annotations

from dataclasses import dataclass

# seeded: IL101
from billing.application import issue


@dataclass(frozen=True)
class Invoice:
    number: str
    total_cents: int

    def reissue(self) -> "Invoice":
        return issue.issue_invoice(self.total_cents)
