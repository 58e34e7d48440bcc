"""The HTTP handlers (framework-free stand-ins)."""

from __future__ import annotations

from orders.application.checkout import checkout
from orders.domain.order import Order
from shared.wiring import services


def post_checkout(payload: dict) -> dict:
    repository = services()["orders"]
    order = Order(payload["id"], payload["country"], tuple(payload["lines"]))
    repository.add(order)
    return {"total_cents": checkout(order)}
