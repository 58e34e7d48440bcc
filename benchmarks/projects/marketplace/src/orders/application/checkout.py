"""Use case: check an order out."""

from __future__ import annotations

from orders.domain.order import Order
# seeded: IL103
from shared.events import OrderPlaced, publish


def checkout(order: Order) -> int:
    publish(OrderPlaced(order.order_id))
    return order.total_cents()
