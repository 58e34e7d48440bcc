"""Builds the services for the entrypoints."""

from __future__ import annotations

from billing.infrastructure.tax_client import TaxClient
from orders.infrastructure.order_repository import InMemoryOrderRepository


def services() -> dict:
    return {"orders": InMemoryOrderRepository(), "tax": TaxClient()}
