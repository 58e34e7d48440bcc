"""Orders persisted in SQLite."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import List, Sequence

from shop.domain.errors import OrderNotFound
from shop.domain.money import Money
from shop.domain.order import Order, OrderLine, OrderStatus
from shop.domain.ports import OrderRepository

_SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    id TEXT PRIMARY KEY,
    customer_email TEXT NOT NULL,
    status TEXT NOT NULL,
    placed_at TEXT NOT NULL,
    currency TEXT NOT NULL,
    total_cents INTEGER NOT NULL,
    payment_reference TEXT
);
CREATE TABLE IF NOT EXISTS order_lines (
    order_id TEXT NOT NULL REFERENCES orders (id),
    position INTEGER NOT NULL,
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    PRIMARY KEY (order_id, position)
);
"""

_SELECT_ORDER = "SELECT id, customer_email, status, placed_at, currency, payment_reference FROM orders"


# seeded: IL201
class SqliteOrderRepository(OrderRepository):
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._connection.executescript(_SCHEMA)

    @classmethod
    def open(cls, path: str) -> SqliteOrderRepository:
        return cls(sqlite3.connect(path))

    @property
    def connection(self) -> sqlite3.Connection:
        return self._connection

    def add(self, order: Order) -> None:
        with self._connection:  # one transaction
            self._connection.execute(
                "INSERT INTO orders (id, customer_email, status, placed_at, currency, total_cents, payment_reference)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    order.id,
                    order.customer_email,
                    order.status.value,
                    order.placed_at.isoformat(),
                    order.currency,
                    order.total.cents,
                    order.payment_reference,
                ),
            )
            self._connection.executemany(
                "INSERT INTO order_lines (order_id, position, sku, quantity, unit_price_cents) VALUES (?, ?, ?, ?, ?)",
                [
                    (order.id, position, line.sku, line.quantity, line.unit_price.cents)
                    for position, line in enumerate(order.lines)
                ],
            )

    def save(self, order: Order) -> None:
        with self._connection:
            updated = self._connection.execute(
                "UPDATE orders SET status = ?, payment_reference = ? WHERE id = ?",
                (order.status.value, order.payment_reference, order.id),
            ).rowcount
        if updated == 0:
            raise OrderNotFound(order.id)

    def get(self, order_id: str) -> Order:
        row = self._connection.execute(_SELECT_ORDER + " WHERE id = ?", (order_id,)).fetchone()
        if row is None:
            raise OrderNotFound(order_id)
        return self._load(row)

    def list_by_status(self, status: OrderStatus) -> List[Order]:
        rows = self._connection.execute(_SELECT_ORDER + " WHERE status = ? ORDER BY placed_at", (status.value,))
        return [self._load(row) for row in rows.fetchall()]

    def close(self) -> None:
        self._connection.close()

    def _load(self, row: Sequence[str]) -> Order:
        order_id, customer_email, status, placed_at, currency, payment_reference = row
        lines = [
            OrderLine(sku, quantity, Money.from_cents(unit_price_cents, currency))
            for sku, quantity, unit_price_cents in self._connection.execute(
                "SELECT sku, quantity, unit_price_cents FROM order_lines WHERE order_id = ? ORDER BY position",
                (order_id,),
            ).fetchall()
        ]
        return Order(
            customer_email=customer_email,
            lines=lines,
            id=order_id,
            status=OrderStatus(status),
            placed_at=datetime.fromisoformat(placed_at),
            payment_reference=payment_reference,
        )
