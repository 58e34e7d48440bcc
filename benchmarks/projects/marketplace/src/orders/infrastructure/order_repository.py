"""Orders kept in memory (stands in for the database)."""

from __future__ import annotations

from typing import Dict

from orders.domain.order import Order
from shared.events import OrderPlaced


class InMemoryOrderRepository:
    def __init__(self) -> None:
        self._orders: Dict[str, Order] = {}

    def add(self, order: Order) -> OrderPlaced:
        self._orders[order.order_id] = order
        return OrderPlaced(order.order_id)
