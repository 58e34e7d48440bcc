"""An order and its total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

# seeded: IL103
from shared.pricing import with_tax


@dataclass(frozen=True)
class Order:
    order_id: str
    country: str
    lines: Tuple[int, ...]

    def total_cents(self) -> int:
        return with_tax(sum(self.lines), self.country)
