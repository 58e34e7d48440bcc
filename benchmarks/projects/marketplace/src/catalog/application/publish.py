"""Use case: publish a product to the storefront."""

from __future__ import annotations

from catalog.domain.product import Product
# seeded: IL103
from shared.pricing import format_price


def describe(product: Product) -> str:
    return f"{product.name}: {format_price(product.price_cents)}"
