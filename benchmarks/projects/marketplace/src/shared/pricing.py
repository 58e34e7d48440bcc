"""Money formatting and tax, shared by the contexts."""

from __future__ import annotations

from billing.infrastructure.tax_client import TaxClient


def format_price(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def with_tax(cents: int, country: str) -> int:
    return cents + TaxClient().tax_for(cents, country)
