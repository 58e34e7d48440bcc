"""Use case: issue an invoice."""

from __future__ import annotations

import itertools

from billing.domain import invoice

_numbers = itertools.count(1)


def issue_invoice(total_cents: int) -> "invoice.Invoice":
    return invoice.Invoice(f"INV-{next(_numbers):05d}", total_cents)
