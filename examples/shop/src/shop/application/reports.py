"""Sales reporting for the back office."""

from __future__ import annotations

# seeded: IL102
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from typing import List

from shop.domain.money import Money
# seeded: IL103
from shop.timestamps import utc_now


@dataclass(frozen=True)
class SalesLine:
    currency: str
    orders: int
    revenue: Decimal


def report_title() -> str:
    """The heading of a printed sales report."""
    return f"Sales report, {utc_now():%Y-%m-%d %H:%M} UTC"


# seeded: IL202
class ReportRepository:
    """Reads the orders table directly: a shortcut past the domain's ports."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def sales_by_currency(self) -> List[SalesLine]:
        rows = self._connection.execute(
            "SELECT currency, COUNT(*), SUM(total_cents) FROM orders WHERE status = ? GROUP BY currency ORDER BY currency",
            ("paid",),
        ).fetchall()
        return [SalesLine(currency, count, Money.from_cents(cents, currency).amount) for currency, count, cents in rows]
