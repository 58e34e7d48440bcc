"""A product of the catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

# seeded: IL103
from shared import typing_support

if TYPE_CHECKING:
    # seeded: IL101
    from catalog.infrastructure.search import SearchIndex


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price_cents: int

    def index_into(self, index: "SearchIndex") -> None:
        index.add(self.sku, typing_support.searchable_text(self.name))
